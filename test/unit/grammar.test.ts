import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import {
  INITIAL,
  parseRawGrammar,
  Registry,
  type IGrammar,
  type IOnigLib,
  type IToken,
} from 'vscode-textmate';
import { repoRoot as ROOT } from '../support/paths';

const INJECTION_PATH = resolve(ROOT, 'syntaxes/go-dockerfile.injection.tmLanguage.json');
const INJECTION_SCOPE = 'go-multistage.dockerfile.injection';
const REAL_GRAMMAR_ENV = 'GO_MULTISTAGE_DOCKER_GRAMMAR';

const STAGE = 'entity.name.type.stage.dockerfile';
const KEYWORD = 'keyword.other.special-method.dockerfile';
const FLAG = 'variable.parameter.flag.dockerfile';
const GO = 'support.function.go.dockerfile';
const GO_SUBCOMMAND = 'support.function.go.subcommand.dockerfile';
const GO_FLAG = 'variable.parameter.flag.go.dockerfile';
const GO_COMMAND = 'meta.command.go.dockerfile';
const GO_ENV = 'variable.other.env.go.dockerfile';
const GO_ENV_VALUE = 'constant.other.go-env.dockerfile';
const VARIABLE = 'variable.other.dockerfile';
const MOUNT_KEY = 'entity.other.attribute-name.mount.dockerfile';
const MOUNT_TYPE = 'constant.language.mount-type.dockerfile';
const MOUNT_VALUE = 'string.unquoted.mount.dockerfile';
const HEREDOC_BODY = 'string.unquoted.heredoc.dockerfile';
const HEREDOC_TAG = 'entity.name.tag.heredoc.dockerfile';
const STRING = 'string.quoted.double.dockerfile';
const COMMENT = 'comment.line.number-sign.dockerfile';

interface Host {
  label: string;
  path: string;
}

const hosts: Host[] = [
  {
    label: 'the test host grammar',
    path: resolve(ROOT, 'test/fixtures/dockerfile-host.tmLanguage.json'),
  },
];
/**
 * VS Code's own Dockerfile grammar: from the environment, else from the VS Code runtime that
 * `npm run test:vscode` installs (scripts/vscode/paths.mjs), which CI sets up before this runs.
 */
function findRealGrammar(): string | undefined {
  const explicit = process.env[REAL_GRAMMAR_ENV];
  if (explicit) return explicit;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const runtime =
    process.env.GO_MULTISTAGE_VSCODE_CACHE ||
    join(cacheHome, 'go-multistage', `code-server-${CODE_SERVER_VERSION}`);
  const grammar = join(
    runtime,
    'node_modules/code-server/lib/vscode/extensions/docker/syntaxes/docker.tmLanguage.json',
  );
  return existsSync(grammar) ? grammar : undefined;
}

/** Keep in step with scripts/vscode/paths.mjs. */
const CODE_SERVER_VERSION = '4.100.3';
const realGrammar = findRealGrammar();
if (realGrammar) hosts.push({ label: `the built-in grammar (${realGrammar})`, path: realGrammar });

let onigLib: Promise<IOnigLib> | undefined;

function onig() {
  onigLib ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm);
    return {
      createOnigScanner: (patterns: string[]) => oniguruma.createOnigScanner(patterns),
      createOnigString: (text: string) => oniguruma.createOnigString(text),
    };
  })();
  return onigLib;
}

async function loadGrammar(hostPath: string, withInjection: boolean): Promise<IGrammar> {
  const registry = new Registry({
    onigLib: onig(),
    loadGrammar: async (scope) => {
      if (scope === 'source.dockerfile') {
        return parseRawGrammar(readFileSync(hostPath, 'utf8'), hostPath);
      }
      if (scope === INJECTION_SCOPE) {
        return parseRawGrammar(readFileSync(INJECTION_PATH, 'utf8'), INJECTION_PATH);
      }
      return null;
    },
    // What `injectTo: ["source.dockerfile"]` in package.json tells VS Code.
    getInjections: (scope) =>
      withInjection && scope === 'source.dockerfile' ? [INJECTION_SCOPE] : undefined,
  });
  const grammar = await registry.loadGrammar('source.dockerfile');
  assert.ok(grammar, `cannot load ${hostPath}`);
  return grammar;
}

interface Line {
  text: string;
  tokens: IToken[];
}

function tokenize(grammar: IGrammar, text: string): Line[] {
  let state = INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return { text: line, tokens: result.tokens };
  });
}

/**
 * The scopes of every token that overlaps the `nth` occurrence of `needle` on line `line`
 * (zero-based), one list per token.
 */
function scopesAt(lines: Line[], line: number, needle: string, nth = 0): string[][] {
  const { text, tokens } = lines[line];
  let start = -1;
  for (let i = 0; i <= nth; i++) {
    start = text.indexOf(needle, start + 1);
    assert.ok(start >= 0, `"${needle}" (#${nth}) not on line ${line}: ${text}`);
  }
  const end = start + needle.length;
  return tokens.filter((t) => t.startIndex < end && t.endIndex > start).map((t) => t.scopes);
}

