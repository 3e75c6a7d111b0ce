// Rules report message ids with data; the engine renders the text from the templates each rule
// declares in its meta. These tests hold the templates, the rendering and the ids together.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { buildModel, RULES, runRules } from '../../server/src/core';
import { copyFromUnknownStage } from '../../server/src/core/rules/copy-from-unknown-stage';
import { renderFinding, renderTemplate, type Rule } from '../../server/src/core/rules/rule';
import { repoRoot } from '../support/paths';
import { lines } from '../support/rule-tester';

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;

describe('message templates', () => {
  test('fills each placeholder from the data, numbers as their text', () => {
    assert.equal(
      renderTemplate('{{image}} has Go {{ version }} (line {{line}}).', {
        image: 'golang:1.22',
        version: '1.22',
        line: 3,
      }),
      'golang:1.22 has Go 1.22 (line 3).',
    );
  });

  test('leaves a placeholder without a value standing, and never fills a value a second time', () => {
    assert.equal(renderTemplate('{{a}} and {{b}}', { a: '{{b}}' }), '{{b}} and {{b}}');
    assert.equal(renderTemplate('{{toString}}', {}), '{{toString}}');
    assert.equal(
      renderTemplate('no placeholders: $TARGETARCH ${X#v}', undefined),
      'no placeholders: $TARGETARCH ${X#v}',
    );
  });

  test('a detail given as text takes the place of the detail template', () => {
    const meta = {
      ...copyFromUnknownStage.meta,
      messages: { one: 'Says {{what}}.' },
      details: { one: 'Because {{why}}.' },
    };
    assert.deepEqual(
      renderFinding(meta, { range: zero, messageId: 'one', data: { what: 'x', why: 'y' } }),
      {
        message: 'Says x.',
        detail: 'Because y.',
      },
    );
    assert.deepEqual(
      renderFinding(meta, {
        range: zero,
        messageId: 'one',
        data: { what: 'x' },
        detail: 'Assembled.',
      }),
      { message: 'Says x.', detail: 'Assembled.' },
    );
  });
});

const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

describe('every rule declares its messages', () => {
  for (const rule of RULES as readonly Rule[]) {
    test(`${rule.meta.id}: ids in camelCase, one-sentence templates, each id reported`, () => {
      const ids = Object.keys(rule.meta.messages);
      assert.ok(ids.length > 0, 'declares no message');
      const source = readFileSync(
        join(repoRoot, 'server', 'src', 'core', 'rules', `${rule.meta.id}.ts`),
        'utf8',
      );
      for (const id of ids) {
        assert.match(id, /^[a-z][A-Za-z0-9]*$/, `message id ${id}`);
        const template = rule.meta.messages[id];
        assert.match(template, /[.?!]$/, `message ${id} ends a sentence`);
        // Declared in the MessageId union and used at least once more: no message is dead.
        const quoted = source.split(`'${id}'`).length - 1;
        assert.ok(quoted >= 2, `message ${id} is declared but never reported`);
      }
      for (const id of Object.keys(rule.meta.details ?? {})) {
        assert.ok(ids.includes(id), `detail ${id} has no message`);
      }
      // A template names each placeholder plainly: `{{name}}`, never an expression.
      for (const text of [
        ...Object.values(rule.meta.messages),
        ...Object.values(rule.meta.details ?? {}),
      ] as string[]) {
        const braces = (text.match(/\{\{/g) ?? []).length;
        assert.equal([...text.matchAll(PLACEHOLDER)].length, braces, text);
      }
    });
  }
});

test('a finding keeps its message id and data beside the rendered text', () => {
  const text = lines(
    'FROM golang:1.24 AS build',
    'RUN go build -o /out/app .',
    'FROM scratch',
    'COPY --from=biuld /out/app /app',
  );
  const [finding] = runRules(buildModel(text), {}, { strict: true, rules: [copyFromUnknownStage] });
  assert.equal(finding.messageId, 'unknownStageSuggest');
  assert.deepEqual(finding.data, {
    name: 'biuld',
    suggestion: 'build',
    keyword: 'COPY',
    from: 'biuld',
  });
  assert.equal(finding.message, 'No stage is named "biuld": did you mean "build"?');
  assert.match(
    finding.detail ?? '',
    /^With no earlier stage of that name, COPY --from=biuld makes Docker pull/,
  );
});
