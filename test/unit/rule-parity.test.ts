/**
 * Every rule has its module, its documentation, its tests and its setting, and its documentation
 * tells the truth: each ❌ example draws the rule, each ✅ example does not.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES, SEVERITY_SETTINGS } from '../../server/src/core';
import { repoRoot } from '../support/paths';
import { examples, optionsOf } from '../support/doc-examples';
import { runRule } from '../support/rule-tester';

const RULES_DIR = join(repoRoot, 'server', 'src', 'core', 'rules');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const ruleSettings =
  manifest.contributes.configuration.properties['goMultistage.rules'].properties ?? {};

describe('rule parity', () => {
  test('every rule module is registered, and every registered rule has a module', () => {
    const modules = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'rule.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(modules, RULES.map((r) => r.meta.id).sort());
  });

  for (const rule of RULES) {
    const id = rule.meta.id;
    describe(id, () => {
      test('id is kebab-case and the module opens with what it catches and why', () => {
        assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
        const source = readFileSync(join(RULES_DIR, `${id}.ts`), 'utf8').split('\n');
        assert.ok(
          source[0].startsWith('// ') && source[1].startsWith('// '),
          'two comment lines first',
        );
      });

      test('has documentation with the sections and the default severity', () => {
        const path = join(RULES_DIR, `${id}.md`);
        assert.ok(existsSync(path), `${id}.md exists`);
        const doc = readFileSync(path, 'utf8');
        assert.ok(doc.startsWith(`# ${id}\n`), 'titled with the id');
        for (const section of [
          '## Why it matters',
          '## ❌ Incorrect',
          '## ✅ Correct',
          '## Fix',
          '## When not to use it',
        ]) {
          assert.ok(doc.includes(section), `has "${section}"`);
        }
        assert.match(doc, new RegExp(`Default severity: \\*\\*${rule.meta.defaultSeverity}\\*\\*`));
      });

      test('has table tests', () => {
        assert.ok(existsSync(join(repoRoot, 'test', 'unit', 'rules', `${id}.test.ts`)));
      });

      test('has a setting in package.json', () => {
        const setting = ruleSettings[id];
        assert.ok(setting, `goMultistage.rules.${id} is declared`);
        assert.deepEqual(setting.enum, [...SEVERITY_SETTINGS]);
        // An opt-in rule's setting defaults to `off`.
        const expected = rule.meta.enabledByDefault === false ? 'off' : rule.meta.defaultSeverity;
        assert.equal(setting.default, expected);
      });

      test('each ❌ example is reported and each ✅ example is not', () => {
        const doc = readFileSync(join(RULES_DIR, `${id}.md`), 'utf8');
        const bad = examples(doc, '❌ Incorrect');
        const good = examples(doc, '✅ Correct');
        assert.ok(bad.length > 0 && good.length > 0, 'the doc has examples of both kinds');
        for (const example of bad) {
          assert.ok(
            runRule(rule, example.code, optionsOf(example)).length > 0,
            `not reported:\n${example.code}`,
          );
        }
        for (const example of good) {
          assert.deepEqual(
            runRule(rule, example.code, optionsOf(example)).map((d) => d.message),
            [],
            `reported:\n${example.code}`,
          );
        }
      });
    });
  }

  test('package.json declares no setting for a rule that does not exist', () => {
    assert.deepEqual(Object.keys(ruleSettings).sort(), RULES.map((r) => r.meta.id).sort());
  });
});
