// The layering gates of the sources (server/src and client/src), read from the TypeScript AST:
// no import cycle between files (type-only imports count), the core's folders in their layers,
// and the size limits (no source file over 500 lines, no function over 80). Each gate is exact:
// today's offenders are listed in one allowlist per gate, and an entry that no longer offends
// fails the test ("stale allowlist entry"), so the lists only shrink.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { Linter } from 'eslint';
import ts from 'typescript';
import tseslint from 'typescript-eslint';
import { repoRoot } from '../support/paths';

// ---------------------------------------------------------------------------------------------
// Allowlists. Each entry is being split in issue 17; the lead empties them as those parts land.

/** Import cycles, each as its files (sorted). */
const CYCLE_ALLOWLIST: string[][] = [];

/** Imports that break the core's layering, as `importer -> imported` (paths under core/). */
const LAYER_ALLOWLIST: string[] = [];

// The size allowlist is SIZE_ALLOWLIST in eslint.config.mjs, whose overrides `npm run lint`
// applies; the test below checks it the same way.

// ---------------------------------------------------------------------------------------------

const ROOTS = ['server/src', 'client/src'];

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const root of ROOTS) walk(join(repoRoot, root));
  return files.sort();
}

const FILES = sourceFiles();
const rel = (file: string) => relative(repoRoot, file);

/** The source files a file imports (static, type-only, re-exports, `import()` types and calls). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments.length > 0 &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const found: string[] = [];
  for (const specifier of specifiers) {
    if (!specifier.startsWith('.')) continue;
    const base = resolve(dirname(file), specifier);
    const target = [base, `${base}.ts`, join(base, 'index.ts')].find(
      (candidate) => candidate.endsWith('.ts') && existsSync(candidate),
    );
    // JSON data and the like are no source files.
    if (target !== undefined) found.push(target);
  }
  return found;
}

const GRAPH = new Map(FILES.map((file) => [file, importsOf(file)]));

/** The strongly connected components of more than one file, or of a file importing itself. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!index.has(to)) {
        connect(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
      if (member === file) break;
    }
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
      found.push(component.map(rel).sort());
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) connect(file);
  return found;
}

/** Compares what offends with its allowlist: new offenders and stale entries both fail. */
function assertExactly(gate: string, offending: string[], allowed: string[]): void {
  const now = new Set(offending);
  const listed = new Set(allowed);
  const added = [...now].filter((entry) => !listed.has(entry)).sort();
  const stale = [...listed].filter((entry) => !now.has(entry)).sort();
  assert.deepEqual(
    { new: added, stale },
    { new: [], stale: [] },
    `${gate}: ${added.map((e) => `new offender ${e}`).join('; ')}` +
      `${added.length && stale.length ? '; ' : ''}` +
      `${stale.map((e) => `stale allowlist entry ${e} (remove it from the list)`).join('; ')}`,
  );
}

test('no import cycle between source files (type-only imports included)', () => {
  assertExactly(
    'import cycles',
    cycles(GRAPH).map((c) => c.join(' ↔ ')),
    CYCLE_ALLOWLIST.map((c) => [...c].sort().join(' ↔ ')),
  );
});

