/**
 * Reading the repository around a Dockerfile, which is untrusted input: one reader for project
 * files (regular files only, a size cap, no reads outside the root), the build context with its
 * .dockerignore (matching stays linear), and the choice of the build context for a Dockerfile.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  isIgnored,
  listBuildContext,
  parseDockerignore,
} from '../../server/src/node/build-context';
import { findGoMod } from '../../server/src/node/go-mod';
import { contextFor } from '../../server/src/node/project';
import { readProjectFile, ReadBudget } from '../../server/src/node/project-reader';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gm-project-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the project file reader', () => {
  test('reads a regular file as text', () => {
    writeFileSync(join(dir, 'go.mod'), 'module example.com/a\n');
    assert.deepEqual(readProjectFile(join(dir, 'go.mod')), {
      ok: true,
      text: 'module example.com/a\n',
    });
  });

  test('skips devices, FIFOs, directories, missing and oversized files with a reason', () => {
    symlinkSync('/dev/zero', join(dir, 'zero'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    writeFileSync(join(dir, 'big'), 'x'.repeat(2048));
    assert.deepEqual(readProjectFile(join(dir, 'zero')), {
      ok: false,
      reason: 'not a regular file',
    });
    assert.deepEqual(readProjectFile(join(dir, 'fifo')), {
      ok: false,
      reason: 'not a regular file',
    });
    assert.deepEqual(readProjectFile(dir), { ok: false, reason: 'not a regular file' });
    assert.deepEqual(readProjectFile(join(dir, 'nope')), { ok: false, reason: 'not found' });
    assert.deepEqual(readProjectFile(join(dir, 'big'), { maxBytes: 1024 }), {
      ok: false,
      reason: 'larger than 1024 bytes',
    });
  });

  test('refuses a link out of the folder it must stay in, and a spent time budget', () => {
    const inside = join(dir, 'repo');
    mkdirSync(inside);
    writeFileSync(join(dir, 'secret'), 'key');
    symlinkSync(join(dir, 'secret'), join(inside, 'link'));
    const read = readProjectFile(join(inside, 'link'), { within: inside });
    assert.equal(read.ok, false);
    if (!read.ok) assert.match(read.reason, /a link to .*secret, outside/);
    const budget = new ReadBudget(-1);
    assert.deepEqual(readProjectFile(join(dir, 'go.mod'), { budget }), {
      ok: false,
      reason: 'the time for reading project files is spent',
    });
  });

  test('a read budget counts the time spent reading, not the time since the first read', () => {
    // A build context's listing is kept across analyses: a file first asked for later than the
    // budget after the first read is still read when the reads themselves were quick.
    const budget = new ReadBudget(200);
    assert.equal(readProjectFile(join(dir, 'go.mod'), { budget }).ok, true);
    const waitUntil = Date.now() + 300;
    while (Date.now() < waitUntil) {
      // Time passes without a read.
    }
    assert.equal(readProjectFile(join(dir, 'go.mod'), { budget }).ok, true);
    budget.charge(250);
    assert.equal(budget.spent, true);
  });

  test('a go.mod that is a link to a device is skipped, the walk goes on above it', () => {
    const top = join(dir, 'top');
    mkdirSync(join(top, 'svc'), { recursive: true });
    writeFileSync(join(top, 'go.mod'), 'module example.com/top\n');
    symlinkSync('/dev/zero', join(top, 'svc', 'go.mod'));
    assert.equal(findGoMod(join(top, 'svc'), top)?.path, join(top, 'go.mod'));
  });
});

describe('.dockerignore', () => {
  test('patterns, exceptions and directories', () => {
    const rules = parseDockerignore('# comment\n*.md\n!README.md\nnode_modules\n**/*.tmp\n');
    assert.equal(isIgnored(rules, 'CHANGES.md'), true);
    assert.equal(isIgnored(rules, 'README.md'), false);
    assert.equal(isIgnored(rules, 'node_modules/x/index.js'), true);
    assert.equal(isIgnored(rules, 'a/b/c.tmp'), true);
    assert.equal(isIgnored(rules, 'main.go'), false);
  });

  test('repeated ** match as one, without exponential backtracking', () => {
    const rules = parseDockerignore('**/**/**/**/**/**/**/**/**/**/**/**/nomatch\n');
    assert.deepEqual(rules[0].segments, ['**', 'nomatch']);
    const deep = Array.from({ length: 60 }, (_, i) => `d${i}`).join('/');
    assert.equal(isIgnored(rules, `${deep}/file`), false);
    assert.equal(isIgnored(rules, `${deep}/nomatch`), true);
  });

  test('the context listing reads files through the reader, and only listed ones', () => {
    const context = join(dir, 'ctx');
    mkdirSync(join(context, 'cmd'), { recursive: true });
    writeFileSync(join(context, 'cmd', 'main.go'), 'package main\n');
    writeFileSync(join(context, 'notes.md'), '# notes');
    writeFileSync(join(context, '.dockerignore'), '*.md\n');
    symlinkSync('/dev/zero', join(context, 'zero.go'));
    const listed = listBuildContext(context);
    assert.ok(listed);
    assert.deepEqual([...listed.files].sort(), ['.dockerignore', 'cmd/main.go', 'zero.go']);
    assert.equal(listed.readFile?.('cmd/main.go'), 'package main\n');
    assert.equal(listed.readFile?.('zero.go'), undefined);
    assert.equal(listed.readFile?.('notes.md'), undefined);
    // A .dockerignore that is a link to a device is not read: nothing is excluded.
    const other = join(dir, 'ctx2');
    mkdirSync(other);
    symlinkSync('/dev/zero', join(other, '.dockerignore'));
    writeFileSync(join(other, 'a.md'), 'a');
    assert.deepEqual(listBuildContext(other)?.files.includes('a.md'), true);
  });
});

