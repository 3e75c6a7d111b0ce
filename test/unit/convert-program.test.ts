/**
 * "Convert to multi-stage" with the build context known and its Go sources read: the runtime
 * keeps the working directory and the binary's path, receives the files the program reads, runs
 * as a user that can write where the program writes, keeps cgo where the program needs it, and
 * has the programs it starts — or the conversion is refused with the reason. (The same shapes
 * are built and run for real by `npm run test:build`.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel, convertToMultiStage } from '../../server/src/core';
import type { ConvertOptions } from '../../server/src/core/convert';
import { supportedGoLines } from '../../server/src/core/data/go-releases';
import { lines } from '../support/rule-tester';

/** Converts with an in-memory build context (its files and their text). */
function convertWith(dockerfile: string, files: Record<string, string>, options?: ConvertOptions) {
  const context = { files: Object.keys(files), readFile: (path: string) => files[path] };
  return convertToMultiStage(buildModel(dockerfile, { goMod: files['go.mod'], context }), options);
}

function converted(dockerfile: string, files: Record<string, string>, options?: ConvertOptions) {
  const result = convertWith(dockerfile, files, options);
  assert.ok(result.ok, result.ok ? '' : result.reason);
  // The runtime stage, with the comments above its FROM.
  const lines = result.text.split('\n');
  let start = lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  while (start > 0 && lines[start - 1].startsWith('#')) start--;
  return { ...result, runtime: lines.slice(start).join('\n') };
}

const GO_MOD = 'module example.com/app\n\ngo 1.22\n';
const main = (...body: string[]) =>
  ['package main', '', 'import (', '\t"fmt"', '\t"net/http"', '\t"os"', '\t"os/exec"', ')', '']
    .concat([
      'func main() {',
      ...body.map((l) => `\t${l}`),
      '\t_, _, _ = fmt.Println, http.Get, exec.Command',
      '\t_ = os.Args',
      '}',
    ])
    .join('\n');

const SERVICE = lines(
  'FROM golang:1.22',
  'WORKDIR /app',
  'COPY . .',
  'RUN go build -o server .',
  'CMD ["./server"]',
);

describe('conversion: files the program reads', () => {
  test('a string of wildcards alone ("*", a CORS origin) names no file', () => {
    const { notes } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('fmt.Println("Access-Control-Allow-Origin", "*")'),
      'install.sh': 'echo',
    });
    // install.sh comes with the rest of the working directory, not as a file the program names.
    const besides = notes.find((n) => n.startsWith('Besides the program'));
    assert.match(besides ?? '', /\/app\/install\.sh \(from the build context\)/);
  });

  test('what the sources name and the rest of the working directory, not sources or furniture', () => {
    const { runtime } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('os.ReadFile("conf/app.ini")'),
      'conf/app.ini': 'a=1',
      dictionary: 'words',
      'web/handlers.go': 'package web',
      'web/page.html': '<p>',
      'frontend/package.json': '{}',
      'README.md': '# app',
      Dockerfile: 'FROM scratch',
      '.github/workflows/ci.yml': 'on: push',
    });
    assert.equal(
      runtime,
      lines(
        '# Non-root, unlike the original: the program writes nothing outside /tmp, binds no port below 1024.',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'WORKDIR /app',
        'COPY --from=build /app/server /app/server',
        'COPY --from=build /app/conf /app/conf',
        'COPY --from=build /app/dictionary /app/dictionary',
        'CMD ["./server"]',
      ),
    );
  });

  test('a directory of Go files that the sources open (a web root with its embed file) comes along', () => {
    const { runtime } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('http.Handle("/", http.FileServer(http.Dir("web")))'),
      'web/embed.go': 'package web',
      'web/index.html': '<p>',
    });
    assert.match(runtime, /COPY --from=build \/app\/web \/app\/web\n/);
  });

  test('a file the sources read that the context lacks now is copied when present', () => {
    const { runtime } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('os.ReadFile("config.json")', 'os.WriteFile("state.json", nil, 0o600)'),
    });
    assert.match(
      runtime,
      /# config\.json is read \(main\.go:11\) but was not in the build context at conversion: copied when present\.\nCOPY --from=build --chown=65532:65532 \/app\/config\.jso\[n\] \/app\/\n/,
    );
    // What the program creates itself is not wanted from the build.
    assert.doesNotMatch(runtime, /COPY[^\n]*state\.jso/);
  });

  test('a file given to a function named for one (WithCredentialsFile) is a file it reads', () => {
    const { runtime } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main(
        'option.WithCredentialsFile("serviceAccount.json")',
        'ioutil.TempFile("", "x")',
      ),
    });
    assert.match(
      runtime,
      /# serviceAccount\.json is read \(main\.go:11\) but was not in the build context at conversion: copied when present\.\nCOPY --from=build \/app\/serviceAccount\.jso\[n\] \/app\/\n/,
    );
    assert.doesNotMatch(runtime, /COPY[^\n]*\/x/);
  });

  test('a folder or file a RUN it cannot follow may make is copied when present', () => {
    const { runtime } = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        'RUN sh scripts/gen-assets.sh',
        'CMD ["./server"]',
      ),
      {
        'go.mod': GO_MOD,
        'main.go': main(
          'http.Handle("/", http.FileServer(http.Dir("public")))',
          'os.ReadFile("/etc/app/VERSION")',
        ),
        'scripts/gen-assets.sh': 'mkdir -p public /etc/app && echo 1 > /etc/app/VERSION\n',
      },
    );
    // A folder's contents land in the folder; a file in its folder.
    assert.match(
      runtime,
      /# public is read \(main\.go:11\) but may be made by the RUN on line 5, which the conversion cannot follow: copied when present\.\nCOPY --from=build \/app\/publi\[c\] \/app\/public\/\n/,
    );
    assert.match(
      runtime,
      /# VERSION is read \(main\.go:12\) but may be made by the RUN on line 5, [^\n]*\nCOPY --from=build \/etc\/app\/VERSIO\[N\] \/etc\/app\/\n/,
    );
  });

  test('a folder the sources serve that the context lacks now (a gitignored build) is copied when present', () => {
    const { runtime } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('http.Handle("/", http.FileServer(http.Dir("./frontend/dist")))'),
    });
    assert.match(
      runtime,
      /# dist is read \(main\.go:11\) but was not in the build context at conversion: copied when present\.\nCOPY --from=build \/app\/frontend\/dis\[t\] \/app\/frontend\/dist\/\n/,
    );
    // Not when .dockerignore keeps it out of every build.
    const files: Record<string, string> = {
      'go.mod': GO_MOD,
      'main.go': main('http.Handle("/", http.FileServer(http.Dir("./frontend/dist")))'),
    };
    const context = {
      files: Object.keys(files),
      readFile: (path: string) => files[path],
      ignored: (path: string) => path === 'frontend/dist',
    };
    const ignored = convertToMultiStage(buildModel(SERVICE, { goMod: GO_MOD, context }));
    assert.ok(ignored.ok);
    if (ignored.ok) assert.doesNotMatch(ignored.text, /dis\[t\]/);
  });

  test('nor when .dockerignore keeps it out of every build', () => {
    const files: Record<string, string> = {
      'go.mod': GO_MOD,
      'main.go': main('os.ReadFile(".env")'),
    };
    const context = {
      files: Object.keys(files),
      readFile: (path: string) => files[path],
      ignored: (path: string) => path === '.env',
    };
    const result = convertToMultiStage(buildModel(SERVICE, { goMod: GO_MOD, context }));
    assert.ok(result.ok);
    if (result.ok) assert.doesNotMatch(result.text, /\.en\[v\]/);
  });

  test('a config named by the start command, above the working directory, and set up by RUN', () => {
    const { runtime } = converted(
      lines(
        'FROM golang:1.22',
        'COPY . /srv',
        'WORKDIR /srv/cmd/api',
        'RUN go build -o /usr/local/bin/api .',
        'RUN cp /srv/settings.example.json /etc/api.json && cp -r /srv/assets /opt/api/',
        'CMD ["api", "-c", "../../deploy/api.yaml"]',
      ),
      {
        'go.mod': GO_MOD,
        'cmd/api/main.go': main(),
        'deploy/api.yaml': 'x: 1',
        'settings.example.json': '{}',
        'assets/logo.png': 'png',
        'db-config.yaml': 'dsn: x',
      },
    );
    assert.match(runtime, /COPY --from=build \/srv\/deploy \/srv\/deploy\n/);
    // The rest of the copied tree above the working directory (a program reads ../config).
    assert.match(runtime, /COPY --from=build \/srv\/db-config\.yaml \/srv\/db-config\.yaml\n/);
    assert.match(runtime, /COPY --from=build \/etc\/api\.json \/etc\/api\.json\n/);
    assert.match(runtime, /COPY --from=build \/opt\/api \/opt\/api\n/);
  });

  test('a path with a blank is written in JSON form', () => {
    const { runtime } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('os.ReadDir("my assets")'),
      'my assets/a.txt': 'a',
    });
    assert.match(runtime, /COPY --from=build \["\/app\/my assets", "\/app\/my assets"\]\n/);
  });
});

