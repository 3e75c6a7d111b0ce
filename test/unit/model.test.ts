import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel, type Stage } from '../../server/src/core';
import { argInForce } from '../../server/src/core/model/args';
import type { GoOutput } from '../../server/src/core/model/go-invocation';
import { startProgram } from '../../server/src/core/facts/start';
import { lines } from '../support/rule-tester';

function outputs(stage: Stage): GoOutput[] {
  return stage.goCalls.map((c) => c.output);
}

function files(stage: Stage): string[] {
  return stage.goCalls.map((c) =>
    c.output.kind === 'file' ? c.output.path : `<${c.output.kind}>`,
  );
}

describe('stages', () => {
  test('names compare case-insensitively and parents are resolved', () => {
    const model = buildModel(
      lines('FROM golang:1.24 AS Build', 'FROM build AS test', 'FROM BUILD'),
    );
    assert.equal(model.stages.length, 3);
    assert.equal(model.stages[0].name, 'Build');
    assert.equal(model.stages[1].parent, model.stages[0]);
    assert.equal(model.stages[2].parent, model.stages[0]);
    assert.ok(model.stages[2].facts.goToolchain);
    assert.equal(model.finalStage, model.stages[2]);
  });

  test('bases resolve through global ARG defaults and ${VAR:-default}', () => {
    const model = buildModel(
      lines(
        'ARG GO_VERSION=1.23',
        'ARG VARIANT',
        'FROM golang:${GO_VERSION}-alpine AS a',
        'FROM ${RUNTIME:-scratch} AS b',
        'FROM golang:${VARIANT}',
      ),
    );
    const [a, b, c] = model.stages;
    assert.equal(a.base?.text, 'golang:1.23-alpine');
    assert.equal(a.facts.goVersion, '1.23');
    assert.equal(a.facts.libc, 'musl');
    assert.equal(a.facts.cgoByDefault, false);
    assert.equal(b.facts.family, 'scratch');
    // An ARG without a default: still a golang image, version unknown.
    assert.equal(c.base, undefined);
    assert.ok(c.facts.goToolchain);
    assert.equal(c.facts.goVersion, undefined);
  });

  test('platform flag, shell and libc, inherited through FROM <stage>', () => {
    const model = buildModel(
      lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'FROM gcr.io/distroless/static-debian12:nonroot AS base',
        'FROM base AS final',
        'FROM gcr.io/distroless/base-debian12:debug',
        'FROM alpine:3.20',
      ),
    );
    const [build, base, final, debug, alpine] = model.stages;
    assert.equal(build.platform?.text, '$BUILDPLATFORM');
    assert.equal(build.facts.libc, 'glibc');
    assert.equal(build.hasShell, true);
    assert.equal(base.hasShell, false);
    assert.equal(base.facts.libc, 'none');
    assert.ok(base.facts.nonRoot);
    assert.equal(final.hasShell, false);
    assert.equal(final.facts.libc, 'none');
    assert.equal(debug.hasShell, true);
    assert.equal(debug.facts.libc, 'glibc');
    assert.equal(alpine.facts.libc, 'musl');
  });

  test('registry prefixes and docker.io/library are normalised', () => {
    const model = buildModel(
      lines(
        'FROM docker.io/library/golang:1.24@sha256:abc',
        'FROM mirror.example.com/library/golang:1.24',
      ),
    );
    assert.ok(model.stages[0].facts.goToolchain);
    assert.equal(model.stages[0].base?.digest, 'sha256:abc');
    assert.ok(model.stages[1].facts.goToolchain);
  });
});

