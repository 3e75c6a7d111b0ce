/**
 * The cache the layers keep on the analysis' objects: it must behave as the WeakMaps it replaced
 * did, and stay invisible to whoever compares or serializes those objects.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';
import { test } from 'node:test';
import { KeyedCache, keyedCacheCount } from '../../server/src/core/keyed-cache';
import { analyze, buildModel, convertToMultiStage, runRules } from '../../server/src/core';

test('values are kept per key and per cache, undefined included', () => {
  const first = new KeyedCache<object, string | undefined>();
  const second = new KeyedCache<object, string | undefined>();
  const a = {};
  const b = {};
  assert.equal(first.has(a), false);
  assert.equal(first.get(a), undefined);
  first.set(a, 'one');
  second.set(a, undefined);
  assert.equal(first.get(a), 'one');
  assert.equal(first.has(b), false);
  assert.equal(second.has(a), true, 'a cached undefined counts as computed');
  assert.equal(second.get(a), undefined);
  assert.equal(first.delete(a), true);
  assert.equal(first.has(a), false);
  assert.equal(first.delete(a), false);
  assert.equal(second.has(a), true, 'deleting from one cache leaves the others');
});

test('ensure derives once per key', () => {
  const cache = new KeyedCache<object, number>();
  const key = {};
  let calls = 0;
  const derive = () => ++calls;
  assert.equal(cache.ensure(key, derive), 1);
  assert.equal(cache.ensure(key, derive), 1);
  assert.equal(cache.ensure({}, derive), 2);
});

test('the kept values are invisible to deepStrictEqual, JSON and key listings', () => {
  const cache = new KeyedCache<object, string>();
  const key = { name: 'build' };
  cache.set(key, 'cached');
  assert.deepStrictEqual(key, { name: 'build' });
  assert.equal(JSON.stringify(key), '{"name":"build"}');
  assert.deepEqual(
    Reflect.ownKeys(key).filter((k) => typeof k === 'string'),
    ['name'],
  );
  assert.equal(Object.getOwnPropertySymbols(key).length, 1);
  assert.equal(Object.keys(key).length, 1);
});

test('a frozen key is not cached, and nothing throws', () => {
  const cache = new KeyedCache<object, number>();
  const key = Object.freeze({});
  let calls = 0;
  assert.equal(
    cache.ensure(key, () => ++calls),
    1,
  );
  assert.equal(
    cache.ensure(key, () => ++calls),
    2,
  );
  assert.equal(cache.has(key), false);
});

test('diagnostics carry no cached value a client could see', () => {
  const text = 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n';
  const diagnostics = analyze(text, {});
  assert.ok(diagnostics.length > 0);
  for (const diagnostic of diagnostics) {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(diagnostic)), { ...diagnostic });
  }
});

test('no KeyedCache is made per analysis (each one would lengthen every key’s slots for good)', () => {
  const files = [
    [
      'FROM golang:1.24 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
      'FROM alpine:3.20',
      'RUN apk add --no-cache docker-cli',
      'COPY --from=build /out/app /app',
      'EXPOSE 80',
      'ENTRYPOINT ["/app"]',
    ].join('\n'),
    [
      'FROM golang:1.22',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'CMD ["./server"]',
    ].join('\n'),
  ];
  // And the conversion golden cases' inputs, for variety (multi-stage, cgo, scripts, ...).
  const golden = join(repoRoot, 'test', 'golden', 'convert');
  for (const name of readdirSync(golden)) {
    const input = join(golden, name, 'input.Dockerfile');
    if (existsSync(input)) files.push(readFileSync(input, 'utf8'));
  }
  assert.ok(files.length > 20, 'the golden inputs are read');
  // Once, so that anything made on first use is made.
  for (const text of files) {
    const model = buildModel(text);
    runRules(model);
    convertToMultiStage(model);
  }
  const before = keyedCacheCount();
  for (let i = 0; i < 3; i++) {
    for (const text of files) {
      const model = buildModel(`${text}\n# version ${i}\n`);
      runRules(model);
      convertToMultiStage(model);
      analyze(text);
    }
  }
  assert.equal(keyedCacheCount(), before);
});
