// Windows stages: which stages build on Windows, and the rules built on BuildKit mounts, Linux
// paths, shells and numeric users that stay silent there (while a Linux stage cross-compiling
// for Windows is still reported).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, buildModel } from '../../server/src/core';
import { convertToMultiStage } from '../../server/src/core/convert';
import { isWindowsImageText, isWindowsStage } from '../../server/src/core/facts/windows';
import type { ProjectBuild } from '../../server/src/core/types';
import { lines } from '../support/rule-tester';

const goMod = 'module example.com/app\n\ngo 1.26\n\nrequire golang.org/x/sync v0.10.0\n';

function windowsOf(text: string, builds?: ProjectBuild[]): boolean[] {
  const model = buildModel(text, { builds });
  return model.stages.map((stage) => isWindowsStage(model, stage));
}

function rulesOf(text: string): string[] {
  return analyze(text, { goMod }).map((d) => `${d.rule}:${d.range.start.line + 1}`);
}

describe('isWindowsImageText', () => {
  test('Windows images by repository or tag', () => {
    for (const image of [
      'mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'mcr.microsoft.com/windows/servercore:ltsc2019',
      'mcr.microsoft.com/windows/nanoserver:${OSVERSION}',
      'mcr.microsoft.com/windows:1809',
      'golang:1.26-windowsservercore-ltsc2022',
      'golang:1.26-nanoserver',
      'mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0',
      'mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022',
      'microsoft/nanoserver',
    ]) {
      assert.ok(isWindowsImageText(image), image);
    }
  });
  test('Linux and multi-system images are not', () => {
    for (const image of [
      'golang:1.26',
      'golang:1.26-alpine',
      'alpine:3.22',
      'gcr.io/distroless/static-debian13',
      'mcr.microsoft.com/devcontainers/go:1.26',
      'gcr.io/k8s-staging-e2e-test-images/windows-servercore-cache:1.0-linux-amd64-1809',
      'example.com/windows-tools:1',
    ]) {
      assert.ok(!isWindowsImageText(image), image);
    }
  });
});

describe('isWindowsStage', () => {
  test('a literal windows platform, a Windows golang tag, a stage built on one', () => {
    assert.deepEqual(
      windowsOf(
        lines(
          'FROM --platform=windows/amd64 golang:1.26 AS a',
          'FROM golang:1.26-windowsservercore-ltsc2022 AS b',
          'FROM b AS c',
          'FROM --platform=linux/amd64 golang:1.26 AS d',
        ),
      ),
      [true, true, true, false],
    );
  });

  test('a multi-system golang builder takes the Windows target of the final image', () => {
    assert.deepEqual(
      windowsOf(
        lines(
          'FROM golang:1.26 AS build',
          'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
          'COPY --from=build /app.exe /app.exe',
        ),
      ),
      [true, true],
    );
  });

  test('a stage whose platform is spelt from the target ARGs takes the Windows target', () => {
    for (const platform of ['${TARGETOS}/${TARGETARCH}', '$TARGETOS/$TARGETARCH/$TARGETVARIANT']) {
      assert.deepEqual(
        windowsOf(
          lines(
            `FROM --platform=${platform} golang:1.26 AS build`,
            'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
            'COPY --from=build /app.exe /app.exe',
          ),
        ),
        [true, true],
        platform,
      );
    }
    // The build machine's parts stay the build machine, taken as Linux.
    assert.deepEqual(
      windowsOf(
        lines(
          'FROM --platform=${BUILDOS}/${BUILDARCH} golang:1.26 AS build',
          'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
          'COPY --from=build /app.exe /app.exe',
        ),
      ),
      [false, true],
    );
  });

  test('a native go build of a .exe on a multi-system base shows a Windows target', () => {
    const file = (build: string) =>
      lines(
        'ARG BASEIMAGE',
        'FROM golang:1.26 AS build',
        build,
        'FROM $BASEIMAGE',
        'COPY --from=build /out/app.exe /app.exe',
      );
    assert.deepEqual(windowsOf(file('RUN go build -o /out/app.exe .')), [true, true]);
    // With GOOS set, the .exe is cross-compiled: nothing says where the stage runs.
    assert.deepEqual(windowsOf(file('RUN GOOS=windows go build -o /out/app.exe .')), [
      false,
      false,
    ]);
    assert.deepEqual(windowsOf(file('RUN go build -o /out/app .')), [false, false]);
  });

  test('a $BUILDPLATFORM stage is the build machine: Linux assumed, GOOS=windows or not', () => {
    assert.deepEqual(
      windowsOf(
        lines(
          'ARG BASEIMAGE=mcr.microsoft.com/windows/nanoserver:1809',
          'FROM --platform=$BUILDPLATFORM golang:1.26 AS build',
          'RUN GOOS=windows go build -o /app.exe .',
          'FROM $BASEIMAGE',
          'COPY --from=build /app.exe /app.exe',
        ),
      ),
      [false, true],
    );
  });

  test('a file with Linux and Windows targets leaves a multi-system builder Linux', () => {
    assert.deepEqual(
      windowsOf(
        lines(
          'FROM golang:1.26 AS build',
          'FROM alpine:3.22 AS linux',
          'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022 AS windows',
        ),
      ),
      [false, false, true],
    );
  });

  test('the platforms the builds declare decide for a base left to a build argument', () => {
    const text = lines(
      'ARG BASEIMAGE',
      'FROM golang:1.26 AS build',
      'FROM $BASEIMAGE',
      'USER ContainerAdministrator',
    );
    const build = (platforms: string[]): ProjectBuild => ({
      source: { kind: 'makefile', file: 'Makefile', line: 0, label: 'target image' },
      platforms,
      output: 'image',
    });
    assert.deepEqual(windowsOf(text), [false, false]);
    assert.deepEqual(windowsOf(text, [build(['windows/amd64'])]), [true, true]);
    assert.deepEqual(windowsOf(text, [build(['windows/amd64']), build(['linux/amd64'])]), [
      false,
      false,
    ]);
  });
});

