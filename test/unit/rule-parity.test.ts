/**
 * Every rule has its module, its documentation, its tests and its setting, and its documentation
 * tells the truth: each ❌ example draws the rule, each ✅ example does not.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { RULES, SEVERITY_SETTINGS, type AnalyzeOptions } from '../../server/src/core';
import { repoRoot } from '../support/paths';
import { testContext } from '../support/context';
import { runRule } from '../support/rule-tester';

const RULES_DIR = join(repoRoot, 'server', 'src', 'core', 'rules');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const ruleSettings =
  manifest.contributes.configuration.properties['goMultistage.rules'].properties ?? {};

interface Example {
  code: string;
  goMod?: string;
  /** Files of the build context, one per line of a `context` block. */
  context?: string[];
  /** Context files given with their text: a block whose info string names a path (```go main.go). */
  files?: Record<string, string>;
  /** A ```dockerignore block: the context's .dockerignore. */
  dockerignore?: string;
}

/**
 * The fenced `dockerfile` blocks of a doc section, each with the `go.mod` block and the
 * `context` block (the build context's files) that follow it.
 */
function examples(doc: string, heading: string): Example[] {
  const start = doc.indexOf(`## ${heading}`);
  if (start < 0) return [];
  const next = doc.indexOf('\n## ', start + 3);
  const section = doc.slice(start, next < 0 ? undefined : next);
  const blocks = [...section.matchAll(/```(\S+)(?:[ \t]+(\S+))?\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    path: m[2],
    body: m[3],
  }));
  const result: Example[] = [];
  for (const block of blocks) {
    const last = result[result.length - 1];
    if (block.lang === 'dockerfile') result.push({ code: block.body });
    else if (block.path !== undefined && last)
      last.files = { ...last.files, [block.path]: block.body };
    else if (block.lang === 'dockerignore' && last) last.dockerignore = block.body;
    else if (block.lang === 'go.mod' && result.length > 0)
      result[result.length - 1].goMod = block.body;
    else if (block.lang === 'context' && result.length > 0)
      result[result.length - 1].context = block.body.split('\n').filter((l) => l.trim() !== '');
  }
  return result;
}

function optionsOf(example: Example): AnalyzeOptions {
  return {
    goMod: example.goMod,
    context: testContext(example.context, example.files, example.dockerignore),
  };
}

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