describe('conversion: the user the program runs as', () => {
  test('a SQLite database in /tmp: a temporary file, the runtime is non-root', () => {
    const source = [
      'package main',
      '',
      'import "database/sql"',
      '',
      'func main() { _, _ = sql.Open("sqlite", "/tmp/app.db") }',
    ].join('\n');
    const { runtime, notes } = converted(SERVICE, { 'go.mod': GO_MOD, 'main.go': source });
    assert.match(runtime, /^FROM gcr\.io\/distroless\/static-debian13:nonroot$/m);
    // The driver's name is no file the program reads.
    assert.ok(!notes.some((n) => /sqlite is read|\/app\/sqlite/.test(n)), notes.join('\n'));
  });

  test('writing below the working directory: the non-root user owns it', () => {
    const { runtime, notes } = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('os.MkdirAll("clips", 0o755)'),
      'templates/a.html': '<p>',
    });
    assert.match(
      runtime,
      /^FROM gcr\.io\/distroless\/static-debian13:nonroot\n# Non-root, and \/app is this user's: the program writes there: clips \(main\.go:11\)\.\nUSER 65532:65532\nWORKDIR \/app\nCOPY --from=build \/app\/server \/app\/server\nCOPY --from=build --chown=65532:65532 \/app\/templates \/app\/templates\n/,
    );
    assert.ok(
      notes.some((n) => /writes below its working directory \(clips \(main\.go:11\)\)/.test(n)),
    );
  });

  test('writing below the working directory into a folder compose mounts from the host: root', () => {
    const files: Record<string, string> = {
      'go.mod': GO_MOD,
      'main.go': main('os.WriteFile("db/app.db", nil, 0o644)'),
    };
    const context = { files: Object.keys(files), readFile: (path: string) => files[path] };
    const compose = (paths: string[]) => ({
      source: { kind: 'compose', file: 'compose.yml', line: 3, label: 'service web' },
      output: 'image' as const,
      hostMounts: [{ label: 'service web', file: 'compose.yml', line: 6, paths }],
    });
    const convert = (paths: string[]) => {
      const model = buildModel(SERVICE, { goMod: GO_MOD, context, builds: [compose(paths)] });
      const result = convertToMultiStage(model);
      assert.ok(result.ok, result.ok ? '' : result.reason);
      return result.text;
    };
    const text = convert(['/app/db']);
    assert.match(
      text,
      /# Runs as root, as the original image did: it writes db\/app\.db \(main\.go:11\) in \/app\/db, which compose\.yml:7, service web mounts from the host/,
    );
    assert.doesNotMatch(text, /USER/);
    // A mount elsewhere leaves the program's folder to the image: non-root, as without one.
    assert.match(convert(['/app/config']), /USER 65532:65532/);
  });

  for (const [name, body, reason] of [
    [
      'a write elsewhere',
      'os.MkdirAll("/var/lib/app", 0o755)',
      /it writes \/var\/lib\/app \(main\.go:11\), outside its working directory/,
    ],
    [
      'a write to a computed path',
      'os.Create(os.Getenv("OUT"))',
      /it writes to a path computed at run time \(os\.Create in main\.go:11\)/,
    ],
    [
      'a port below 1024',
      'http.ListenAndServe(":80", nil)',
      /it listens on port 80 \(main\.go:11\)/,
    ],
    [
      'a file mounted at run time',
      'os.ReadFile("/etc/letsencrypt/live/x/privkey.pem")',
      /it reads \/etc\/letsencrypt\/live\/x\/privkey\.pem \(main\.go:11\), which the image does not hold/,
    ],
  ] as const) {
    test(`${name}: root, as the original ran, and the file says why`, () => {
      const { runtime } = converted(SERVICE, { 'go.mod': GO_MOD, 'main.go': main(body) });
      assert.match(
        runtime,
        /^# Runs as root, as the original image did: .*\nFROM gcr\.io\/distroless\/static-debian13\n/,
      );
      assert.match(runtime, reason);
      assert.doesNotMatch(runtime, /USER/);
      // A non-root runtime chosen explicitly is refused rather than switched.
      const refused = convertWith(
        SERVICE,
        { 'go.mod': GO_MOD, 'main.go': main(body) },
        { runtimeImage: 'cgr.dev/chainguard/static:latest' },
      );
      assert.equal(refused.ok, false);
      if (!refused.ok)
        assert.match(
          refused.reason,
          /runs as a non-root user, and the program must run as root as before/,
        );
    });
  }

  test('the original user of its own, on alpine: created unless alpine has it', () => {
    const dockerfile = (user: string) =>
      lines(
        'FROM golang:1.22-alpine',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server .',
        `USER ${user}`,
        'CMD ./server --port $PORT',
      );
    const files = { 'go.mod': GO_MOD, 'main.go': main() };
    assert.match(
      converted(dockerfile('app'), files).runtime,
      /RUN adduser -D -H app\n(.*\n)*USER app\n/,
    );
    const nobody = converted(dockerfile('nobody'), files).runtime;
    assert.doesNotMatch(nobody, /adduser/);
    assert.match(nobody, /USER nobody\n/);
  });

  test('a program that starts bash gets an alpine runtime that installs bash', () => {
    const { runtime } = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /src/app .',
        'ENTRYPOINT ["/src/app"]',
      ),
      { 'go.mod': GO_MOD, 'main.go': main('exec.Command("bash", "./scripts/gen.sh").Run()') },
    );
    assert.match(runtime, /^FROM alpine:[^\n]*\nRUN apk add --no-cache [^\n]*\bbash\b/m);
  });

  test('the original user on distroless: kept when distroless has it (nobody), else 65532', () => {
    const dockerfile = (user: string) =>
      lines(
        'FROM golang:1.22-alpine',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o /usr/local/bin/app .',
        `USER ${user}`,
        'ENTRYPOINT ["/usr/local/bin/app"]',
      );
    const files = { 'go.mod': GO_MOD, 'main.go': main() };
    const runtime = (user: string) => converted(dockerfile(user), files).runtime;
    assert.match(runtime('nobody'), /\nUSER nobody\n/);
    assert.match(runtime('nobody:nobody'), /\nUSER nobody:nobody\n/);
    // alpine's nogroup (65533) is no group of distroless; on Debian's golang images it is 65534.
    assert.match(runtime('nobody:nogroup'), /has no group "nogroup"\nUSER 65532:65532\n/);
    assert.match(runtime('app'), /has no user "app"\nUSER 65532:65532\n/);
    const debian = (user: string) =>
      converted(dockerfile(user).replace('golang:1.22-alpine', 'golang:1.22'), files).runtime;
    assert.match(
      debian('nobody:nogroup'),
      /# USER nobody:nogroup: .* has no group "nogroup"; the same ids\nUSER 65534:65534\n/,
    );
    // An account a RUN creates with an explicit id keeps that id.
    const created = converted(
      dockerfile('app').replace('USER app', 'RUN adduser -D -u 1500 app\nUSER app'),
      files,
    ).runtime;
    assert.match(created, /has no user "app"; the id the original image gave it\nUSER 1500\n/);
  });

  test('a tool that only root can use: root, with the reason final-stage-runs-as-root reads', () => {
    const dockerfile = lines(
      'FROM golang:1.22-alpine',
      'RUN apk add --no-cache iptables',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'CMD ["./server"]',
    );
    // The sources write nothing: without the tool the runtime would be non-root.
    const files = { 'go.mod': GO_MOD, 'main.go': main() };
    const { runtime, notes } = converted(dockerfile, files);
    assert.match(
      runtime,
      /^# Runs as root, as the original image did: it installs iptables \(line 2\), a network tool that needs root \(CAP_NET_ADMIN\)\.\n/m,
    );
    assert.doesNotMatch(runtime, /USER/);
    assert.ok(
      notes.some((n) => /runs as root, as the original did, because it installs iptables/.test(n)),
    );
    const without = converted(dockerfile.replace(' iptables', ' curl'), files).runtime;
    assert.match(without, /USER 65532:65532|:nonroot/);
  });

  test('a script that only downloads modules is no Go build: the refusal says so', () => {
    const dockerfile = lines(
      'FROM golang:1.22',
      'COPY tools.sh /opt/tools.sh',
      'RUN /opt/tools.sh',
    );
    const download = convertWith(dockerfile, {
      'tools.sh': '#!/bin/sh\ngo mod download golang.org/x/tools@v0.44.0\n',
    });
    assert.ok(!download.ok && /runs no go build or go install/.test(download.reason));
    const build = convertWith(dockerfile, {
      'tools.sh': '#!/bin/sh\ngo build -o /usr/local/bin/app .\n',
    });
    assert.ok(
      !build.ok && /the Go build runs through `\/opt\/tools\.sh` \(line 3\)/.test(build.reason),
    );
  });

  test('ENTRYPOINT [] clears the entrypoint: CMD names the program', () => {
    const { runtime } = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /usr/local/bin/app .',
        'ENTRYPOINT []',
        'CMD ["app"]',
      ),
      { 'go.mod': GO_MOD, 'main.go': main() },
    );
    assert.match(runtime, /COPY --from=build \/usr\/local\/bin\/app \/usr\/local\/bin\/app\n/);
    assert.match(runtime, /ENTRYPOINT \[\]\nCMD \["\/usr\/local\/bin\/app"\]\n/);
  });

  test('an ENV for the Go runtime or the program goes to the runtime; one for the build stays', () => {
    const dockerfile = lines(
      'FROM golang:1.22-alpine',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'ENV GOMAXPROCS=2 GODEBUG=http2client=0',
      'ENV GOTIFY_SERVER_PORT=8080',
      'ENV GOFLAGS=-mod=mod GOPROXY=direct',
      'CMD ["./server"]',
    );
    const { runtime, text } = converted(dockerfile, { 'go.mod': GO_MOD, 'main.go': main() });
    assert.match(
      runtime,
      /^ENV GOMAXPROCS=2 GODEBUG=http2client=0\nENV GOTIFY_SERVER_PORT=8080\n/m,
    );
    assert.doesNotMatch(runtime, /GOFLAGS|GOPROXY/);
    assert.match(text, /^ENV GOFLAGS=-mod=mod GOPROXY=direct$/m);
  });

  test('a TLS key in /etc/ssl/private (root and ssl-cert only) keeps root, put there or named', () => {
    const dockerfile = lines(
      'FROM golang:1.22',
      'RUN apt-get update && apt-get install -y ssl-cert',
      'WORKDIR /src',
      'COPY . .',
      'RUN go build -o /usr/bin/tlsapp .',
      'RUN mv ssl/app.key /etc/ssl/private/',
      'ENTRYPOINT ["tlsapp"]',
    );
    const files = { 'go.mod': GO_MOD, 'main.go': main(), 'ssl/app.key': 'KEY' };
    const put = converted(dockerfile, files).runtime;
    assert.match(
      put,
      /^# Runs as root, as the original image did: it puts files in \/etc\/ssl\/private \(line 6\), a folder only root and the ssl-cert group may enter\.\n/m,
    );
    assert.doesNotMatch(put, /USER/);
    const named = converted(dockerfile.replace('RUN mv ssl/app.key /etc/ssl/private/\n', ''), {
      ...files,
      'main.go': main('os.ReadFile("/etc/ssl/private/app.key")'),
    }).runtime;
    assert.match(
      named,
      /^# Runs as root, as the original image did: it reads \/etc\/ssl\/private\/app\.key \(main\.go:11\) in \/etc\/ssl\/private/m,
    );
  });

  test('a dotenv file named by a constant and joined into a path is copied when present', () => {
    const program = [
      'package main',
      '',
      'import "os"',
      '',
      'var EnvFile = ".env"',
      'var Example = ".env.example"',
      '',
      'func main() {',
      '\tcwd, _ := os.Getwd()',
      '\tos.ReadFile(cwd + "/" + EnvFile)',
      '}',
    ].join('\n');
    const { runtime } = converted(SERVICE, { 'go.mod': GO_MOD, 'main.go': program });
    assert.match(
      runtime,
      /^# \.env is read \(main\.go:5\) but was not in the build context at conversion: copied when present\.\nCOPY --from=build \/app\/\.en\[v\] \/app\/$/m,
    );
    assert.doesNotMatch(runtime, /example/);
  });

  test('a shell-form start command that changes directory first: the binary found from there', () => {
    const dockerfile = lines(
      'FROM golang:1.22',
      'WORKDIR /app',
      'COPY . .',
      'RUN cd server && go build -o main',
      'CMD cd server && ./main',
    );
    const files = {
      'go.mod': GO_MOD,
      'server/main.go': main('os.ReadFile("../frontend/index.html")'),
      'frontend/index.html': '<p>hi</p>',
    };
    const result = converted(dockerfile, files);
    assert.match(result.runtime, /^COPY --from=build \/app\/server\/main \/app\/server\/main$/m);
    assert.match(result.runtime, /^COPY --from=build \/app\/frontend \/app\/frontend$/m);
    assert.match(result.runtime, /^WORKDIR \/app\nCOPY/m);
    assert.match(result.runtime, /^CMD cd server && \.\/main$/m);
    assert.equal(result.runtimeImage, 'alpine:3.24');
  });

  test('a path in root’s home that the start command gives the program keeps root', () => {
    const dockerfile = lines(
      'FROM golang:1.22-alpine',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'CMD ["./server", "--kubeconfig", "/root/.kube/config"]',
    );
    const files = { 'go.mod': GO_MOD, 'main.go': main() };
    const { runtime } = converted(dockerfile, files);
    assert.match(
      runtime,
      /^# Runs as root, as the original image did: its CMD gives it `\/root\/\.kube\/config` in root's home, which other users cannot enter\.\n/m,
    );
    assert.doesNotMatch(runtime, /USER/);
    const elsewhere = converted(dockerfile.replace('/root/', '/etc/'), files).runtime;
    assert.match(elsewhere, /USER 65532:65532|:nonroot/);
  });

  test('a Docker client that go.mod requires: root, with the reason the rule reads', () => {
    const dockerfile = lines(
      'FROM golang:1.22-alpine',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'CMD ["./server"]',
    );
    const goMod = (require: string) => `${GO_MOD}\nrequire ${require} v28.5.2+incompatible\n`;
    const client = [
      'package main',
      '',
      'import "github.com/docker/docker/client"',
      '',
      'func main() { client.NewClientWithOpts() }',
    ].join('\n');
    const files = { 'go.mod': goMod('github.com/docker/docker'), 'main.go': client };
    const { runtime } = converted(dockerfile, files);
    assert.match(
      runtime,
      /^# Runs as root, as the original image did: its go\.mod requires the Docker client github\.com\/docker\/docker \(line 5\), which talks to the Docker daemon/m,
    );
    assert.doesNotMatch(runtime, /USER/);
    // The program's sources, all read, import no client: another package of the module does.
    const unused = converted(dockerfile, { ...files, 'main.go': main() });
    assert.match(unused.runtime, /USER 65532:65532|:nonroot/);
    const cli = converted(dockerfile, {
      'go.mod': goMod('github.com/docker/cli'),
      'main.go': main(),
    });
    assert.match(cli.runtime, /USER 65532:65532|:nonroot/);
  });

  test('a port below 1024 that EXPOSE names in a parent stage keeps root', () => {
    const dockerfile = lines(
      'FROM golang:1.22 AS base',
      'EXPOSE 80',
      'FROM base',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server .',
      'CMD ["./server"]',
    );
    const { runtime } = converted(dockerfile, { 'go.mod': GO_MOD, 'main.go': main() });
    assert.match(runtime, /it listens on port 80 \(EXPOSE\)/);
  });
});

