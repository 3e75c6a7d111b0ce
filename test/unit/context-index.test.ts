/**
 * The build context's index is kept with the BuildContext the caller gives: every version of a
 * document analysed with the same listing shares it, and a Go file is scanned again only when its
 * text changed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel, runRules } from '../../server/src/core';
import { contextIndexOf } from '../../server/src/core/model/context-index';
import type { BuildContext } from '../../server/src/core/types';
import { lines } from '../support/rule-tester';

const dockerfile = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM scratch',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
);

function countingContext(texts: Record<string, string>): BuildContext & { reads: string[] } {
  const reads: string[] = [];
  return {
    files: Object.keys(texts),
    readFile: (path) => {
      reads.push(path);
      return texts[path];
    },
    reads,
  };
}

describe('the build context index', () => {
  test('one index per BuildContext, shared by the models of every version', () => {
    const context = countingContext({
      'go.mod': 'module example.com/app\n',
      'main.go': 'package main\n',
    });
    const first = buildModel(dockerfile, { context });
    const second = buildModel(dockerfile + '\n# edited\n', { context });
    assert.ok(first.context);
    assert.equal(first.context, second.context);
    assert.equal(first.context, contextIndexOf(context));
    // Another listing (after a file changed on disk) gets its own index.
    const relisted = countingContext({
      'go.mod': 'module example.com/app\n',
      'main.go': 'package main\n',
    });
    assert.notEqual(buildModel(dockerfile, { context: relisted }).context, first.context);
  });

  test('the files below a folder are listed once per index', () => {
    const index = contextIndexOf(
      countingContext({ 'cmd/app/main.go': '', 'cmd/app/util.go': '', 'web/index.html': '' }),
    );
    const below = index.filesBelow('cmd');
    assert.deepEqual([...below].sort(), ['app/main.go', 'app/util.go']);
    assert.equal(index.filesBelow('cmd'), below);
    assert.deepEqual([...index.filesBelow('')].length, 3);
  });

  test('a Go file is scanned once per text, again when the text differs', () => {
    const index = contextIndexOf(countingContext({ 'main.go': 'package main\n' }));
    const text = 'package main\n\nimport "C"\n';
    const scanned = index.goFile('main.go', text);
    assert.equal(index.goFile('main.go', text), scanned);
    assert.equal(index.goFile('main.go', `${text}`.slice(0)), scanned);
    const changed = index.goFile('main.go', 'package main\n\nimport "fmt"\n');
    assert.notEqual(changed, scanned);
    assert.deepEqual(changed.imports, ['fmt']);
    assert.ok(scanned.imports.includes('C'));
  });

  test('the analysis of a second version gives the same findings from the kept scans', () => {
    const context = countingContext({
      'go.mod':
        'module example.com/app\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n',
      'main.go': 'package main\n\nimport _ "github.com/mattn/go-sqlite3"\n\nfunc main() {}\n',
    });
    const goMod =
      'module example.com/app\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.22\n';
    const first = runRules(buildModel(dockerfile, { context, goMod }));
    const second = runRules(buildModel(dockerfile, { context, goMod }));
    assert.ok(first.some((d) => d.rule === 'cgo-required-but-disabled'));
    assert.deepEqual(second, first);
  });
});
