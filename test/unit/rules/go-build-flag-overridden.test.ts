import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goBuildFlagOverridden } from '../../../server/src/core/rules/go-build-flag-overridden';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const from = 'FROM golang:1.24 AS build';

ruleTester(goBuildFlagOverridden, {
  valid: [
    {
      name: 'one -ldflags with everything',
      code: lines(from, 'RUN go build -trimpath -ldflags "-s -w -X main.version=1" -o /out/app .'),
    },
    {
      name: 'different flags, and -ldflags in two go commands',
      code: lines(
        from,
        'RUN go build -ldflags "-s -w" -gcflags=all=-trimpath=/src -tags netgo -o /out/a . && \\',
        '    go build -ldflags "-X main.v=1" -o /out/b ./cmd/b',
      ),
    },
    {
      name: 'compiler flags for other packages: both apply',
      code: lines(from, 'RUN go build -gcflags=all=-N -gcflags=-l -o /out/app .'),
    },
    {
      name: 'a pattern that may not match the main package',
      code: lines(from, 'RUN go build -ldflags=example.com/x=-s -ldflags=-w -o /out/app .'),
    },
    {
      name: 'an empty last value resets on purpose',
      code: lines(from, 'RUN go build -ldflags "-s" -ldflags "" -o /out/app .'),
    },
    {
      name: 'GOFLAGS with other flags than the command line',
      code: lines(from, 'ENV GOFLAGS=-mod=vendor', 'RUN go build -ldflags "-s -w" -o /out/app .'),
    },
    {
      name: 'one -ldflags entry in GOFLAGS, quoted as a whole',
      code: lines(from, `ARG GOFLAGS="'-ldflags=-w -s'"`, 'RUN go build -trimpath -o /out/app .'),
    },
    {
      name: 'go vet and go list are not builds',
      code: lines(from, 'RUN go list -tags a -tags b ./...'),
    },
  ],
  invalid: [
    {
      name: 'twice on the command line: merged where the last one was',
      code: lines(
        from,
        'RUN CGO_ENABLED=0 go build -ldflags "-s -w" -trimpath -ldflags="-X main.version=1.2" -o /out/app .',
      ),
      findings: [
        {
          messageId: 'repeated',
          line: 2,
          column: 28,
          severity: 'warning',
          data: { flag: '-ldflags', subcommand: 'build', value: '-s -w' },
        },
      ],
      output: lines(
        from,
        'RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=1.2" -o /out/app .',
      ),
    },
    {
      name: '-tags twice: one comma-separated list',
      code: lines(from, 'RUN go build -tags netgo -tags "osusergo sqlite_omit_load_extension" .'),
      findings: [
        {
          messageId: 'repeated',
          line: 2,
          column: 14,
          data: { flag: '-tags', subcommand: 'build', value: 'netgo' },
        },
      ],
      output: lines(from, 'RUN go build -tags netgo,osusergo,sqlite_omit_load_extension .'),
    },
    {
      name: 'exec form',
      code: lines(
        from,
        'RUN ["go", "build", "-ldflags", "-s", "-ldflags", "-w", "-o", "/app", "."]',
      ),
      findings: [{ messageId: 'repeated', line: 2, column: 21 }],
      output: lines(from, 'RUN ["go", "build", "-ldflags", "-s -w", "-o", "/app", "."]'),
    },
    {
      name: 'a variable or a pattern: reported without a fix',
      code: lines(
        from,
        'RUN go build -ldflags "$LDFLAGS" -ldflags "-X main.v=1" -o /out/a . && \\',
        '    go build -ldflags=all=-s -ldflags=-w -o /out/b .',
      ),
      findings: [
        { messageId: 'repeated', line: 2, column: 14, message: /`\$\{?LDFLAGS\}?` is lost/ },
        {
          messageId: 'repeated',
          line: 3,
          column: 14,
          data: { flag: '-ldflags', subcommand: 'build', value: '-s' },
        },
      ],
      output: null,
    },
    {
      name: 'GOFLAGS, then the command line',
      code: lines(from, 'ENV GOFLAGS=-tags=netgo', 'RUN go install -tags osusergo ./cmd/app'),
      findings: [
        {
          messageId: 'replacesGoflags',
          line: 3,
          column: 16,
          message:
            /^This -tags replaces the one GOFLAGS gives: its flags are lost\. GOFLAGS gives `netgo`, and Go keeps only the last -tags/,
        },
      ],
      output: null,
    },
    {
      name: 'twice in an ENV GOFLAGS (reported once, at the ENV)',
      code: lines(
        'FROM golang:1.18',
        "ENV GOOS=linux CGO_ENABLED=0 GOFLAGS='-v -ldflags=-s -ldflags=-w'",
        'RUN go build -a std',
        'RUN go build',
      ),
      findings: [
        {
          messageId: 'repeatedInGoflags',
          line: 2,
          column: 30,
          message:
            /^GOFLAGS gives -ldflags more than once: only the last one counts\. `-s` is lost\./,
        },
      ],
      output: null,
    },
    {
      name: 'twice in an inline GOFLAGS',
      code: lines(from, 'RUN GOFLAGS="-tags=a -tags=b" go build -o /out/app .'),
      findings: [
        {
          messageId: 'repeatedInGoflags',
          line: 2,
          message: /GOFLAGS gives -tags more than once.*`a` is lost/,
        },
      ],
      output: null,
    },
  ],
});

test('go-build-flag-overridden: the merge is a suggestion (the binary changes)', () => {
  const found = runRule(
    goBuildFlagOverridden,
    lines(from, 'RUN go build -ldflags -s -ldflags -w -o /app .'),
  );
  assert.equal(found.length, 1);
  assert.equal(found[0].fixes[0].safe, false);
});