describe('conversion: cgo', () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    [
      'import "C"',
      {
        'main.go':
          'package main\n\n// int answer(void) { return 42; }\nimport "C"\n\nfunc main() { _ = C.answer() }\n',
      },
      SERVICE,
      /import "C" in main\.go/,
    ],
    [
      "a cgo-only module required indirectly (gorm's sqlite driver)",
      {
        'go.mod':
          GO_MOD +
          '\nrequire (\n\tgorm.io/driver/sqlite v1.5.0\n\tgithub.com/mattn/go-sqlite3 v1.14.17 // indirect\n)\n',
        'main.go': main(),
      },
      SERVICE,
      /go\.mod requires github\.com\/mattn\/go-sqlite3/,
    ],
    [
      '-race',
      { 'main.go': main() },
      SERVICE.replace('go build', 'go build -race'),
      /-race, which needs cgo/,
    ],
  ];
  for (const [name, files, dockerfile, why] of cases) {
    test(`${name}: cgo stays on, with glibc in the runtime`, () => {
      const result = converted(dockerfile, { 'go.mod': GO_MOD, ...files });
      assert.doesNotMatch(result.text, /CGO_ENABLED=0/);
      assert.match(
        result.runtime,
        /^# cgo is kept \(.*\): the binary needs glibc, which this image has\.\n(# .*\n)?FROM gcr\.io\/distroless\/base-debian13:nonroot\n/,
      );
      assert.ok(
        result.notes.some((n) => why.test(n)),
        result.notes.join('\n'),
      );
    });
  }

  test('a build after `. ./build.env`: the file may set CGO_ENABLED, refused saying so', () => {
    const refused = convertWith(SERVICE.replace('RUN go build', 'RUN . ./build.env && go build'), {
      'go.mod': GO_MOD,
      'main.go': main(),
      'build.env': 'CGO_ENABLED=1\n',
    });
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.match(
        refused.reason,
        /reads variables from a file first .* which may set CGO_ENABLED/,
      );
    }
  });

  test('only go.mod requires a cgo module: a chosen libc-less runtime is refused, saying so', () => {
    const files = {
      'go.mod': GO_MOD + '\nrequire github.com/mattn/go-sqlite3 v1.11.0 // indirect\n',
      'main.go': main(),
    };
    const refused = convertWith(SERVICE, files, { runtimeImage: 'scratch' });
    assert.equal(refused.ok, false);
    if (!refused.ok) {
      assert.match(
        refused.reason,
        /go-sqlite3 \(indirectly\), which builds only with cgo; no source of the program imports it, but a package it imports from another module may, so the binary needs glibc, which scratch does not have\. Set CGO_ENABLED=0 first if none does\./,
      );
    }
  });

  const rootWithSqlite = GO_MOD + '\nrequire github.com/mattn/go-sqlite3 v1.14.22\n';

  test("a module of its own copied as `/dummy/app/.`: the root go.mod's requirements are not its", () => {
    const result = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /app',
        'COPY /dummy/app/. .',
        'RUN go build -o server .',
        'CMD ["/app/server"]',
      ),
      {
        'go.mod': rootWithSqlite,
        'main.go': main(),
        'dummy/app/go.mod': 'module example.com/dummy\n\ngo 1.22\n',
        'dummy/app/server.go': main(),
      },
    );
    assert.match(result.text, /CGO_ENABLED=0 go build -o server \./);
    assert.doesNotMatch(result.text + result.notes.join('\n'), /go-sqlite3/);
    assert.match(result.runtime, /FROM gcr\.io\/distroless\/static-debian13/);
  });

  test("`go install tool@latest`: no go.mod of the context is the tool's", () => {
    const result = converted(
      lines(
        'FROM golang:1.22',
        'RUN go install example.org/webdav@latest',
        'CMD ["webdav", "-c", "/etc/webdav.yml"]',
      ),
      { 'go.mod': rootWithSqlite, 'main.go': main() },
    );
    assert.doesNotMatch(result.text + result.notes.join('\n'), /go-sqlite3/);
  });

  test('import "C" only in files for other systems: cgo off, a static runtime', () => {
    const result = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main(),
      'serial_darwin.go': 'package main\n\nimport "C"\n',
      'console.go': '//go:build windows\n\npackage main\n\nimport "C"\n',
    });
    assert.match(result.text, /RUN CGO_ENABLED=0 go build -o server \.\n/);
    assert.match(result.runtime, /FROM gcr\.io\/distroless\/static-debian13:nonroot\n/);
  });

  test('cgo used where available (`//go:build cgo`): kept, as the original image had it', () => {
    const result = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main(),
      'fast.go': '//go:build cgo\n\npackage main\n\nimport "C"\n',
    });
    assert.doesNotMatch(result.text, /CGO_ENABLED=0/);
    assert.ok(result.notes.some((n) => /import "C" in fast\.go/.test(n)));
  });

  test('golang alpine before Go 1.20 links net with musl: CGO_ENABLED=0 for a static runtime', () => {
    const result = converted(SERVICE.replace('golang:1.22', 'golang:1.16-alpine'), {
      'go.mod': GO_MOD,
      'main.go': main(),
    });
    assert.match(result.text, /RUN CGO_ENABLED=0 go build -o server \.\n/);
    // Off by default since 1.20 (no C compiler); written out all the same, as an unnamed
    // version would need it.
    for (const tag of ['golang:1.22-alpine', 'golang:alpine3.10']) {
      const other = converted(SERVICE.replace('golang:1.22', tag), {
        'go.mod': GO_MOD,
        'main.go': main(),
      });
      assert.match(other.text, /RUN CGO_ENABLED=0 go build -o server \.\n/);
    }
  });

  const sqlite = GO_MOD + '\nrequire github.com/mattn/go-sqlite3 v1.14.22\n';
  const sqliteMain = main().replace('"os/exec"', '"os/exec"\n\t_ "github.com/mattn/go-sqlite3"');

  test('a cgo-only module on golang alpine (no C compiler): the same build, and a note that says it fails', () => {
    const dockerfile = SERVICE.replace('golang:1.22', 'golang:1.22.3-alpine3.20');
    const contexts: Record<string, string>[] = [
      { 'go.mod': sqlite, 'main.go': sqliteMain },
      { 'go.mod': sqlite, 'main.go': main() },
    ];
    for (const files of contexts) {
      const result = converted(dockerfile, files);
      assert.match(result.text, /RUN CGO_ENABLED=0 go build -o server \.\n/);
      const note = result.notes.find((n) => /go-sqlite3/.test(n));
      assert.ok(note, result.notes.join('\n'));
      assert.match(
        note,
        /cgo is off in golang:1\.22\.3-alpine3\.20, which has no C compiler, as in the original image: the binary is built without cgo and fails at run time/,
      );
      assert.match(note, /CGO_ENABLED=1/);
    }
    // Without the build context, go.mod alone says so.
    const model = buildModel(dockerfile, { goMod: sqlite });
    const result = convertToMultiStage(model);
    assert.ok(result.ok);
    assert.ok(
      result.notes.some((n) =>
        /^go\.mod requires github\.com\/mattn\/go-sqlite3.*fails at run time/.test(n),
      ),
    );
  });

  test('a cgo-only module built with CGO_ENABLED=0: kept as written, with the note', () => {
    const result = converted(SERVICE.replace('go build', 'CGO_ENABLED=0 go build'), {
      'go.mod': sqlite,
      'main.go': sqliteMain,
    });
    assert.match(result.runtime, /FROM gcr\.io\/distroless\/static-debian13/);
    assert.ok(
      result.notes.some((n) =>
        /but the build sets CGO_ENABLED=0, as in the original image/.test(n),
      ),
      result.notes.join('\n'),
    );
  });

  test('a program that needs no cgo gets no cgo note', () => {
    const result = converted(SERVICE.replace('golang:1.22', 'golang:1.22-alpine'), {
      'go.mod': GO_MOD,
      'main.go': main(),
    });
    assert.ok(!result.notes.some((n) => /cgo/.test(n)), result.notes.join('\n'));
  });
});

