/**
 * Go's build constraints as the analysis evaluates them (three-valued: what the build does not
 * settle is unknown), and the constraint the scanner reads from a file.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  evaluateConstraint,
  fileInBuild,
  matchFileName,
  plusBuildExpression,
  type BuildTags,
} from '../../server/src/core/model/go-build-constraint';
import { scanGoFile } from '../../server/src/core/model/go-source';

const linux: BuildTags = { goos: 'linux', cgo: true, tags: [] };

describe('build constraints', () => {
  test('operators, precedence and parentheses', () => {
    assert.equal(evaluateConstraint('linux && cgo', linux), true);
    assert.equal(evaluateConstraint('linux && !cgo', linux), false);
    assert.equal(evaluateConstraint('darwin || linux && cgo', linux), true);
    assert.equal(evaluateConstraint('(darwin || linux) && !cgo', linux), false);
    assert.equal(evaluateConstraint('!(windows || plan9)', linux), true);
  });

  test('systems: unix stands for linux, android and ios are systems of their own', () => {
    assert.equal(evaluateConstraint('unix', linux), true);
    assert.equal(evaluateConstraint('android', linux), false);
    assert.equal(evaluateConstraint('linux', { ...linux, goos: 'android' }), true);
    assert.equal(evaluateConstraint('unix', { ...linux, goos: 'windows' }), false);
  });

  test('an architecture the build does not name is unknown, and so is what hangs on it', () => {
    assert.equal(evaluateConstraint('arm64', linux), undefined);
    assert.equal(evaluateConstraint('linux && arm64', linux), undefined);
    assert.equal(evaluateConstraint('windows && arm64', linux), false);
    assert.equal(evaluateConstraint('linux || arm64', linux), true);
    assert.equal(evaluateConstraint('arm64', { ...linux, goarch: 'amd64' }), false);
  });

  test('tags: -tags values, unknown when the tags are, release tags and gccgo', () => {
    assert.equal(evaluateConstraint('sqlite', linux), false);
    assert.equal(evaluateConstraint('sqlite', { ...linux, tags: ['sqlite'] }), true);
    assert.equal(evaluateConstraint('sqlite', { ...linux, tags: undefined }), undefined);
    assert.equal(evaluateConstraint('go1.18 && gc && !gccgo', linux), true);
  });

  test('malformed expressions are unknown, never thrown on', () => {
    for (const text of ['linux &&', '(linux', 'linux)', '', 'linux cgo', '&& !', 'a-b']) {
      assert.equal(evaluateConstraint(text, linux), undefined, text);
    }
  });

  test('+build lines: spaces are alternatives, commas conjunctions, lines all hold', () => {
    const expression = plusBuildExpression([' linux,cgo darwin', ' !windows']);
    assert.equal(evaluateConstraint(expression, linux), true);
    assert.equal(evaluateConstraint(expression, { ...linux, cgo: false }), false);
    assert.equal(evaluateConstraint(expression, { ...linux, goos: 'darwin', cgo: false }), true);
  });

  test('file names: the suffix after the first underscore, as go/build reads it', () => {
    assert.equal(matchFileName('linux.go', { ...linux, goos: 'darwin' }), true);
    assert.equal(matchFileName('pkg/serial_darwin.go', linux), false);
    assert.equal(matchFileName('net_linux.go', linux), true);
    assert.equal(matchFileName('simd_linux_arm64.go', linux), undefined);
    assert.equal(matchFileName('simd_darwin_arm64.go', linux), false);
    assert.equal(matchFileName('simd_amd64.go', { ...linux, goarch: 'amd64' }), true);
    assert.equal(matchFileName('my_file.go', linux), true);
    assert.equal(fileInBuild('x_linux.go', 'ignore', linux), false);
  });

  test('the scanner keeps the constraint above the package clause, //go:build over +build', () => {
    assert.equal(
      scanGoFile('//go:build linux && cgo\n// +build linux,cgo\n\npackage p\n').buildConstraint,
      'linux && cgo',
    );
    assert.equal(
      scanGoFile('// +build linux,cgo\n// +build !386\n\npackage p\n').buildConstraint,
      '(linux && cgo) && (!386)',
    );
    assert.equal(scanGoFile('package p\n\n//go:build windows\n').buildConstraint, undefined);
    assert.equal(scanGoFile('/* go:build windows */\npackage p\n').buildConstraint, undefined);
  });
});
