import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../server/src/core';

test('reports a final stage built on golang', () => {
  const diagnostics = analyze(
    'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ["./app"]\n',
    {
      goMod: 'module example.com/app\n\ngo 1.22\n',
    },
  );
  assert.deepEqual(
    diagnostics.map((d) => d.rule),
    ['go-toolchain-in-final-stage'],
  );
});