describe('conversion: the Go it builds with', () => {
  test('a golang image older than go.mod: kept, and the notes say the build fails as before', () => {
    const dockerfile = lines(
      'FROM golang:1.21.0',
      'WORKDIR /app',
      'COPY . .',
      'RUN go build -o server',
      'ENTRYPOINT ["./server"]',
    );
    const goMod = 'module example.com/app\n\ngo 1.24.0\n\ntoolchain go1.24.1\n';
    const result = converted(dockerfile, { 'go.mod': goMod, 'main.go': main() });
    assert.match(result.text, /^FROM golang:1\.21\.0 AS build\n/);
    const note = result.notes.find((n) => /older than go\.mod/.test(n));
    assert.ok(note, result.notes.join('\n'));
    assert.equal(
      note,
      "The build keeps golang:1.21.0 (line 1), whose Go 1.21.0 is older than go.mod's go 1.24.0: " +
        'the golang images set GOTOOLCHAIN=local, so the go command stops with "go: go.mod ' +
        'requires go >= 1.24.0 (running go 1.21.0; GOTOOLCHAIN=local)". So the converted image ' +
        // go.mod's 1.24 is out of support by the shipped data: the oldest supported Go.
        `fails to build, as the original does; use golang:${supportedGoLines().at(-1)!.minor} to fix it.`,
    );
  });

  test('a golang image that meets go.mod: no note about it', () => {
    const result = converted(SERVICE, { 'go.mod': GO_MOD, 'main.go': main() });
    assert.ok(!result.notes.some((n) => /older than go\.mod/.test(n)), result.notes.join('\n'));
  });

  test('an image before Go 1.21 that still reads go.mod: it builds, with the older Go', () => {
    const result = converted(SERVICE.replace('golang:1.22', 'golang:1.20'), {
      'go.mod': GO_MOD,
      'main.go': main(),
    });
    assert.ok(
      result.notes.some((n) =>
        /golang:1\.20 \(line 1\), whose Go 1\.20 is older than go\.mod's go 1\.22: Go before 1\.21 does not enforce.* So the converted image builds with that older Go, as the original does; use golang:\d+\.\d+ to fix it\.$/.test(
          n,
        ),
      ),
      result.notes.join('\n'),
    );
  });
});