describe('WORKDIR and environment', () => {
  test('relative WORKDIRs chain, and a child stage inherits the last one', () => {
    const model = buildModel(
      lines('FROM golang:1.24 AS a', 'WORKDIR src', 'WORKDIR app', 'FROM a', 'WORKDIR ../lib'),
    );
    assert.equal(model.stages[0].workdirAtEnd, '/go/src/app');
    assert.equal(model.stages[1].workdirAtEnd, '/go/src/lib');
  });

  test('WORKDIR expands ENV and ARG values', () => {
    const model = buildModel(
      lines('FROM golang:1.24', 'ARG APP=/srv', 'ENV HOME_DIR=$APP/home', 'WORKDIR ${HOME_DIR}'),
    );
    assert.equal(model.stages[0].workdirAtEnd, '/srv/home');
  });

  test('global ARGs are visible in a stage only when declared there', () => {
    const model = buildModel(
      lines('ARG VERSION=1.0', 'FROM golang:1.24', 'ARG VERSION', 'FROM golang:1.24'),
    );
    assert.equal(model.stages[0].scopeAtEnd.get('VERSION'), '1.0');
    assert.equal(model.stages[1].scopeAtEnd.has('VERSION'), false);
  });

  test('a stage built on another starts with its ARG values, as BuildKit does; a stage that only copies from it does not', () => {
    const model = buildModel(
      lines(
        'ARG GLOBAL=g',
        'FROM golang:1.24 AS base',
        'ARG TARGETARCH',
        'ARG LDFLAGS="-s -w"',
        'FROM base AS build',
        'ARG LDFLAGS',
        'ARG GLOBAL',
        'FROM build AS test',
        'FROM golang:1.24 AS other',
        'COPY --from=build /go /go',
      ),
    );
    const [base, build, test, other] = model.stages;
    assert.equal(
      build.scopeAtEnd.get('LDFLAGS'),
      '-s -w',
      'a redeclaration without default keeps it',
    );
    assert.equal(build.scopeAtEnd.get('TARGETARCH'), null);
    assert.equal(build.scopeAtEnd.get('GLOBAL'), 'g');
    assert.equal(test.scopeAtEnd.get('LDFLAGS'), '-s -w', 'through the chain');
    assert.equal(test.inheritedArgs.get('LDFLAGS')?.instruction, build.args[0].instruction);
    assert.equal(test.inheritedArgs.get('TARGETARCH')?.instruction, base.args[0].instruction);
    assert.equal(other.scopeAtEnd.has('LDFLAGS'), false);
    assert.equal(other.inheritedArgs.size, 0);
    assert.equal(argInForce(model, test, 'TARGETARCH')?.name, 'TARGETARCH');
    assert.equal(argInForce(model, other, 'TARGETARCH'), undefined);
  });

  test('the --platform flag is found among other (invalid) FROM flags', () => {
    const model = buildModel(
      lines(
        'FROM --}x=1 --platform=$BUILDPLATFORM golang:1.24 AS build',
        'FROM --platform=linux/arm64 alpine',
      ),
    );
    assert.equal(model.stages[0].platform?.text, '$BUILDPLATFORM');
    assert.equal(model.stages[1].platform?.text, 'linux/arm64');
  });

  test('quoted ARG defaults keep their spaces, escaped spaces too', () => {
    const model = buildModel(
      lines(
        'ARG LDFLAGS="-s -w" TAGS=\'netgo osusergo\' PLAIN',
        'FROM golang:1.24',
        'ARG LDFLAGS',
        'ARG OUT=my\\ app',
      ),
    );
    assert.deepEqual(
      model.globalArgs.map((a) => [a.name, a.defaultValue]),
      [
        ['LDFLAGS', '-s -w'],
        ['TAGS', 'netgo osusergo'],
        ['PLAIN', undefined],
      ],
    );
    assert.equal(model.stages[0].scopeAtEnd.get('LDFLAGS'), '-s -w');
    assert.equal(model.stages[0].scopeAtEnd.get('OUT'), 'my app');
    // A quote never closed still declares the ARG, up to the end of the instruction.
    const open = buildModel(lines('ARG VERSION="1.2 beta', 'FROM golang:1.24'));
    assert.deepEqual(
      open.globalArgs.map((a) => [a.name, a.defaultValue]),
      [['VERSION', '1.2 beta']],
    );
    // The name's range covers the name alone, for rename and go-to-definition.
    assert.deepEqual(model.globalArgs[1].nameRange, {
      start: { line: 0, character: 20 },
      end: { line: 0, character: 24 },
    });
  });
});

