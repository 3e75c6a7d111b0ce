/**
 * The `-X importpath.name=value` entries of a go command's `-ldflags`: the linker sets the string
 * variable `name` of the package `importpath` to `value` (the version stamps of most Go images).
 */
import { splitQuotedFields } from '../text/quotes';

/** One `-X` entry. */
export interface LinkerStamp {
  /** `main`, or the import path of the package. */
  importPath: string;
  name: string;
  /** `importpath.name` as written. */
  symbol: string;
  /** The value, as written: everything after the first `=`. */
  value: string;
}

/** `importpath.name` cut at its last dot; undefined when either side is empty. */
function symbolParts(symbol: string): { importPath: string; name: string } | undefined {
  const dot = symbol.lastIndexOf('.');
  if (dot <= 0 || dot === symbol.length - 1) return undefined;
  return { importPath: symbol.slice(0, dot), name: symbol.slice(dot + 1) };
}

/**
 * The symbol of a second stamp written into a stamp's value after a comma
 * (`-X pkg.version=1.2,pkg.commit=abc`): -X takes one `importpath.name=value`, so that one is
 * never set and the first gets the rest as its value. Undefined when the value has none.
 */
export function joinedStamp(stamp: LinkerStamp): string | undefined {
  for (const match of stamp.value.matchAll(/,([\w./~-]+)=/g)) {
    const symbol = match[1];
    // A Go identifier after the dot (a URL or a list in a value has none).
    if (/^[A-Za-z_]\w*$/.test(symbolParts(symbol)?.name ?? '')) return symbol;
  }
  return undefined;
}

/**
 * The `-X` entries of an `-ldflags` value (`-X main.version=1.2`, `-X=main.version=1.2`,
 * `--X ...`). An entry whose symbol holds an unexpanded variable is left out.
 */
export function linkerStamps(ldflags: string): LinkerStamp[] {
  // A value Go cannot split (an open quote) fails the build: it sets nothing.
  const words = splitQuotedFields(ldflags) ?? [];
  // A per-package value (`all=-X ...`, `./cmd/app=-X ...`) names the packages first.
  if (words[0] !== undefined && !words[0].startsWith('-')) {
    const eq = words[0].indexOf('=');
    if (eq < 0) return [];
    words[0] = words[0].slice(eq + 1);
    if (words[0] === '') words.shift();
  }
  const stamps: LinkerStamp[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    let entry: string | undefined;
    if (word === '-X' || word === '--X') entry = words[++i];
    else if (word.startsWith('-X=') || word.startsWith('--X='))
      entry = word.slice(word.indexOf('=') + 1);
    if (entry === undefined) continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const symbol = entry.slice(0, eq);
    if (/[$`{}\s]/.test(symbol)) continue;
    const parts = symbolParts(symbol);
    if (parts === undefined) continue;
    stamps.push({ ...parts, symbol, value: entry.slice(eq + 1) });
  }
  return stamps;
}