describe('conversion: the module download layer', () => {
  const requiring = GO_MOD + '\nrequire github.com/acme/lib v1.0.0\n';
  test('go.mod and go.sum when the context has both, go.mod alone without go.sum', () => {
    assert.match(
      converted(SERVICE, { 'go.mod': requiring, 'go.sum': 'x', 'main.go': main() }).text,
      /WORKDIR \/app\nCOPY go\.mod go\.sum \.\/\nRUN go mod download\nCOPY \. \.\n/,
    );
    const noSum = converted(SERVICE, { 'go.mod': requiring, 'main.go': main() }).text;
    assert.match(noSum, /COPY go\.mod \.\/\nRUN go mod download\n/);
    assert.doesNotMatch(noSum, /go\.sum/);
  });

  test('none without a go.mod (GOPATH layouts, go build main.go)', () => {
    const text = converted(SERVICE.replace('go build -o server .', 'go build -o server main.go'), {
      'main.go': main(),
    }).text;
    assert.doesNotMatch(text, /go mod download|COPY go\.mod/);
  });
});

describe('conversion: programs the program starts', () => {
  test('a program of the golang image is installed in a runtime of its family', () => {
    const result = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("git", "pull")'),
    });
    // Debian slim of the builder's release (golang:1.22 names none: the current one).
    assert.equal(result.runtimeImage, 'debian:trixie-slim');
    assert.match(
      result.runtime,
      /apt-get install -y --no-install-recommends ca-certificates tzdata git /,
    );
  });

  test("busybox's applets on an alpine golang image give alpine; procps on Debian is installed", () => {
    const alpine = SERVICE.replace('golang:1.22', 'golang:1.22-alpine');
    for (const program of ['wget', 'pgrep']) {
      const result = converted(alpine, {
        'go.mod': GO_MOD,
        'main.go': main(`exec.Command("${program}", "x")`),
      });
      assert.equal(result.runtimeImage, 'alpine:3.24', program);
      assert.ok(result.notes.some((n) => n.includes(`the program runs ${program} (exec.Command`)));
    }
    const debian = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("pgrep", "-f", "worker")'),
    });
    assert.match(
      debian.runtime,
      /apt-get install -y --no-install-recommends ca-certificates tzdata procps /,
    );
  });

  test('a language runtime: its package comes along, unless the image installs modules for it', () => {
    const files = {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("node", "index.js")'),
      'index.js': 'console.log(1)\n',
    };
    const alpine = SERVICE.replace('golang:1.22', 'golang:1.22-alpine');
    // nodejs is a build package as a rule (front-end builds); the program starts node.
    const plain = converted(
      alpine.replace('RUN go build', 'RUN apk add nodejs npm\nRUN go build'),
      files,
    );
    assert.match(plain.runtime, /apk add --no-cache ca-certificates tzdata nodejs\n/);
    const modules = convertWith(
      alpine.replace('RUN go build', 'RUN apk add nodejs npm && npm install\nRUN go build'),
      files,
    );
    assert.match(
      modules.ok ? '' : modules.reason,
      /^the program runs node \(exec\.Command in main\.go:11\), and the image installs the modules its scripts load with `npm install`, which the conversion does not carry/,
    );
  });

  test("what the Debian golang image has through its packages' dependencies is installed again", () => {
    for (const [program, pkg] of [
      ['openssl', 'openssl'],
      ['python3', 'python3'],
      ['perl', 'perl'],
    ]) {
      const result = converted(SERVICE, {
        'go.mod': GO_MOD,
        'main.go': main(`exec.Command("${program}", "version")`),
      });
      assert.match(
        result.runtime,
        new RegExp(`apt-get install -y --no-install-recommends ca-certificates tzdata ${pkg} `),
        program,
      );
    }
    const xargs = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("xargs")'),
    });
    assert.equal(xargs.runtimeImage, 'alpine:3.24');
  });

  test('a shell script made at run time is refused; a literal one is read for its programs', () => {
    const computed = convertWith(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("bash", "-c", os.Args[1])'),
    });
    assert.match(
      computed.ok ? '' : computed.reason,
      /^the program runs bash with a script made at run time \(exec\.Command in main\.go:11\): what that script runs and writes is not known/,
    );
    const spread = convertWith(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("sh", os.Args...)'),
    });
    assert.match(spread.ok ? '' : spread.reason, /runs sh with a script made at run time/);
    const literal = convertWith(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("sh", "-c", "ffmpeg -i in.mp4 out.webm")'),
    });
    assert.match(literal.ok ? '' : literal.reason, /runs ffmpeg \(exec\.Command in main\.go:11\)/);
  });

  test('a shell gives a runtime with one', () => {
    const result = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("sh", "-c", "date")'),
    });
    assert.equal(result.runtimeImage, 'alpine:3.24');
  });

  test('a name computed at run time, or a program nothing provides, is refused', () => {
    const computed = convertWith(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command(os.Args[1])'),
    });
    assert.equal(computed.ok, false);
    if (!computed.ok)
      assert.match(
        computed.reason,
        /names are computed at run time \(exec\.Command in main\.go:11\)/,
      );
    const unknown = convertWith(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main('exec.Command("ffmpeg")'),
    });
    assert.equal(unknown.ok, false);
    if (!unknown.ok)
      assert.match(
        unknown.reason,
        /runs ffmpeg .*which the image does not install and golang:1.22 does not have/,
      );
  });
});

