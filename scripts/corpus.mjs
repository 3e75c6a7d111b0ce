// Runs the built CLI over every Dockerfile of the real-world corpus (other people's files, read
// in place, never copied into the project) and checks it answers without an exception, and that
// fix-all keeps what each image is built from (Go settings, base images, COPY --from reads, start
// programs: engine/fix-invariants.ts). Writes a report: findings per rule with file and line, what
// fix-all applied, the builds found for each file (compose, Bake, Makefiles, scripts and CI files
// next to it), and how the single-stage Go files convert.
//
//   npm run test:corpus [-- --corpus DIR] [--report FILE]
//
// The corpus is found at --corpus, $GO_MULTISTAGE_CORPUS, ../shared/corpus beside the
// repository, or /work/shared/corpus.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'server', 'dist', 'cli.js');
const core = require(join(root, 'server', 'dist', 'core.js'));

const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const candidates = [
  option('--corpus'),
  process.env.GO_MULTISTAGE_CORPUS,
  join(root, '..', 'shared', 'corpus'),
  '/work/shared/corpus',
].filter(Boolean);
const corpus = candidates.find((dir) => existsSync(join(dir, 'manifest.json')));
if (!corpus) {
  console.error(`corpus not found (looked in: ${candidates.join(', ')}); set GO_MULTISTAGE_CORPUS`);
  process.exit(2);
}
const reportPath = option('--report') ?? join(root, 'corpus-report.md');
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8'));
const BREAKING = new Set([
  'go-toolchain-in-final-stage',
  'copy-from-unknown-stage',
  'shell-form-without-shell',
  'copy-from-missing-artifact',
  'entrypoint-binary-missing',
  'cgo-libc-mismatch',
  'run-without-shell',
]);

