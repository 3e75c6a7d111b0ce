// Timing helpers for the benchmark: interleaved rounds, medians and percentiles.
import { performance } from 'node:perf_hooks';

const collect = typeof globalThis.gc === 'function' ? globalThis.gc : () => undefined;

export function median(values) {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Time of one call of `fn`, in milliseconds, after a garbage collection (when exposed and
 * `collectFirst` is not false). The collection also throws away most optimized code: optimized
 * code holds the hidden classes of the objects it handled only weakly, and once the previous
 * sample's objects are dead those classes die with them (`--trace-deopt` gives the reason "weak
 * objects"), so such a sample times the code partly unoptimized, as after a long idle spell.
 */
export function timeOnce(fn, collectFirst = true) {
  if (collectFirst) collect();
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/**
 * Runs each candidate once per round, rotating the order every round so no candidate always runs
 * first (or right after another one's garbage), and returns every candidate's samples.
 * `rounds` may be a number or a function of the warm-up times (total ms of one round);
 * `collectFirst: false` times every sample without a forced collection before it.
 */
export function interleaved(candidates, { warmup = 3, rounds = 15, collectFirst = true } = {}) {
  const names = Object.keys(candidates);
  let roundTime = 0;
  for (let w = 0; w < warmup; w++) {
    roundTime = 0;
    for (const name of names) roundTime += timeOnce(candidates[name], collectFirst);
  }
  const count = typeof rounds === 'function' ? rounds(roundTime) : rounds;
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(r + k) % names.length];
      samples[name].push(timeOnce(candidates[name], collectFirst));
    }
  }
  return samples;
}

/** Rounds that fit a time budget, given the time of one round. */
export function roundsWithin(budgetMs, min, max) {
  return (roundTime) =>
    Math.max(min, Math.min(max, Math.floor(budgetMs / Math.max(roundTime, 1e-3))));
}

export function ms(value) {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 100) return `${value.toFixed(0)} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

export function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** One result line: the figure, its target and whether it is met. */
export function verdict(label, value, target, met) {
  const mark = met === undefined ? '' : met ? 'MET' : 'MISSED';
  return `  ${label.padEnd(46)} ${String(value).padStart(12)}   ${(target ?? '').padEnd(16)} ${mark}`;
}
