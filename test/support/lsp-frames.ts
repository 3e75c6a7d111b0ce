/**
 * The LSP base protocol, checked strictly: what the language server writes to stdout must be
 * frames and nothing else, so a stray byte of logging fails the test that caused it.
 */
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

/** A base-protocol frame around any body (a message, or text that may not be one). */
export function frame(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}
