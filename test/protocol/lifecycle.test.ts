import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { SERVER, TestClient, uri } from '../support/lsp-client';

describe('lifecycle', () => {
  test('initialize advertises the features; shutdown and exit end the process with 0', async () => {
    const client = await TestClient.start();
    await client.open(uri('x/Dockerfile'), 'FROM golang:1.24\n');
    assert.equal(await client.stop(), 0);
    assert.deepEqual(client.errors, []);
    assert.equal(client.stderr, '');
  });

  test('stdout carries only protocol frames', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const send = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    send({
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: null, capabilities: {} },
    });
    send({ method: 'initialized', params: {} });
    send({
      method: 'textDocument/didOpen',
      params: {
        textDocument: {
          uri: 'file:///d/Dockerfile',
          languageId: 'dockerfile',
          version: 1,
          text: 'FROM golang:1.24\nRUN go build -o /a .\nCMD ["/a"]\n',
        },
      },
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const shutdownAnswered = new Promise<void>((resolve) => {
      const check = () => {
        if (stdout.includes('"id":2')) {
          child.stdout.off('data', check);
          resolve();
        }
      };
      child.stdout.on('data', check);
    });
    send({ id: 2, method: 'shutdown' });
    await shutdownAnswered;
    send({ method: 'exit' });
    assert.equal(await exited, 0);
    // Every byte is part of a `Content-Length` framed JSON message.
    let rest = stdout;
    let frames = 0;
    while (rest.length > 0) {
      const match = /^Content-Length: (\d+)\r\n\r\n/.exec(rest);
      assert.ok(match, `not a frame: ${JSON.stringify(rest.slice(0, 40))}`);
      const start = match[0].length;
      const length = Number(match[1]);
      JSON.parse(Buffer.from(rest.slice(start)).subarray(0, length).toString('utf8'));
      rest = Buffer.from(rest.slice(start)).subarray(length).toString('utf8');
      frames++;
    }
    assert.ok(frames >= 2);
  });
});
