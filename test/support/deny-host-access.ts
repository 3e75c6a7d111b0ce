/**
 * Preloaded into the language server (`node --require`) by the protocol tests: every way to start
 * a process or open a network connection is replaced by a function that reports the attempt on
 * stderr and throws. The server needs neither; a report fails the test.
 */
import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

export const MARK = 'DENIED HOST ACCESS:';

function deny(owner: object, name: string, label: string): void {
  Object.defineProperty(owner, name, {
    configurable: true,
    writable: true,
    value: () => {
      process.stderr.write(`${MARK} ${label}\n`);
      throw new Error(`${label} is not allowed in the language server`);
    },
  });
}

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  deny(childProcess, name, `child_process.${name}`);
}
for (const name of ['connect', 'createConnection', 'createServer']) deny(net, name, `net.${name}`);
deny(net.Socket.prototype, 'connect', 'net.Socket#connect');
for (const name of ['request', 'get', 'createServer']) {
  deny(http, name, `http.${name}`);
  deny(https, name, `https.${name}`);
}
deny(http2, 'connect', 'http2.connect');
deny(tls, 'connect', 'tls.connect');
deny(dgram, 'createSocket', 'dgram.createSocket');
for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) deny(dns, name, `dns.${name}`);
deny(globalThis, 'fetch', 'fetch');