describe("a Dockerfile's own ignore file", () => {
  test('<Dockerfile>.dockerignore beside it replaces the context root’s .dockerignore', () => {
    const repo = join(dir, 'own-ignore');
    mkdirSync(join(repo, 'deploy', 'api'), { recursive: true });
    writeFileSync(join(repo, '.dockerignore'), '*\n!bin\n');
    writeFileSync(join(repo, 'go.mod'), 'module example.com/r\n');
    writeFileSync(join(repo, 'main.go'), 'package main\n');
    writeFileSync(join(repo, 'notes.md'), '# notes\n');
    const dockerfile = join(repo, 'deploy', 'api', 'Dockerfile');
    writeFileSync(dockerfile, 'FROM golang:1.26\nCOPY . .\n');
    // Without its own ignore file, the root's `*` leaves go.mod out.
    const shared = listBuildContext(repo, undefined, dockerfile);
    assert.equal(shared?.ignored?.('go.mod'), true);
    assert.equal(shared?.ignoreFile, undefined);
    writeFileSync(`${dockerfile}.dockerignore`, '*.md\n');
    const own = listBuildContext(repo, undefined, dockerfile);
    assert.equal(own?.ignored?.('go.mod'), false);
    assert.equal(own?.ignored?.('notes.md'), true);
    assert.ok(own?.files.includes('main.go'));
    assert.equal(own?.ignoreFile, 'Dockerfile.dockerignore');
    // Another Dockerfile of the same context keeps the root's.
    assert.equal(
      listBuildContext(repo, undefined, join(repo, 'Dockerfile'))?.ignored?.('go.mod'),
      true,
    );
  });

  test('an own ignore file that cannot be read is reported, and the root’s is not used instead', () => {
    const repo = join(dir, 'own-ignore-device');
    mkdirSync(repo);
    writeFileSync(join(repo, '.dockerignore'), '*\n');
    writeFileSync(join(repo, 'go.mod'), 'module example.com/r\n');
    const dockerfile = join(repo, 'Dockerfile');
    symlinkSync('/dev/zero', `${dockerfile}.dockerignore`);
    const lines: string[] = [];
    const listed = listBuildContext(
      repo,
      (path, reason) => lines.push(`${path}: ${reason}`),
      dockerfile,
    );
    assert.equal(listed?.ignored?.('go.mod'), false);
    assert.equal(lines.length, 1);
    assert.match(lines[0], /Dockerfile\.dockerignore: /);
  });
});

