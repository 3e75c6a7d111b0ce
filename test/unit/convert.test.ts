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
import { ALPINE_RUNTIME, CONVERT_LAYOUTS, type ConvertLayout } from '../../server/src/core/convert';
import { applyEdits } from '../../server/src/core/text/edits';
import { listBuildContext } from '../../server/src/node/build-context';
import { repoRoot } from '../support/paths';
import { testContext } from '../support/context';

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

/**
 * A golden case: its input, the go.mod beside it, and its build context when it has one (a
 * `context/` folder, read as the CLI and the server read one, Go sources included).
 */
function readCase(name: string) {
  const dir = join(GOLDEN, name);
  const input = readFileSync(join(dir, 'input.Dockerfile'), 'utf8');
  const contextDir = join(dir, 'context');
  const context = existsSync(contextDir) ? listBuildContext(contextDir) : undefined;
  const goModPath = existsSync(join(contextDir, 'go.mod'))
    ? join(contextDir, 'go.mod')
    : join(dir, 'go.mod');
  const goMod = existsSync(goModPath) ? readFileSync(goModPath, 'utf8') : undefined;
  return { dir, input, goMod, context };
}

const GOLDEN_FILE: Record<ConvertLayout, string> = {
  'two-stage': 'expected.Dockerfile',
  'dev-build-runtime': 'expected.dev-build-runtime.Dockerfile',
};

describe('conversion golden files', () => {
  for (const name of cases) {
    for (const layout of CONVERT_LAYOUTS) {
      test(`${name} (${layout})`, () => {
        const { dir, input, goMod, context } = readCase(name);
        const result = convertToMultiStage(buildModel(input, { goMod, context }), { layout });
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
          const { input, goMod, context } = readCase(name);
          const result = convertToMultiStage(buildModel(input, { goMod, context }), {
            runtimeImage: runtime,
            layout,
          });
          if (!result.ok) {
            // Only a runtime that cannot run the program may be refused, and it must say why.
            assert.match(
              result.reason,
              /has no shell|needs (glibc|musl)|may link (glibc|musl)|cannot install (packages|them)/,
            );
            return;
          }
          const output = result.text;
          const before = buildModel(input, { goMod, context });
          const after = buildModel(output, { goMod, context });
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
          // The model knows the Go binaries go commands write; what make writes is opaque to it.
          const madeByTool = !/\bgo (build|install|run)\b/.test(input);
          assert.ok(
            madeByTool || final.fs.goBinaries().length > 0,
            'a Go binary reaches the runtime stage',
          );
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
          const findings = analyze(output, { goMod, context }).filter(
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
            convertToMultiStage(buildModel(output, { goMod, context }), {
              runtimeImage: runtime,
              layout,
            }).ok,
            false,
          );
        });
      }
    }
  }
});

