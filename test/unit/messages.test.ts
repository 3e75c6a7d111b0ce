// A finding's message is what the Problems panel and a CLI line show: one short sentence that
// stands alone. The reasoning goes in its detail (the hover) and the rule's page. Checked on every
// finding of the rule pages' ❌ examples (each rule's every kind of finding) and of the fixtures.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze, RULES, type AnalyzeOptions, type Diagnostic } from '../../server/src/core';
import { examples, optionsOf } from '../support/doc-examples';
import { repoRoot } from '../support/paths';

/** Longest message allowed: what a Problems panel row shows beside the rule id. */
const MAX_MESSAGE = 120;

const everyRuleOn: AnalyzeOptions['rules'] = Object.fromEntries(
  RULES.map((r) => [r.meta.id, r.meta.defaultSeverity]),
);

function dockerfilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return dockerfilesUnder(path);
    return /(^|\.)Dockerfile(\.|$)|\.Dockerfile$/i.test(name) ? [path] : [];
  });
}

interface Case {
  where: string;
  text: string;
  options: AnalyzeOptions;
}

const cases: Case[] = [
  ...RULES.flatMap((rule) => {
    const doc = readFileSync(join(repoRoot, 'server/src/core/rules', `${rule.meta.id}.md`), 'utf8');
    return examples(doc, '❌ Incorrect').map((example, i) => ({
      where: `${rule.meta.id}.md, example ${i + 1}`,
      text: example.code,
      options: optionsOf(example),
    }));
  }),
  ...['test/fixtures', 'test/golden', 'test/vscode/fixtures', 'examples'].flatMap((dir) =>
    dockerfilesUnder(join(repoRoot, dir)).map((path) => ({
      where: path.slice(repoRoot.length + 1),
      text: readFileSync(path, 'utf8'),
      options: {},
    })),
  ),
];

function findings(): { where: string; diagnostic: Diagnostic }[] {
  return cases.flatMap((c) =>
    analyze(c.text, { ...c.options, rules: everyRuleOn }).map((diagnostic) => ({
      where: c.where,
      diagnostic,
    })),
  );
}

describe('messages', () => {
  const all = findings();

  test('the examples and fixtures draw findings of every rule', () => {
    const rules = new Set(all.map((f) => f.diagnostic.rule));
    assert.deepEqual(
      RULES.map((r) => r.meta.id).filter((id) => !rules.has(id)),
      [],
    );
  });

  test(`every message is one sentence of at most ${MAX_MESSAGE} characters`, () => {
    const bad = all
      .filter(({ diagnostic: { message } }) => {
        const sentences = message.split(/(?<=[.?!])\s+(?=[A-Z"`])/);
        return message.length > MAX_MESSAGE || sentences.length > 1 || !/[.?!]$/.test(message);
      })
      .map(({ where, diagnostic: d }) => `${where}: ${d.rule} (${d.message.length}): ${d.message}`);
    assert.deepEqual([...new Set(bad)], []);
  });

  test('a detail, where there is one, adds to the message rather than repeating it', () => {
    const bad = all
      .filter(({ diagnostic: d }) => d.detail !== undefined)
      .filter(({ diagnostic: d }) => d.detail!.includes(d.message) || d.detail!.trim() === '')
      .map(({ where, diagnostic: d }) => `${where}: ${d.rule}: ${d.detail}`);
    assert.deepEqual(bad, []);
  });
});
