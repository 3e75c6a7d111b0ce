import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DockerfileParser } from 'dockerfile-ast';
import snippetJson from '../../snippets/go-dockerfile.json';
import { analyze, applyEdits, buildModel } from '../../server/src/core';
import {
  fileTemplates,
  goModImagePin,
  goModImageVersion,
  templateGoVersion,
  templateInsertions,
  templateRange,
  withGoVersion,
  type SnippetFile,
  type TemplateInsertion,
} from '../../server/src/core/stages/templates';
import type { Position } from '../../server/src/core/types';
import { CURRENT_GO, CURRENT_GO_PATCH, OLDEST_SUPPORTED_GO } from '../support/go-versions';
import { expandSnippet } from '../support/snippet-expander';

const TEMPLATES = fileTemplates(snippetJson as SnippetFile);
const DEFAULT_VERSION = templateGoVersion(TEMPLATES[0].body) ?? '';

function at(line: number, character: number): Position {
  return { line, character };
}

/** The document after the user accepts an insertion with every default. */
function accept(text: string, insertion: TemplateInsertion): string {
  return applyEdits(text, [
    { range: insertion.range, newText: expandSnippet(insertion.snippet) },
    ...insertion.additionalEdits,
  ]);
}

describe('templateRange', () => {
  test('is the empty range at the cursor of an empty file', () => {
    assert.deepEqual(templateRange('', at(0, 0)), { start: at(0, 0), end: at(0, 0) });
  });

  test('covers the prefix typed so far, after its indentation', () => {
    assert.deepEqual(templateRange('go-ms', at(0, 5)), { start: at(0, 0), end: at(0, 5) });
    assert.deepEqual(templateRange('  go-', at(0, 5)), { start: at(0, 2), end: at(0, 5) });
  });

  test('allows comments, parser directives and blank lines around the cursor', () => {
    const text = '# syntax=docker/dockerfile:1\n# The API server\n\ngo\n\n# end\n';
    assert.deepEqual(templateRange(text, at(3, 2)), { start: at(3, 0), end: at(3, 2) });
  });

  test('is undefined once the file has an instruction, before or after the cursor', () => {
    assert.equal(templateRange('FROM alpine\n', at(1, 0)), undefined);
    assert.equal(templateRange('\nFROM alpine\n', at(0, 0)), undefined);
    assert.equal(templateRange('# c\nRUN true\n\n', at(2, 0)), undefined);
  });

  test('is undefined inside a line that is more than a prefix', () => {
    assert.equal(templateRange('FROM ', at(0, 5)), undefined);
    assert.equal(templateRange('go-ms rest', at(0, 5)), undefined);
    assert.equal(templateRange('# comment', at(0, 9)), undefined);
  });

  test('is undefined where an escape directive changes the line continuation', () => {
    assert.equal(templateRange('# escape=`\n', at(1, 0)), undefined);
    assert.deepEqual(templateRange('# escape=\\\n', at(1, 0)), { start: at(1, 0), end: at(1, 0) });
  });

  test('is undefined past the end of the document', () => {
    assert.equal(templateRange('', at(3, 0)), undefined);
  });
});

