/**
 * What `curl` and `wget` write: the file named by `-o`/`-O`, the file named after the URL in the
 * current directory, or nothing (curl writes to standard output unless told otherwise).
 */
import type { SimpleCommand } from './shell';
import { join } from '../text/posix-path';

/** What a download writes (a part of filesystem.ts's CommandEffect). */
export type DownloadEffect =
  | { kind: 'none' }
  | { kind: 'opaque' }
  | { kind: 'writes'; paths: { path: string; kind: 'file' | 'tree' }[] };

// Flags that change neither where nor under which name the remote file is saved.
const WGET_PLAIN =
  /^(?:-[qcv]+|-nv|--(?:quiet|no-verbose|verbose|continue|no-check-certificate|https-only|progress=\S*|tries=\d+|timeout=\d+))$/;
const CURL_PLAIN =
  /^(?:-[LsSfkO#]+|--(?:location|silent|show-error|fail|insecure|remote-name|progress-bar))$/;

/**
 * The name a download saves a URL under when it chooses it from the URL: the URL path's last
 * segment; undefined for a URL without one (`https://host/`), with a query or a fragment (wget
 * keeps the query in the name, curl does not), or written with variables or escapes.
 */
function remoteName(url: string): string | undefined {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+\/([^?#]*)$/.exec(url);
  if (!match) return undefined;
  const name = match[1].slice(match[1].lastIndexOf('/') + 1);
  if (name === '' || name === '.' || name === '..' || /[$%\\{}]/.test(name)) return undefined;
  return name;
}

/**
 * The file a download that names it after its one URL writes in `cwd`, when every flag it has is
 * one that changes neither the place nor the name (else undefined: it may write anything there).
 */
function namedAfterUrl(
  words: SimpleCommand['words'],
  plain: RegExp,
  cwd: string,
): string | undefined {
  const args = words.slice(1);
  if (args.some((w) => w.dynamic)) return undefined;
  const urls = args.filter((w) => !w.text.startsWith('-'));
  if (urls.length !== 1 || args.some((w) => w.text.startsWith('-') && !plain.test(w.text))) {
    return undefined;
  }
  const name = remoteName(urls[0].text);
  return name === undefined ? undefined : join(cwd, name);
}

/** curl and wget: the file named by `-o`/`-O`, the remote name in the current directory, or none. */
export function downloadEffect(
  command: SimpleCommand,
  name: string,
  cwd: string | undefined,
  resolveWord: (text: string) => string | undefined,
): DownloadEffect {
  const words = command.words;
  const flag = name === 'curl' ? ['-o', '--output'] : ['-O', '--output-document'];
  const index = words.findIndex((w) => flag.includes(w.text));
  if (index > 0 && words[index + 1] && !words[index + 1].dynamic) {
    if (words[index + 1].text === '-') return { kind: 'none' };
    const path = resolveWord(words[index + 1].text);
    if (path === undefined) return { kind: 'opaque' };
    return { kind: 'writes', paths: [{ path, kind: 'file' }] };
  }
  const remote = (w: { text: string }) =>
    w.text === '--remote-name' || /^-[A-Za-z#]*O/.test(w.text);
  if (name === 'curl' && !words.slice(1).some(remote)) return { kind: 'none' };
  if (cwd === undefined) return { kind: 'opaque' };
  const file = namedAfterUrl(words, name === 'curl' ? CURL_PLAIN : WGET_PLAIN, cwd);
  if (file !== undefined) return { kind: 'writes', paths: [{ path: file, kind: 'file' }] };
  return { kind: 'writes', paths: [{ path: cwd, kind: 'tree' }] };
}
