// "Convert to multi-stage" is computed once per model and options, and only when asked: the rule
// that it resolves reports without it, and the engine attaches it from the memoised result.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze, attachConversions, buildModel, runRules } from '../../server/src/core';
import { configuredConversion, conversionOf } from '../../server/src/core/convert/memo';
import { ROOT } from '../support/fixtures';
import { lines } from '../support/rule-tester';

const SINGLE = lines(
  'FROM golang:1.24',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

// CGO_ENABLED from a variable: the conversion is refused.
const REFUSED = lines(
  'FROM golang:1.24',
  'ARG CGO',
  'ENV CGO_ENABLED=${CGO}',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

const TOOLCHAIN = 'go-toolchain-in-final-stage';
const CONVERT = 'Convert to multi-stage';

function toolchainFinding(text: string) {
  const model = buildModel(text);
  const found = runRules(model).find((d) => d.rule === TOOLCHAIN);
  assert.ok(found, 'the toolchain finding');
  return { model, found };
}

describe('the conversion as the fix of the toolchain finding', () => {
  test('runRules reports the finding without running the conversion', () => {
    const { found } = toolchainFinding(SINGLE);
    assert.deepEqual(found.fixes, []);
    assert.doesNotMatch(found.detail ?? '', /not offered/);
  });

  test('attachConversions adds the memoised conversion as the quick fix, once', () => {
    const { model, found } = toolchainFinding(SINGLE);
    attachConversions([found]);
    attachConversions([found]);
    const converts = found.fixes.filter((f) => f.title === CONVERT);
    assert.equal(converts.length, 1);
    const conversion = configuredConversion(model);
    assert.ok(conversion.ok);
    // The very edits of the one conversion, not a second run of it.
    assert.equal(converts[0].edits, conversion.edits);
    assert.equal(converts[0].safe, false);
  });

  test('a refused conversion says why in the detail, once', () => {
    const { found } = toolchainFinding(REFUSED);
    attachConversions([found]);
    attachConversions([found]);
    assert.deepEqual(found.fixes, []);
    const said = found.detail?.match(/"Convert to multi-stage" is not offered: /g) ?? [];
    assert.equal(said.length, 1);
    assert.match(found.detail ?? '', /not offered: CGO_ENABLED is set from a variable/);
  });

  test('analyze attaches the conversion at once', () => {
    const found = analyze(SINGLE).find((d) => d.rule === TOOLCHAIN);
    assert.deepEqual(
      found?.fixes.map((f) => f.title),
      [CONVERT],
    );
  });

  test('the conversion is computed once per model and options', () => {
    const model = buildModel(SINGLE);
    const first = conversionOf(model, { runtimeImage: 'alpine:3.20' });
    assert.equal(conversionOf(model, { runtimeImage: 'alpine:3.20' }), first);
    assert.notEqual(conversionOf(model, { runtimeImage: 'scratch' }), first);
    assert.notEqual(conversionOf(buildModel(SINGLE), { runtimeImage: 'alpine:3.20' }), first);
  });
});

describe('rules stand alone', () => {
  test('no rule imports another rule (shared logic lives in facts/ or edits/)', () => {
    const dir = join(ROOT, 'server/src/core/rules');
    const rules = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    assert.ok(rules.length > 20);
    for (const file of rules) {
      const text = readFileSync(join(dir, file), 'utf8');
      const local = [...text.matchAll(/from '\.\/([^']+)'/g)].map((m) => m[1]);
      assert.deepEqual(
        local.filter((name) => name !== 'rule'),
        [],
        `${file} imports another rule`,
      );
    }
  });
});