describe('goModImageVersion', () => {
  // The shipped release data decides which lines are supported: the tests take their versions
  // from it (CURRENT_GO is the newest line, OLDEST_SUPPORTED_GO the other supported one).
  const [major, minor] = CURRENT_GO.split('.').map(Number);
  const next = `${major}.${minor + 1}`;

  test("takes the minor release of go.mod's go line, whose tag follows the patch releases", () => {
    assert.equal(goModImageVersion(`module a\n\ngo ${CURRENT_GO}.3\n`), CURRENT_GO);
    assert.equal(goModImageVersion(`module a\n\ngo ${CURRENT_GO}.0\n`), CURRENT_GO);
    assert.equal(
      goModImageVersion(`module a\ngo ${OLDEST_SUPPORTED_GO} // language\n`),
      OLDEST_SUPPORTED_GO,
    );
    assert.equal(goModImageVersion(`module a\ngo ${next}rc1\n`), `${next}rc1`);
  });

  test('takes a newer toolchain line over the go line', () => {
    const toolchain = `module a\ngo ${OLDEST_SUPPORTED_GO}\ntoolchain go${CURRENT_GO}.2\n`;
    assert.equal(goModImageVersion(toolchain), CURRENT_GO);
    assert.equal(
      goModImageVersion(`module a\ngo ${CURRENT_GO}.1\ntoolchain go${CURRENT_GO}.0\n`),
      CURRENT_GO,
    );
    assert.equal(
      goModImageVersion(`module a\ngo ${CURRENT_GO}.1\ntoolchain go${next}rc1\n`),
      `${next}rc1`,
    );
  });

  test('is undefined without go.mod or without a usable version', () => {
    assert.equal(goModImageVersion(undefined), undefined);
    assert.equal(goModImageVersion('module a\n'), undefined);
    assert.equal(goModImageVersion('module a\ngo latest\n'), undefined);
    assert.equal(goModImageVersion(`module a\ngo ${CURRENT_GO}\ntoolchain default\n`), CURRENT_GO);
  });

  test('takes the oldest supported release when go.mod names one out of support', () => {
    // golang-image-outdated reports an image of an unsupported Go, and a newer Go builds the module.
    assert.deepEqual(goModImagePin('module a\n\ngo 1.21.4\n'), {
      pin: OLDEST_SUPPORTED_GO,
      raisedFrom: '1.21',
    });
    assert.deepEqual(goModImagePin('module a\ngo 1.20\ntoolchain go1.22.1\n'), {
      pin: OLDEST_SUPPORTED_GO,
      raisedFrom: '1.22',
    });
    assert.deepEqual(goModImagePin(`module a\ngo ${CURRENT_GO}.1\n`), { pin: CURRENT_GO });
  });
});

describe('withGoVersion', () => {
  test('changes only the default of the GO_VERSION placeholder', () => {
    const body = ['ARG GO_VERSION=${1:1.26}', 'FROM golang:\\${GO_VERSION} AS ${2:build}'];
    assert.equal(
      withGoVersion(body, '1.24.3'),
      'ARG GO_VERSION=${1:1.24.3}\nFROM golang:\\${GO_VERSION} AS ${2:build}',
    );
  });
});

