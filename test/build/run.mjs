// Proves conversions with real image builds. For each case folder in test/build/cases/, builds the
// original Dockerfile and what `go-multistage convert` makes of it with buildah, on stand-in base
// images made from Debian packages, runs both images as a container would start them and
// requires the same stdout, stderr and exit status.
//
//   npm run test:build [-- CASE...]        (or GO_MULTISTAGE_BUILD_CASES=a,b)
//
// Needs root, buildah and debootstrap; the base images are made once per machine into the cache
// folder (scripts/build-test/images.mjs). GO_MULTISTAGE_BUILD_JOBS sets how many cases build at
// a time (default 2).
//
// A case is a folder (the build context) with a case.json:
//   description     what shape this is and why it matters
//   dockerfile      the Dockerfile, relative to the folder (default "Dockerfile")
//   convert         { "runtime": ..., "layout": ... }: passed as --runtime/--layout
//   expect          "same": both images build and their runs agree (stdout, stderr, status);
//                   { "refused": "text" }: convert exits 3 with the text in its reason;
//                   "static": for what cannot be built here (alpine images, heredocs, COPY
//                   --exclude/--link): the conversion must succeed, parse and lint without errors
//   alsoRun         more argv lists run in both images with their USER and WORKDIR, compared too
//   mustContain, mustNotContain   strings the converted text must (not) contain
// The original is run with its ENTRYPOINT + CMD, USER (root when empty) and WORKDIR (/ when
// empty), for at most 30 s. A "same" case whose original does not build is BROKEN.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  ensureBaseImages,
  missingTools,
  RUN_HELPER,
  standInFor,
  tagGolang,
} from '../../scripts/build-test/images.mjs';
import { cacheDir, helperDir } from '../../scripts/build-test/paths.mjs';
import {
  acquireLock,
  buildah,
  buildahAsync,
  buildahChecked,
  tail,
} from '../../scripts/build-test/process.mjs';
import {
  imageReferences,
  isAlpine,
  syntaxErrors,
  unbuildableSyntax,
} from '../../scripts/build-test/references.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const casesDir = join(root, 'test', 'build', 'cases');
const cli = join(root, 'server', 'dist', 'cli.js');
const RUN_TIMEOUT_MS = 30_000;
/** The repository of the images built from the cases (removed after each case). */
const CASE_IMAGES = 'localhost/go-multistage-case/';
/** Where the helper and the output files are mounted in a container under test. */
const IN_CONTAINER = '/.go-multistage-run';
const BUILD_TIMEOUT_MS = 10 * 60_000;
const JOBS = Math.max(1, Number.parseInt(process.env.GO_MULTISTAGE_BUILD_JOBS ?? '2', 10) || 1);
const CASE_KEYS = [
  'description',
  'dockerfile',
  'convert',
  'expect',
  'alsoRun',
  'mustContain',
  'mustNotContain',
];

function log(message) {
  console.log(`[test:build] ${message}`);
}

const seconds = (since) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Output comparison

/** A line diff (longest common subsequence) with 2 lines of context, `-` original `+` converted. */
function diffLines(a, b) {
  if (a.replace(/\n$/, '') === b.replace(/\n$/, '')) return ['(only the final newline differs)'];
  const x = a.replace(/\n$/, '').split('\n');
  const y = b.replace(/\n$/, '').split('\n');
  if (x.length * y.length > 4_000_000) return ['(outputs too long to diff)'];
  const lcs = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) ops.push([' ', x[i++], j++]);
    else if (i < x.length && (j === y.length || lcs[i + 1][j] >= lcs[i][j + 1]))
      ops.push(['-', x[i++]]);
    else ops.push(['+', y[j++]]);
  }
  const near = (k) => ops.slice(Math.max(0, k - 2), k + 3).some(([op]) => op !== ' ');
  const lines = [];
  let skipped = false;
  ops.forEach(([op, text], k) => {
    if (op !== ' ' || near(k)) {
      if (skipped) lines.push('  ...');
      skipped = false;
      lines.push(`${op} ${text}`);
    } else {
      skipped = true;
    }
  });
  if (lines.length > 80) return [...lines.slice(0, 80), `  ... (${lines.length - 80} more lines)`];
  return lines;
}

const indent = (lines) => lines.map((line) => `    ${line}`).join('\n');

