// Which stages ship, from the builds a project declares and the targets named explicitly, and
// how the rules follow: the shipped-image rules check every shipped stage, unreachable-stage
// counts targets and exports as used, hardcoded-goarch follows the declared platforms, build args
// set ARG values.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, buildModel, convertToMultiStage } from '../../server/src/core';
import { shippedStages } from '../../server/src/core/facts/builds';
import type { AnalyzeOptions, ProjectBuild } from '../../server/src/core/types';
import { lines } from '../support/rule-tester';

const TARGETED = lines(
  'FROM golang:1.27 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM scratch AS binary',
  'COPY --from=build /out/app /app',
  'FROM gcr.io/distroless/static-debian13:nonroot AS production',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
  'FROM golang:1.27 AS dev',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

function build(
  label: string,
  fields: Partial<Omit<ProjectBuild, 'source'>> = {},
  file = 'compose.yaml',
): ProjectBuild {
  return { source: { kind: 'compose', file, line: 4, label }, output: 'image', ...fields };
}

/** Rule and line of each finding, for the rules a test is about. */
function findings(text: string, options: AnalyzeOptions, rules: string[]): string[] {
  return analyze(text, options)
    .filter((d) => rules.includes(d.rule))
    .map((d) => `${d.rule}:${d.range.start.line + 1}`);
}

const SHIPPED_RULES = ['go-toolchain-in-final-stage', 'unreachable-stage'];

describe('the stages that ship', () => {
  test('with nothing declared, the last stage ships, as before', () => {
    assert.deepEqual(
      shippedStages(buildModel(TARGETED)).map((s) => [s.stage.name, s.reason]),
      [['dev', 'default']],
    );
    assert.deepEqual(findings(TARGETED, {}, SHIPPED_RULES), [
      'unreachable-stage:5',
      'unreachable-stage:7',
      'go-toolchain-in-final-stage:10',
    ]);
  });

  test('a compose target ships; the dev stage after it does not; no toolchain warning', () => {
    const options = { builds: [build('service api', { target: 'production' })] };
    assert.deepEqual(
      shippedStages(buildModel(TARGETED, options)).map((s) => s.stage.name),
      ['production'],
    );
    assert.deepEqual(findings(TARGETED, options, SHIPPED_RULES), ['unreachable-stage:5']);
  });

  test('an export target is used, not shipped; the last stage ships only when built', () => {
    const exported = build('target binaries', { target: 'binary', output: 'export' }, 'Makefile');
    assert.deepEqual(findings(TARGETED, { builds: [exported] }, SHIPPED_RULES), [
      'unreachable-stage:7',
    ]);
    assert.deepEqual(shippedStages(buildModel(TARGETED, { builds: [exported] })), []);
    const plain = build('docker build', {}, 'build.sh');
    assert.deepEqual(findings(TARGETED, { builds: [exported, plain] }, SHIPPED_RULES), [
      'unreachable-stage:7',
      'go-toolchain-in-final-stage:10',
    ]);
  });

  test('a target left to a variable: any stage may be built, the last one is still checked', () => {
    const unknown = build('docker build', { target: null }, 'Makefile');
    assert.deepEqual(findings(TARGETED, { builds: [unknown] }, SHIPPED_RULES), [
      'go-toolchain-in-final-stage:10',
    ]);
  });

  test('explicit targets win over the builds; a finding names the image it comes from', () => {
    const options: AnalyzeOptions = {
      builds: [build('service api', { target: 'production' })],
      targets: { names: ['production', 'dev', 'missing'], source: 'goMultistage.targets' },
    };
    const found = analyze(TARGETED, options).filter(
      (d) => d.rule === 'go-toolchain-in-final-stage',
    );
    assert.equal(found.length, 1);
    assert.match(found[0].message, /\(In the image of dev, a target named explicitly\.\)$/);
    // A name no stage has is passed over; none at all: the builds decide.
    const none = { ...options, targets: { names: ['missing'], source: '--target' } };
    assert.deepEqual(
      shippedStages(buildModel(TARGETED, none)).map((s) => [s.stage.name, s.reason]),
      [['production', 'build']],
    );
  });

  test('several shipped images: the same finding is made once, naming both', () => {
    const text = lines(
      'FROM golang:1.27 AS build',
      'RUN CGO_ENABLED=0 go build -o /out/app .',
      'FROM alpine:3.24 AS api',
      'COPY --from=build /out/app /app',
      'ENTRYPOINT ["/app"]',
      'FROM alpine:3.24 AS worker',
      'COPY --from=build /out/app /app',
      'ENTRYPOINT ["/app", "work"]',
    );
    const options = {
      builds: [
        build('service api', { target: 'api' }),
        build('service worker', { target: 'worker' }),
      ],
    };
    const root = analyze(text, options).filter((d) => d.rule === 'final-stage-runs-as-root');
    assert.deepEqual(
      root.map((d) => [d.range.start.line + 1, d.message.replace(/^.*\(In /, '(In ')]),
      [
        [3, '(In the image of api, built by service api in compose.yaml:5.)'],
        [6, '(In the image of worker, built by service worker in compose.yaml:5.)'],
      ],
    );
  });

  test('Convert to multi-stage is not offered for a target before the end of the file', () => {
    const text = lines(
      'FROM golang:1.27 AS app',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /app .',
      'CMD ["/app"]',
      'FROM alpine:3.24 AS tools',
      'RUN apk add curl',
    );
    const found = analyze(text, { builds: [build('service api', { target: 'app' })] }).find(
      (d) => d.rule === 'go-toolchain-in-final-stage',
    );
    assert.ok(found);
    assert.deepEqual(found.fixes, []);
    assert.match(found.detail ?? '', /not offered: the image checked is the build target app/);
    assert.equal(convertToMultiStage(buildModel(text)).ok, false);
  });
});

describe('declared platforms and build args', () => {
  const PINNED = lines(
    'FROM golang:1.27 AS build',
    'RUN CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -o /out/app .',
    'FROM scratch',
    'COPY --from=build /out/app /app',
    'ENTRYPOINT ["/app"]',
  );

  test('hardcoded-goarch: a multi-platform build reports, a matching single platform does not', () => {
    const rule = ['hardcoded-goarch'];
    assert.deepEqual(findings(PINNED, {}, rule), []);
    const multi = { builds: [build('service api', { platforms: ['linux/amd64', 'linux/arm64'] })] };
    const found = analyze(PINNED, multi).filter((d) => d.rule === 'hardcoded-goarch');
    assert.equal(found.length, 1);
    assert.match(
      found[0].detail ?? '',
      /service api in compose\.yaml:5 builds it for linux\/amd64, linux\/arm64/,
    );
    const amd64 = { builds: [build('service api', { platforms: ['linux/amd64'] })] };
    assert.deepEqual(findings(PINNED, amd64, rule), []);
    const arm64 = { builds: [build('service api', { platforms: ['linux/arm64'] })] };
    assert.deepEqual(findings(PINNED, arm64, rule), ['hardcoded-goarch:2']);
    // Builds for different single platforms are several platforms too.
    const both = {
      builds: [
        build('service a', { platforms: ['linux/amd64'] }),
        build('service b', { platforms: ['linux/arm64'] }),
      ],
    };
    assert.deepEqual(findings(PINNED, both, rule), ['hardcoded-goarch:2']);
  });

  test('build args set ARG values when every build agrees, else the value is unknown', () => {
    const text = lines(
      'ARG GO_VERSION=1.20',
      'FROM golang:${GO_VERSION}',
      'ARG MODE',
      'RUN echo $MODE',
    );
    const base = (options: AnalyzeOptions) => buildModel(text, options).stages[0].base?.text;
    assert.equal(base({}), 'golang:1.20');
    const set = (value: string | null) =>
      build('service api', { args: [{ name: 'GO_VERSION', value }] });
    assert.equal(base({ builds: [set('1.27')] }), 'golang:1.27');
    assert.equal(base({ builds: [set('1.27'), set('1.27')] }), 'golang:1.27');
    assert.equal(base({ builds: [set('1.27'), set('1.26')] }), undefined);
    assert.equal(base({ builds: [set(null)] }), undefined);
    // A build that does not set it keeps the default: different from 1.27, so unknown.
    assert.equal(base({ builds: [set('1.27'), build('service b')] }), undefined);
    assert.equal(base({ builds: [set('1.20'), build('service b')] }), 'golang:1.20');
    const mode = buildModel(text, {
      builds: [build('a', { args: [{ name: 'MODE', value: 'release' }] })],
    });
    assert.equal(mode.stages[0].scopeAtEnd.get('MODE'), 'release');
  });
});
