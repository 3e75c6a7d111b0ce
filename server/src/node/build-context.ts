/**
 * Lists the files of a build context folder, applying its `.dockerignore`, so the core can tell
 * which files `COPY . .` really brings in, and reads them on request (the conversion reads the
 * program's Go sources). Bounded: a folder with too many files or too slow to walk is not
 * listed, `.dockerignore` is read through the project reader, matching is linear, and reads go
 * through the project reader with a shared time budget.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { matchSegment } from '../core/text/glob';
import type { BuildContext } from '../core/types';
import {
  readProjectFile,
  Deadline,
  ReadBudget,
  worthReporting,
  type ProjectRead,
  type SkipReporter,
} from './project-reader';

const MAX_FILES = 20000;
/** The walk of the context stops (unlisted) after this long. */
const WALK_MILLISECONDS = 2000;
/** Reads of context files (Go sources) for one listing stop after this long in all. */
const READ_MILLISECONDS = 3000;
const MAX_IGNORE_RULES = 1000;
/** Skipped files of one listing named one line each, up to this many; then one line says more. */
const MAX_SKIP_LINES = 10;

interface IgnoreRule {
  segments: string[];
  negate: boolean;
}

/** Parses `.dockerignore` lines (comments, `!` exceptions, `*`, `?`, `**`). */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    if (negate) line = line.slice(1).trim();
    // Consecutive `**` match what one does: collapsing them keeps matching linear.
    const segments = line
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .filter((s, i, all) => !(s === '**' && all[i - 1] === '**'));
    if (segments.length > 0) rules.push({ segments, negate });
    if (rules.length >= MAX_IGNORE_RULES) break;
  }
  return rules;
}

/**
 * Whether a pattern's segments match a path's segments (a matched directory excludes everything
 * below it). Dynamic programming over (pattern index, path index): each pair is decided once, so
 * the cost is the product of the lengths whatever the pattern, never exponential.
 */
