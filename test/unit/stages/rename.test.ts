import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import {
  prepareStageRename,
  renameStage,
  STAGE_NAME,
  stageNameProblem,
} from '../../../server/src/core/stages/rename';
import { applyEdits } from '../../../server/src/core/text/edits';
import { lines } from '../../support/rule-tester';
import { positionOf, textAt } from './positions';

function renamed(text: string, needle: string, newName: string, nth = 0): string {
  const result = renameStage(buildModel(text), positionOf(text, needle, nth, 1), newName);
  assert.ok(result, 'a stage at the position');
  assert.ok(result.ok, result.ok ? '' : result.reason);
  return applyEdits(text, result.edits);
}

function refused(text: string, needle: string, newName: string, nth = 0): string {
  const result = renameStage(buildModel(text), positionOf(text, needle, nth, 1), newName);
  assert.ok(result && !result.ok, 'refused');
  return result.reason;
}

const MULTI = lines(
  'FROM golang:1.24 AS Build',
  'RUN go build -o /out/app .',
  'FROM build AS test',
  'RUN --mount=type=bind,from=BUILD,target=/src go test ./...',
  'FROM alpine',
  'COPY --from=build /out/app /app',
  'COPY --from=0 /out/app /app2',
);

describe('renaming a stage', () => {
  test('rewrites the declaration and every reference by name to the name as typed', () => {
    assert.equal(
      renamed(MULTI, 'Build', 'compile'),
      lines(
        'FROM golang:1.24 AS compile',
        'RUN go build -o /out/app .',
        'FROM compile AS test',
        'RUN --mount=type=bind,from=compile,target=/src go test ./...',
        'FROM alpine',
        'COPY --from=compile /out/app /app',
        'COPY --from=0 /out/app /app2',
      ),
    );
  });

  test('works the same from a reference', () => {
    assert.equal(renamed(MULTI, 'BUILD', 'compile'), renamed(MULTI, 'Build', 'compile'));
  });

  test('a change of case only is a rename', () => {
    assert.match(renamed(MULTI, 'Build', 'build'), /^FROM golang:1\.24 AS build$/m);
  });

  test('from an index, names what it points at and rewrites the indexes too', () => {
    assert.equal(
      renamed(MULTI, '=0', 'compile'),
      lines(
        'FROM golang:1.24 AS compile',
        'RUN go build -o /out/app .',
        'FROM compile AS test',
        'RUN --mount=type=bind,from=compile,target=/src go test ./...',
        'FROM alpine',
        'COPY --from=compile /out/app /app',
        'COPY --from=compile /out/app /app2',
      ),
    );
  });

  test('from an index of an unnamed stage, adds AS <name> in the FROM keyword case', () => {
    const text = lines(
      'from golang:1.24',
      'run go build -o /app .',
      'from scratch',
      'copy --from=0 /app /app',
    );
    const position = positionOf(text, '=0', 0, 1);
    assert.deepEqual(prepareStageRename(buildModel(text), position), {
      ok: true,
      range: { start: { line: 3, character: 12 }, end: { line: 3, character: 13 } },
      placeholder: 'stage0',
    });
    assert.equal(
      renamed(text, '=0', 'build'),
      lines(
        'from golang:1.24 as build',
        'run go build -o /app .',
        'from scratch',
        'copy --from=build /app /app',
      ),
    );
  });

  test('prepare: the name or reference under the cursor, with the stage name as placeholder', () => {
    const model = buildModel(MULTI);
    const result = prepareStageRename(model, positionOf(MULTI, 'from=BUILD', 0, 6));
    assert.ok(result?.ok);
    assert.equal(textAt(MULTI, result.range), 'BUILD');
    assert.equal(result.placeholder, 'Build');
    assert.equal(prepareStageRename(model, positionOf(MULTI, 'golang')), undefined);
    assert.equal(prepareStageRename(model, positionOf(MULTI, 'alpine')), undefined);
  });

  test('refuses invalid names, reserved names and names of other stages', () => {
    assert.match(refused(MULTI, 'Build', '1build'), /not a valid stage name/);
    assert.match(refused(MULTI, 'Build', 'my build'), /not a valid stage name/);
    assert.match(refused(MULTI, 'Build', 'build:1'), /not a valid stage name/);
    assert.match(refused(MULTI, 'Build', ''), /cannot be empty/);
    assert.match(refused(MULTI, 'Build', 'scratch'), /reserved/);
    assert.match(refused(MULTI, 'Build', 'Context'), /reserved/);
    assert.match(refused(MULTI, 'Build', 'TEST'), /Stage 1 on line 3 is already named test/);
  });

  test('refuses a name that would capture a reference to an image', () => {
    const text = lines(
      'FROM golang:1.24 AS build',
      'FROM alpine',
      'COPY --from=build /a /a',
      'FROM busybox AS tools',
      'FROM debian',
      'COPY --from=busybox /bin/busybox /busybox',
    );
    assert.match(refused(text, 'build', 'alpine'), /FROM alpine.*line 2.*image alpine/);
    assert.match(refused(text, 'tools', 'busybox'), /COPY --from=busybox.*line 6/);
    assert.match(refused(text, 'tools', 'debian'), /FROM debian.*line 5/);
    // A FROM before the stage does not see it.
    assert.match(renamed(text, 'tools', 'alpine'), /^FROM busybox AS alpine$/m);
  });

  test('refuses when a reference goes through a variable', () => {
    const text = lines(
      'FROM golang:1.24 AS build',
      'FROM alpine',
      'ARG SRC=build',
      'COPY --from=$SRC /a /a',
    );
    const reason = refused(text, 'build', 'compile');
    assert.match(reason, /through a variable in `COPY --from=\$SRC \/a \/a` \(line 4\)/);
    assert.equal(prepareStageRename(buildModel(text), positionOf(text, 'build', 0, 1))?.ok, false);
  });

  test('nothing to rename outside stage names; half-typed FROM cannot take a name', () => {
    assert.equal(renameStage(buildModel(MULTI), positionOf(MULTI, 'RUN'), 'x'), undefined);
    const text = lines('FROM golang:1.24 AS', 'FROM alpine', 'COPY --from=0 /a /a');
    assert.match(refused(text, '=0', 'build'), /cannot take a name/);
  });

  test('CRLF documents keep their line ends', () => {
    const text = MULTI.replace(/\n/g, '\r\n');
    assert.equal(
      renamed(text, 'Build', 'compile'),
      renamed(MULTI, 'Build', 'compile').replace(/\n/g, '\r\n'),
    );
  });

  test('the name rule is BuildKit’s, case-insensitive', () => {
    for (const ok of ['build', 'Build', 'b', 'go-build_1.24', 'a.b'])
      assert.ok(STAGE_NAME.test(ok), ok);
    for (const bad of ['', '0', '1a', '-a', '_a', '.a', 'a b', 'a/b', 'a:b', 'a$b', 'é']) {
      assert.ok(!STAGE_NAME.test(bad), bad);
    }
    const model = buildModel(MULTI);
    assert.equal(stageNameProblem(model, model.stages[0], 'compile'), undefined);
  });
});