function run(argv) {
  const result = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const failures = [];
const findings = [];
const builds = [];
const conversions = [];
const fixed = [];
const scratch = mkdtempSync(join(tmpdir(), 'gm-corpus-'));
try {
  for (const record of manifest) {
    const file = join(corpus, record.file);
    const goModArgs = record.gomod ? ['--go-mod', join(corpus, record.gomod.file)] : [];
    const lint = run(['lint', '--format', 'json', '--verbose', ...goModArgs, file]);
    // --verbose says which builds of the file the build files around it declare.
    builds.push({
      file: record.file,
      lines: lint.stderr
        .split('\n')
        .filter(
          (l) =>
            l.startsWith('note: ') && / built by | no build declared| stages that ship/.test(l),
        )
        .map((l) => l.replace(/^note: [^:]*: /, '')),
    });
    if (lint.status !== 0 && lint.status !== 1) {
      failures.push(`${record.file}: lint exited ${lint.status}: ${lint.stderr.trim()}`);
      continue;
    }
    let parsed;
    try {
      parsed = JSON.parse(lint.stdout);
    } catch {
      failures.push(`${record.file}: lint printed no JSON`);
      continue;
    }
    for (const d of parsed[0].diagnostics) {
      findings.push({ file: record.file, kind: record.kind, line: d.range.start.line + 1, ...d });
    }
    // Fix-all must not change what the image is built from beyond its findings.
    const text = readFileSync(file, 'utf8');
    const options = record.gomod
      ? { goMod: readFileSync(join(corpus, record.gomod.file), 'utf8') }
      : {};
    const result = core.fixAll(text, options);
    const changes = core.invariantChanges(
      core.buildInvariants(core.buildModel(text, options)),
      core.buildInvariants(core.buildModel(result.text, options)),
    );
    if (result.applied > 0) fixed.push({ file: record.file, applied: result.applied, changes });
    for (const change of changes) failures.push(`${record.file}: fix-all changed ${change}`);
    const convert = run(['convert', ...goModArgs, file]);
    if (convert.status !== 0 && convert.status !== 3) {
      failures.push(`${record.file}: convert exited ${convert.status}: ${convert.stderr.trim()}`);
      continue;
    }
    // The single-stage files, and the multi-stage ones whose final stage is still a golang image.
    const group = record.single_stage_go ? 'single' : record.final_stage_golang ? 'multi' : '';
    if (!group) continue;
    if (convert.status === 3) {
      conversions.push({
        group,
        file: record.file,
        ok: false,
        reason: convert.stderr.replace(/^.*not converted: /, '').trim(),
      });
      continue;
    }
    // A converted file must not be broken: it re-parses, and the breaking rules report nothing.
    const goMod = record.gomod ? readFileSync(join(corpus, record.gomod.file), 'utf8') : undefined;
    const problems = core
      .analyze(convert.stdout, { goMod })
      .filter((d) => BREAKING.has(d.rule) && (d.severity === 'error' || d.severity === 'warning'));
    const out = join(scratch, 'converted.Dockerfile');
    writeFileSync(out, convert.stdout);
    conversions.push({
      group,
      file: record.file,
      ok: problems.length === 0,
      reason: problems.map((p) => p.rule).join(', '),
      broken: problems.length > 0,
    });
    if (problems.length > 0)
      failures.push(
        `${record.file}: converted output draws ${problems.map((p) => p.rule).join(', ')}`,
      );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const byRule = new Map();
for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
const singles = conversions.filter((c) => c.group === 'single');
const multis = conversions.filter((c) => c.group === 'multi');
const converted = singles.filter((c) => c.ok).length;
/** Refusals grouped by reason, with variable parts (paths, images, commands) left out. */
function refusalKinds(list) {
  const kinds = new Map();
  for (const c of list.filter((c) => !c.ok && !c.broken)) {
    const kind = c.reason.replace(/\s*\([^)]*\)/g, '').replace(/[,:;].*$/, '');
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds.entries()].sort((a, b) => b[1] - a[1]);
}
const conversionLine = (c) =>
  `- ${c.file}: ${c.ok ? 'converted' : c.broken ? `BROKEN (${c.reason})` : `refused: ${c.reason}`}`;
const lines = [
  '# go-multistage corpus report',
  '',
  `Corpus: ${corpus} (${manifest.length} Dockerfiles: ${manifest.filter((r) => r.kind === 'go').length} Go, ${manifest.filter((r) => r.kind !== 'go').length} other)`,
  '',
  '## Findings per rule',
  '',
  '| rule | Go files | other files |',
  '| --- | --- | --- |',
  ...[...byRule.entries()]
    .sort()
    .map(
      ([rule, list]) =>
        `| ${rule} | ${list.filter((f) => f.kind === 'go').length} | ${list.filter((f) => f.kind !== 'go').length} |`,
    ),
  '',
  '## Findings',
  '',
  ...findings.map((f) => `- ${f.file}:${f.line} ${f.severity} ${f.rule}: ${f.message}`),
  '',
  `## Fix-all (${fixed.reduce((n, f) => n + f.applied, 0)} fixes in ${fixed.length} files; Go settings, base images, COPY --from reads and start programs kept)`,
  '',
  ...fixed.map(
    (f) =>
      `- ${f.file}: ${f.applied} fix${f.applied === 1 ? '' : 'es'}${f.changes.length > 0 ? `, CHANGED ${f.changes.join('; ')}` : ''}`,
  ),
  '',
  `## Builds found per file (${builds.filter((b) => b.lines.some((l) => l.startsWith('built by'))).length} of ${builds.length} files with a declared build)`,
  '',
  'From the compose and Bake files, Makefiles, scripts and CI files between each file and its',
  'repository root (the corpus keeps the Dockerfiles alone, so most have none).',
  '',
  ...builds.map((b) => `- ${b.file}: ${b.lines.length > 0 ? b.lines.join('; ') : 'none'}`),
  '',
  `## Conversion of the single-stage Go files (${converted} of ${singles.length} converted)`,
  '',
  ...singles.map(conversionLine),
  '',
  'Refusals by reason:',
  '',
  ...refusalKinds(singles).map(([kind, count]) => `- ${count} × ${kind}`),
  '',
  `## Conversion of the multi-stage Go files whose final stage is a golang image (${multis.filter((c) => c.ok).length} of ${multis.length} converted)`,
  '',
  ...multis.map(conversionLine),
  '',
];
writeFileSync(reportPath, lines.join('\n'));

console.log(
  `corpus: ${manifest.length} Dockerfiles, ${findings.length} findings (${findings.filter((f) => f.kind !== 'go').length} on non-Go files)`,
);
console.log(
  `fix-all: ${fixed.reduce((n, f) => n + f.applied, 0)} fixes in ${fixed.length} files, ${fixed.filter((f) => f.changes.length > 0).length} changing what the image is built from`,
);
for (const [rule, list] of [...byRule.entries()].sort()) console.log(`  ${rule}: ${list.length}`);
console.log(
  `conversion: ${converted} of ${singles.length} single-stage Go files converted, ${singles.filter((c) => !c.ok && !c.broken).length} refused, ${singles.filter((c) => c.broken).length} broken`,
);
for (const [kind, count] of refusalKinds(singles)) console.log(`  refused ${count} × ${kind}`);
console.log(
  `conversion: ${multis.filter((c) => c.ok).length} of ${multis.length} multi-stage Go files with a golang final stage converted, ${multis.filter((c) => !c.ok && !c.broken).length} refused, ${multis.filter((c) => c.broken).length} broken`,
);
for (const [kind, count] of refusalKinds(multis)) console.log(`  refused ${count} × ${kind}`);
console.log(`report: ${reportPath}`);
if (failures.length > 0) {
  console.error(`\n${failures.length} failure(s):\n${failures.join('\n')}`);
  process.exit(1);
}