/** Differences between two runs of the same command, as report lines (none when equal). */
function compareRuns(label, original, converted) {
  const problems = [];
  for (const [which, run] of Object.entries({ original, converted })) {
    if (run.timedOut) problems.push(`${label}: the ${which} image did not exit within 30 s`);
  }
  if (original.status !== converted.status) {
    problems.push(
      `${label}: exit status ${original.status} (original) vs ${converted.status} (converted)`,
    );
  }
  for (const stream of ['stdout', 'stderr']) {
    if (original[stream] !== converted[stream]) {
      problems.push(
        `${label}: ${stream} differs (- original, + converted)\n` +
          indent(diffLines(original[stream], converted[stream])),
      );
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Case files

function readCase(name) {
  const dir = join(casesDir, name);
  const file = join(dir, 'case.json');
  if (!existsSync(file)) throw new Error(`${file} is missing`);
  let spec;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`case.json: ${error.message}`);
  }
  const unknown = Object.keys(spec).filter((key) => !CASE_KEYS.includes(key));
  if (unknown.length > 0) throw new Error(`case.json: unknown key(s) ${unknown.join(', ')}`);
  const expect = spec.expect;
  const kind =
    expect === 'same' || expect === 'static'
      ? expect
      : typeof expect?.refused === 'string'
        ? 'refused'
        : undefined;
  if (!kind) {
    throw new Error('case.json: "expect" must be "same", "static" or { "refused": "..." }');
  }
  const convert = spec.convert ?? {};
  const badConvert = Object.keys(convert).filter((key) => !['runtime', 'layout'].includes(key));
  if (badConvert.length > 0) {
    throw new Error(`case.json: unknown "convert" key(s) ${badConvert.join(', ')}`);
  }
  const alsoRun = spec.alsoRun ?? [];
  if (
    !Array.isArray(alsoRun) ||
    !alsoRun.every((argv) => Array.isArray(argv) && argv.length > 0 && argv.every(isString))
  ) {
    throw new Error('case.json: "alsoRun" must be a list of argv lists of strings');
  }
  for (const key of ['mustContain', 'mustNotContain']) {
    if (spec[key] !== undefined && !(Array.isArray(spec[key]) && spec[key].every(isString))) {
      throw new Error(`case.json: "${key}" must be a list of strings`);
    }
  }
  const dockerfile = join(dir, spec.dockerfile ?? 'Dockerfile');
  if (!existsSync(dockerfile)) throw new Error(`the Dockerfile ${dockerfile} is missing`);
  return { name, dir, dockerfile, spec, kind, convert, alsoRun };
}

function isString(value) {
  return typeof value === 'string';
}

// ---------------------------------------------------------------------------------------------
// The CLI

/** `go-multistage convert`: { status, stdout (the converted file), stderr (notes or reason) }. */
function convert(c) {
  const options = ['--context', c.dir];
  if (c.convert.runtime) options.push('--runtime', c.convert.runtime);
  if (c.convert.layout) options.push('--layout', c.convert.layout);
  const result = spawnSync(process.execPath, [cli, 'convert', ...options, c.dockerfile], {
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Error findings of `go-multistage lint` on the converted text, with the case's context. */
function lintErrors(c, text) {
  const result = spawnSync(
    process.execPath,
    [cli, 'lint', '--format', 'json', '--context', c.dir, '-'],
    { encoding: 'utf8', input: text, cwd: dirname(c.dockerfile) },
  );
  if (result.status !== 0 && result.status !== 1) {
    return [`lint exited with ${result.status}: ${result.stderr.trim()}`];
  }
  const [report] = JSON.parse(result.stdout);
  return report.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `line ${d.range.start.line + 1}: ${d.rule}: ${d.message}`);
}

// ---------------------------------------------------------------------------------------------
// Preparing a case: convert, check the text, decide whether and what to build.

/**
 * What in a Dockerfile cannot be built here (alpine images, syntax buildah 1.28 lacks), as
 * { what, where } with where naming the file and line.
 */
function unbuildable(text, which) {
  const found = [];
  for (const { reference, where } of imageReferences(text)) {
    if (isAlpine(reference)) found.push({ what: `alpine image ${reference}`, where });
  }
  for (const { what, where } of unbuildableSyntax(text)) found.push({ what, where });
  return found.map(({ what, where }) => ({ what, where: `${which} ${where}` }));
}

function prepare(c) {
  const result = { name: c.name, kind: c.kind, problems: [] };
  const original = readFileSync(c.dockerfile, 'utf8');
  const converted = convert(c);

  if (c.kind === 'refused') {
    const wanted = c.spec.expect.refused;
    if (converted.status === 3) {
      if (!converted.stderr.toLowerCase().includes(wanted.toLowerCase())) {
        result.problems.push(
          `refused, but the reason does not contain "${wanted}":\n${indent([converted.stderr.trim()])}`,
        );
      }
    } else if (converted.status === 0) {
      result.problems.push(
        `expected a refusal containing "${wanted}", but it converted:\n${indent(converted.stdout.split('\n'))}`,
      );
    } else {
      result.problems.push(
        `convert exited with ${converted.status}:\n${indent([converted.stderr.trim()])}`,
      );
    }
    return result;
  }

  if (converted.status !== 0) {
    const what = converted.status === 3 ? 'refused' : `exited with ${converted.status}`;
    result.problems.push(`convert ${what}:\n${indent([converted.stderr.trim()])}`);
    return result;
  }
  result.converted = converted.stdout;
  result.notes = converted.stderr.trim();
  for (const text of c.spec.mustContain ?? []) {
    if (!converted.stdout.includes(text)) result.problems.push(`the conversion lacks "${text}"`);
  }
  for (const text of c.spec.mustNotContain ?? []) {
    if (converted.stdout.includes(text)) result.problems.push(`the conversion contains "${text}"`);
  }

  const blockers = [
    ...unbuildable(original, 'original'),
    ...unbuildable(converted.stdout, 'converted'),
  ];
  if (c.kind === 'static') {
    for (const error of syntaxErrors(converted.stdout)) {
      result.problems.push(`the conversion does not parse: ${error}`);
    }
    for (const error of lintErrors(c, converted.stdout)) {
      result.problems.push(`lint error in the conversion: ${error}`);
    }
    const reasons = [...new Set(blockers.map(({ what }) => what))];
    result.staticReason = reasons.length > 0 ? reasons.join(', ') : 'marked static by the case';
    return result;
  }

  // "same": everything must be buildable here, with a stand-in for every image.
  if (blockers.length > 0) {
    result.problems.push(
      `cannot be built with buildah here: ${blockers
        .map(({ what, where }) => `${what} (${where})`)
        .join('; ')}; mark the case "static"`,
    );
  }
  result.references = [];
  for (const [which, text] of [
    ['original', original],
    ['converted', converted.stdout],
  ]) {
    for (const { reference, where, unresolved } of imageReferences(text)) {
      if (unresolved) {
        result.problems.push(`${which}: ${reference} (${where}) uses an ARG without a default`);
        continue;
      }
      const standIn = standInFor(reference);
      if (standIn.missing && !isAlpine(reference)) {
        result.problems.push(`${which}: ${standIn.missing} (${where})`);
      }
      result.references.push(reference);
    }
  }
  result.build = result.problems.length === 0;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Building and running

/** Lower-case image names for a case's two images. */
function imageNames(name) {
  const slug = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return {
    original: `${CASE_IMAGES}${slug}:original`,
    converted: `${CASE_IMAGES}${slug}:converted`,
  };
}

async function build(tag, dockerfile, context) {
  return buildahAsync(
    [
      'bud',
      '--pull=never',
      '--isolation',
      'chroot',
      // The docker format keeps HEALTHCHECK and SHELL, which the OCI format drops.
      '--format',
      'docker',
      '-f',
      dockerfile,
      '-t',
      tag,
      context,
    ],
    { timeoutMs: BUILD_TIMEOUT_MS },
  );
}

/** The config a container starts from: entrypoint + cmd, user, workdir. */
function imageConfig(tag) {
  const inspected = JSON.parse(buildah(['inspect', '--type', 'image', tag]));
  const config = inspected.OCIv1?.config ?? {};
  return {
    argv: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
    // An empty USER is root, an empty WORKDIR is /, as a container runtime starts them.
    user: config.User || '0:0',
    workingDir: config.WorkingDir || '/',
  };
}

/**
 * Runs argv in a fresh container of the image, as its config says, and removes the container.
 * The program starts through the run-redirect helper (see images.mjs), which writes its stdout
 * and stderr to files in a bind-mounted folder: buildah 1.28's own relay loses output.
 */
async function runIn(tag, config, argv, workDir) {
  const outDir = mkdtempSync(join(workDir, 'run-'));
  // Whatever user the image runs as must reach the folder and write the files.
  chmodSync(outDir, 0o755);
  for (const name of ['stdout', 'stderr']) {
    writeFileSync(join(outDir, name), '');
    chmodSync(join(outDir, name), 0o666);
  }
  const container = (await buildahChecked(['from', '--pull=never', tag])).trim();
  try {
    const result = await buildahAsync(
      [
        'run',
        '--isolation',
        'chroot',
        '--user',
        config.user,
        '--workingdir',
        config.workingDir,
        '--volume',
        `${helperDir()}:${IN_CONTAINER}/bin:ro`,
        '--volume',
        `${outDir}:${IN_CONTAINER}/out`,
        container,
        '--',
        `${IN_CONTAINER}/bin/${RUN_HELPER}`,
        `${IN_CONTAINER}/out/stdout`,
        `${IN_CONTAINER}/out/stderr`,
        ...argv,
      ],
      { timeoutMs: RUN_TIMEOUT_MS },
    );
    // buildah's own words (a user it cannot find, a mount it cannot make) are shown with the
    // program's stderr; its "subprocess exited with status N" lines are not.
    const buildahSays = result.stderr
      .split('\n')
      .filter((line) => line && !/^(subprocess exited |Error: exit status \d+$)/.test(line))
      .map((line) => `[buildah] ${line}\n`)
      .join('');
    return {
      status: result.timedOut ? 'timeout' : (result.status ?? result.signal),
      timedOut: result.timedOut,
      stdout: readFileSync(join(outDir, 'stdout'), 'utf8'),
      stderr: readFileSync(join(outDir, 'stderr'), 'utf8') + buildahSays,
    };
  } finally {
    await buildahAsync(['rm', container]);
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function buildAndCompare(c, prepared, workDir) {
  const tags = imageNames(c.name);
  const convertedFile = join(workDir, `${c.name}.Dockerfile`);
  writeFileSync(convertedFile, prepared.converted);
  try {
    const original = await build(tags.original, c.dockerfile, c.dir);
    if (original.status !== 0) {
      prepared.broken = `the original does not build:\n${tail(original.output, 30)}`;
      return;
    }
    const originalConfig = imageConfig(tags.original);
    if (originalConfig.argv.length === 0) {
      prepared.broken = 'the original image has no ENTRYPOINT or CMD';
      return;
    }
    const originalRun = await runIn(tags.original, originalConfig, originalConfig.argv, workDir);
    if (originalRun.timedOut) {
      prepared.broken = 'the original image did not exit within 30 s';
      return;
    }
    const converted = await build(tags.converted, convertedFile, c.dir);
    if (converted.status !== 0) {
      prepared.problems.push(`the conversion does not build:\n${tail(converted.output, 30)}`);
      return;
    }
    const convertedConfig = imageConfig(tags.converted);
    if (convertedConfig.argv.length === 0) {
      prepared.problems.push('the converted image has no ENTRYPOINT or CMD');
      return;
    }
    const convertedRun = await runIn(
      tags.converted,
      convertedConfig,
      convertedConfig.argv,
      workDir,
    );
    prepared.problems.push(...compareRuns('start', originalRun, convertedRun));
    for (const argv of c.alsoRun) {
      const label = `alsoRun ${JSON.stringify(argv)}`;
      const a = await runIn(tags.original, originalConfig, argv, workDir);
      const b = await runIn(tags.converted, convertedConfig, argv, workDir);
      prepared.problems.push(...compareRuns(label, a, b));
    }
  } finally {
    for (const tag of Object.values(tags)) await buildahAsync(['rmi', '-f', tag]);
  }
}

// ---------------------------------------------------------------------------------------------

function verdictOf(result) {
  if (result.broken) return 'BROKEN';
  if (result.problems.length > 0) return 'FAIL';
  if (result.kind === 'refused') return 'refused as expected';
  if (result.kind === 'static') return `static only: ${result.staticReason}`;
  return 'ok';
}

function selectedCases() {
  const all = existsSync(casesDir)
    ? readdirSync(casesDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  const wanted = [
    ...process.argv.slice(2),
    ...(process.env.GO_MULTISTAGE_BUILD_CASES ?? '').split(','),
  ]
    .map((name) => name.trim().replace(/\/+$/, '').split('/').pop())
    .filter(Boolean);
  if (wanted.length === 0) return all;
  const unknown = wanted.filter((name) => !all.includes(name));
  if (unknown.length > 0) {
    console.error(`[test:build] no such case: ${unknown.join(', ')} (in ${casesDir})`);
    process.exit(1);
  }
  return all.filter((name) => wanted.includes(name));
}

async function main() {
  const missing = missingTools();
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
  if (process.getuid?.() !== 0) {
    console.error(
      'test:build must run as root (buildah builds with chroot isolation, debootstrap)',
    );
    process.exit(1);
  }
  if (!existsSync(cli)) {
    console.error(`${cli} is missing: run npm run build first (npm run test:build does)`);
    process.exit(1);
  }
  const names = selectedCases();
  if (names.length === 0) {
    console.error(`[test:build] no cases in ${casesDir}`);
    process.exit(1);
  }
  const started = performance.now();
  acquireLock();
  await ensureBaseImages();
  // Images of cases a run that was interrupted left behind.
  const leftovers = buildah(['images', '--noheading', '--format', '{{.Name}}:{{.Tag}}'])
    .split('\n')
    .filter((name) => name.startsWith(CASE_IMAGES));
  if (leftovers.length > 0) buildah(['rmi', '-f', ...leftovers]);

  // Convert and check every case first: the golang tags to give the stand-in come from all of
  // them, and cases that need no build are done at once.
  const results = new Map();
  const toBuild = [];
  const cases = new Map();
  for (const name of names) {
    const caseStarted = performance.now();
    let result;
    try {
      const c = readCase(name);
      cases.set(name, c);
      result = prepare(c);
    } catch (error) {
      result = { name, kind: 'same', problems: [error.message] };
    }
    result.elapsed = performance.now() - caseStarted;
    results.set(name, result);
    if (result.build) toBuild.push(name);
  }
  const tagged = tagGolang(toBuild.flatMap((name) => results.get(name).references));
  log(
    `${names.length} case(s), ${toBuild.length} to build, ${Math.min(JOBS, toBuild.length || 1)} at a time; ` +
      `${tagged} golang tag(s) on the stand-in; cache ${cacheDir()}`,
  );

  const width = Math.max(...names.map((name) => name.length));
  const report = (result) =>
    console.log(
      `  ${result.name.padEnd(width)}  ${verdictOf(result)} (${(result.elapsed / 1000).toFixed(1)} s)`,
    );
  for (const name of names) if (!results.get(name).build) report(results.get(name));

  const workDir = mkdtempSync(join(tmpdir(), 'go-multistage-build-'));
  // Also when the run is interrupted (acquireLock's handlers exit the process).
  process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
  try {
    const queue = [...toBuild];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const result = results.get(name);
        const caseStarted = performance.now();
        try {
          await buildAndCompare(cases.get(name), result, workDir);
        } catch (error) {
          result.problems.push(error.message);
        }
        result.elapsed += performance.now() - caseStarted;
        report(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(JOBS, toBuild.length) }, worker));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    // Stages of failed builds leave images without a name.
    await buildahAsync(['rmi', '--prune']);
  }

  const all = names.map((name) => results.get(name));
  const bad = all.filter((result) => result.broken || result.problems.length > 0);
  for (const result of bad) {
    console.log(`\n=== ${verdictOf(result)} ${result.name}`);
    if (result.broken) console.log(result.broken);
    for (const problem of result.problems) console.log(problem);
    if (result.converted !== undefined) {
      console.log(
        `converted Dockerfile:\n${indent(result.converted.replace(/\n$/, '').split('\n'))}`,
      );
      if (result.notes) console.log(`notes:\n${indent(result.notes.split('\n'))}`);
    }
  }
  const count = (verdict) => all.filter((r) => verdictOf(r).startsWith(verdict)).length;
  const summary =
    `${all.length} cases: ${count('ok')} same, ${count('refused as expected')} refused as expected, ` +
    `${count('static only')} static only, ${count('FAIL')} failed, ${count('BROKEN')} broken`;
  console.log(`\n${summary} (${seconds(started)})`);
  process.exitCode = bad.length === 0 && all.length > 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`[test:build] ${error.stack ?? error.message}`);
  process.exit(1);
});