test('the cycle finder finds a cycle through type-only imports', () => {
  const graph = new Map([
    ['/a.ts', ['/b.ts']],
    ['/b.ts', ['/c.ts']],
    ['/c.ts', ['/a.ts']],
    ['/d.ts', ['/a.ts', '/d.ts']],
  ]);
  const found = cycles(graph).map((c) => c.map((f) => f.replace(/^.*\//, '')));
  assert.deepEqual(found.sort(), [['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  // A type-only import is an edge like any other.
  const typeOnly = join(repoRoot, 'server/src/core/engine/analyze.ts');
  assert.ok(importsOf(typeOnly).includes(join(repoRoot, 'server/src/core/types.ts')));
});

/**
 * The core's layers, in order: a folder imports only from folders before it (and itself).
 * rules/ and convert/ share a rank and do not import each other; so do engine/ and stages/.
 */
const LAYERS: Record<string, number> = {
  text: 0,
  model: 1,
  facts: 2,
  edits: 3,
  rules: 4,
  convert: 4,
  engine: 5,
  stages: 5,
};
/** Leaves anyone in the core may import; they import only each other. */
const LEAVES = new Set(['data', 'types.ts', 'version.ts', 'keyed-cache.ts']);
/** The core's public entry: imports any layer, imported by none. */
const ENTRY = 'index.ts';
const CORE = join(repoRoot, 'server/src/core');

/** The first path segment under core/ (a folder, or a file directly in core/). */
const unitOf = (file: string) => relative(CORE, file).split('/')[0];
/** The rule files of rules/: each may import rule.ts and index.ts there, no other rule. */
const isRuleFile = (file: string) =>
  relative(CORE, file).startsWith('rules/') && !/\/(rule|index)\.ts$/.test(file);

function layerOffences(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const offences = new Set<string>();
  for (const [file, imports] of graph) {
    if (relative(CORE, file).startsWith('..')) continue;
    const from = unitOf(file);
    const name = relative(CORE, file);
    if (!LEAVES.has(from) && from !== ENTRY && LAYERS[from] === undefined) {
      offences.add(`${name} -> (in no layer)`);
      continue;
    }
    for (const target of imports) {
      const edge = `${name} -> ${relative(CORE, target)}`;
      if (relative(CORE, target).startsWith('..')) {
        offences.add(edge);
        continue;
      }
      const to = unitOf(target);
      if (to === ENTRY) offences.add(edge);
      else if (LEAVES.has(from)) {
        if (!LEAVES.has(to)) offences.add(edge);
      } else if (LEAVES.has(to) || from === ENTRY) continue;
      else if (LAYERS[to] === undefined)
        continue; // reported as in no layer
      else if (from === to) {
        if (isRuleFile(file) && isRuleFile(target)) offences.add(edge);
      } else if (LAYERS[to] >= LAYERS[from]) offences.add(edge);
    }
  }
  return [...offences];
}

test("the core's folders keep their layers", () => {
  assertExactly('core layering', layerOffences(GRAPH), LAYER_ALLOWLIST);
});

test('the layer check finds what breaks the layers', () => {
  const at = (path: string) => join(CORE, path);
  const graph = new Map([
    [at('model/model.ts'), [at('text/line-index.ts'), at('types.ts'), at('facts/users.ts')]],
    [at('rules/a.ts'), [at('rules/rule.ts'), at('rules/b.ts'), at('convert/index.ts')]],
    [at('stages/x.ts'), [at('engine/engine.ts'), at('data/go-releases.ts')]],
    [at('data/go-releases.ts'), [at('types.ts'), at('model/model.ts')]],
    [at('odd.ts'), [at('types.ts')]],
    [at('index.ts'), [at('stages/x.ts')]],
  ]);
  assert.deepEqual(layerOffences(graph).sort(), [
    'data/go-releases.ts -> model/model.ts',
    'model/model.ts -> facts/users.ts',
    'odd.ts -> (in no layer)',
    'rules/a.ts -> convert/index.ts',
    'rules/a.ts -> rules/b.ts',
    'stages/x.ts -> engine/engine.ts',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Sizes: the limits of eslint.config.mjs, checked without its overrides.

interface SizeConfig {
  SIZE_RULES: Linter.RulesRecord;
  SIZE_ALLOWLIST: { files: string[]; functions: Record<string, string[]> };
}

/** What exceeds the limits: `file` (too long) and `file › Function 'name'` entries. */
function sizeOffences(rules: Linter.RulesRecord): { files: string[]; functions: string[] } {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules,
    },
  ];
  const files: string[] = [];
  const functions: string[] = [];
  for (const file of FILES) {
    const name = rel(file);
    for (const message of linter.verify(readFileSync(file, 'utf8'), config, name)) {
      if (message.ruleId === 'max-lines') files.push(name);
      else if (message.ruleId === 'max-lines-per-function') {
        functions.push(`${name} › ${message.message.replace(/ has too many lines.*$/, '')}`);
      } else assert.fail(`${name}:${message.line}: ${message.message}`);
    }
  }
  return { files, functions };
}

test('no source file over 500 lines, no function over 80 (eslint.config.mjs)', async () => {
  const { SIZE_RULES, SIZE_ALLOWLIST: allowed } = (await import(
    pathToFileURL(join(repoRoot, 'eslint.config.mjs')).href
  )) as SizeConfig;
  assert.deepEqual(Object.keys(SIZE_RULES).sort(), ['max-lines', 'max-lines-per-function']);
  const found = sizeOffences(SIZE_RULES);
  assertExactly('files over 500 lines', found.files, allowed.files);
  // A function entry stands for each function of that description in its file.
  const listed = Object.entries(allowed.functions).flatMap(([file, names]) =>
    names.map((name) => `${file} › ${name}`),
  );
  assertExactly('functions over 80 lines', [...new Set(found.functions)], listed);
});