describe('conversion refusals', () => {
  const refusals: [string, string, RegExp][] = [
    [
      'no Go build at all',
      'FROM golang:1.24\nRUN apt-get update\n',
      /runs no go build or go install/,
    ],
    [
      'no start command',
      'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n',
      /no ENTRYPOINT or CMD/,
    ],
    [
      'a build through make whose binary is not known',
      'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN make build\nENTRYPOINT ["/go/bin/app"]\n',
      /the Go build may run through `make` \(line 4\), and which binary it makes for the start command \(\/go\/bin\/app\) to run is not known here/,
    ],
    [
      'the start command runs something else',
      'FROM golang:1.24\nCOPY . .\nRUN go build -o /out/app . && go build -o /out/tool ./tool\nCMD ["./run.sh"]\n',
      /does not run a binary this Dockerfile builds \(it builds \/out\/app, \/out\/tool\)/,
    ],
    [
      'a command line written as one exec-form string',
      'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nCMD ["./main server"]\n',
      /\(it builds \/app\/main\): exec form runs "\.\/main server" as one program name, blanks included \(write each word as its own string\)/,
    ],
    [
      'not a toolchain final stage',
      'FROM alpine:3.20\nCMD ["sh"]\n',
      /not based on a Go toolchain image the conversion knows \(it is alpine:3\.20\)/,
    ],
    [
      'a final stage built on a stage that is not a toolchain image',
      'FROM golang:1.26 AS build\nRUN go build -o /app .\nFROM alpine:3.20 AS release\nCOPY --from=build /app /app\nFROM release AS debug\nCMD ["/app"]\n',
      /not based on a Go toolchain image the conversion knows \(it is built on stage release \(alpine:3\.20\)\)/,
    ],
    [
      'go run of mounted sources',
      'FROM golang:1.24\nWORKDIR /src\nCMD ["go", "run", "."]\n',
      /sources are not copied/,
    ],
    [
      'an RPM package the program may need',
      'FROM golang:1.25\nRUN dnf install -y git dmsetup\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n',
      /may need dmsetup at run time \(installed with dnf .*cannot install RPM packages/,
    ],
    [
      'packages named by a variable',
      'FROM golang:1.25-alpine\nARG PKGS\nRUN apk add --no-cache $PKGS\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n',
      /packages of `apk add --no-cache \$\{?PKGS\}?` are named by a variable/,
    ],
    [
      'a final golang stage that copies a binary and starts a script',
      'FROM golang:1.25 AS build\nRUN go build -o /out/lint ./cmd/lint\nFROM golang:1.25\nCOPY --from=build /out/lint /bin/lint\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
      /builds nothing itself: it copies from stage build onto the golang image/,
    ],
    [
      'a final golang stage that copies the binary and runs commands',
      'FROM golang:1.25 AS build\nRUN go build -o /out/lint ./cmd/lint\nFROM golang:1.25\nRUN apt-get update && apt-get install -y git\nCOPY --from=build /out/lint /bin/lint\nENTRYPOINT ["/bin/lint"]\n',
      /copies \/bin\/lint from stage build onto the golang image and runs commands there \(RUN\)/,
    ],
    [
      'a test image whose command runs make',
      'FROM golang:1.25\nWORKDIR /src\nCOPY . .\nRUN go mod download\nCMD make test\n',
      /start command \(make test\) runs make, whose recipes run when the container starts: the runtime would need make, its build description and every program the recipes run/,
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

describe('conversion: packages the program may need at run time', () => {
  const build = 'WORKDIR /src\nCOPY . .\nRUN go build -o /app .\n';
  const runtimeStage = (text: string) => text.slice(text.lastIndexOf('FROM '));

  test('C library headers keep cgo on, with a runtime that has the C library', () => {
    const text = `FROM golang:1.24\nRUN apt-get update && apt-get install -y libsqlite3-dev\n${build}CMD ["/app"]\n`;
    const result = convertToMultiStage(text);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.doesNotMatch(result.text, /CGO_ENABLED=0/);
    // The headers' package brings the shared libraries the binary links: a Debian runtime of the
    // builder's release installs it again.
    assert.equal(result.runtimeImage, 'debian:trixie-slim');
    assert.match(
      runtimeStage(result.text),
      /^FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata libsqlite3-dev && /,
    );
    assert.ok(result.notes.some((n) => /cgo binary links the libraries of libsqlite3-dev/.test(n)));
    const scratch = convertToMultiStage(text, { runtimeImage: 'scratch' });
    assert.equal(scratch.ok, false);
    if (!scratch.ok) {
      assert.match(
        scratch.reason,
        /the cgo binary links the libraries of libsqlite3-dev \(installed with apt-get in the original image\), and scratch cannot install them/,
      );
    }
  });

  test('an apk package moves the default runtime to alpine, which installs it unpinned', () => {
    const result = convertToMultiStage(
      `FROM golang:1.24-alpine\nRUN apk add --no-cache git ffmpeg=6.1.2-r0 sqlite\n${build}CMD ["/app"]\n`,
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.runtimeImage, ALPINE_RUNTIME);
    assert.match(
      runtimeStage(result.text),
      /^FROM alpine:3\.24\nRUN apk add --no-cache ca-certificates tzdata ffmpeg sqlite\n/,
    );
    assert.ok(
      result.notes.some((n) =>
        /without the build stage's version pins \(ffmpeg=6\.1\.2-r0\)/.test(n),
      ),
    );
  });

  test('a runtime chosen explicitly that cannot install the package is refused', () => {
    const result = convertToMultiStage(
      `FROM golang:1.24-alpine\nRUN apk add --no-cache ffmpeg\n${build}CMD ["/app"]\n`,
      { runtimeImage: 'scratch' },
    );
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(result.reason, /may need ffmpeg .* scratch cannot install them; choose alpine/);
  });

  test('build tools, virtual groups, removed packages and CA certificates stay behind', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24-alpine\n' +
        'RUN apk add --no-cache --virtual .deps gcc musl-dev imagemagick && apk add git make protobuf-dev ca-certificates\n' +
        'RUN apk add --no-cache ffmpeg && apk del ffmpeg\n' +
        `${build}CMD ["/app"]\n`,
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    // distroless static (its root tag: without the sources, what the program writes is unknown).
    assert.equal(result.runtimeImage, 'gcr.io/distroless/static-debian13');
  });

  test('a build tool the start command runs is installed in the runtime', () => {
    const result = convertToMultiStage(
      `FROM golang:1.24-alpine\nRUN apk add --no-cache git jq\n${build}CMD /app --dump | jq .\n`,
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(runtimeStage(result.text), /RUN apk add --no-cache ca-certificates tzdata jq\n/);
  });

  test('an apt package moves the default runtime to Debian slim of the same release', () => {
    const result = convertToMultiStage(
      `FROM golang:1.24-bookworm\nRUN apt-get update && apt-get install -y git dmsetup\n${build}CMD ["/app"]\n`,
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.runtimeImage, 'debian:bookworm-slim');
    assert.match(
      runtimeStage(result.text),
      /^FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata dmsetup && rm -rf \/var\/lib\/apt\/lists\/\*\n/,
    );
  });

  test('an apt package and a runtime chosen explicitly that cannot install it', () => {
    const text = `FROM golang:1.24\nRUN apt-get update && apt-get install -y dmsetup\n${build}CMD ["/app"]\n`;
    const refused = convertToMultiStage(text, { runtimeImage: ALPINE_RUNTIME });
    assert.equal(refused.ok, false);
    if (!refused.ok) assert.match(refused.reason, /cannot install them; choose a Debian image/);
    const chosen = convertToMultiStage(text, { runtimeImage: 'ubuntu:24.04' });
    assert.ok(chosen.ok, chosen.ok ? '' : chosen.reason);
    assert.match(
      chosen.text,
      /FROM ubuntu:24\.04\nRUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata dmsetup/,
    );
  });

  test('zoneinfo installed in the build reaches a scratch runtime', () => {
    const result = convertToMultiStage(
      `FROM golang:1.24\nRUN apt-get update && apt-get install -y tzdata\n${build}CMD ["/app"]\n`,
      { runtimeImage: 'scratch' },
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(
      runtimeStage(result.text),
      /COPY --from=build \/usr\/share\/zoneinfo \/usr\/share\/zoneinfo\n/,
    );
  });

  test('a USER on a runtime switched to alpine is created there, not renumbered', () => {
    const result = convertToMultiStage(
      `FROM golang:1.24\n${build}USER app\nCMD /app --port $PORT\n`,
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(runtimeStage(result.text), /RUN adduser -D -H app\nUSER app\n/);
    assert.doesNotMatch(result.text, /65532/);
  });
});

describe('conversion: binaries that make or a build script writes', () => {
  const makeBuild = (from: string) =>
    `FROM ${from}\nWORKDIR /app\nCOPY . .\nRUN make build\nEXPOSE 8080\nCMD ["./bin/server", "--port", "8080"]\n`;

  test('cgo is on in a Debian builder: the runtime gets glibc, and says why', () => {
    const result = convertToMultiStage(makeBuild('golang:1.24'));
    assert.ok(result.ok, result.ok ? '' : result.reason);
    // distroless base's root tag: make's sources are not read, so what it writes is unknown.
    assert.equal(result.runtimeImage, 'gcr.io/distroless/base-debian13');
    assert.match(
      result.text,
      /# make builds the binary and cgo is on in the build image, so it may link glibc/,
    );
    // The binary stays where make put it, started from the same working directory.
    assert.match(
      result.text,
      /WORKDIR \/app\nCOPY --from=build \/app\/bin\/server \/app\/bin\/server\n(.*\n)*EXPOSE 8080\nCMD \["\.\/bin\/server", "--port", "8080"\]\n$/,
    );
  });

  test('a runtime without that libc, chosen explicitly, is refused', () => {
    const result = convertToMultiStage(makeBuild('golang:1.24'), { runtimeImage: 'scratch' });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /may link glibc, which scratch does not have/);
  });

  test('CGO_ENABLED=0 given to make on its line keeps the static runtime', () => {
    const result = convertToMultiStage(
      makeBuild('golang:1.24').replace('RUN make', 'RUN CGO_ENABLED=0 make'),
      { runtimeImage: 'scratch' },
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.runtimeImage, 'scratch');
  });

  test("CGO_ENABLED=0 on every go build of the Makefile's recipe keeps the static runtime", () => {
    const context = (recipe: string) =>
      testContext(undefined, {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'main.go': 'package main\n\nfunc main() {}\n',
        Makefile: `build:\n\t${recipe}\n`,
      });
    const converted = (recipe: string) =>
      convertToMultiStage(buildModel(makeBuild('golang:1.24'), { context: context(recipe) }));
    const off = converted('CGO_ENABLED=0 go build -o bin/server .');
    assert.ok(off.ok, off.ok ? '' : off.reason);
    assert.match(off.runtimeImage, /^gcr\.io\/distroless\/static-debian13/);
    // Without it on that line, cgo stays on in the Debian builder.
    const on = converted('go build -o bin/server .');
    assert.ok(on.ok, on.ok ? '' : on.reason);
    assert.match(on.runtimeImage, /^gcr\.io\/distroless\/base-debian13/);
  });

  test('CGO_ENABLED=0 in the environment keeps the static runtime', () => {
    const result = convertToMultiStage(
      makeBuild('golang:1.24').replace('RUN make', 'ENV CGO_ENABLED=0\nRUN make'),
      { runtimeImage: 'scratch' },
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.equal(result.runtimeImage, 'scratch');
  });
});

describe('conversion: a start command run through sh -c', () => {
  test('bash -c on alpine gets bash installed', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\nCMD ["/bin/bash", "-c", "./app --port $PORT"]\n',
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(result.text, /RUN apk add --no-cache ca-certificates tzdata bash\n/);
    // The binary keeps its path in the same WORKDIR: the script runs as written.
    assert.match(result.text, /COPY --from=build \/app\/app \/app\/app\n/);
    assert.match(result.text, /CMD \["\/bin\/bash", "-c", "\.\/app --port \$PORT"\]\n$/);
  });

  test('a script that starts the binary after an assignment is refused, not half rewritten', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go build -o bin/server .\nCMD ["sh", "-c", "PORT=80 ./bin/server"]\n',
    );
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /script starts \.\/bin\/server after words/);
  });

  test('go run inside sh -c is refused rather than half rewritten', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nCMD ["sh", "-c", "go run . --port $PORT"]\n',
    );
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /`go run` start command could not be read/);
  });
});

