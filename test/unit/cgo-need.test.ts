/**
 * The cgo-need fact: why a go command's program needs cgo, from its sources (their build
 * constraints read) or from go.mod, and when that evidence is weak.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../server/src/core';
import { scanGoFile } from '../../server/src/core/model/go-source';
import { parseGoMod } from '../../server/src/core/model/gomod';
import { cgoNeed, cgoNeedOf } from '../../server/src/core/facts/cgo-need';
import type { ProgramSources } from '../../server/src/core/facts/program-sources';
import { testContext } from '../support/context';
import { lines } from '../support/rule-tester';

function sources(files: Record<string, string>, complete = true): ProgramSources {
  return {
    complete,
    files: Object.entries(files).map(([path, text]) => ({
      path,
      imagePath: `/src/${path}`,
      facts: scanGoFile(text),
    })),
  };
}

const importing = (path: string, constraint = '') =>
  `${constraint ? `${constraint}\n\n` : ''}package main\n\nimport _ "${path}"\n`;
const CGO = 'package main\n\nimport "C"\n';
const target = { goos: 'linux', tags: [] };
const goMod = (require: string) => parseGoMod(`module example.com/app\n\nrequire ${require}\n`);

describe('why a program needs cgo', () => {
  test('a cgo-only module imported is firmer than import "C", and both than a weak use', () => {
    const need = cgoNeedOf(
      sources({
        'a.go': importing('github.com/mattn/go-sqlite3', '//go:build cgo'),
        'b.go': CGO,
        'c.go': importing('github.com/h2non/bimg/v2'),
      }),
      [],
      target,
    );
    assert.deepEqual(need, {
      evidence: 'sources',
      module: 'github.com/h2non/bimg',
      file: 'c.go',
      weak: false,
      reason: 'c.go imports github.com/h2non/bimg, which builds only with cgo',
    });
    const importsC = cgoNeedOf(sources({ 'a.go': CGO }), [], target);
    assert.equal(importsC?.reason, 'import "C" in a.go');
    assert.equal(importsC?.weak, false);
  });

  test('only a weak use: it is returned, marked weak (the conversion still keeps cgo)', () => {
    const need = cgoNeedOf(
      sources({ 'a.go': importing('github.com/mattn/go-sqlite3', '//go:build cgo') }),
      [],
      target,
    );
    assert.equal(need?.weak, true);
    assert.equal(need?.module, 'github.com/mattn/go-sqlite3');
  });

  test('files for another system count only when the build targets it', () => {
    const files = sources({ 'main.go': 'package main\n', 'serial_darwin.go': CGO });
    assert.equal(cgoNeedOf(files, [], target), undefined);
    assert.equal(cgoNeedOf(files, [], { goos: 'darwin', tags: [] })?.file, 'serial_darwin.go');
  });

  test('go.mod: a direct requirement before an indirect one; both weak against sources read whole', () => {
    const mods = [
      goMod('github.com/DataDog/zstd v1.5.7 // indirect'),
      goMod('github.com/mattn/go-sqlite3 v1.14.24'),
    ];
    const fromGoMod = cgoNeedOf(undefined, mods, target);
    assert.equal(fromGoMod?.evidence, 'go.mod');
    assert.equal(fromGoMod?.module, 'github.com/mattn/go-sqlite3');
    assert.equal(fromGoMod?.indirect, false);
    assert.equal(fromGoMod?.weak, false);
    assert.equal(cgoNeedOf(undefined, mods.slice(0, 1), target)?.weak, true);
    const readWhole = sources({ 'main.go': 'package main\n' });
    assert.equal(cgoNeedOf(readWhole, mods, target)?.weak, true);
    const readInPart = sources({ 'main.go': 'package main\n' }, false);
    assert.equal(cgoNeedOf(readInPart, mods, target)?.weak, false);
  });

  test("gorm's sqlite driver counts when go.mod lists go-sqlite3", () => {
    const files = sources({ 'db.go': importing('gorm.io/driver/sqlite') });
    assert.equal(cgoNeedOf(files, [], target), undefined);
    const need = cgoNeedOf(
      files,
      [goMod('github.com/mattn/go-sqlite3 v1.14.17 // indirect')],
      target,
    );
    assert.equal(need?.via, 'gorm.io/driver/sqlite');
    assert.equal(need?.module, 'github.com/mattn/go-sqlite3');
    assert.equal(need?.weak, false);
  });

  test('go-sqlite3 behind another package, with a pure Go SQLite driver imported: weak', () => {
    const mods = [goMod('github.com/mattn/go-sqlite3 v1.14.42 // indirect')];
    const migrate = importing('github.com/golang-migrate/migrate/v4/database/sqlite3');
    // The program opens its databases with modernc's driver and hands them to migrate: the
    // go-sqlite3 it links is the stub that builds without cgo.
    const withPure = cgoNeedOf(
      sources({ 'db.go': migrate, 'open.go': importing('modernc.org/sqlite/lib') }),
      mods,
      target,
    );
    assert.equal(withPure?.weak, true);
    assert.match(withPure?.reason ?? '', /opens SQLite with modernc\.org\/sqlite, in pure Go/);
    assert.equal(cgoNeedOf(sources({ 'db.go': migrate }), mods, target)?.weak, false);
    // Imported by name, go-sqlite3 is the driver the program opens: still a need.
    const direct = cgoNeedOf(
      sources({
        'db.go': importing('github.com/mattn/go-sqlite3'),
        'open.go': importing('modernc.org/sqlite'),
      }),
      mods,
      target,
    );
    assert.equal(direct?.weak, false);
  });

  test('per go command: its own packages, not a tool from elsewhere', () => {
    const dockerfile = lines(
      'FROM golang:1.24',
      'WORKDIR /src',
      'COPY . .',
      'RUN go install github.com/pressly/goose/v3/cmd/goose@v3.24.1',
      'RUN go build -o /app ./cmd/api',
      'RUN cd "$DIR" && go build -o /other .',
    );
    const files = {
      'go.mod':
        'module example.com/app\n\ngo 1.24\n\nrequire github.com/mattn/go-sqlite3 v1.14.24\n',
      'cmd/api/main.go': importing('github.com/mattn/go-sqlite3'),
    };
    const model = buildModel(dockerfile, {
      goMod: files['go.mod'],
      context: testContext(undefined, files),
    });
    const [tool, api, unknownDir] = model.stages[0].goCalls;
    assert.equal(cgoNeed(model, tool), undefined);
    assert.equal(cgoNeed(model, api)?.evidence, 'sources');
    assert.equal(cgoNeed(model, api)?.file, 'cmd/api/main.go');
    // Its directory is not known: go.mod decides.
    assert.equal(cgoNeed(model, unknownDir)?.evidence, 'go.mod');
  });
});