function describeScopes(scopes: string[][]): string {
  return scopes.map((s) => s.slice(1).join(' ') || '(plain)').join(' | ');
}

function expectScope(lines: Line[], line: number, needle: string, scope: string, nth = 0) {
  const scopes = scopesAt(lines, line, needle, nth);
  assert.ok(
    scopes.length > 0 && scopes.every((s) => s.includes(scope)),
    `"${needle}" on line ${line + 1} should be ${scope}; it is ${describeScopes(scopes)}`,
  );
}

function expectNoScope(lines: Line[], line: number, needle: string, scope: string, nth = 0) {
  const scopes = scopesAt(lines, line, needle, nth);
  assert.ok(
    scopes.every((s) => !s.includes(scope)),
    `"${needle}" on line ${line + 1} should not be ${scope}; it is ${describeScopes(scopes)}`,
  );
}

const SAMPLE = [
  /*  0 */ '# syntax=docker/dockerfile:1',
  /*  1 */ 'ARG GO_VERSION=1.26',
  /*  2 */ 'FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build',
  /*  3 */ 'WORKDIR /src',
  /*  4 */ 'RUN --mount=type=cache,target=/go/pkg/mod \\',
  /*  5 */ '    --mount=type=bind,source=go.mod,target=go.mod \\',
  /*  6 */ '    go mod download',
  /*  7 */ 'ARG TARGETOS TARGETARCH',
  /*  8 */ 'RUN --mount=type=cache,target=/root/.cache/go-build,sharing=locked \\',
  /*  9 */ '    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=${TARGETARCH} \\',
  /* 10 */ '    go build -trimpath -ldflags="-s -w" \\',
  /* 11 */ '      -o /out/app ./cmd/app && echo -n done',
  /* 12 */ 'FROM build AS test',
  /* 13 */ 'RUN go test -race ./... ; go vet ./...',
  /* 14 */ 'from golang:1.26-alpine as lint',
  /* 15 */ 'FROM --platform=$BUILDPLATFORM \\',
  /* 16 */ '    golang:1.26 AS tools',
  /* 17 */ 'RUN --mount=type=bind,from=tools,source=/go/bin,target=/tools true',
  /* 18 */ 'FROM gcr.io/distroless/static-debian13:nonroot',
  /* 19 */ 'COPY --from=build /out/app /app',
  /* 20 */ 'COPY --from=golang:1.26 /usr/local/go/lib/time/zoneinfo.zip /',
  /* 21 */ 'ENV CGO_ENABLED=0 GOFLAGS="-mod=mod" GO_VERSION=1.26',
  /* 22 */ 'RUN <<EOF',
  /* 23 */ 'go install golang.org/x/tools/cmd/stringer@v0.30.0',
  /* 24 */ 'echo generated',
  /* 25 */ 'EOF',
  /* 26 */ '# go build -o in a comment',
  /* 27 */ 'RUN echo "go build -o x" && gopher build',
  /* 28 */ 'COPY <<-"CONF" /etc/app.conf',
  /* 29 */ '\tlisten = ":8080"',
  /* 30 */ '\tCONF',
  /* 31 */ 'ENTRYPOINT ["/app"]',
].join('\n');

