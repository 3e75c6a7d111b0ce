import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { main, type Io } from '../../server/src/cli/main';
import { rewriteFile } from '../../server/src/node/file-rewrite';
import { CURRENT_GO } from '../support/go-versions';
import { lines } from '../support/rule-tester';
import { repoRoot } from '../support/paths';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let moduleDir: string;

function cli(args: string[], options: { stdin?: string; color?: boolean } = {}): Run {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: dir,
    readStdin: () => options.stdin ?? '',
    writeFile: rewriteFile,
    color: options.color ?? false,
  };
  return { status: main(args, io), stdout, stderr };
}

// A Go release the shipped release data supports: these texts are not about golang-image-outdated.
const GO = CURRENT_GO.replace('.', '\\.');
const SINGLE = lines(
  `FROM golang:${CURRENT_GO}`,
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o server ./cmd/server',
  'CMD ["./server"]',
);
const BROKEN = lines(
  `FROM golang:${CURRENT_GO} AS build`,
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM gcr.io/distroless/static-debian13:nonroot',
  'COPY --from=biuld /out/app /app',
  'CMD /app',
);
const CLEAN = lines(
  `FROM golang:${CURRENT_GO} AS build`,
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM gcr.io/distroless/static-debian13:nonroot',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
);

describe('go-multistage CLI', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gm-cli-'));
    writeFileSync(join(dir, 'Dockerfile'), SINGLE);
    writeFileSync(join(dir, 'broken.Dockerfile'), BROKEN);
    writeFileSync(join(dir, 'clean.Dockerfile'), CLEAN);
    mkdirSync(join(dir, 'svc'));
    writeFileSync(join(dir, 'svc', 'Dockerfile'), SINGLE);
    // A module beside its Dockerfile (in a folder of its own, so that the other files keep no
    // build context): the context the conversion reads the sources of.
    moduleDir = mkdtempSync(join(tmpdir(), 'gm-cli-module-'));
    mkdirSync(join(moduleDir, 'cmd', 'server'), { recursive: true });
    writeFileSync(join(moduleDir, 'Dockerfile'), SINGLE);
    writeFileSync(join(moduleDir, 'go.mod'), 'module example.com/mod\n\ngo 1.24\n');
    writeFileSync(
      join(moduleDir, 'cmd', 'server', 'main.go'),
      'package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("ok") }\n',
    );
    writeFileSync(
      join(dir, 'latin1.Dockerfile'),
      Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xe9, 0xff, 0x0a]),
    );
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(moduleDir, { recursive: true, force: true });
  });

  test('lint: text lines, a summary, exit 0 with warnings only', () => {
    const run = cli(['lint', 'Dockerfile']);
    assert.equal(run.status, 0);
    assert.match(
      run.stdout,
      new RegExp(
        `^Dockerfile:1:6 warning go-toolchain-in-final-stage The final image ships the Go toolchain and the sources: golang:${GO} is its base\\.$`,
        'm',
      ),
    );
    assert.match(run.stdout, /\n3 problems \(0 errors, 1 warning, 1 info, 1 hint\) in 1 file\n$/);
  });

  test('lint: exit 1 with an error; colours only when asked', () => {
    const run = cli(['lint', 'broken.Dockerfile']);
    assert.equal(run.status, 1);
    const escape = String.fromCharCode(27);
    assert.ok(!run.stdout.includes(escape));
    const colored = cli(['lint', 'broken.Dockerfile'], { color: true }).stdout;
    assert.ok(colored.includes(`${escape}[31merror${escape}[0m`));
  });

  test('lint: JSON', () => {
    const run = cli(['lint', '--format', 'json', 'broken.Dockerfile']);
    const [result] = JSON.parse(run.stdout);
    assert.equal(result.file, 'broken.Dockerfile');
    const finding = result.diagnostics.find(
      (d: { rule: string }) => d.rule === 'copy-from-unknown-stage',
    );
    assert.deepEqual(Object.keys(finding), [
      'rule',
      'messageId',
      'data',
      'severity',
      'message',
      'detail',
      'range',
      'fixes',
    ]);
    assert.match(finding.detail, /makes Docker pull an image of that name/);
    // Which case fired, by the rule's message id, with the values its message is filled from.
    assert.equal(finding.messageId, 'unknownStageSuggest');
    assert.equal(finding.data.suggestion, 'build');
    assert.deepEqual(finding.fixes[0], {
      title: 'Copy from stage "build"',
      edits: [
        {
          range: { start: { line: 3, character: 12 }, end: { line: 3, character: 17 } },
          newText: 'build',
        },
      ],
    });
  });

  test('lint: several files, globs and stdin', () => {
    const run = cli(['lint', '**/Dockerfile', 'clean.Dockerfile']);
    assert.match(run.stdout, /^Dockerfile:1:6 /m);
    assert.match(run.stdout, /^svc\/Dockerfile:1:6 /m);
    assert.match(run.stdout, /7 problems \(0 errors, 2 warnings, 2 infos, 3 hints\) in 3 files/);
    const stdin = cli(['lint', '-'], { stdin: BROKEN });
    assert.equal(stdin.status, 1);
    assert.match(stdin.stdout, /^<stdin>:4:13 error copy-from-unknown-stage/m);
    const none = cli(['lint', '**/*.nothing']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no files match \*\*\/\*\.nothing/);
  });

  test('lint: a folder stands for the Dockerfiles below it', () => {
    mkdirSync(join(dir, 'deep', 'vendor', 'x'), { recursive: true });
    mkdirSync(join(dir, 'deep', 'api'), { recursive: true });
    writeFileSync(join(dir, 'deep', 'api', 'Dockerfile.dev'), SINGLE);
    writeFileSync(join(dir, 'deep', 'api', 'worker.dockerfile'), CLEAN);
    writeFileSync(join(dir, 'deep', 'api', 'notes.md'), 'FROM golang:1.22\n');
    writeFileSync(join(dir, 'deep', 'vendor', 'x', 'Dockerfile'), BROKEN);
    // Dockerfile-<suffix> is a Dockerfile; the files kept beside one are not.
    writeFileSync(join(dir, 'deep', 'api', 'Dockerfile-cuda'), CLEAN);
    writeFileSync(join(dir, 'deep', 'api', 'Dockerfile.dockerignore'), 'bin/\n');
    writeFileSync(join(dir, 'deep', 'api', 'Dockerfile.md'), '# How to build\n');
    writeFileSync(join(dir, 'deep', 'api', 'Dockerfile.in'), 'FROM @BASE@\n');
    mkdirSync(join(dir, 'deep', 'lib'));
    writeFileSync(join(dir, 'deep', 'lib', 'dockerfile.go'), 'package lib\n');
    writeFileSync(join(dir, 'deep', 'api', 'Dockerfile_worker'), CLEAN);
    // testdata holds fixtures (an image built to be scanned), not builds.
    mkdirSync(join(dir, 'deep', 'scan', 'testdata', 'image'), { recursive: true });
    writeFileSync(join(dir, 'deep', 'scan', 'testdata', 'image', 'Dockerfile'), BROKEN);
    const run = cli(['lint', '--format', 'json', 'deep']);
    assert.equal(run.status, 0, run.stderr);
    const files = (JSON.parse(run.stdout) as { file: string }[]).map((r) => r.file);
    assert.deepEqual(files, [
      'deep/api/Dockerfile-cuda',
      'deep/api/Dockerfile.dev',
      'deep/api/Dockerfile_worker',
      'deep/api/worker.dockerfile',
    ]);
    mkdirSync(join(dir, 'nothing-here'));
    const none = cli(['lint', 'Dockerfile', 'nothing-here']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no Dockerfile in the folder nothing-here/);
    // For CI over many repositories: a note instead, and the report of what there was.
    const allowed = cli(['lint', '--no-error-on-empty', '--format', 'json', 'nothing-here']);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.deepEqual(JSON.parse(allowed.stdout), []);
    assert.match(allowed.stderr, /^note: no Dockerfile in the folder nothing-here$/m);
    const sarif = cli(['lint', '--no-error-on-empty', '--format', 'sarif', 'nothing-here']);
    assert.equal(sarif.status, 0, sarif.stderr);
    assert.deepEqual((JSON.parse(sarif.stdout) as { runs: { results: [] }[] }).runs[0].results, []);
    const mixed = cli(['lint', '--no-error-on-empty', 'nothing-here', '*.nothing', 'Dockerfile']);
    assert.equal(mixed.status, cli(['lint', 'Dockerfile']).status);
    assert.match(mixed.stderr, /^note: no files match \*\.nothing$/m);
    assert.match(mixed.stdout, /in 1 file\b/);
    // A file that is not there is still an error.
    assert.equal(cli(['lint', '--no-error-on-empty', 'missing/Dockerfile']).status, 2);
    // The Go file would make the folder a context with Go sources for the tests below.
    rmSync(join(dir, 'deep', 'lib'), { recursive: true });
  });

  test('lint: --max-warnings', () => {
    assert.equal(cli(['lint', '--max-warnings', '1', 'Dockerfile']).status, 0);
    const over = cli(['lint', '--max-warnings=0', 'Dockerfile']);
    assert.equal(over.status, 1);
    assert.match(over.stderr, /1 warning, more than --max-warnings 0/);
    assert.equal(cli(['lint', '--max-warnings', 'x', 'Dockerfile']).status, 2);
  });

  test('lint: --rule sets severities, turns rules off and opt-in rules on', () => {
    const raised = cli(['lint', '--rule', 'go-toolchain-in-final-stage=error', 'Dockerfile']);
    assert.equal(raised.status, 1);
    assert.match(raised.stdout, /Dockerfile:1:6 error go-toolchain-in-final-stage /);
    const off = cli(['lint', '--rule=go-toolchain-in-final-stage=off', 'Dockerfile']);
    assert.doesNotMatch(off.stdout, /go-toolchain-in-final-stage/);
    // The opt-in rule runs only when named.
    assert.doesNotMatch(cli(['lint', 'clean.Dockerfile']).stdout, /go-build-missing-release-flags/);
    const optIn = cli([
      'lint',
      '--rule',
      'go-build-missing-release-flags=warning',
      'clean.Dockerfile',
    ]);
    assert.match(optIn.stdout, /warning go-build-missing-release-flags /);
    const unknown = cli(['lint', '--rule', 'no-such-rule=error', 'Dockerfile']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown rule "no-such-rule"/);
    const badSeverity = cli(['lint', '--rule', 'go-toolchain-in-final-stage=loud', 'Dockerfile']);
    assert.equal(badSeverity.status, 2);
    assert.match(badSeverity.stderr, /must be one of off, hint, info, warning, error/);
  });

  test('lint --fix writes the safe fixes, is idempotent, and leaves clean files alone', () => {
    const path = join(dir, 'tofix.Dockerfile');
    writeFileSync(path, BROKEN);
    const run = cli(['lint', '--fix', 'tofix.Dockerfile']);
    // The stage name is only a guess: it stays, and so does its error (exit 1).
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stdout, /fixed 1 problem in 1 file/);
    assert.match(run.stdout, /copy-from-unknown-stage/);
    const fixed = readFileSync(path, 'utf8');
    assert.match(fixed, /COPY --from=biuld \/out\/app \/app\nCMD \["\/app"\]/);
    const again = cli(['lint', '--fix', 'tofix.Dockerfile']);
    assert.doesNotMatch(again.stdout, /fixed/);
    assert.equal(readFileSync(path, 'utf8'), fixed);
    const cleanBefore = readFileSync(join(dir, 'clean.Dockerfile'));
    cli(['lint', '--fix', 'clean.Dockerfile']);
    assert.deepEqual(readFileSync(join(dir, 'clean.Dockerfile')), cleanBefore);
    assert.equal(cli(['lint', '--fix', '-'], { stdin: BROKEN }).status, 2);
  });

  test('convert: the Dockerfile on stdout, or exit 3 with the reason', () => {
    // With the sources read: the program writes nothing, so it runs as distroless's non-root user.
    const run = cli(['convert', join(moduleDir, 'Dockerfile')]);
    assert.equal(run.status, 0);
    assert.match(
      run.stdout,
      /FROM gcr\.io\/distroless\/static-debian13:nonroot\nWORKDIR \/src\nCOPY --from=build \/src\/server \/src\/server\n/,
    );
    assert.match(
      run.stderr,
      /note: The program runs as gcr\.io\/distroless\/static-debian13:nonroot's non-root user/,
    );
    // Without a context (no Go sources beside it): the working directory without the sources,
    // as root like the original.
    const unknown = cli(['convert', 'Dockerfile']);
    assert.equal(unknown.status, 0);
    assert.match(unknown.stdout, /^# syntax=docker\/dockerfile:1\n/);
    assert.match(unknown.stdout, /FROM gcr\.io\/distroless\/static-debian13\nWORKDIR \/src\n/);
    assert.match(unknown.stdout, /COPY --from=build --exclude=\*\*\/\*\.go [^\n]* \/src \/src\n/);
    assert.match(unknown.stderr, /note: The build context is not known/);
    const scratch = cli(['convert', '--runtime', 'scratch', 'Dockerfile']);
    assert.match(scratch.stdout, /FROM scratch\n/);
    const refused = cli(['convert', 'clean.Dockerfile']);
    assert.equal(refused.status, 3);
    assert.match(
      refused.stderr,
      /clean\.Dockerfile: not converted: the final stage is not based on a Go toolchain image/,
    );
    assert.equal(cli(['convert', '--runtime', 'bogus', 'Dockerfile']).status, 2);
  });

  test('convert --layout, --diff and --write', () => {
    const dev = cli(['convert', '--layout', 'dev-build-runtime', 'Dockerfile']);
    assert.match(dev.stdout, new RegExp(`FROM golang:${GO} AS dev\n[\\s\\S]*FROM dev AS build\n`));
    assert.equal(cli(['convert', '--layout', 'three', 'Dockerfile']).status, 2);
    const diff = cli(['convert', '--diff', 'Dockerfile']);
    assert.equal(diff.status, 0);
    assert.match(
      diff.stdout,
      new RegExp(
        `^--- a/Dockerfile\n\\+\\+\\+ b/Dockerfile\n@@ -1,5 \\+1,12 @@\n-FROM golang:${GO}\n\\+# syntax=docker/dockerfile:1\n\\+FROM golang:${GO} AS build\n WORKDIR /src\n COPY \\. \\.\n`,
      ),
    );
    const path = join(dir, 'write.Dockerfile');
    writeFileSync(path, SINGLE);
    const write = cli(['convert', '--write', 'write.Dockerfile']);
    assert.equal(write.status, 0);
    assert.equal(write.stdout, '');
    assert.match(readFileSync(path, 'utf8'), /COPY --from=build \/src\/server \/src\/server\n/);
    // Converting again is refused and leaves the file alone.
    const converted = readFileSync(path, 'utf8');
    assert.equal(cli(['convert', '--write', 'write.Dockerfile']).status, 3);
    assert.equal(readFileSync(path, 'utf8'), converted);
    assert.equal(cli(['convert', '--write', '-'], { stdin: SINGLE }).status, 2);
  });

  test('usage and read errors: clear message, exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate', 'Dockerfile'], /unknown command "frobnicate"/],
      [['lint'], /lint needs a Dockerfile/],
      [['lint', '--nope', 'Dockerfile'], /unknown option --nope for lint/],
      [['lint', '--format', 'xml', 'Dockerfile'], /unknown format "xml"/],
      [['lint', 'missing.Dockerfile'], /Dockerfile not found: .*missing\.Dockerfile/],
      [['convert', 'svc'], /svc is a directory, not a Dockerfile/],
      [['lint', 'latin1.Dockerfile'], /latin1\.Dockerfile is not UTF-8 text/],
      [['lint', '--go-mod', 'nope.mod', 'Dockerfile'], /cannot read go\.mod nope\.mod/],
    ];
    for (const [args, message] of cases) {
      const run = cli(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
    assert.equal(cli(['--help']).status, 0);
    assert.match(cli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });

  test('SARIF output is valid against the official 2.1.0 schema and the SARIF multitool', () => {
    const run = cli(['lint', '--format', 'sarif', 'broken.Dockerfile', 'Dockerfile']);
    const sarifPath = join(dir, 'out.sarif');
    writeFileSync(sarifPath, run.stdout);
    const sarif = JSON.parse(run.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length >= 3);
    assert.ok(sarif.runs[0].results.some((r: { fixes?: unknown[] }) => (r.fixes ?? []).length > 0));
    assert.ok(
      sarif.runs[0].results.some(
        (r: { properties?: { messageId?: string } }) =>
          r.properties?.messageId === 'unknownStageSuggest',
      ),
    );
    // The OASIS schema, as shipped with Microsoft's SARIF multitool.
    const vendor = join(repoRoot, 'node_modules', '@microsoft');
    const platform = readdirSync(vendor).find((d) => d.startsWith('sarif-multitool-'));
    assert.ok(platform, 'the SARIF multitool is installed');
    const schemaPath = join(vendor, platform, 'sarif-2.1.0.json');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
    // The schema check is real: a broken document fails it.
    const broken = JSON.parse(run.stdout);
    broken.runs[0].results[0].level = 'fatal';
    assert.equal(validate(broken), false);
    const validation = join(dir, 'validation.sarif');
    const tool = join(repoRoot, 'node_modules', '.bin', 'sarif-multitool');
    // The multitool adds SARIF's own rules (it does not report schema errors reliably itself).
    const result = spawnSync(tool, ['validate', sarifPath, '--output', validation], {
      encoding: 'utf8',
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
    });
    assert.equal(result.status, 0, result.stderr + result.stdout);
    const report = JSON.parse(readFileSync(validation, 'utf8'));
    const problems = report.runs
      .flatMap(
        (r: { results?: { level: string; ruleId: string; message: { text?: string } }[] }) =>
          r.results ?? [],
      )
      .filter((r: { level: string }) => r.level === 'error' || r.level === 'warning');
    assert.deepEqual(
      problems.map(
        (p: { ruleId: string; message: { text?: string } }) =>
          `${p.ruleId} ${p.message.text ?? ''}`,
      ),
      [],
    );
  });
});

