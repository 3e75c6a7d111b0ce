// What the automatic TARGET* ARGs hold in the builds a project declares (stages/platform-values.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../../server/src/core';
import type { ProjectBuild } from '../../../server/src/core/types';
import {
  declaredTargetValues,
  normalizePlatform,
} from '../../../server/src/core/stages/platform-values';

const TEXT = 'FROM golang:1.24\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build .\n';

function build(platforms: ProjectBuild['platforms'], label = 'service api'): ProjectBuild {
  return {
    source: { kind: 'compose', file: 'compose.yaml', line: 2, label },
    platforms,
    output: 'image',
  };
}

describe('platform values', () => {
  test('normalizes platforms as BuildKit does', () => {
    const shown = (text: string) => {
      const p = normalizePlatform(text);
      return p && [p.os, p.arch, p.variant].join('/');
    };
    assert.equal(shown('linux/amd64'), 'linux/amd64/');
    assert.equal(shown('linux/arm64/v8'), 'linux/arm64/');
    assert.equal(shown('linux/arm'), 'linux/arm/v7');
    assert.equal(shown('linux/arm/v6'), 'linux/arm/v6');
    assert.equal(shown('Linux/x86_64'), 'linux/amd64/');
    assert.equal(shown('linux/aarch64'), 'linux/arm64/');
    assert.equal(shown('linux/amd64/v3'), 'linux/amd64/v3');
    assert.equal(shown('${PLATFORM}'), undefined);
    assert.equal(shown('linux'), undefined);
  });

  test('gives the values per declared platform, or says the builds name none', () => {
    const values = (builds: ProjectBuild[], name = 'TARGETARCH') =>
      declaredTargetValues(buildModel(TEXT, { builds }), name);
    assert.equal(values([]), undefined);
    assert.equal(values([build(['linux/amd64'])], 'BUILDARCH'), undefined);
    assert.equal(
      values([build(['linux/amd64', 'linux/arm64'])]),
      'In the declared builds: `amd64` (linux/amd64) or `arm64` (linux/arm64), from the platforms of service api in compose.yaml:3.',
    );
    assert.equal(
      values([build(['linux/amd64', 'linux/arm/v7'])], 'TARGETPLATFORM'),
      'In the declared builds: `linux/amd64` (linux/amd64) or `linux/arm/v7` (linux/arm/v7), from the platforms of service api in compose.yaml:3.',
    );
    assert.match(
      values([build(['linux/amd64']), build(undefined, 'service worker')]) ?? '',
      /`amd64` \(linux\/amd64\), from the platforms of service api in compose\.yaml:3; the builder's own platform in the builds that name none\.$/,
    );
    assert.match(values([build(undefined)]) ?? '', /name no platform: the builder's own/);
    // A platform left to a variable: nothing is said.
    assert.equal(values([build(null)]), undefined);
    assert.equal(values([build(['$PLATFORM'])]), undefined);
  });
});