describe('conversion: files the program reads, copied with the sources', () => {
  const text = 'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go build -o main .\nCMD ["./main"]\n';

  test('asset directories of the build context reach the runtime at the same paths', () => {
    const files = [
      'go.mod',
      'main.go',
      'templates/index.html',
      'static/css/site.css',
      'web/handlers.go',
      'public/package.json',
      'public/src/app.ts',
      'README.md',
    ];
    const result = convertToMultiStage(buildModel(text, { context: { files } }));
    assert.ok(result.ok, result.ok ? '' : result.reason);
    const runtime = result.text.slice(result.text.lastIndexOf('FROM '));
    // Go sources (web/), a frontend's sources (public/ with package.json) and repository files
    // (README.md) stay behind; what is left of the working directory comes along.
    assert.equal(
      runtime,
      'FROM gcr.io/distroless/static-debian13\nWORKDIR /app\nCOPY --from=build /app/main /app/main\n' +
        'COPY --from=build /app/static /app/static\nCOPY --from=build /app/templates /app/templates\nCMD ["./main"]\n',
    );
  });

  test('what an ADD fetches reaches the runtime where it landed: the file of a URL, a git checkout', () => {
    const adds =
      'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nADD https://example.com/cfg/app.yaml?raw=1 /etc/app/\n' +
      'ADD https://github.com/example/assets.git#v1 /opt/assets/\nRUN go build -o main .\nCMD ["./main"]\n';
    for (const context of [{ files: ['go.mod', 'main.go'] }, undefined]) {
      const result = convertToMultiStage(buildModel(adds, context ? { context } : {}));
      assert.ok(result.ok, result.ok ? '' : result.reason);
      const runtime = result.text.slice(result.text.lastIndexOf('FROM '));
      assert.match(runtime, /^COPY --from=build \/etc\/app\/app\.yaml \/etc\/app\/app\.yaml$/m);
      assert.match(runtime, /^COPY --from=build \/opt\/assets \/opt\/assets$/m);
    }
  });

  test('without the build context, the working directory comes without the sources', () => {
    const result = convertToMultiStage(text);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(result.text, /^# syntax=docker\/dockerfile:1\n/);
    assert.match(
      result.text,
      /COPY --from=build --exclude=\*\*\/\*\.go (--exclude=\S+ )*\/app \/app\n/,
    );
  });
});

describe('conversion: binaries moved after the build', () => {
  test('a binary copied with cp is taken from where the copy put it', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24\nWORKDIR /build\nCOPY . .\nRUN CGO_ENABLED=0 go build -o main .\nWORKDIR /dist\nRUN cp /build/main .\nCMD ["/dist/main"]\n',
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    // The build keeps its output path: the cp reads it.
    assert.match(
      result.text,
      /RUN CGO_ENABLED=0 go build -o main \.\nWORKDIR \/dist\nRUN cp \/build\/main \.\n/,
    );
    assert.match(
      result.text,
      /WORKDIR \/dist\nCOPY --from=build \/dist\/main \/dist\/main\nCMD \["\/dist\/main"\]\n$/,
    );
  });

  test('go install ./... : the program started from GOBIN', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24-alpine\nWORKDIR /go/src/app\nCOPY . .\nRUN go install -v ./...\nCMD ["app"]\n',
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    // The names ./... installs are not known: GOBIN comes whole, and stays on the PATH.
    assert.match(result.text, /COPY --from=build \/go\/bin \/go\/bin\n/);
    assert.match(
      result.text,
      /ENV PATH=\/go\/bin:\/usr\/local\/sbin:[^\n]*\nCMD \["\/go\/bin\/app"\]\n$/,
    );
  });
});