describe('templateInsertions', () => {
  test('offers every whole-file template in an empty file, with the default version', () => {
    const insertions = templateInsertions('', at(0, 0), TEMPLATES);
    assert.deepEqual(
      insertions.map((i) => i.prefix),
      ['go-ms-distroless', 'go-ms-scratch', 'go-ms-alpine', 'go-ms-cgo', 'go-ms-dev'],
    );
    for (const insertion of insertions) {
      assert.equal(insertion.goVersion, DEFAULT_VERSION);
      assert.equal(insertion.fromGoMod, false);
      assert.ok(insertion.description.length > 0);
      assert.ok(insertion.snippet.startsWith('# syntax=docker/dockerfile:1\n'));
      assert.deepEqual(insertion.additionalEdits, []);
    }
  });

  test('takes the Go version from go.mod, and the result builds that module cleanly', () => {
    // A release the shipped Go release data supports, at its newest patch.
    const version = CURRENT_GO_PATCH;
    const goMod = `module example.com/shop\n\ngo ${version}\n`;
    const insertions = templateInsertions('go-ms', at(0, 5), TEMPLATES, goMod);
    assert.equal(insertions.length, TEMPLATES.length);
    for (const insertion of insertions) {
      // The minor release of the go line, whose tag follows the patch releases.
      const minor = version.split('.').slice(0, 2).join('.');
      assert.equal(insertion.goVersion, minor);
      assert.equal(insertion.fromGoMod, true);
      assert.equal(insertion.raisedFrom, undefined);
      assert.ok(insertion.snippet.split('\n').includes(`ARG GO_VERSION=\${1:${minor}}`));
      const text = accept('go-ms', insertion);
      const golang = buildModel(text, { goMod }).stages.filter((s) => s.facts.goToolchain);
      assert.ok(golang.length > 0);
      for (const stage of golang.filter((s) => !s.parent)) assert.equal(stage.base?.tag, minor);
      assert.deepEqual(
        analyze(text, { goMod })
          .filter((d) => d.severity === 'error' || d.severity === 'warning')
          .map((d) => d.rule),
        [],
      );
    }
  });

  test('pins the oldest supported Go for a go.mod whose release is out of support', () => {
    const goMod = 'module example.com/shop\n\ngo 1.21.4\n';
    const insertions = templateInsertions('go-ms', at(0, 5), TEMPLATES, goMod);
    assert.equal(insertions.length, TEMPLATES.length);
    for (const insertion of insertions) {
      assert.equal(insertion.goVersion, OLDEST_SUPPORTED_GO);
      assert.equal(insertion.raisedFrom, '1.21');
      const text = accept('go-ms', insertion);
      // Without the raise, golang-image-outdated would report the inserted image at once.
      assert.deepEqual(
        analyze(text, { goMod })
          .filter((d) => d.severity === 'error' || d.severity === 'warning')
          .map((d) => d.rule),
        [],
      );
    }
  });

  test('offers nothing in a file that has instructions', () => {
    assert.deepEqual(templateInsertions('FROM golang:1.24\n', at(1, 0), TEMPLATES), []);
    assert.deepEqual(templateInsertions('go-ms\nFROM scratch\n', at(0, 5), TEMPLATES), []);
  });

  test('leaves out the syntax line when the file already has the directive', () => {
    const text = '# syntax=docker/dockerfile:1\n';
    for (const insertion of templateInsertions(text, at(1, 0), TEMPLATES)) {
      assert.ok(insertion.snippet.startsWith('ARG GO_VERSION='), insertion.prefix);
      assert.deepEqual(insertion.additionalEdits, []);
      const result = accept(text, insertion);
      assert.equal(result.match(/# syntax=/g)?.length, 1);
    }
  });

  test('keeps the syntax line in a block of parser directives', () => {
    const text = '# escape=\\\n';
    const [insertion] = templateInsertions(text, at(1, 0), TEMPLATES);
    assert.ok(insertion.snippet.startsWith('# syntax=docker/dockerfile:1\n'));
    const directives = DockerfileParser.parse(accept(text, insertion)).getDirectives();
    assert.deepEqual(
      directives.map((d) => d.getName()),
      ['escape', 'syntax'],
    );
  });

  test('moves the syntax line to the top below a comment, where it would not count', () => {
    const text = '# Image of the billing service.\n\ngo-ms-s';
    const [insertion] = templateInsertions(text, at(2, 7), TEMPLATES);
    assert.ok(insertion.snippet.startsWith('ARG GO_VERSION='));
    assert.deepEqual(insertion.additionalEdits, [
      { range: { start: at(0, 0), end: at(0, 0) }, newText: '# syntax=docker/dockerfile:1\n' },
    ]);
    const result = accept(text, insertion);
    assert.ok(result.startsWith('# syntax=docker/dockerfile:1\n# Image of the billing service.\n'));
    assert.deepEqual(
      DockerfileParser.parse(result)
        .getDirectives()
        .map((d) => d.getName()),
      ['syntax'],
    );
  });

  test('keeps the line endings of a CRLF document', () => {
    const [insertion] = templateInsertions('# x\r\n\r\n', at(1, 0), TEMPLATES);
    assert.ok(!/[^\r]\n/.test(insertion.snippet), 'every newline is CRLF');
    assert.equal(insertion.additionalEdits[0].newText, '# syntax=docker/dockerfile:1\r\n');
  });
});