describe('go commands', () => {
  test('shell form, && chains, env assignments, line continuations', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'RUN go mod download && \\',
        '    CGO_ENABLED=0 GOOS=linux \\',
        '    go build -trimpath -ldflags="-s -w" -o /out/api ./cmd/api',
      ),
    );
    const [call] = model.stages[0].goCalls;
    assert.equal(call.invocation.subcommand, 'build');
    assert.equal(call.invocation.env.get('CGO_ENABLED'), '0');
    assert.equal(call.invocation.env.get('GOOS'), 'linux');
    assert.deepEqual(call.output, { kind: 'file', path: '/out/api', name: 'api' });
  });

  test('exec form, heredocs, sh -c and cd', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "build", "-o", "bin/a", "./cmd/a"]',
        'RUN <<EOF',
        '  cd cmd/b',
        '  go build -o ../../bin/',
        'EOF',
        `RUN sh -c 'cd /work && go build -o c ./cmd/c'`,
        'RUN cd /tmp && go build -C /src/cmd/d',
      ),
    );
    assert.deepEqual(files(model.stages[0]), ['/src/bin/a', '<dir>', '/work/c', '/src/cmd/d/d']);
    assert.deepEqual(outputs(model.stages[0])[1], { kind: 'dir', path: '/src/bin', names: ['b'] });
  });

  test('no -o: the package directory, or the module path for the module root', () => {
    const goMod = 'module github.com/acme/widget/v2\n\ngo 1.24\n';
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY go.mod go.sum ./',
        'RUN go build',
        'RUN go build .',
        'RUN go build ./cmd/tool/',
        'RUN go build main.go',
        'RUN go build ./...',
      ),
      { goMod },
    );
    assert.deepEqual(files(model.stages[0]), [
      '/src/widget',
      '/src/widget',
      '/src/tool',
      '/src/main',
      '<none>',
    ]);
  });

  test('-o built from an unknown variable: the directory is unknown too', () => {
    const model = buildModel(
      lines('FROM golang:1.24', 'WORKDIR /app', 'RUN go build -o $OUTDIR/bin/api ./cmd/api'),
    );
    assert.deepEqual(outputs(model.stages[0]), [{ kind: 'unknown' }]);
  });

  test('without go.mod, the module root name is unknown but the directory is not', () => {
    const model = buildModel(lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go build'));
    assert.deepEqual(outputs(model.stages[0]), [{ kind: 'dir', path: '/src' }]);
  });

  test('go install writes to $GOBIN or $GOPATH/bin', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'RUN go install example.com/tools/cmd/gen@v1.2.3',
        'RUN GOBIN=/usr/local/bin go install ./cmd/x',
        'ENV GOPATH=/home/go',
        'RUN go install github.com/acme/lint/v3@latest',
        'FROM alpine AS other',
        'RUN go install example.com/y@v1',
      ),
    );
    assert.deepEqual(files(model.stages[0]), [
      '/go/bin/gen',
      '/usr/local/bin/x',
      '/home/go/bin/lint',
    ]);
    // Outside the golang image, GOPATH defaults to $HOME/go.
    assert.deepEqual(files(model.stages[1]), ['/root/go/bin/y']);
  });

  test('-o with a single package pattern names a file', () => {
    const model = buildModel(
      lines(
        'FROM golang',
        'WORKDIR /go/src/app',
        'RUN go build -o /go/bin/app -v ./...',
        'RUN go build -o /out ./cmd/a ./cmd/b',
      ),
    );
    assert.deepEqual(outputs(model.stages[0]), [
      { kind: 'file', path: '/go/bin/app', name: 'app' },
      { kind: 'dir', path: '/out', names: ['a', 'b'] },
    ]);
  });

  test('xx-go and env wrappers', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24',
        'RUN xx-go build -o /out/a .',
        'RUN env -u X GOARCH=arm64 go build -o /out/b .',
      ),
    );
    const [a, b] = model.stages[0].goCalls;
    assert.ok(a.invocation.viaXx);
    assert.equal(b.invocation.env.get('GOARCH'), 'arm64');
  });

  test('lowercase instructions and an escape directive', () => {
    const model = buildModel(
      lines('# escape=`', 'from golang:1.24', 'run go build `', '    -o /out/app .'),
    );
    assert.deepEqual(files(model.stages[0]), ['/out/app']);
  });
});

