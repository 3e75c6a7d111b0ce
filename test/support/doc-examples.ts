/** The ❌ / ✅ examples of the rule pages, with the go.mod and build context each one names. */
import type { AnalyzeOptions } from '../../server/src/core';
import { testContext } from './context';

export interface Example {
  code: string;
  goMod?: string;
  /** Files of the build context, one per line of a `context` block. */
  context?: string[];
  /** Context files given with their text: a block whose info string names a path (```go main.go). */
  files?: Record<string, string>;
  /** A ```dockerignore block: the context's .dockerignore. */
  dockerignore?: string;
}

/**
 * The fenced `dockerfile` blocks of a doc section, each with the `go.mod` block and the
 * `context` block (the build context's files) that follow it.
 */
export function examples(doc: string, heading: string): Example[] {
  const start = doc.indexOf(`## ${heading}`);
  if (start < 0) return [];
  const next = doc.indexOf('\n## ', start + 3);
  const section = doc.slice(start, next < 0 ? undefined : next);
  const blocks = [...section.matchAll(/```(\S+)(?:[ \t]+(\S+))?\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    path: m[2],
    body: m[3],
  }));
  const result: Example[] = [];
  for (const block of blocks) {
    const last = result[result.length - 1];
    if (block.lang === 'dockerfile') result.push({ code: block.body });
    else if (block.path !== undefined && last)
      last.files = { ...last.files, [block.path]: block.body };
    else if (block.lang === 'dockerignore' && last) last.dockerignore = block.body;
    else if (block.lang === 'go.mod' && result.length > 0)
      result[result.length - 1].goMod = block.body;
    else if (block.lang === 'context' && result.length > 0)
      result[result.length - 1].context = block.body.split('\n').filter((l) => l.trim() !== '');
  }
  return result;
}

export function optionsOf(example: Example): AnalyzeOptions {
  return {
    goMod: example.goMod,
    context: testContext(example.context, example.files, example.dockerignore),
  };
}