describe('the build context of a Dockerfile', () => {
  test('the Dockerfile folder with the go.mod; the module root above a Dockerfile in docker/', () => {
    const module = join(dir, 'module');
    mkdirSync(join(module, 'docker'), { recursive: true });
    writeFileSync(join(module, 'go.mod'), 'module example.com/m\n');
    writeFileSync(join(module, 'main.go'), 'package main\n');
    writeFileSync(join(module, 'config.yaml'), 'x: 1');
    const text =
      'FROM golang:1.22\nWORKDIR /app\nCOPY . .\nCOPY config.yaml /etc/\nRUN go build -o app .\n';
    writeFileSync(join(module, 'Dockerfile'), text);
    const beside = contextFor(join(module, 'Dockerfile'), text, join(module, 'go.mod'));
    assert.ok(beside?.files.includes('config.yaml'));
    const below = contextFor(join(module, 'docker', 'Dockerfile'), text, join(module, 'go.mod'));
    assert.ok(below?.files.includes('main.go'), 'the module root, where config.yaml is');
  });

  test('a source written from the context root (`/docker/app/.`) is the folder docker/app', () => {
    const repo = join(dir, 'rooted');
    mkdirSync(join(repo, 'docker', 'app'), { recursive: true });
    writeFileSync(join(repo, 'go.mod'), 'module example.com/root\n');
    writeFileSync(join(repo, 'docker', 'app', 'go.mod'), 'module example.com/app\n');
    writeFileSync(join(repo, 'docker', 'app', 'main.go'), 'package main\n');
    const text = 'FROM golang:1.22\nWORKDIR /app\nCOPY /docker/app/. .\nRUN go build -o app .\n';
    writeFileSync(join(repo, 'docker', 'Dockerfile'), text);
    const context = contextFor(join(repo, 'docker', 'Dockerfile'), text, join(repo, 'go.mod'));
    assert.ok(context?.files.includes('docker/app/main.go'), 'the repository root');
  });

  test('no context when the files the Dockerfile copies, or any Go file it builds, are missing', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'Dockerfile'), 'x');
    const copies = 'FROM golang:1.22\nCOPY app.yaml /etc/\nCOPY . .\nRUN go build -o /app .\n';
    assert.equal(contextFor(join(empty, 'Dockerfile'), copies, undefined), undefined);
    const builds = 'FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n';
    assert.equal(contextFor(join(empty, 'Dockerfile'), builds, undefined), undefined);
    writeFileSync(join(empty, 'main.go'), 'package main\n');
    assert.ok(contextFor(join(empty, 'Dockerfile'), builds, undefined));
  });

  test('ADD sources tell the context as COPY ones do; what an ADD fetches from elsewhere does not', () => {
    const folder = join(dir, 'adds');
    mkdirSync(folder);
    const adds = 'FROM golang:1.22\nWORKDIR /app\nADD go.mod go.sum main.go ./\nRUN make\n';
    assert.equal(contextFor(join(folder, 'Dockerfile'), adds, undefined), undefined);
    writeFileSync(join(folder, 'go.mod'), 'module example.com/a\n');
    writeFileSync(join(folder, 'main.go'), 'package main\n');
    assert.ok(contextFor(join(folder, 'Dockerfile'), adds, undefined), 'go.sum may be missing');
    const remote =
      'FROM golang:1.22\nADD https://example.com/tool.tar.gz git@github.com:example/lib.git /opt/\n' +
      'ADD go.mod ./\nRUN make\n';
    assert.ok(contextFor(join(folder, 'Dockerfile'), remote, undefined)?.files.includes('go.mod'));
  });

  test('the context listing logs the files it skips, each once and at most ten by name', () => {
    const context = join(dir, 'ctx-skips');
    mkdirSync(context);
    writeFileSync(join(context, 'big.go'), 'x'.repeat(1024 * 1024 + 1));
    execFileSync('mkfifo', [join(context, 'pipe.go')]);
    for (let i = 0; i < 12; i++) symlinkSync('/dev/zero', join(context, `dev${i}.go`));
    const lines: string[] = [];
    const listed = listBuildContext(context, (path, reason) => lines.push(`${path}: ${reason}`));
    assert.ok(listed);
    assert.equal(listed.readFile?.('big.go'), undefined);
    assert.equal(listed.readFile?.('big.go'), undefined);
    assert.equal(listed.readFile?.('pipe.go'), undefined);
    // What the analysis sets aside of its own is logged through the same channel.
    listed.skipped?.('gen.go', 'built only on request (//go:build ignore)');
    assert.deepEqual(lines, [
      `${join(context, 'big.go')}: larger than 1048576 bytes`,
      `${join(context, 'pipe.go')}: not a regular file`,
      `${join(context, 'gen.go')}: built only on request (//go:build ignore)`,
    ]);
    for (let i = 0; i < 12; i++) listed.readFile?.(`dev${i}.go`);
    // Ten named in all, then one line for the rest, however many follow.
    assert.equal(lines.length, 11);
    assert.equal(lines[9], `${join(context, 'dev6.go')}: a link to /dev/zero, outside ${context}`);
    assert.equal(lines[10], `${context}: more files skipped than the 10 named`);
  });

  test('a .git folder is listed as its HEAD, with what .dockerignore leaves out of it', () => {
    const context = join(dir, 'ctx-git');
    mkdirSync(join(context, '.git', 'objects', 'pack'), { recursive: true });
    writeFileSync(join(context, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(context, '.git', 'objects', 'pack', 'pack-1.pack'), '');
    writeFileSync(join(context, '.dockerignore'), '.git/*\n!.git/HEAD\n');
    const listed = listBuildContext(context);
    assert.deepEqual([...(listed?.files ?? [])].sort(), ['.dockerignore', '.git/HEAD']);
    assert.equal(listed?.ignored?.('.git/objects'), true);
    assert.equal(listed?.ignored?.('.git/HEAD'), false);
    writeFileSync(join(context, '.dockerignore'), '.git\n');
    assert.deepEqual(listBuildContext(context)?.files, ['.dockerignore']);
    // Excluded, with exceptions below it: Docker still sends the folder, holding what they keep.
    writeFileSync(join(context, '.dockerignore'), '.git\n!.git/HEAD\n!.git/refs\n');
    const kept = listBuildContext(context);
    assert.deepEqual([...(kept?.files ?? [])].sort(), ['.dockerignore', '.git/HEAD']);
    assert.equal(kept?.ignored?.('.git/objects'), true);
    assert.equal(kept?.ignored?.('.git/refs'), false);
  });

  test('an excluded folder is walked when an exception may bring back files below it', () => {
    const context = join(dir, 'ctx-allow');
    mkdirSync(join(context, 'cmd', 'app'), { recursive: true });
    mkdirSync(join(context, 'web'));
    writeFileSync(join(context, 'cmd', 'app', 'main.go'), 'package main\n');
    writeFileSync(join(context, 'web', 'index.html'), '<p>');
    writeFileSync(join(context, 'go.mod'), 'module m\n');
    writeFileSync(join(context, '.dockerignore'), '*\n!go.mod\n!**/*.go\n');
    assert.deepEqual([...(listBuildContext(context)?.files ?? [])].sort(), [
      'cmd/app/main.go',
      'go.mod',
    ]);
  });
});
