/**
 * The checks between the Dockerfile and the module over the CLI, on small module trees: the CLI
 * lists the build context, reads the Go sources through the project reader and applies
 * .dockerignore.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { main, type Io } from '../../server/src/cli/main';
import { rewriteFile } from '../../server/src/node/file-rewrite';
import { shopDockerfile, shopTree, writeTree, type Tree } from '../support/module-trees';

const RULES = new Set([
  'go-build-vcs-without-git',
  'go-ldflags-x-ineffective',
  'go-module-file-not-in-context',
  'go-workspace-not-copied',
]);

/** `lint --format json` of the tree's Dockerfile: the findings of the module checks. */
function lint(
  tree: Tree,
  args: string[] = [],
  /** Told what the CLI wrote on stderr, with the tree's folder. */
  notes?: (stderr: string, root: string) => void,
): { rule: string; line: number; message: string }[] {
  const root = writeTree(tree);
  try {
    let stdout = '';
    let stderr = '';
    const io: Io = {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: root,
      readStdin: () => '',
      writeFile: rewriteFile,
      color: false,
    };
    main(['lint', '--format', 'json', ...args, join(root, 'Dockerfile')], io);
    notes?.(stderr, root);
    const [file] = JSON.parse(stdout) as {
      diagnostics: { rule: string; message: string; range: { start: { line: number } } }[];
    }[];
    return file.diagnostics
      .filter((d) => RULES.has(d.rule))
      .map((d) => ({ rule: d.rule, line: d.range.start.line + 1, message: d.message }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('module checks over the CLI', () => {
  test('an -X of a variable the main package does not declare, with the right path offered', () => {
    const found = lint(shopTree(shopDockerfile('-s -w -X main.Version=1.0')));
    assert.deepEqual(found, [
      {
        rule: 'go-ldflags-x-ineffective',
        line: 6,
        message:
          '-X main.Version sets nothing: the main package declares no Version. It is declared as -X example.com/shop/internal/version.Version.',
      },
    ]);
  });

  test('stamps that name declared string variables are silent', () => {
    const dockerfile = shopDockerfile(
      '-X main.version=1.0 -X example.com/shop/internal/version.Version=1.0',
    );
    assert.deepEqual(lint(shopTree(dockerfile)), []);
  });

  test('COPY go.sum in a module without one fails; with a go.sum it does not', () => {
    const dockerfile = shopDockerfile('-X main.version=1', true);
    const found = lint(shopTree(dockerfile));
    assert.deepEqual(
      found.map((f) => [f.rule, f.line]),
      [['go-module-file-not-in-context', 3]],
    );
    assert.match(
      found[0].message,
      /^COPY go\.sum fails the build: the build context has no such file\./,
    );
    assert.deepEqual(lint(shopTree(dockerfile, { 'go.sum': '' })), []);
  });

  test('ADD go.mod go.sum: no context guessed from a folder without them, ADD named when one lacks go.sum', () => {
    const dockerfile = ['FROM golang:1.24', 'WORKDIR /app', 'ADD go.mod go.sum ./', 'RUN make', ''];
    const alone = { Dockerfile: dockerfile.join('\n') };
    assert.deepEqual(lint(alone), []);
    const found = lint({ ...alone, 'go.mod': 'module example.com/shop\n' });
    assert.deepEqual(
      found.map((f) => [f.rule, f.line, f.message]),
      [
        [
          'go-module-file-not-in-context',
          3,
          'ADD go.sum fails the build: the build context has no such file.',
        ],
      ],
    );
  });

  test('a package folder that .dockerignore excludes', () => {
    const tree = shopTree(shopDockerfile('-X main.version=1'), { '.dockerignore': 'cmd/\n' });
    const found = lint(tree);
    assert.deepEqual(
      found.map((f) => [f.rule, f.line, f.message]),
      [
        [
          'go-module-file-not-in-context',
          6,
          'go build ./cmd/shop fails: .dockerignore excludes cmd/shop/.',
        ],
      ],
    );
  });

  test("the Dockerfile's own ignore file, not the context's .dockerignore", () => {
    // BuildKit reads Dockerfile.dockerignore, beside the Dockerfile, instead of .dockerignore.
    const excludedByOwn = shopTree(shopDockerfile('-X main.version=1'), {
      '.dockerignore': '*.md\n',
      'Dockerfile.dockerignore': 'cmd/\n',
    });
    assert.deepEqual(
      lint(excludedByOwn).map((f) => f.message),
      ['go build ./cmd/shop fails: Dockerfile.dockerignore excludes cmd/shop/.'],
    );
    const keptByOwn = shopTree(shopDockerfile('-X main.version=1'), {
      '.dockerignore': 'cmd/\n',
      'Dockerfile.dockerignore': '*.md\n',
    });
    assert.deepEqual(lint(keptByOwn), []);
  });

  test('a replace outside the context, seen with the context given by --context', () => {
    const tree: Tree = {
      'lib/go.mod': 'module example.com/lib\n\ngo 1.22\n',
      'lib/lib.go': 'package lib\n',
      'svc/go.mod': 'module example.com/svc\n\ngo 1.22\n\nreplace example.com/lib => ../lib\n',
      'svc/main.go': 'package main\n\nfunc main() {}\n',
      Dockerfile: 'FROM golang:1.24\nWORKDIR /src\nCOPY go.mod ./\nRUN go mod download\n',
    };
    const found = lint(tree, ['--context', 'svc']);
    assert.deepEqual(
      found.map((f) => [f.rule, f.line]),
      [['go-module-file-not-in-context', 3]],
    );
    assert.equal(
      found[0].message,
      'go.mod replaces a module with ../lib, which the build cannot reach.',
    );
  });

  test('without sources to read (--context of an empty folder) the ldflags check is silent', () => {
    const found = lint({ ...shopTree(shopDockerfile('-X main.Nothing=1')), 'empty/.keep': '' }, [
      '--context',
      'empty',
    ]);
    assert.deepEqual(
      found.filter((f) => f.rule === 'go-ldflags-x-ineffective'),
      [],
    );
  });

  test('a workspace module built without its go.work, and with it', () => {
    const workspace: Tree = {
      'go.work': 'go 1.24\n\nuse (\n\t./api\n\t./lib\n)\n',
      'api/go.mod': 'module example.com/api\n\ngo 1.24\n\nrequire example.com/lib v0.0.0\n',
      'api/main.go': 'package main\n\nfunc main() {}\n',
      'lib/go.mod': 'module example.com/lib\n\ngo 1.24\n',
    };
    const without = [
      'FROM golang:1.24',
      'WORKDIR /src',
      'COPY api/ ./',
      'RUN go build -o /app .',
      '',
    ];
    assert.deepEqual(
      lint({ ...workspace, Dockerfile: without.join('\n') }).map((d) => [d.rule, d.line]),
      [['go-workspace-not-copied', 4]],
    );
    const withWork = [
      'FROM golang:1.24',
      'WORKDIR /src',
      'COPY . .',
      'WORKDIR /src/api',
      'RUN go build -o /app .',
      '',
    ];
    assert.deepEqual(lint({ ...workspace, Dockerfile: withWork.join('\n') }), []);
  });

  test('a .git that .dockerignore leaves incomplete fails the stamp; a whole one does not', () => {
    const repository: Tree = {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/refs/heads/main': '0123456789abcdef0123456789abcdef01234567\n',
      '.git/objects/pack/pack-1.pack': '',
      'go.mod': 'module example.com/app\n\ngo 1.24\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      Dockerfile: 'FROM golang:1.24\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n',
    };
    const found = lint({ ...repository, '.dockerignore': '.git/objects\n' });
    assert.deepEqual(
      found.map((f) => [f.rule, f.line, f.message]),
      [
        [
          'go-build-vcs-without-git',
          4,
          'This go build stamps VCS information from a .git that .dockerignore leaves incomplete.',
        ],
      ],
    );
    assert.deepEqual(lint(repository), []);
  });

  test('a worktree on Go 1.19: the .git file links outside the context', () => {
    const worktree: Tree = {
      '.git': 'gitdir: /home/me/app/.git/worktrees/feature\n',
      'go.mod': 'module example.com/app\n\ngo 1.19\n',
      'main.go': 'package main\n\nfunc main() {}\n',
      Dockerfile: 'FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n',
    };
    assert.deepEqual(
      lint(worktree).map((f) => [f.rule, f.line]),
      [['go-build-vcs-without-git', 4]],
    );
    const newer = worktree.Dockerfile.replace('1.19', '1.24');
    assert.deepEqual(lint({ ...worktree, Dockerfile: newer }), []);
  });

  test('Go sources set aside are noted on stderr, each once, and the -X check stays silent', () => {
    let stderr = '';
    let root = '';
    const tree = shopTree(shopDockerfile('-X main.Nothing=1', true), {
      'go.sum': '',
      'cmd/shop/gen.go': '//go:build ignore\n\npackage main\n',
      'cmd/shop/broken.go': 'package main\n\nfunc helper() {\n',
    });
    const found = lint(tree, [], (text, folder) => {
      stderr = text;
      root = folder;
    });
    assert.deepEqual(found, []);
    assert.deepEqual(stderr.split('\n').filter(Boolean).sort(), [
      `note: skipped ${join(root, 'cmd/shop/broken.go')}: not Go that compiles: brackets that do not match`,
      `note: skipped ${join(root, 'cmd/shop/gen.go')}: built only on request (//go:build ignore)`,
    ]);
    // Without the broken file the same build draws the -X finding: the silence was the skip's.
    delete tree['cmd/shop/broken.go'];
    assert.deepEqual(
      lint(tree).map((f) => f.rule),
      ['go-ldflags-x-ineffective'],
    );
  });
});
