import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel, runRules } from '../../server/src/core';
import type { Rule } from '../../server/src/core/rules/rule';
import type { Fix } from '../../server/src/core/types';

const text = 'FROM golang:1.27\nRUN go build -o /app .\n';

/** A rule reporting one finding whose fixes and detail are deferred, counting their calls. */
function deferringRule(fail = false): { rule: Rule; calls: { fixes: number; detail: number } } {
  const calls = { fixes: 0, detail: 0 };
  const fix: Fix = {
    title: 'Do it',
    kind: 'quickfix',
    safe: true,
    edits: [
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: '# x\n',
      },
    ],
  };
  const rule: Rule = {
    meta: {
      id: 'deferring',
      description: 'Defers.',
      defaultSeverity: 'hint',
      fixable: true,
      messages: { found: 'Found.' },
    },
    check(model, report) {
      report({
        range: model.stages[0].from.getRange(),
        messageId: 'found',
        detail: () => {
          calls.detail++;
          if (fail) throw new Error('detail failed');
          return 'Because.';
        },
        fixes: () => {
          calls.fixes++;
          if (fail) throw new Error('fixes failed');
          return [fix];
        },
      });
    },
  };
  return { rule, calls };
}

describe('deferred fixes and details', () => {
  test('are worked out on first read, once, and then are plain values', () => {
    const { rule, calls } = deferringRule();
    const [finding] = runRules(buildModel(text), {}, { rules: [rule] });
    assert.equal(finding.message, 'Found.');
    assert.deepEqual(calls, { fixes: 0, detail: 0 });
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].title, 'Do it');
    assert.equal(finding.detail, 'Because.');
    assert.equal(finding.fixes, finding.fixes);
    assert.deepEqual(calls, { fixes: 1, detail: 1 });
    // Serialised like any other finding.
    const json = JSON.parse(JSON.stringify(finding)) as { fixes: Fix[]; detail: string };
    assert.equal(json.fixes[0].title, 'Do it');
    assert.equal(json.detail, 'Because.');
  });

  test('can be assigned, as the conversion does', () => {
    const { rule, calls } = deferringRule();
    const [finding] = runRules(buildModel(text), {}, { rules: [rule] });
    finding.detail = 'Replaced.';
    assert.equal(finding.detail, 'Replaced.');
    assert.equal(calls.detail, 0);
  });

  test('a deferred part that throws gives none, unless strict', () => {
    const { rule } = deferringRule(true);
    const [finding] = runRules(buildModel(text), {}, { rules: [rule] });
    assert.deepEqual(finding.fixes, []);
    assert.equal(finding.detail, undefined);
    const [strict] = runRules(buildModel(text), {}, { rules: [rule], strict: true });
    assert.throws(() => strict.fixes, /fixes failed/);
  });
});