describe('rules on Windows stages', () => {
  const windows = lines(
    'FROM --platform=windows/amd64 golang:1.26-windowsservercore-ltsc2022 AS build',
    'ARG TARGETARCH=amd64',
    'ENV GOARCH=amd64',
    'WORKDIR /src',
    'COPY go.mod go.sum ./',
    'RUN go mod download',
    'COPY . .',
    'RUN go build -o app.exe .',
    'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
    'COPY --from=build /src/app.exe /app.exe',
    'USER ContainerUser',
    'ENTRYPOINT ["/app.exe"]',
  );

  test('no cache mounts, numeric users or platform ARG advice for a Windows build', () => {
    const found = rulesOf(windows);
    for (const rule of [
      'go-build-without-cache-mount',
      'non-numeric-user',
      'final-stage-runs-as-root',
      'target-arg-with-default',
      'hardcoded-goarch',
      'entrypoint-binary-missing',
    ]) {
      assert.ok(!found.some((f) => f.startsWith(rule + ':')), `${rule} in ${found.join(', ')}`);
    }
    // The same stages on Linux images are reported.
    const linux = windows
      .replace('--platform=windows/amd64 golang:1.26-windowsservercore-ltsc2022', 'golang:1.26')
      .replace('mcr.microsoft.com/windows/nanoserver:ltsc2022', 'alpine:3.22');
    const linuxFound = rulesOf(linux);
    assert.ok(linuxFound.includes('go-build-without-cache-mount:6'), linuxFound.join(', '));
    assert.ok(linuxFound.includes('go-build-without-cache-mount:8'), linuxFound.join(', '));
    assert.ok(linuxFound.includes('non-numeric-user:11'), linuxFound.join(', '));
    assert.ok(linuxFound.includes('target-arg-with-default:2'), linuxFound.join(', '));
  });

  test('a Windows image without USER is not asked for a uid', () => {
    const text = lines(
      'FROM golang:1.26 AS build',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /app.exe .',
      'FROM mcr.microsoft.com/windows/servercore:ltsc2022',
      'COPY --from=build /app.exe /app.exe',
      'ENTRYPOINT ["/app.exe"]',
    );
    const found = rulesOf(text);
    assert.ok(!found.some((f) => f.startsWith('final-stage-runs-as-root')), found.join(', '));
    assert.ok(!found.some((f) => f.startsWith('go-build-without-cache-mount')), found.join(', '));
    // Layer order is the same on the classic Windows builder: still reported.
    assert.ok(found.includes('go-mod-download-not-cached:3'), found.join(', '));
  });

  test('a Linux stage cross-compiling for Windows keeps its cache mount hint', () => {
    const text = lines(
      'FROM --platform=$BUILDPLATFORM golang:1.26 AS build',
      'WORKDIR /src',
      'COPY go.mod go.sum ./',
      'RUN --mount=type=cache,target=/go/pkg/mod go mod download',
      'COPY . .',
      'RUN GOOS=windows GOARCH=amd64 go build -o /app.exe .',
      'FROM mcr.microsoft.com/windows/nanoserver:ltsc2022',
      'COPY --from=build /app.exe /app.exe',
      'USER ContainerAdministrator',
      'ENTRYPOINT ["/app.exe"]',
    );
    const found = rulesOf(text);
    assert.ok(found.includes('go-build-without-cache-mount:6'), found.join(', '));
    assert.ok(!found.some((f) => f.startsWith('non-numeric-user')), found.join(', '));
  });
});

describe('conversion of a Windows single-stage Dockerfile', () => {
  test('refused, saying the runtime it would write is Linux', () => {
    const text = lines(
      'FROM golang:1.26-windowsservercore-ltsc2022',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /app .',
      'CMD ["/app"]',
    );
    const result = convertToMultiStage(buildModel(text, { goMod }));
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.reason, /builds on Windows \(golang:1\.26-windowsservercore-ltsc2022\)/);
      assert.match(result.reason, /Linux runtime stage/);
    }
    // The Linux twin converts.
    const linux = convertToMultiStage(
      buildModel(text.replace('-windowsservercore-ltsc2022', ''), { goMod }),
    );
    assert.ok(linux.ok, linux.ok ? '' : linux.reason);
  });

  test('a platform written on the FROM is given as the reason', () => {
    const text = lines(
      'FROM --platform=windows/amd64 golang:1.26',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /app .',
      'CMD ["/app"]',
    );
    const result = convertToMultiStage(buildModel(text, { goMod }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /--platform=windows\/amd64/);
  });
});