function matchSegments(pattern: string[], path: string[]): boolean {
  const memo = new Map<number, boolean>();
  const width = path.length + 1;
  const match = (pi: number, si: number): boolean => {
    if (pi === pattern.length) return true;
    if (si === path.length) return pattern.slice(pi).every((s) => s === '**');
    const key = pi * width + si;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (pattern[pi] === '**') result = match(pi + 1, si) || match(pi, si + 1);
    else result = matchSegment(pattern[pi], path[si]) && match(pi + 1, si + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** True when `.dockerignore` rules exclude a context-relative path. */
export function isIgnored(rules: IgnoreRule[], path: string): boolean {
  const segments = path.split('/');
  let ignored = false;
  for (const rule of rules) {
    if (matchSegments(rule.segments, segments)) ignored = !rule.negate;
  }
  return ignored;
}

/**
 * Tells `skipped` of the files of one context listing that were set aside, each once, the first
 * MAX_SKIP_LINES by name and the rest in one line: a context of thousands of unreadable or
 * generated-away sources is a few lines of log, not thousands.
 */
function boundedReporter(dir: string, skipped: SkipReporter | undefined): SkipReporter {
  const said = new Set<string>();
  let more = false;
  return (path, reason) => {
    if (!skipped || said.has(path)) return;
    if (said.size >= MAX_SKIP_LINES) {
      if (!more) skipped(dir, `more files skipped than the ${MAX_SKIP_LINES} named`);
      more = true;
      return;
    }
    said.add(path);
    skipped(path, reason);
  };
}

/** Whether a pattern could match a path strictly below the folder of `dir` segments. */
function mayMatchBelow(pattern: string[], dir: string[]): boolean {
  for (let i = 0; i < dir.length; i++) {
    if (i >= pattern.length) return false;
    if (pattern[i] === '**') return true;
    if (!matchSegment(pattern[i], dir[i])) return false;
  }
  return pattern.length > dir.length;
}

/**
 * Whether a folder of the context reaches the build, itself or some of its contents: it is not
 * excluded, or an exception (`!pattern`) may bring back something below it, as Docker then still
 * walks it (`.git` with `!.git/HEAD` sends a `.git` folder holding HEAD alone).
 */
export function isFolderSent(rules: IgnoreRule[], path: string): boolean {
  if (!isIgnored(rules, path)) return true;
  const segments = path.split('/');
  return rules.some((rule) => rule.negate && mayMatchBelow(rule.segments, segments));
}

/**
 * The ignore file of a build: `<Dockerfile>.dockerignore` beside the Dockerfile when there is one
 * (BuildKit reads it instead of the context's), else the context folder's `.dockerignore`.
 */
function ignoreFileOf(
  dir: string,
  dockerfile?: string,
): { path: string; own: boolean; read: ProjectRead } {
  if (dockerfile !== undefined) {
    const path = `${dockerfile}.dockerignore`;
    const read = readProjectFile(path, { within: dirname(path) });
    if (read.ok || worthReporting(read)) return { path, own: true, read };
  }
  const path = join(dir, '.dockerignore');
  return { path, own: false, read: readProjectFile(path, { within: dir }) };
}

/**
 * The files of a context folder, or undefined when it cannot be listed (or is too large).
 * `dockerfile`, the path of the Dockerfile built with it, chooses the ignore file (ignoreFileOf).
 */
export function listBuildContext(
  dir: string,
  skipped?: SkipReporter,
  dockerfile?: string,
): BuildContext | undefined {
  const ignoreFile = ignoreFileOf(dir, dockerfile);
  const ignore = ignoreFile.read;
  if (worthReporting(ignore)) skipped?.(ignoreFile.path, ignore.reason);
  const report = boundedReporter(dir, skipped);
  const rules = ignore.ok ? parseDockerignore(ignore.text) : [];
  const files: string[] = [];
  const walkBudget = new Deadline(WALK_MILLISECONDS);
  const walk = (relativeDir: string): boolean => {
    if (walkBudget.spent) return false;
    let entries;
    try {
      entries = readdirSync(join(dir, relativeDir), { withFileTypes: true });
    } catch {
      return relativeDir !== '';
    }
    for (const entry of entries) {
      const rel = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!isFolderSent(rules, rel)) continue;
        if (entry.name === '.git') {
          // Its presence matters (VCS stamping), its thousands of objects do not: it is listed
          // as its HEAD, and `ignored` tells which of its parts .dockerignore leaves out.
          files.push(`${rel}/HEAD`);
          continue;
        }
        if (!walk(rel)) return false;
      } else if (!isIgnored(rules, rel)) {
        files.push(rel);
        if (files.length > MAX_FILES) return false;
      }
    }
    return true;
  };
  if (!walk('')) {
    const why = walkBudget.spent
      ? `not listed: walking it took over ${WALK_MILLISECONDS} ms`
      : `not listed: over ${MAX_FILES} files`;
    if (files.length > MAX_FILES || walkBudget.spent) skipped?.(dir, why);
    return undefined;
  }
  const listed = new Set(files);
  const readBudget = new ReadBudget(READ_MILLISECONDS);
  const texts = new Map<string, string | undefined>();
  return {
    files,
    root: dir,
    ignored: (path: string) => isIgnored(rules, path),
    ...(ignoreFile.own ? { ignoreFile: basename(ignoreFile.path) } : {}),
    readFile: (path: string) => {
      if (!listed.has(path)) return undefined;
      if (!texts.has(path)) {
        const read = readProjectFile(join(dir, path), { budget: readBudget, within: dir });
        texts.set(path, read.ok ? read.text : undefined);
        if (worthReporting(read)) report(join(dir, path), read.reason);
      }
      return texts.get(path);
    },
    skipped: (path: string, reason: string) => report(join(dir, path), reason),
  };
}
