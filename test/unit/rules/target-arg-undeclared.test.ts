import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetArgUndeclared } from '../../../server/src/core/rules/target-arg-undeclared';
import { applyEdits } from '../../../server/src/core/text/edits';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const ship = ['FROM scratch', 'COPY --from=build /out/app /app'];

ruleTester(targetArgUndeclared, {
  valid: [
    {
      name: 'ARG TARGETOS TARGETARCH declared in the stage before the use',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'the FROM line uses the global scope, where the platform ARGs are predefined',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'FROM --platform=${TARGETPLATFORM} golang:1.24 AS other',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'CMD expands at run time, where no ARG exists',
      code: lines('FROM golang:1.24', 'RUN go build -o /app .', 'CMD echo $TARGETARCH'),
    },
    {
      name: 'exec-form RUN without a shell does not expand variables',
      code: lines('FROM golang:1.24', 'RUN ["go", "build", "-o", "/out/$TARGETARCH", "."]'),
    },
    {
      name: 'escaped, single-quoted and commented-out references',
      code: lines(
        'FROM golang:1.24',
        "RUN echo \\$TARGETARCH '$TARGETOS' && \\",
        '    # GOARCH=$TARGETARCH was needed once',
        '    go build -o /app .',
      ),
    },
    {
      name: 'single quotes in ENV and ARG keep the Dockerfile from expanding',
      code: lines(
        'FROM golang:1.24',
        "ENV PATTERN='out/$TARGETOS'",
        "ARG LABEL='$TARGETARCH'",
        'RUN go build -o /app .',
      ),
    },
    {
      name: '${TARGETOS:-linux} gives the right value for every Linux platform',
      code: lines(
        'FROM golang:1.24',
        'ARG TARGETARCH',
        'RUN curl -o /t.tgz https://example.com/tool-${TARGETOS:-linux}-${TARGETARCH}.tgz',
        'RUN go build -o /app .',
      ),
    },
    {
      name: 'xx-go with ARG TARGETPLATFORM',
      code: lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'COPY --from=xx / /',
        'ARG TARGETPLATFORM',
        'RUN xx-go build -o /out/app . && xx-verify /out/app',
      ),
    },
    {
      name: "an ARG of the parent stage is inherited (BuildKit starts the stage from the parent's state)",
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'FROM base AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'an ARG of a grandparent stage is inherited through the chain',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETOS TARGETARCH',
        'FROM base AS deps',
        'RUN go mod download',
        'FROM deps AS build',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'xx helpers and a mount id in a stage built on one that declares ARG TARGETPLATFORM',
      code: lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx',
        'FROM --platform=$BUILDPLATFORM golang:1.26 AS base',
        'COPY --from=xx / /',
        'ARG TARGETPLATFORM',
        'FROM base AS build',
        'RUN --mount=type=cache,target=/root/.cache,id=c-$TARGETPLATFORM xx-go build -o /out/app .',
        'RUN xx-apt-get install -y gcc && xx-verify /out/app',
        ...ship,
      ),
    },
    {
      name: 'an ENV of the parent stage is inherited',
      code: lines(
        'FROM golang:1.24 AS base',
        'ARG TARGETARCH',
        'ENV TARGETARCH=$TARGETARCH',
        'FROM base AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a heredoc fed to another interpreter is not shell',
      code: lines(
        'FROM golang:1.24',
        'RUN go build -o /app .',
        'RUN python3 <<EOF',
        'print("$TARGETARCH")',
        'EOF',
      ),
    },
    {
      name: 'the RUN sets the variable itself',
      code: lines(
        'FROM golang:1.24',
        'RUN TARGETARCH=$(uname -m) && echo $TARGETARCH && go build -o /app .',
      ),
    },
    {
      name: 'a for loop over architectures',
      code: lines(
        'FROM golang:1.24',
        'RUN for TARGETARCH in amd64 arm64; do GOARCH=$TARGETARCH go build -o /out/$TARGETARCH/app .; done',
      ),
    },
    {
      name: 'COPY is left to BuildKit (UndefinedVar reports it, and a wrong path fails loudly)',
      code: lines('FROM golang:1.24 AS build', 'RUN go build -o /app .', 'COPY x/$TARGETARCH /x'),
    },
    {
      name: 'ARG TARGETARCH=${TARGETARCH:-amd64} is target-arg-with-default',
      code: lines(
        'FROM golang:1.24',
        'ARG TARGETARCH=${TARGETARCH:-amd64}',
        'RUN GOARCH=$TARGETARCH go build -o /app .',
      ),
    },
  ],
  invalid: [
    {
      name: "GOARM=$TARGETVARIANT without the ARG: empty, Go's default; declared, the v is stripped too",
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=$TARGETVARIANT go build -o /out/app .',
        ...ship,
      ),
      findings: [
        {
          messageId: 'undeclared',
          line: 3,
          column: 45,
          message:
            /\$TARGETVARIANT is not declared.*GOARM is set to an empty string, so Go builds every arm variant \(v6, v7\) for its default ARM version\.$/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETVARIANT',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'GOARCH=$TARGETARCH without the ARG: declared after the FROM',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
      findings: [
        {
          messageId: 'undeclared',
          line: 3,
          column: 26,
          message:
            /\$TARGETARCH is not declared in stage "build".*GOARCH is set to an empty string, so Go builds for the machine running the build/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'WORKDIR /src',
        'RUN CGO_ENABLED=0 GOARCH=$TARGETARCH go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a global ARG before FROM is not visible inside the stage',
      code: lines(
        'ARG TARGETOS',
        'ARG TARGETARCH',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'RUN GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -o /out/app .',
        ...ship,
      ),
      findings: [
        {
          messageId: 'undeclaredSeveral',
          line: 4,
          column: 10,
          data: { names: '$TARGETOS and $TARGETARCH', stage: 'stage "build"' },
        },
      ],
      output: lines(
        'ARG TARGETOS',
        'ARG TARGETARCH',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETOS TARGETARCH',
        'RUN GOOS=${TARGETOS} GOARCH=${TARGETARCH} go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: "a stage's ARG does not reach a stage that only copies from it",
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'RUN echo $TARGETARCH > /arch',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'COPY --from=base /arch /arch',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [{ messageId: 'undeclared', line: 6, column: 12 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'RUN echo $TARGETARCH > /arch',
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'COPY --from=base /arch /arch',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'the fix declares only what the parent stage does not',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'FROM base AS build',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'undeclared',
          line: 4,
          column: 10,
          data: { names: '$TARGETOS', stage: 'stage "build"' },
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'FROM base AS build',
        'ARG TARGETOS',
        'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: "a parent's use before its own ARG is still reported; the child inherits the ARG",
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'RUN echo $TARGETARCH',
        'ARG TARGETARCH',
        'FROM base AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [{ messageId: 'undeclared', line: 2, column: 10 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS base',
        'ARG TARGETARCH',
        'RUN echo $TARGETARCH',
        'ARG TARGETARCH',
        'FROM base AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: '${TARGETARCH:-amd64} always takes the fallback',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'RUN GOARCH=${TARGETARCH:-amd64} go build -o /out/app .',
      ),
      findings: [
        { messageId: 'undeclared', line: 2, column: 12, message: /always expands to "amd64"/ },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=${TARGETARCH:-amd64} go build -o /out/app .',
      ),
    },
    {
      name: 'ENV GOARCH=$TARGETARCH',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ENV GOOS=linux GOARCH=$TARGETARCH',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'undeclared',
          line: 2,
          column: 23,
          message: /GOARCH is set to an empty string/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'ENV GOOS=linux GOARCH=$TARGETARCH',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'inside a heredoc',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'RUN <<EOF',
        'set -e',
        'GOARCH="$TARGETARCH" go build -o /out/app .',
        'EOF',
      ),
      findings: [{ messageId: 'undeclared', line: 4, column: 9 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN <<EOF',
        'set -e',
        'GOARCH="$TARGETARCH" go build -o /out/app .',
        'EOF',
      ),
    },
    {
      name: 'on a continuation line',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'RUN go mod download && \\',
        '    # build for the target',
        '    GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [{ messageId: 'undeclared', line: 4, column: 12 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN go mod download && \\',
        '    # build for the target',
        '    GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'lowercase instructions get a lowercase arg',
      code: lines(
        'from --platform=$BUILDPLATFORM golang:1.24 as build',
        'run GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [{ messageId: 'undeclaredSeveral', line: 2, column: 10 }],
      output: lines(
        'from --platform=$BUILDPLATFORM golang:1.24 as build',
        'arg TARGETOS TARGETARCH',
        'run GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'a CRLF file gets a CRLF line',
      code: [
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'undeclared', line: 2, column: 12 }],
      output: [
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        '',
      ].join('\r\n'),
    },
    {
      name: 'exec-form RUN running sh -c',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'RUN ["sh", "-c", "GOARCH=$TARGETARCH go build -o /out/app ."]',
      ),
      findings: [{ messageId: 'undeclared', line: 2, column: 26 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN ["sh", "-c", "GOARCH=$TARGETARCH go build -o /out/app ."]',
      ),
    },
    {
      name: 'a single-quoted sh -c script is expanded by the inner shell',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        "RUN sh -c 'GOARCH=$TARGETARCH go build -o /out/app .'",
      ),
      findings: [{ messageId: 'undeclared', line: 2, column: 19 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        "RUN sh -c 'GOARCH=$TARGETARCH go build -o /out/app .'",
      ),
    },
    {
      name: 'xx-go without ARG TARGETPLATFORM targets the build machine',
      code: lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'COPY --from=xx / /',
        'RUN CGO_ENABLED=0 xx-go build -o /out/app . && xx-verify /out/app',
      ),
      findings: [
        {
          messageId: 'helperForBuildMachine',
          line: 4,
          column: 19,
          message:
            /`xx-go` builds for the build machine.* It reads the target platform from \$TARGETPLATFORM/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx',
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS build',
        'ARG TARGETPLATFORM',
        'COPY --from=xx / /',
        'RUN CGO_ENABLED=0 xx-go build -o /out/app . && xx-verify /out/app',
      ),
    },
    {
      name: 'go after xx-go --wrap in the parent stage',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'COPY --from=tonistiigi/xx / /',
        'RUN xx-go --wrap',
        'FROM base AS build',
        'RUN go build -o /out/app .',
      ),
      findings: [
        {
          messageId: 'helperForBuildMachine',
          line: 5,
          column: 5,
          data: { helper: '`go` wrapped by `xx-go --wrap`', stage: 'stage "build"' },
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24-alpine AS base',
        'COPY --from=tonistiigi/xx / /',
        'RUN xx-go --wrap',
        'FROM base AS build',
        'ARG TARGETPLATFORM',
        'RUN go build -o /out/app .',
      ),
    },
    {
      name: 'declared only after the use',
      code: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        'ARG TARGETARCH',
      ),
      findings: [
        {
          messageId: 'undeclared',
          line: 2,
          column: 12,
          message: /The ARG on line 3 comes after this use/,
        },
      ],
      output: lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
        'ARG TARGETARCH',
      ),
    },
    {
      name: 'in a RUN --mount flag, which BuildKit expands with the stage scope',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN --mount=type=cache,target=/root/.cache/go-build,id=go-$TARGETPLATFORM go build -o /app .',
      ),
      findings: [
        { messageId: 'undeclared', line: 2, column: 59, message: /expands to an empty string/ },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'ARG TARGETPLATFORM',
        'RUN --mount=type=cache,target=/root/.cache/go-build,id=go-$TARGETPLATFORM go build -o /app .',
      ),
    },
    {
      name: 'a FROM with a continuation line: the ARG goes after its last line',
      code: lines(
        'FROM --platform=$BUILDPLATFORM \\',
        '  golang:1.24 AS build',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
      findings: [{ messageId: 'undeclared', line: 3, column: 12 }],
      output: lines(
        'FROM --platform=$BUILDPLATFORM \\',
        '  golang:1.24 AS build',
        'ARG TARGETARCH',
        'RUN GOARCH=$TARGETARCH go build -o /out/app .',
      ),
    },
    {
      name: 'the last line of a file without a final newline',
      code: 'FROM golang:1.24\nRUN GOARCH=$TARGETARCH go build -o /app .',
      findings: [{ messageId: 'undeclared', line: 2, column: 12 }],
      output: 'FROM golang:1.24\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .',
    },
    {
      name: 'an ARG default that reads another platform ARG',
      code: lines(
        'FROM alpine:3.20 AS sass',
        'ARG SASS_ARCH=${TARGETARCH/amd64/x64}',
        'FROM golang:1.24',
        'RUN go build -o /app .',
      ),
      findings: [{ messageId: 'undeclared', line: 2, column: 15 }],
      output: lines(
        'FROM alpine:3.20 AS sass',
        'ARG TARGETARCH',
        'ARG SASS_ARCH=${TARGETARCH/amd64/x64}',
        'FROM golang:1.24',
        'RUN go build -o /app .',
      ),
    },
  ],
});

test('target-arg-undeclared: each instruction of a stage is reported, and one fix declares them all', () => {
  const code = lines(
    'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
    'RUN GOARCH=$TARGETARCH go build -o /out/$TARGETOS/app .',
    'RUN cp /out/$TARGETOS/app /app',
  );
  const found = runRule(targetArgUndeclared, code);
  assert.deepEqual(
    found.map((d) => d.range.start.line + 1),
    [2, 3],
  );
  const output = applyEdits(code, found[0].fixes[0].edits);
  assert.equal(
    output,
    lines(
      'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
      'ARG TARGETOS TARGETARCH',
      'RUN GOARCH=$TARGETARCH go build -o /out/$TARGETOS/app .',
      'RUN cp /out/$TARGETOS/app /app',
    ),
  );
  assert.deepEqual(runRule(targetArgUndeclared, output), []);
});

test('target-arg-undeclared: the fix is safe only without ${NAME:-default} fallbacks', () => {
  const plain = runRule(
    targetArgUndeclared,
    lines('FROM golang:1.24', 'RUN GOARCH=$TARGETARCH go build -o /app .'),
  );
  assert.equal(plain[0].fixes[0].safe, true);
  const fallback = runRule(
    targetArgUndeclared,
    lines('FROM golang:1.24', 'RUN GOARCH=${TARGETARCH:-amd64} go build -o /app .'),
  );
  assert.equal(fallback[0].fixes[0].safe, false);
});

test('target-arg-undeclared: declaring a variant that reaches GOARM is not applied blindly', () => {
  const found = runRule(
    targetArgUndeclared,
    lines('FROM golang:1.24', 'ENV GOARM=${TARGETVARIANT}', 'RUN go build -o /app .'),
  );
  assert.equal(found[0].fixes[0].safe, false);
  assert.match(found[0].fixes[0].title, /set GOARM from \$\{TARGETVARIANT#v\}/);
});
