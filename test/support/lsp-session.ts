/**
 * Talks to the built language server (server/dist/server.js --stdio) the way an editor does: a
 * typed connection from vscode-languageserver-protocol. Everything the server writes to stdout
 * is also parsed strictly as LSP frames, so a stray byte of logging fails the test.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { PassThrough } from 'node:stream';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DocumentDiagnosticRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type DocumentDiagnosticReport,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { spawnServer } from './server-process';
import { CURRENT_GO } from './go-versions';

export { SERVER } from './server-process';

/**
 * Parses a byte stream as LSP base-protocol frames: `Content-Length` (and optionally
 * `Content-Type`) headers, a blank line, then exactly that many bytes of a JSON-RPC 2.0 message.
 */
export class FrameValidator {
  readonly errors: string[] = [];
  readonly messages: unknown[] = [];
  private buffer = Buffer.alloc(0);

  private broken = false;

  push(chunk: Buffer): void {
    if (this.broken) return;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        // Whatever has arrived must be the start of a header.
        const head = this.buffer.subarray(0, 8).toString('latin1');
        if (!'Content-'.startsWith(head)) {
          this.fail(
            `bytes that are not a header: ${JSON.stringify(this.buffer.toString().slice(0, 200))}`,
          );
        }
        return;
      }
      const headers = this.buffer.subarray(0, end).toString('ascii').split('\r\n');
      let length: number | undefined;
      for (const header of headers) {
        const match = /^(Content-Length|Content-Type): (.+)$/.exec(header);
        if (!match) {
          this.fail(`not an LSP header: ${JSON.stringify(header.slice(0, 200))}`);
          return;
        }
        if (match[1] === 'Content-Length') {
          if (!/^\d+$/.test(match[2])) return this.fail(`bad Content-Length ${match[2]}`);
          length = Number(match[2]);
        }
      }
      if (length === undefined) return this.fail('a frame without Content-Length');
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length);
      this.buffer = this.buffer.subarray(end + 4 + length);
      let message: unknown;
      try {
        message = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch (error) {
        return this.fail(`a frame whose body is not UTF-8 JSON: ${String(error)}`);
      }
      if (
        typeof message !== 'object' ||
        message === null ||
        (message as { jsonrpc?: unknown }).jsonrpc !== '2.0'
      ) {
        return this.fail(
          `a frame that is not a JSON-RPC 2.0 message: ${body.toString().slice(0, 200)}`,
        );
      }
      this.messages.push(message);
    }
  }

  /** Errors, including bytes left over after the last frame. */
  finish(): string[] {
    if (this.buffer.length > 0) {
      this.errors.push(
        `${this.buffer.length} bytes after the last frame: ${JSON.stringify(this.buffer.toString().slice(0, 200))}`,
      );
      this.buffer = Buffer.alloc(0);
    }
    return this.errors;
  }

  private fail(message: string): void {
    this.errors.push(message);
    // Stop parsing: the stream is no longer in sync.
    this.buffer = Buffer.alloc(0);
    this.broken = true;
  }
}

export interface SessionOptions {
  /** Advertise pull diagnostics (default true); without it the server pushes. */
  pull?: boolean;
  /** Extra arguments for node before the server script (e.g. `--require`). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  rootUri?: string | null;
}

export interface Session {
  connection: ProtocolConnection;
  child: ChildProcessWithoutNullStreams;
  initializeResult: InitializeResult;
  published: PublishDiagnosticsParams[];
  /** Resolves with the first publication (already received or to come) that matches. */
  waitForPublish(
    match: (p: PublishDiagnosticsParams) => boolean,
  ): Promise<PublishDiagnosticsParams>;
  pull(uri: string): Promise<DocumentDiagnosticReport>;
  /** Writes raw bytes to the server's stdin (for malformed input). */
  writeRaw(bytes: string | Buffer): Promise<void>;
  stderr(): string;
  /** Shuts the server down; returns what was wrong with its stdout (empty when all was protocol). */
  close(): Promise<string[]>;
}

export function capabilities(pull: boolean): ClientCapabilities {
  return {
    workspace: {
      configuration: true,
      workspaceEdit: { documentChanges: true },
      diagnostics: { refreshSupport: pull },
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
    },
    textDocument: {
      publishDiagnostics: { versionSupport: true },
      codeAction: {
        codeActionLiteralSupport: {
          codeActionKind: { valueSet: ['quickfix', 'refactor', 'refactor.rewrite'] },
        },
      },
      ...(pull ? { diagnostic: { dynamicRegistration: false } } : {}),
    },
  };
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const pull = options.pull ?? true;
  const child = spawnServer({ nodeArgs: options.nodeArgs, env: options.env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const validator = new FrameValidator();
  const forReader = new PassThrough();
  child.stdout.on('data', (chunk: Buffer) => {
    validator.push(chunk);
    forReader.write(chunk);
  });
  child.stdout.on('end', () => forReader.end());
  const connection = createProtocolConnection(
    new StreamMessageReader(forReader),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  const published: PublishDiagnosticsParams[] = [];
  const waiters = new Set<() => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    published.push(params);
    for (const waiter of [...waiters]) waiter();
  });
  connection.listen();
  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: options.rootUri ?? null,
    workspaceFolders: null,
    capabilities: capabilities(pull),
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    child,
    initializeResult,
    published,
    waitForPublish(match) {
      return new Promise((resolve) => {
        const check = () => {
          const found = published.find(match);
          if (found) {
            waiters.delete(check);
            resolve(found);
          }
        };
        waiters.add(check);
        check();
      });
    },
    pull(uri) {
      return connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
    },
    writeRaw(bytes) {
      return new Promise((resolve, reject) =>
        child.stdin.write(bytes, (error) => (error ? reject(error) : resolve())),
      );
    },
    stderr: () => stderr,
    async close() {
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } catch {
        // the server is gone already; its exit is awaited below
      }
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
      connection.dispose();
      return validator.finish();
    },
  };
}

/**
 * A single-stage Go Dockerfile (one finding, with "Convert to multi-stage"), on a Go release the
 * shipped release data supports.
 */
export const SINGLE_STAGE = [
  `FROM golang:${CURRENT_GO}`,
  'WORKDIR /src',
  'COPY go.mod go.sum ./',
  'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
  'COPY . .',
  'RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \\',
  '    go build -o /out/app .',
  'CMD ["/out/app"]',
  '',
].join('\n');

/** A Dockerfile with nothing for go-multistage to report. */
export const NOT_GO = 'FROM alpine:3.20\nRUN echo hello\n';