describe('conversion: programs started only on other systems', () => {
  test('exec.Command in a file no Linux build compiles is not a need of the image', () => {
    const result = converted(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main(),
      // The file name alone, and a //go:build line, each keep the file out of a Linux build.
      'system_android.go':
        'package main\n\nimport "os/exec"\n\nvar _ = exec.Command("/system/bin/getprop")\n',
      'open.go':
        '//go:build darwin || windows\n\npackage main\n\nimport "os/exec"\n\nvar _ = exec.Command("open")\n',
    });
    assert.match(result.runtime, /FROM gcr\.io\/distroless\/static-debian13:nonroot\n/);
  });

  test('a file only a build tag compiles counts when a build sets the tag, or when the tags are not known', () => {
    const files = {
      'go.mod': GO_MOD,
      'main.go': main(),
      'gen.go':
        '//go:build generate\n\npackage main\n\nimport "os/exec"\n\nvar _ = exec.Command("stringer")\n',
    };
    // go build without -tags: `generate` is never set, so gen.go is not part of the program.
    assert.match(converted(SERVICE, files).runtime, /FROM gcr\.io\/distroless\/static-debian13/);
    const tagged = convertWith(SERVICE.replace('go build', 'go build -tags generate'), files);
    assert.match(tagged.ok ? '' : tagged.reason, /runs stringer \(exec\.Command in gen\.go:7\)/);
    const unknown = convertWith(
      SERVICE.replace('RUN go build', 'ARG TAGS\nRUN go build -tags "$TAGS"'),
      files,
    );
    assert.match(unknown.ok ? '' : unknown.reason, /runs stringer/);
  });

  test('a file for one architecture of Linux still counts (the architecture is not known)', () => {
    const refused = convertWith(SERVICE, {
      'go.mod': GO_MOD,
      'main.go': main(),
      'probe_arm64.go': 'package main\n\nimport "os/exec"\n\nvar _ = exec.Command("ffmpeg")\n',
    });
    assert.equal(refused.ok, false);
    if (!refused.ok)
      assert.match(refused.reason, /runs ffmpeg \(exec\.Command in probe_arm64\.go:5\)/);
  });
});

