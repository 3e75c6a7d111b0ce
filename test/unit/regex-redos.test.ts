// Every regular expression in the extension's sources (literals, and RegExp built from constant
// strings) passes recheck's ReDoS analysis: they run on untrusted Dockerfiles, so a pattern with
// catastrophic backtracking would let a crafted file freeze the editor's language server.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { ROOT } from '../support/fixtures';

interface Pattern {
  where: string;
  source: string;
  flags: string;
}

/** RegExp built from something other than constants: listed here once reviewed (none now). */
const REVIEWED_DYNAMIC: readonly string[] = [];

/**
 * Patterns recheck flags that never see a user's text, by file and source, with the reason.
 * Anything added here must run only on text that ships with the extension.
 */
const REVIEWED_UNSAFE: readonly { file: string; source: string; why: string }[] = [
  {
    file: 'server/src/core/stages/templates.ts',
    source: '(ARG GO_VERSION=\\$\\{\\d+:)([^}]*)(\\})',
    why: 'runs only on the bundled snippets/go-dockerfile.json templates',
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function constantString(node: ts.Expression | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return undefined;
}

/** The patterns of one file, found by walking its syntax tree. */
function patternsOf(path: string): { patterns: Pattern[]; dynamic: string[] } {
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const patterns: Pattern[] = [];
  const dynamic: string[] = [];
  const where = (node: ts.Node) => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return `${relative(ROOT, path)}:${line + 1}:${character + 1}`;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isRegularExpressionLiteral(node)) {
      const literal = node.text;
      const slash = literal.lastIndexOf('/');
      patterns.push({
        where: where(node),
        source: literal.slice(1, slash),
        flags: literal.slice(slash + 1),
      });
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'RegExp'
    ) {
      const [sourceArg, flagsArg] = node.arguments ?? [];
      const source = constantString(sourceArg);
      const flags = flagsArg === undefined ? '' : constantString(flagsArg);
      if (source === undefined || flags === undefined) dynamic.push(where(node));
      else patterns.push({ where: where(node), source, flags });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { patterns, dynamic };
}

const files = ['server/src', 'client/src'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
const found = files.map(patternsOf);
const patterns = found.flatMap((f) => f.patterns);
const dynamic = found.flatMap((f) => f.dynamic);

describe('regular expressions are safe from ReDoS', () => {
  test('the sources have regular expressions to check', () => {
    assert.ok(patterns.length > 10, `found only ${patterns.length}`);
  });

  test('no RegExp is built from non-constant text without review', () => {
    assert.deepEqual(
      dynamic.filter((w) => !REVIEWED_DYNAMIC.includes(w)),
      [],
    );
  });

  // One check per distinct pattern; the failure names every place that uses it.
  const distinct = new Map<string, Pattern[]>();
  for (const p of patterns) {
    const key = `/${p.source}/${p.flags}`;
    distinct.set(key, [...(distinct.get(key) ?? []), p]);
  }
  for (const [key, uses] of distinct) {
    const reviewed = REVIEWED_UNSAFE.find(
      (r) => r.source === uses[0].source && uses.every((u) => u.where.startsWith(r.file + ':')),
    );
    if (reviewed) {
      test(`${key} (reviewed: ${reviewed.why})`, () => undefined);
      continue;
    }
    test(key, () => {
      const result = checkSync(uses[0].source, uses[0].flags, { timeout: 20_000 });
      const detail =
        result.status === 'vulnerable'
          ? `${result.complexity.summary}, attack ${result.attack.pattern}`
          : result.status === 'unknown'
            ? `unknown: ${result.error.kind}`
            : '';
      assert.equal(
        result.status,
        'safe',
        `${key} at ${uses.map((u) => u.where).join(', ')}: ${detail}`,
      );
    });
  }
});
