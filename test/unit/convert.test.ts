/**
 * "Convert to multi-stage": golden files for the default runtime, and invariants for every case
 * and every runtime: the output re-parses, its final stage is not a toolchain image and copies the
 * binary from the build stage, nothing of the input is lost, the rules that catch broken images
 * report nothing, an independent validator (dockerfile-utils) finds no error, and converting the
 * output again is refused.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { validate } from 'dockerfile-utils';
import {
  analyze,
  buildModel,
  convertToMultiStage,
  DEFAULT_RUNTIME_IMAGE,
} from '../../server/src/core';
import {
  ALPINE_RUNTIME,
  CONVERT_LAYOUTS,
  type ConvertLayout,
} from '../../server/src/core/fixes/convert';
import { applyEdits } from '../../server/src/core/text/edits';
import { repoRoot } from '../support/paths';

const GOLDEN = join(repoRoot, 'test', 'golden', 'convert');
const RUNTIMES = [DEFAULT_RUNTIME_IMAGE, 'scratch', ALPINE_RUNTIME];
const BREAKING_RULES = new Set([
  'go-toolchain-in-final-stage',
  'copy-from-unknown-stage',
  'shell-form-without-shell',
  'copy-from-missing-artifact',
  'entrypoint-binary-missing',
  'cgo-libc-mismatch',
  'run-without-shell',
]);
// Instructions the conversion may rewrite (the others must reappear word for word).
const REWRITTEN = new Set(['FROM', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'USER', 'RUN']);

function normalized(text: string): string {
  return text
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function instructionsOf(text: string) {
  const model = buildModel(text);
  return model.instructions.map((i) => ({
    keyword: i.getKeyword().toUpperCase(),
    text: normalized(model.index.textOf(i.getRange())),
  }));
}

function commentsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#'));
}

const cases = readdirSync(GOLDEN).filter((name) =>
  existsSync(join(GOLDEN, name, 'input.Dockerfile')),
);

function readCase(name: string) {
  const dir = join(GOLDEN, name);
  const input = readFileSync(join(dir, 'input.Dockerfile'), 'utf8');
  const goModPath = join(dir, 'go.mod');
  const goMod = existsSync(goModPath) ? readFileSync(goModPath, 'utf8') : undefined;
  return { dir, input, goMod };
}

const GOLDEN_FILE: Record<ConvertLayout, string> = {
  'two-stage': 'expected.Dockerfile',
  'dev-build-runtime': 'expected.dev-build-runtime.Dockerfile',
};

describe('conversion golden files', () => {
  for (const name of cases) {
    for (const layout of CONVERT_LAYOUTS) {
      test(`${name} (${layout})`, () => {
        const { dir, input, goMod } = readCase(name);
        const result = convertToMultiStage(buildModel(input, { goMod }), { layout });
        assert.ok(result.ok, result.ok ? '' : result.reason);
        const expectedPath = join(dir, GOLDEN_FILE[layout]);
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(expectedPath, result.text);
        assert.equal(result.text, readFileSync(expectedPath, 'utf8'));
        // The edits offered to editors produce the same text, one replacement per stage.
        assert.equal(applyEdits(input, result.edits), result.text);
        const stagesTouched = new Set(
          result.edits.map((e) =>
            buildModel(input).stages.findIndex(
              (s) => s.from.getRange().start.line === e.range.start.line,
            ),
          ),
        );
        assert.equal(stagesTouched.size, result.edits.length, 'one replacement per stage');
      });
    }
  }
});

describe('conversion invariants', () => {
  for (const name of cases) {
    for (const runtime of RUNTIMES) {
      for (const layout of CONVERT_LAYOUTS) {
        test(`${name} → ${runtime}, ${layout}`, () => {
          const { input, goMod } = readCase(name);
          const result = convertToMultiStage(buildModel(input, { goMod }), {
            runtimeImage: runtime,
            layout,
          });
          if (!result.ok) {
            // Only a runtime that cannot run the program may be refused, and it must say why.
            assert.match(result.reason, /has no shell|needs (glibc|musl)/);
            return;
          }
          const output = result.text;
          const before = buildModel(input, { goMod });
          const after = buildModel(output, { goMod });
          // Re-parses; the final stage is not a toolchain and copies the binary from a Go stage.
          assert.ok(after.stages.length >= before.stages.length);
          const final = after.finalStage!;
          assert.equal(final.facts.goToolchain, false);
          assert.ok(
            final.copies.some(
              (c) => c.from?.target.kind === 'stage' && c.from.target.stage.facts.goToolchain,
            ),
            'the runtime stage copies from a build stage',
          );
          assert.ok(final.fs.goBinaries().length > 0, 'a Go binary reaches the runtime stage');
          // Nothing lost: instructions kept word for word or rewritten in kind; every comment kept.
          const out = instructionsOf(output);
          for (const instruction of instructionsOf(input)) {
            if (REWRITTEN.has(instruction.keyword)) {
              assert.ok(
                out.some((o) => o.keyword === instruction.keyword),
                `${instruction.keyword} kept`,
              );
            } else {
              assert.ok(
                out.some((o) => o.text === instruction.text),
                `kept: ${instruction.text}`,
              );
            }
          }
          for (const comment of commentsOf(input)) {
            assert.ok(output.includes(comment), `comment kept: ${comment}`);
          }
          // Directives stay on top.
          const firstLine = input.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
          if (/^#\s*(syntax|escape)=/.test(firstLine)) {
            assert.ok(output.replace(/^\uFEFF/, '').startsWith(firstLine));
          }
          // Line endings follow the input.
          assert.equal(output.includes('\r\n'), input.includes('\r\n'));
          // No finding of the rules that catch broken images, and no error from dockerfile-utils.
          const findings = analyze(output, { goMod }).filter(
            (d) =>
              BREAKING_RULES.has(d.rule) && (d.severity === 'error' || d.severity === 'warning'),
          );
          assert.deepEqual(
            findings.map((d) => `${d.rule}: ${d.message}`),
            [],
          );
          const errors = validate(output).filter((d) => d.severity === 1);
          assert.deepEqual(
            errors.map((d) => d.message),
            [],
          );
          // Converting the output again offers nothing.
          assert.equal(
            convertToMultiStage(buildModel(output, { goMod }), { runtimeImage: runtime, layout })
              .ok,
            false,
          );
        });
      }
    }
  }
});

describe('conversion refusals', () => {
  const refusals: [string, string, RegExp][] = [
    ['no Go build at all', 'FROM golang:1.24\nRUN apt-get update\n', /builds no Go program/],
    [
      'no start command',
      'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n',
      /no ENTRYPOINT or CMD/,
    ],
    [
      'the start command runs something else',
      'FROM golang:1.24\nCOPY . .\nRUN go build -o /out/app . && go build -o /out/tool ./tool\nCMD ["make", "test"]\n',
      /does not run a binary this Dockerfile builds \(it builds \/out\/app, \/out\/tool\)/,
    ],
    [
      'not a toolchain final stage',
      'FROM alpine:3.20\nCMD ["sh"]\n',
      /not based on a Go toolchain image/,
    ],
    [
      'go run of mounted sources',
      'FROM golang:1.24\nWORKDIR /src\nCMD ["go", "run", "."]\n',
      /sources are not copied/,
    ],
  ];
  for (const [name, text, reason] of refusals) {
    test(name, () => {
      const result = convertToMultiStage(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, reason);
    });
  }

  test('a runtime chosen explicitly that cannot run the start command is refused', () => {
    const text =
      'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN go build -o app .\nCMD ./app --port $PORT\n';
    const result = convertToMultiStage(text, { runtimeImage: 'scratch' });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /expands variables.*scratch has no shell/);
  });
});
