import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

const repoRoot = join(__dirname, '..', '..', '..');

interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  size: number;
  data: Buffer;
  central: Buffer;
}

interface Recompress {
  readZip(buffer: Buffer): ZipEntry[];
  recompressZip(
    buffer: Buffer,
    deflate: (data: Buffer) => Uint8Array | Promise<Uint8Array>,
  ): Promise<Buffer>;
}

/** A zip made by yazl, the writer vsce makes the .vsix with (deflate with data descriptors). */
function yazlZip(files: { name: string; data: Buffer; compress: boolean }[]): Promise<Buffer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yazl = require(join(repoRoot, 'node_modules', 'yazl')) as {
    ZipFile: new () => {
      addBuffer(data: Buffer, name: string, options: { compress: boolean; mtime: Date }): void;
      addReadStream(
        stream: NodeJS.ReadableStream,
        name: string,
        options: { compress: boolean; mtime: Date },
      ): void;
      end(): void;
      outputStream: NodeJS.ReadableStream;
    };
  };
  const zip = new yazl.ZipFile();
  const mtime = new Date(2026, 11, 5, 10, 30, 0);
  // A stream's size is not known in advance: its entry gets a data descriptor, as vsce's files do.
  for (const [i, file] of files.entries()) {
    const options = { compress: file.compress, mtime };
    if (i === 0) zip.addReadStream(Readable.from([file.data]), file.name, options);
    else zip.addBuffer(file.data, file.name, options);
  }
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((done, fail) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => done(Buffer.concat(chunks)));
    zip.outputStream.on('error', fail);
  });
}

test('zip-recompress: same entries, names, data, CRC and dates, smaller where it can be', async () => {
  const { readZip, recompressZip } = (await import(
    pathToFileURL(join(repoRoot, 'scripts', 'zip-recompress.mjs')).href
  )) as Recompress;
  const text = Buffer.from('FROM golang:1.27 AS build\nRUN go build -o /app .\n'.repeat(400));
  const files = [
    { name: 'extension/server.js', data: text, compress: true },
    {
      name: 'extension/images/icon.png',
      data: Buffer.from([137, 80, 78, 71, 1, 2]),
      compress: false,
    },
    { name: 'extension/empty.txt', data: Buffer.alloc(0), compress: true },
    { name: 'extension/naïve.md', data: Buffer.from('# ünïcode\n'.repeat(50)), compress: true },
  ];
  const original = await yazlZip(files);
  // A deflate that only does better than yazl's default level where there is room.
  const rezipped = await recompressZip(original, (data) => deflateRawSync(data, { level: 9 }));
  const before = readZip(original);
  const after = readZip(rezipped);
  assert.deepEqual(
    after.map((e) => e.name),
    files.map((f) => f.name),
  );
  for (const [i, entry] of after.entries()) {
    const plain = entry.method === 8 ? inflateRawSync(entry.data) : entry.data;
    assert.ok(plain.equals(files[i].data), entry.name);
    assert.equal(entry.crc, crc32(files[i].data) >>> 0, entry.name);
    assert.equal(entry.size, files[i].data.length);
    assert.equal(entry.method, before[i].method);
    // Dates and attributes are kept; sizes and CRC are in the local header, no descriptor.
    assert.equal(entry.central.readUInt32LE(12), before[i].central.readUInt32LE(12));
    assert.equal(entry.central.readUInt32LE(38), before[i].central.readUInt32LE(38));
    assert.equal(entry.central.readUInt16LE(8) & 0x0008, 0);
    assert.ok(entry.data.length <= before[i].data.length);
  }
  assert.ok(before[0].central.readUInt16LE(8) & 0x0008, 'yazl writes data descriptors');
  // Read again, the output gives the same entries (offsets and sizes are consistent).
  assert.deepEqual(
    readZip(await recompressZip(rezipped, (data) => deflateRawSync(data, { level: 9 }))).map(
      (e) => e.data.length,
    ),
    after.map((e) => e.data.length),
  );
  // A deflate whose output does not inflate back to the data is not used.
  const broken = await recompressZip(original, () => Buffer.from([1, 0, 0, 255, 255]));
  assert.deepEqual(
    readZip(broken).map((e) => e.data),
    before.map((e) => e.data),
  );
  await assert.rejects(() => recompressZip(Buffer.from('not a zip at all'), () => Buffer.alloc(0)));
});