for (const host of hosts) {
  describe(`grammar injection, over ${host.label}`, () => {
    let lines: Line[];
    let plain: Line[];

    before(async () => {
      lines = tokenize(await loadGrammar(host.path, true), SAMPLE);
      plain = tokenize(await loadGrammar(host.path, false), SAMPLE);
    });

    test('scopes stage declarations', () => {
      expectScope(lines, 2, 'build', STAGE);
      expectScope(lines, 2, 'AS', KEYWORD);
      expectScope(lines, 2, 'FROM', KEYWORD);
      expectScope(lines, 12, 'test', STAGE);
      expectScope(lines, 14, 'lint', STAGE);
      expectScope(lines, 14, 'as', KEYWORD);
      expectScope(lines, 16, 'tools', STAGE);
    });

    test('scopes stage references like declarations', () => {
      expectScope(lines, 12, 'build', STAGE);
      expectScope(lines, 19, 'build', STAGE);
      expectScope(lines, 19, '--from', FLAG);
      expectScope(lines, 17, 'tools', STAGE);
    });

    test('leaves images unscoped as stages', () => {
      expectNoScope(lines, 2, 'golang', STAGE);
      expectNoScope(lines, 2, 'GO_VERSION', STAGE);
      expectNoScope(lines, 14, 'golang', STAGE);
      expectNoScope(lines, 16, 'golang', STAGE);
      expectNoScope(lines, 18, 'gcr.io', STAGE);
      expectNoScope(lines, 20, 'golang', STAGE);
      expectScope(lines, 2, '--platform', FLAG);
    });

    test('scopes go commands, subcommands and their flags', () => {
      expectScope(lines, 6, 'go', GO);
      expectScope(lines, 6, 'mod', GO_SUBCOMMAND);
      expectScope(lines, 6, 'download', GO_SUBCOMMAND);
      expectScope(lines, 10, 'go', GO);
      expectScope(lines, 10, 'build', GO_SUBCOMMAND);
      expectScope(lines, 10, '-trimpath', GO_FLAG);
      expectScope(lines, 10, '-ldflags', GO_FLAG);
      expectScope(lines, 11, '-o', GO_FLAG);
      expectScope(lines, 11, './cmd/app', GO_COMMAND);
      expectScope(lines, 13, '-race', GO_FLAG);
      expectScope(lines, 13, 'vet', GO_SUBCOMMAND);
    });

    test('keeps quoted flag values as strings', () => {
      expectScope(lines, 10, '"-s -w"', STRING);
      expectNoScope(lines, 10, '-s', GO_FLAG);
    });

    test('ends the go command with the shell command', () => {
      expectNoScope(lines, 11, 'echo', GO_COMMAND);
      expectNoScope(lines, 11, '-n', GO_FLAG);
      expectNoScope(lines, 13, ';', GO_COMMAND);
      expectNoScope(lines, 7, 'TARGETOS', GO_COMMAND);
    });

    test('does not take other words for go commands', () => {
      expectNoScope(lines, 4, '/go/pkg/mod', GO);
      expectNoScope(lines, 27, 'go build', GO);
      expectScope(lines, 27, 'go build', STRING);
      expectNoScope(lines, 27, 'gopher', GO);
      expectScope(lines, 26, 'go build', COMMENT);
      expectNoScope(lines, 26, 'go build', GO);
    });

    test('scopes Go build environment assignments', () => {
      expectScope(lines, 9, 'CGO_ENABLED', GO_ENV);
      expectScope(lines, 9, '0', GO_ENV_VALUE);
      expectScope(lines, 9, 'GOOS', GO_ENV);
      expectScope(lines, 9, '$TARGETOS', VARIABLE);
      expectScope(lines, 9, '${TARGETARCH}', VARIABLE);
      expectScope(lines, 21, 'CGO_ENABLED', GO_ENV);
      expectScope(lines, 21, 'GOFLAGS', GO_ENV);
      expectScope(lines, 21, '"-mod=mod"', STRING);
      expectNoScope(lines, 21, 'GO_VERSION', GO_ENV);
      expectNoScope(lines, 1, 'GO_VERSION', GO_ENV);
    });

    test('scopes BuildKit mount options', () => {
      expectScope(lines, 4, '--mount', FLAG);
      expectScope(lines, 4, 'type', MOUNT_KEY);
      expectScope(lines, 4, 'cache', MOUNT_TYPE);
      expectScope(lines, 4, 'target', MOUNT_KEY);
      expectScope(lines, 4, '/go/pkg/mod', MOUNT_VALUE);
      expectScope(lines, 5, 'bind', MOUNT_TYPE);
      expectScope(lines, 5, 'source', MOUNT_KEY);
      expectScope(lines, 8, 'sharing', MOUNT_KEY);
      expectScope(lines, 8, 'locked', MOUNT_VALUE);
      expectScope(lines, 17, 'from', MOUNT_KEY);
      expectNoScope(lines, 17, 'true', MOUNT_VALUE);
    });

    test('scopes heredoc bodies up to their delimiter', () => {
      expectScope(lines, 22, 'RUN', KEYWORD);
      expectScope(lines, 22, 'EOF', HEREDOC_TAG);
      expectScope(lines, 23, 'golang.org', HEREDOC_BODY);
      expectScope(lines, 23, 'go', GO);
      expectScope(lines, 23, 'install', GO_SUBCOMMAND);
      expectScope(lines, 24, 'echo', HEREDOC_BODY);
      expectScope(lines, 25, 'EOF', HEREDOC_TAG);
      expectNoScope(lines, 25, 'EOF', HEREDOC_BODY);
      expectNoScope(lines, 26, '#', HEREDOC_BODY);
      expectScope(lines, 28, 'CONF', HEREDOC_TAG);
      expectScope(lines, 29, 'listen', HEREDOC_BODY);
      expectScope(lines, 30, 'CONF', HEREDOC_TAG);
      expectScope(lines, 31, 'ENTRYPOINT', KEYWORD);
      expectNoScope(lines, 31, 'ENTRYPOINT', HEREDOC_BODY);
    });

    test("keeps the host grammar's scopes elsewhere", () => {
      for (const line of [0, 3, 26, 31]) {
        assert.deepEqual(lines[line].tokens, plain[line].tokens, `line ${line + 1}`);
      }
      expectScope(lines, 3, 'WORKDIR', KEYWORD);
      expectScope(lines, 31, '"/app"', STRING);
    });
  });
}

test(
  'the built-in Dockerfile grammar',
  {
    skip: realGrammar
      ? false
      : `run npm run test:vscode once (it installs VS Code) or set ${REAL_GRAMMAR_ENV}`,
  },
  () => {
    // The suites above ran over it as well.
    assert.ok(realGrammar);
  },
);
