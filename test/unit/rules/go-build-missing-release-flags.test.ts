import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../server/src/core';
import { goBuildMissingReleaseFlags } from '../../../server/src/core/rules/go-build-missing-release-flags';
import { lines, ruleTester } from '../../support/rule-tester';

const ship = ['FROM scratch', 'COPY --from=build /out/app /app', 'ENTRYPOINT ["/app"]'];
const both = /without `-trimpath` and `-ldflags="-s -w"`/;

ruleTester(goBuildMissingReleaseFlags, {
  valid: [
    {
      name: 'both flags',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -trimpath -ldflags="-s -w" -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'flags from GOFLAGS, -s alone on Go 1.22+',
      code: lines(
        'FROM golang:1.24 AS build',
        "ENV GOFLAGS='-trimpath -ldflags=-s'",
        'RUN go build -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a debug build keeps its symbols',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -gcflags="all=-N -l" -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a binary that does not reach the final stage',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -trimpath -ldflags="-s -w" -o /out/app . && go build -o /out/tool ./cmd/tool',
        ...ship,
      ),
      // -trimpath missing on /out/tool only: not shipped.
    },
    {
      name: 'a final stage on the toolchain image (a development image)',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /app .',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'linker flags from a variable not known here',
      code: lines(
        'FROM golang:1.24 AS build',
        'ARG LDFLAGS',
        'RUN go build -trimpath -ldflags "$LDFLAGS" -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'a tool installed at a version and copied out',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go install github.com/go-delve/delve/cmd/dlv@v1.24.0',
        'FROM alpine',
        'COPY --from=build /go/bin/dlv /usr/bin/dlv',
      ),
    },
    {
      name: 'GOFLAGS with a value not read cleanly',
      code: lines(
        'FROM golang:1.24 AS build',
        `ARG GOFLAGS="'-ldflags=-w -s'"`,
        'RUN go build -trimpath -o /out/app .',
        ...ship,
      ),
    },
  ],
  invalid: [
    {
      name: 'neither flag',
      code: lines('FROM golang:1.24 AS build', 'RUN CGO_ENABLED=0 go build -o /out/app .', ...ship),
      findings: [
        { messageId: 'missingFlags', line: 2, column: 19, severity: 'hint', message: both },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'merged into an existing double-quoted -ldflags value',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -trimpath -ldflags "-X main.version=1.0" -o /out/app .',
        ...ship,
      ),
      findings: [{ messageId: 'missingFlags', line: 2, data: { missing: '`-ldflags="-s -w"`' } }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -trimpath -ldflags "-s -w -X main.version=1.0" -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'only -w missing before Go 1.22, single quotes with nested double quotes',
      code: lines(
        'FROM golang:1.21 AS build',
        `RUN go build -trimpath -ldflags='-s -extldflags "-static"' -o /out/app .`,
        ...ship,
      ),
      findings: [{ messageId: 'missingFlags', line: 2, data: { missing: '`-ldflags="-w"`' } }],
      output: lines(
        'FROM golang:1.21 AS build',
        `RUN go build -trimpath -ldflags='-w -s -extldflags "-static"' -o /out/app .`,
        ...ship,
      ),
    },
    {
      name: 'an unquoted value gets quoted; a continuation is kept',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN go build \\',
        '    -ldflags=-extldflags=-static \\',
        '    -o /out/app .',
        ...ship,
      ),
      findings: [{ messageId: 'missingFlags', line: 2, column: 5, message: both }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN go build -trimpath \\',
        '    -ldflags="-s -w -extldflags=-static" \\',
        '    -o /out/app .',
        ...ship,
      ),
    },
    {
      name: 'inside sh -c "...": single quotes',
      code: lines('FROM golang:1.24 AS build', 'RUN sh -c "go build -o /out/app ."', ...ship),
      findings: [{ messageId: 'missingFlags', line: 2, column: 12 }],
      output: lines(
        'FROM golang:1.24 AS build',
        `RUN sh -c "go build -trimpath -ldflags='-s -w' -o /out/app ."`,
        ...ship,
      ),
    },
    {
      name: 'exec form, with an -ldflags value as its own element',
      code: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-ldflags", "-X a=b", "-o", "/out/app", "."]',
        ...ship,
      ),
      findings: [{ messageId: 'missingFlags', line: 2, column: 6 }],
      output: lines(
        'FROM golang:1.24 AS build',
        'RUN ["go", "build", "-trimpath", "-ldflags", "-s -w -X a=b", "-o", "/out/app", "."]',
        ...ship,
      ),
    },
    {
      name: 'a heredoc, an && chain, and go install of the module',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN <<EOF',
        'go mod download && go install -trimpath ./cmd/app',
        'EOF',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
      findings: [
        {
          messageId: 'missingFlags',
          line: 4,
          column: 20,
          message: /built without `-ldflags="-s -w"`\. This go install /,
        },
      ],
      output: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'RUN <<EOF',
        'go mod download && go install -ldflags="-s -w" -trimpath ./cmd/app',
        'EOF',
        'FROM scratch',
        'COPY --from=build /go/bin/app /app',
      ),
    },
    {
      name: 'GOFLAGS sets -ldflags: a command-line one would replace it, so no fix',
      code: lines(
        'FROM golang:1.24 AS build',
        'ENV GOFLAGS=-ldflags=-X=main.v=1',
        'RUN go build -trimpath -o /out/app .',
        ...ship,
      ),
      findings: [{ messageId: 'missingFlags', line: 3 }],
      output: null,
    },
  ],
});

test('go-build-missing-release-flags is off unless the settings name it', () => {
  const code = lines('FROM golang:1.24 AS build', 'RUN go build -o /out/app .', ...ship);
  const id = goBuildMissingReleaseFlags.meta.id;
  assert.equal(analyze(code).filter((d) => d.rule === id).length, 0);
  assert.equal(analyze(code, { rules: { [id]: 'off' } }).filter((d) => d.rule === id).length, 0);
  const enabled = analyze(code, { rules: { [id]: 'info' } }).filter((d) => d.rule === id);
  assert.equal(enabled.length, 1);
  assert.equal(enabled[0].severity, 'info');
});