describe('conversion: init wrappers', () => {
  test('a wrapper copied into the image comes along, the program after -- moves', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24\nADD https://example.com/tini-static /tini\nRUN chmod +x /tini\nWORKDIR /src\nCOPY . .\n' +
        'RUN go build -o /bin/api .\nENTRYPOINT ["/tini", "--", "/bin/api"]\n',
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(
      result.text,
      /COPY --from=build \/bin\/api \/bin\/api\n(.*\n)*COPY --from=build \/tini \/tini\nENTRYPOINT \["\/tini", "--", "\/bin\/api"\]\n$/,
    );
  });
});

describe('conversion: the build output path', () => {
  test('a directory output of several packages comes whole, at the same path', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24-alpine\nWORKDIR /app\nCOPY . .\nRUN go build -o bin/ ./cmd/...\nCMD ["bin/worker"]\n',
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(result.text, /RUN CGO_ENABLED=0 go build -o bin\/ \.\/cmd\/\.\.\.\n/);
    assert.match(result.text, /WORKDIR \/app\nCOPY --from=build \/app\/bin \/app\/bin\n/);
    assert.match(result.text, /CMD \["bin\/worker"\]\n$/);
  });

  test('the build keeps its output path, so later commands that use it still work', () => {
    const result = convertToMultiStage(
      'FROM golang:1.24\nWORKDIR /app\nCOPY . .\nRUN go build -o app . && chmod +x app\nCMD ./app\n',
    );
    assert.ok(result.ok, result.ok ? '' : result.reason);
    assert.match(result.text, /RUN CGO_ENABLED=0 go build -o app \. && chmod \+x app\n/);
    // A program named like its directory (/app/app) stays apart from the WORKDIR /app.
    assert.match(result.text, /WORKDIR \/app\nCOPY --from=build \/app\/app \/app\/app\n/);
    assert.match(result.text, /CMD \["\.\/app"\]\n$/);
  });
});