describe('COPY --from edges and the start command', () => {
  test('by name, by index, external image, unknown', () => {
    const model = buildModel(
      lines(
        'FROM golang:1.24 AS build',
        'RUN go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'COPY --from=0 /out/app /app2',
        'COPY --from=alpine:3.20 /etc/ssl/certs/ /etc/ssl/certs/',
        'COPY --from=nope /x /x',
        'ENTRYPOINT ["/app"]',
        'CMD ["--port", "80"]',
      ),
    );
    const kinds = model.stages[1].copies.map((c) => c.from?.target.kind);
    assert.deepEqual(kinds, ['stage', 'stage', 'image', 'unknown']);
    assert.ok(model.stages[0].usedBy.has(1));
    assert.deepEqual(
      model.stages[1].fs.goBinaries().map((b) => b.path),
      ['/app', '/app2'],
    );
    const start = startProgram(model.stages[1]);
    assert.equal(start?.command.keyword, 'ENTRYPOINT');
    assert.equal(start?.argv[0].text, '/app');
  });

  test('ENTRYPOINT in a child stage resets an inherited CMD', () => {
    const model = buildModel(lines('FROM alpine AS a', 'CMD ["x"]', 'FROM a', 'ENTRYPOINT ["/y"]'));
    assert.equal(model.stages[1].cmd, undefined);
    assert.equal(model.stages[1].entrypoint?.exec?.[0].text, '/y');
  });
});

describe('ADD sources from elsewhere', () => {
  test('URLs and git repositories are told from context paths, as BuildKit tells them', () => {
    const model = buildModel(
      lines(
        'FROM alpine',
        'ARG HOST=example.com',
        'ADD https://${HOST}/v1/tool.tar.gz git@github.com:a/b.git#main git://h/r ssh://git@h/r /x/',
        'ADD https://github.com/a/b.git#v1:dir http://h/file.git?x=1 github.com/a/b ./go.mod /y/',
        'COPY https://example.com/f /z',
      ),
    );
    const remote = model.stages[0].copies.map((c) => c.sources.map((s) => s.remote ?? 'context'));
    assert.deepEqual(remote, [
      ['url', 'git', 'git', 'git'],
      ['git', 'git', 'context', 'context'],
      // COPY fetches nothing: Docker refuses a URL there.
      ['context'],
    ]);
  });

  test('with the context known, a fetched file lands under its URL name and a checkout as a tree', () => {
    const model = buildModel(
      lines(
        'FROM alpine',
        'ADD https://example.com/dl/tool?sig=1 /usr/local/bin/',
        'ADD https://example.com/dl/cfg.yaml /etc/app.yaml',
        'ADD https://github.com/a/b.git /src',
      ),
      { context: { files: ['go.mod'] } },
    );
    const { fs } = model.stages[0];
    assert.equal(fs.lookup('/usr/local/bin/tool').presence, 'yes');
    assert.equal(fs.lookup('/etc/app.yaml').presence, 'yes');
    assert.equal(fs.lookup('/src/main.go').presence, 'maybe');
    assert.ok(fs.entries.find((e) => e.path === '/src')?.cloned);
  });
});

describe('malformed input', () => {
  test('half-typed instructions do not throw', () => {
    for (const text of [
      'FROM',
      'FROM golang AS',
      'COPY --from=',
      'RUN go build -o',
      'RUN <<EOF\ngo build',
      'ENV',
      'ARG =',
      'WORKDIR',
      'CMD [',
      'HEALTHCHECK CMD',
    ]) {
      assert.doesNotThrow(() => buildModel(text), text);
    }
  });
});
