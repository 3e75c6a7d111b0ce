/**
 * Dockerfile paths written with a variable the build file does not set (`-f $DOCKERFILE`, `-f
 * deploy/Dockerfile.${FLAVOUR}`): which Dockerfiles such a word may name. Pure, and linear in
 * the pattern and the path, whatever they hold.
 */

/**
 * The literal parts of a Dockerfile pattern, split where a variable stands: `${NAME}` (to its
 * closing brace), `$NAME`, or a special parameter (`$1`, `$@`). Read in one pass.
 */
function literalParts(pattern: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    const next = pattern[i + 1] ?? '';
    if (c !== '$' || next === '') {
      current += c;
      continue;
    }
    let end = i;
    if (next === '{') {
      const close = pattern.indexOf('}', i + 2);
      end = close < 0 ? pattern.length - 1 : close;
    } else if (/[A-Za-z_]/.test(next)) {
      end = i + 1;
      while (end + 1 < pattern.length && /[A-Za-z0-9_]/.test(pattern[end + 1])) end++;
    } else if (/[0-9@*#?$!-]/.test(next)) end = i + 1;
    else {
      current += c;
      continue;
    }
    parts.push(current);
    current = '';
    i = end;
  }
  parts.push(current);
  return parts;
}

/**
 * Whether an absolute path may be the Dockerfile a pattern names: its literal parts in order,
 * anything where a variable stands, the first literal part starting a path segment (`-f
 * ${DIR}/Dockerfile.prod` fits `…/deploy/Dockerfile.prod`, not `…/Dockerfile`). Where the pattern
 * starts (a folder mark, `./`, `../`) is not known, so only its end is held to the path.
 */
export function fitsPattern(path: string, pattern: string): boolean {
  let written = pattern.replace(/^@(?:script-dir|repo-root)@/, '').replace(/\/\.(?=\/)/g, '');
  const up = written.lastIndexOf('../');
  if (up >= 0) written = written.slice(up + 3);
  written = written.replace(/^(?:\.\/)+/, '');
  const pieces = literalParts(written);
  // `x${A}y` → ['x', 'y'], with anything between; a literal start must start a segment.
  if (pieces[0] !== '') pieces[0] = pieces[0].startsWith('/') ? pieces[0] : '/' + pieces[0];
  return wildcardMatch(path, ['', ...pieces]);
}

/**
 * Whether `text` is the `pieces` joined by stretches of any text (`*`): the first piece at the
 * start, the last at the end. Greedy with one point to step back to: linear in practice, never
 * exponential, whatever the pattern.
 */
function wildcardMatch(text: string, pieces: readonly string[]): boolean {
  if (pieces.length === 1) return text === pieces[0];
  // Literal parts longer than the path together cannot fit it: no search at all.
  if (pieces.reduce((sum, piece) => sum + piece.length, 0) > text.length) return false;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (!text.startsWith(first) || text.length < first.length + last.length) return false;
  if (!text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    // Each middle piece at its first place after the previous one: taking the earliest leaves
    // the most room for the rest, so no other choice can succeed where this one fails.
    const found = text.indexOf(pieces[i], at);
    if (found < 0 || found + pieces[i].length > end) return false;
    at = found + pieces[i].length;
  }
  return true;
}