describe('conversion: what starts the program', () => {
  test('an entrypoint script copied in: read to find the binary, kept, with a shell', () => {
    const result = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /usr/local/bin/app .',
        'COPY entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      {
        'go.mod': GO_MOD,
        'main.go': main(),
        'entrypoint.sh':
          '#!/bin/bash\nset -e\nexport MODE=${MODE:-prod}\nexec /usr/local/bin/app "$@"\n',
      },
    );
    assert.equal(result.runtimeImage, 'alpine:3.24');
    assert.match(result.runtime, /RUN apk add --no-cache ca-certificates tzdata bash\n/);
    assert.match(
      result.runtime,
      /COPY --from=build \/usr\/local\/bin\/app \/usr\/local\/bin\/app\n/,
    );
    assert.match(result.runtime, /COPY --from=build \/entrypoint\.sh \/entrypoint\.sh\n/);
    assert.match(result.runtime, /ENTRYPOINT \["\/entrypoint\.sh"\]\n$/);
  });

  test('go-wrapper run starts what go-wrapper install built', () => {
    const result = converted(
      lines(
        'FROM golang:1.9',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go-wrapper download && go-wrapper install',
        'CMD ["go-wrapper", "run", "--port", "8080"]',
      ),
      { 'main.go': main() },
    );
    assert.match(result.text, /RUN go-wrapper download && CGO_ENABLED=0 go-wrapper install\n/);
    assert.match(result.runtime, /COPY --from=build \/go\/bin\/app \/go\/bin\/app\n/);
    assert.match(result.runtime, /CMD \["\/go\/bin\/app", "--port", "8080"\]\n$/);
  });

  const refusals: [string, string, RegExp][] = [
    [
      'a live-reload tool installed from elsewhere',
      'RUN go install github.com/cosmtrek/air@latest\nCMD ["air"]',
      /\(air\) runs the Go toolchain, a build tool or a live-reload tool/,
    ],
    [
      'CompileDaemon rebuilding on change',
      'ENTRYPOINT CompileDaemon --build="go build -o app" --command=./app',
      /CompileDaemon/,
    ],
    [
      'an idle container',
      'RUN go build -o app .\nCMD tail -f /dev/null',
      /keeps the container idle/,
    ],
  ];
  for (const [name, tail, reason] of refusals) {
    test(`refused: ${name}`, () => {
      const result = convertWith(`FROM golang:1.22\nWORKDIR /app\nCOPY . .\n${tail}\n`, {
        'go.mod': GO_MOD,
        'main.go': main(),
      });
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, reason);
    });
  }
});

describe('conversion: binaries and where they go', () => {
  test('every program the image builds comes along, at its own path, on the PATH', () => {
    const result = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN go install ./cmd/api ./cmd/worker && go install github.com/swaggo/swag/cmd/swag@v1.16.3',
        'CMD ["api"]',
      ),
      { 'go.mod': GO_MOD, 'cmd/api/main.go': main(), 'cmd/worker/main.go': main() },
    );
    assert.match(
      result.runtime,
      /COPY --from=build \/go\/bin\/api \/go\/bin\/api\nCOPY --from=build \/go\/bin\/worker \/go\/bin\/worker\n/,
    );
    assert.doesNotMatch(result.runtime, /swag/);
    assert.match(result.runtime, /ENV PATH=\/go\/bin:\/usr\/local\/sbin:/);
  });

  test('a program named like a system directory, or like its working directory, keeps its path', () => {
    const bin = converted(SERVICE.replace('-o server', '-o bin').replace('./server', './bin'), {
      'go.mod': GO_MOD,
      'main.go': main(),
    });
    assert.match(bin.runtime, /WORKDIR \/app\nCOPY --from=build \/app\/bin \/app\/bin\n/);
    const app = converted(SERVICE.replace('-o server', '-o app').replace('./server', './app'), {
      'go.mod': GO_MOD,
      'main.go': main(),
    });
    assert.match(app.runtime, /WORKDIR \/app\nCOPY --from=build \/app\/app \/app\/app\n/);
  });

  test("scratch gets CA certificates, Go's zoneinfo and /tmp when the program writes temporary files", () => {
    const result = converted(
      SERVICE,
      { 'go.mod': GO_MOD, 'main.go': main('os.CreateTemp("", "upload")') },
      { runtimeImage: 'scratch' },
    );
    assert.match(
      result.runtime,
      /^FROM scratch\nCOPY --from=build \/etc\/ssl\/certs\/ca-certificates\.crt \/etc\/ssl\/certs\/\nCOPY --from=build \/usr\/local\/go\/lib\/time\/zoneinfo\.zip \/zoneinfo\.zip\nENV ZONEINFO=\/zoneinfo\.zip\nCOPY --from=build \/tmp \/tmp\n/,
    );
    const embedded = converted(
      SERVICE,
      { 'go.mod': GO_MOD, 'main.go': 'package main\n\nimport _ "time/tzdata"\n\nfunc main() {}\n' },
      { runtimeImage: 'scratch' },
    );
    assert.doesNotMatch(embedded.runtime, /zoneinfo|COPY --from=build \/tmp/);
  });
});