describe('rule pages in SARIF', () => {
  function sarifRules(cliFile: string, cwd: string) {
    writeFileSync(join(cwd, 'Dockerfile'), SINGLE);
    const run = spawnSync(process.execPath, [cliFile, 'lint', '--format', 'sarif', 'Dockerfile'], {
      cwd,
      encoding: 'utf8',
    });
    const sarif = JSON.parse(run.stdout);
    return sarif.runs[0].tool.driver.rules as { id: string; helpUri?: string }[];
  }

  test('the built CLI points each rule at its page installed beside it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'go-multistage-sarif-'));
    try {
      const rules = sarifRules(join(repoRoot, 'server', 'dist', 'cli.js'), cwd);
      assert.ok(rules.length >= 30);
      for (const rule of rules) {
        const page = join(repoRoot, 'server', 'dist', 'rules', `${rule.id}.md`);
        assert.equal(rule.helpUri, pathToFileURL(page).href);
        assert.match(readFileSync(page, 'utf8'), new RegExp(`^# ${rule.id}\n`));
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  test('a CLI copied alone, without the pages, gives no link rather than a wrong one', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'go-multistage-sarif-'));
    try {
      const alone = join(cwd, 'go-multistage.cjs');
      copyFileSync(join(repoRoot, 'server', 'dist', 'cli.js'), alone);
      const rules = sarifRules(alone, cwd);
      assert.ok(rules.length >= 30);
      assert.deepEqual(
        rules.filter((r) => r.helpUri !== undefined),
        [],
      );
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('package version', () => {
  test('the CLI reports the version of package.json', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    dir = tmpdir();
    assert.equal(cli(['--version']).stdout.trim(), manifest.version);
  });
});
