import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overlay, withValue } from '../../server/src/core/model/env';
import { buildModel } from '../../server/src/core';

test('a layered environment reads and iterates as the copied Map would', () => {
  const map = new Map<string, string | null>([
    ['A', '1'],
    ['B', null],
  ]);
  let env: ReadonlyMap<string, string | null> = new Map(map);
  // Enough layers that the lower ones are merged on the way.
  for (let i = 0; i < 40; i++) {
    const name = `V${i % 7}`;
    map.set(name, String(i));
    env = withValue(env, name, String(i));
  }
  map.set('A', 'top');
  env = withValue(env, 'A', 'top');
  const over = overlay(
    new Map([
      ['B', 'x'],
      ['Z', 'z'],
    ]),
    env,
  );
  const expected = new Map<string, string | null>([
    ['B', 'x'],
    ['Z', 'z'],
  ]);
  for (const [k, v] of map) expected.set(k, v);
  assert.deepEqual([...env], [...map]);
  assert.deepEqual([...over], [...expected]);
  assert.equal(over.size, expected.size);
  assert.equal(over.get('B'), null);
  assert.equal(over.get('Z'), 'z');
  assert.equal(over.has('B'), true);
  assert.equal(over.get('missing'), undefined);
  assert.deepEqual([...over.keys()], [...expected.keys()]);
  assert.deepEqual([...over.values()], [...expected.values()]);
  const seen: string[] = [];
  over.forEach((v, k) => seen.push(`${k}=${v}`));
  assert.deepEqual(
    seen,
    [...expected].map(([k, v]) => `${k}=${v}`),
  );
});

test('the environments of interleaved ENV lines and go commands share their entries', () => {
  const lines = ['FROM golang:1.22'];
  for (let i = 0; i < 300; i++) lines.push(`ENV VAR_${i}=${i}`, `RUN go build -o /bin/t${i} .`);
  const model = buildModel(lines.join('\n') + '\n');
  const stage = model.stages[0];
  // Each RUN and go command sees the ENV lines before it, not those after.
  assert.equal(stage.runs[10].env.get('VAR_10'), '10');
  assert.equal(stage.runs[10].env.has('VAR_11'), false);
  assert.equal(stage.goCalls[299].invocation.env.get('VAR_0'), '0');
  // A copy per RUN would make these plain Maps of hundreds of entries each.
  assert.ok(stage.runs.every((run) => !(run.env instanceof Map)));
  assert.ok(stage.goCalls.every((call) => !(call.invocation.env instanceof Map)));
});