test('a final stage given the golang toolchain by COPY: refused, with what to do instead', () => {
  const result = convertToMultiStage(
    buildModel(
      lines(
        'FROM alpine:3.22',
        'COPY --from=golang:1.25-alpine /usr/local/go/ /usr/local/go/',
        'ENV PATH="/usr/local/go/bin:${PATH}"',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /usr/local/bin/app .',
        'CMD ["app"]',
      ),
    ),
  );
  assert.equal(result.ok, false);
  assert.match(
    result.ok ? '' : result.reason,
    /^the final stage copies the Go toolchain in from golang:1\.25-alpine \(line 2\) onto alpine:3\.22/,
  );
});

describe('conversion: what RUN commands put where the program runs', () => {
  const TEMPLATES = (...body: string[]) =>
    lines(
      'package main',
      '',
      'import (',
      '\t"html/template"',
      '\t"net/http"',
      ')',
      '',
      'func main() {',
      '\tt := template.Must(template.ParseGlob("templates/*.html"))',
      ...body,
      '\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Execute(w, nil) })',
      '\thttp.ListenAndServe(":8080", nil)',
      '}',
    );
  const FILES = {
    'go.mod': GO_MOD,
    'main.go': TEMPLATES(),
    'templates/index.html': '<p>hi</p>',
    'static/logo.png': 'png',
  };

  test('a program built from a .go file named by its absolute path: its sources are read', () => {
    const files = {
      'go.mod': GO_MOD,
      'main.go': TEMPLATES().replace('"templates/*.html"', '"/templates/*.html"'),
      'templates/index.html': '<p>hi</p>',
    };
    const result = converted(
      lines(
        'FROM golang:1.22',
        'ADD go.mod main.go /',
        'ADD templates/* /templates/',
        'RUN go build -o /app /main.go',
        'ENTRYPOINT ["/app"]',
      ),
      files,
    );
    assert.match(result.runtime, /COPY --from=build \/templates \/templates\n/);
    assert.ok(!result.notes.some((n) => /not a file copied/.test(n)), result.notes.join('\n'));
  });

  test('files a RUN copies next to the binary, in the working directory, come along and are named', () => {
    const result = converted(
      lines(
        'FROM golang:1.22-alpine',
        'COPY . /src/',
        'WORKDIR /src',
        'RUN go build -o /app/server . && cp -R templates /app && cp -R static /app && rm -rf /src',
        'WORKDIR /app',
        'ENTRYPOINT ["/app/server"]',
      ),
      FILES,
    );
    assert.match(result.runtime, /COPY --from=build \/app\/templates \/app\/templates\n/);
    assert.match(result.runtime, /COPY --from=build \/app\/static \/app\/static\n/);
    const note = result.notes.find((n) => n.startsWith('Besides the program'));
    assert.match(note ?? '', /\/app\/templates \(named in main\.go:9; made by the RUN on line 4\)/);
    assert.doesNotMatch(note ?? '', /the rest of/);
  });

  test('cp -t, several sources and mv into a directory the stage made keep their names', () => {
    const result = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN mkdir -p /app && go build -o /app/server .',
        'RUN cp -r -t /app templates && mv static /app',
        'WORKDIR /app',
        'CMD ["./server"]',
      ),
      FILES,
    );
    assert.match(result.runtime, /COPY --from=build \/app\/templates \/app\/templates\n/);
    assert.match(result.runtime, /COPY --from=build \/app\/static \/app\/static\n/);
  });

  test('files of unknown names a RUN writes into a working directory without sources: the whole directory', () => {
    const result = converted(
      lines(
        'FROM golang:1.22',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /app/server .',
        'RUN cp -R templates/. /app',
        'WORKDIR /app',
        'CMD ["./server"]',
      ),
      FILES,
    );
    assert.match(result.runtime, /COPY --from=build \/app \/app\n/);
  });

  test('files of unknown names a RUN writes next to the sources: refused with the line', () => {
    const result = convertWith(
      lines(
        'FROM golang:1.22',
        'WORKDIR /app',
        'COPY . .',
        'RUN go build -o server . && cp -R static/. .',
        'CMD ["./server"]',
      ),
      FILES,
    );
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(
        result.reason,
        /the RUN on line 4 writes files whose names are not known into \/app/,
      );
    }
  });
});

describe('conversion: a start script that needs the Go toolchain', () => {
  const SCRIPT = lines(
    '#!/usr/bin/env bash',
    'log() {',
    '  echo "*** $1"',
    '}',
    'function build {',
    '  go mod download',
    '  go build -o /svc .',
    '}',
    'log start',
    'build',
    'exec dlv --headless exec /svc',
  );
  for (const apt of [
    '',
    'RUN apt-get update && apt-get install -y --no-install-recommends inotify-tools\n',
  ]) {
    test(`refused for the toolchain, not for its own functions${apt ? ', packages installed' : ''}`, () => {
      const result = convertWith(
        `FROM golang:1.22\n${apt}RUN go install github.com/go-delve/delve/cmd/dlv@v1.25.0\nCOPY entrypoint.sh /entrypoint.sh\nWORKDIR /src\nENTRYPOINT ["/entrypoint.sh"]\n`,
        { 'go.mod': GO_MOD, 'entrypoint.sh': SCRIPT },
      );
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(
          result.reason,
          /^the start script \/entrypoint\.sh runs go \(go mod download, go build\), so the image needs the Go toolchain at run time/,
        );
        assert.doesNotMatch(result.reason, /exec\.Command|runs log|runs build/);
      }
    });
  }

  test('a Go program that runs the go command is refused whatever the runtime', () => {
    const result = convertWith(
      `FROM golang:1.22\nRUN apt-get update && apt-get install -y ffmpeg\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nCMD ["./server"]\n`,
      { 'go.mod': GO_MOD, 'main.go': main('exec.Command("go", "vet", "./...")') },
    );
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.match(
        result.reason,
        /runs the go command \(exec\.Command in main\.go:11\), so the image needs the Go toolchain/,
      );
  });

  test('a Go build only in a stage the final stage is not built on is named', () => {
    const result = convertWith(
      lines(
        'FROM golang:1.22 AS tool',
        'WORKDIR /src',
        'RUN go build -o /out/lint ./cmd/lint',
        'FROM golang:1.22 AS lint',
        'RUN --mount=from=tool,source=/out/lint,target=/usr/bin/lint lint run ./...',
      ),
      { 'go.mod': GO_MOD },
    );
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.reason, /go build of \/out\/lint in stage tool \(line 3\)/);
      assert.doesNotMatch(result.reason, /builds no Go program/);
    }
  });
});
