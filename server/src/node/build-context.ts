/**
 * Lists the files of a build context folder, applying its `.dockerignore`, so the core can tell
 * which files `COPY . .` really brings in. Bounded: very large folders are not listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchSegment } from '../core/text/glob';
import type { BuildContext } from '../core/types';

const MAX_FILES = 20000;

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
    const segments = line.split('/').filter((s) => s !== '' && s !== '.');
    if (segments.length > 0) rules.push({ segments, negate });
  }
  return rules;
}

function matchSegments(pattern: string[], path: string[], pi = 0, si = 0): boolean {
  if (pi === pattern.length) return true; // a matched directory excludes everything below it
  if (si === path.length) return pattern.slice(pi).every((s) => s === '**');
  if (pattern[pi] === '**') {
    for (let k = si; k <= path.length; k++)
      if (matchSegments(pattern, path, pi + 1, k)) return true;
    return false;
  }
  return matchSegment(pattern[pi], path[si]) && matchSegments(pattern, path, pi + 1, si + 1);
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

/** The files of a context folder, or undefined when it cannot be listed (or is too large). */
export function listBuildContext(dir: string): BuildContext | undefined {
  let rules: IgnoreRule[] = [];
  try {
    rules = parseDockerignore(readFileSync(join(dir, '.dockerignore'), 'utf8'));
  } catch {
    rules = [];
  }
  const files: string[] = [];
  const walk = (relativeDir: string): boolean => {
    let entries;
    try {
      entries = readdirSync(join(dir, relativeDir), { withFileTypes: true });
    } catch {
      return relativeDir !== '';
    }
    for (const entry of entries) {
      const rel = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (isIgnored(rules, rel)) continue;
        if (entry.name === '.git') {
          // Its presence matters (VCS stamping), its thousands of objects do not.
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
  return walk('') ? { files } : undefined;
}
