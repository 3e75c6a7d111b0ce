/**
 * Glob matching for one path segment (`*`, `?`, `[abc]`), as Docker uses for COPY sources and
 * `.dockerignore`. Written as a linear scan rather than a regular expression.
 */

function matchClass(pattern: string, p: number, c: string): { matched: boolean; next: number } {
  // pattern[p] === '['
  let i = p + 1;
  const negate = pattern[i] === '!' || pattern[i] === '^';
  if (negate) i++;
  let matched = false;
  let first = true;
  while (i < pattern.length && (pattern[i] !== ']' || first)) {
    first = false;
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      if (c >= pattern[i] && c <= pattern[i + 2]) matched = true;
      i += 3;
    } else {
      if (c === pattern[i]) matched = true;
      i++;
    }
  }
  if (i >= pattern.length) return { matched: c === '[', next: p + 1 }; // not a class: a literal `[`
  return { matched: matched !== negate, next: i + 1 };
}

/** True when `text` (one path segment) matches the glob `pattern`. */
export function matchSegment(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
      continue;
    }
    if (p < pattern.length && pattern[p] === '[') {
      const cls = matchClass(pattern, p, text[t]);
      if (cls.matched) {
        p = cls.next;
        t++;
        continue;
      }
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
      continue;
    }
    if (star < 0) return false;
    p = star + 1;
    t = ++mark;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** True when a string contains glob syntax. */
export function hasGlob(text: string): boolean {
  return text.includes('*') || text.includes('?') || text.includes('[');
}
