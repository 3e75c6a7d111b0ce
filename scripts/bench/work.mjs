// `node scripts/bench/work.mjs`: the work of the corpus analysis and of the bare dockerfile-ast
// parse, counted by valgrind's cachegrind instead of timed, so that a change of a few percent
// shows (this machine's timings move by ±7% from run to run and it has no hardware counters).
// Each side runs in its own process under `node --single-threaded` (compilation and garbage
// collection on the main thread, so counted, and in the same order every run) with a forced
// collection before each corpus pass, as section 1 of `npm run bench` times it. A pass's figures
// are the difference between a 12-pass and a 4-pass process, divided by 8: start-up, loading and
// the first compilations cancel out. Counts: instructions executed, and the misses of the
// simulated first-level instruction and data caches.
//
// Needs valgrind (`apt-get install valgrind`); takes four to five minutes. Reads the built
// server/dist/core.js (`npm run build` first) and the corpus (GO_MULTISTAGE_CORPUS, or
// ../shared/corpus/dockerfiles). Writes bench-results/work.json.
//
// Options: --core=<path> counts another build of the core (to compare two versions of a change
// against the same parse figures); --analyze-only skips the parse's count.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpusFolder, readCorpus } from './corpus.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const self = fileURLToPath(import.meta.url);
const option = (name) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const corePath = option('core') ?? join(root, 'server/dist/core.js');
const SHORT = 4;
const LONG = 12;

function corpusTexts() {
  const dir = corpusFolder(root);
  return dir ? readCorpus(dir) : undefined;
}

/** The measured process: `passes` corpus passes of one side, a collection before each. */
function child(side, passes, core) {
  const require = createRequire(join(root, 'package.json'));
  const texts = corpusTexts();
  const run =
    side === 'analyze'
      ? (() => {
          const { buildModel, runRules } = require(core);
          return (text) => runRules(buildModel(text));
        })()
      : (() => {
          const { DockerfileParser } = require('dockerfile-ast');
          return (text) => DockerfileParser.parse(text);
        })();
  for (let i = 0; i < passes; i++) {
    globalThis.gc();
    for (const text of texts) run(text);
  }
}

const COUNTS = { I: 'instructions', I1: 'instructionCacheMisses', D1: 'dataCacheMisses' };

/** The counts of cachegrind's summary (what it writes to stderr at exit). */
export function summaryCounts(log) {
  const counts = {};
  for (const [name, key] of Object.entries(COUNTS)) {
    const label = name === 'I' ? 'I\\s+refs' : `${name}\\s+misses`;
    const match = new RegExp(`^==\\d+== ${label}:\\s+([\\d,]+)`, 'm').exec(log);
    if (!match) throw new Error(`no "${name}" count in cachegrind's summary:\n${log}`);
    counts[key] = Number(match[1].replaceAll(',', ''));
  }
  return counts;
}

/** The counts of one pass: the difference between a long and a short process, per pass. */
export function perPassCounts(short, long, shortPasses, longPasses) {
  return Object.fromEntries(
    Object.values(COUNTS).map((key) => [
      key,
      (long[key] - short[key]) / (longPasses - shortPasses),
    ]),
  );
}

/** Runs one side under cachegrind and reads its summary counts. */
function counted(side, passes) {
  return new Promise((resolve, reject) => {
    const args = [
      '--tool=cachegrind',
      '--cache-sim=yes',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--expose-gc',
      '--single-threaded',
      self,
      '--child',
      side,
      String(passes),
      corePath,
    ];
    const proc = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    proc.stderr.on('data', (chunk) => (log += chunk));
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${side} × ${passes} exited with ${code}:\n${log}`));
      try {
        resolve(summaryCounts(log));
      } catch (error) {
        reject(error);
      }
    });
  });
}

async function perPass(side) {
  const [short, long] = await Promise.all([counted(side, SHORT), counted(side, LONG)]);
  return perPassCounts(short, long, SHORT, LONG);
}

async function main() {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.error('work.mjs: valgrind is not installed (apt-get install valgrind)');
    process.exit(2);
  }
  const texts = corpusTexts();
  if (!texts) {
    console.error('work.mjs: corpus not found (set GO_MULTISTAGE_CORPUS)');
    process.exit(2);
  }
  if (!existsSync(corePath)) {
    console.error(`work.mjs: ${corePath} not built (npm run build)`);
    process.exit(2);
  }
  console.log(`Work per corpus pass (${texts.length} files), counted by cachegrind (${corePath}):`);
  const analyze = await perPass('analyze');
  const parse = process.argv.includes('--analyze-only') ? undefined : await perPass('parse');
  const millions = (value) => `${(value / 1e6).toFixed(1)} M`.padStart(10);
  const label = {
    instructions: 'instructions',
    instructionCacheMisses: 'instruction cache misses',
    dataCacheMisses: 'data cache misses',
  };
  const heads = parse ? ` ${'parse'.padStart(10)}   ratio` : '';
  console.log(`  ${''.padEnd(26)} ${'analyze'.padStart(10)}${heads}`);
  const ratios = {};
  for (const key of Object.values(COUNTS)) {
    if (parse) ratios[key] = analyze[key] / parse[key];
    const rest = parse ? ` ${millions(parse[key])}   ${ratios[key].toFixed(2)}×` : '';
    console.log(`  ${label[key].padEnd(26)} ${millions(analyze[key])}${rest}`);
  }
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const results = { date: new Date().toISOString(), node: process.version, analyze, parse, ratios };
  writeFileSync(join(root, 'bench-results/work.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('Results written to bench-results/work.json');
}

// Run as a script (the tests import it for the functions above).
if (process.argv[1] === self) {
  if (process.argv[2] === '--child')
    child(process.argv[3], Number(process.argv[4]), process.argv[5]);
  else await main();
}
