/**
 * YAML files (compose, GitHub Actions workflows, .gitlab-ci.yml) as a small tree of maps,
 * sequences and scalars that keeps each node's line, read with the `yaml` package. Anchors,
 * aliases and `<<` merge keys are followed, within a budget of nodes, so that a file of nested
 * aliases (a "billion laughs") is refused rather than expanded.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Document,
  type Node,
} from 'yaml';

export type YamlNode = YamlMap | YamlSeq | YamlScalar;

export interface YamlMap {
  kind: 'map';
  line: number;
  entries: { key: string; keyLine: number; value: YamlNode }[];
}

export interface YamlSeq {
  kind: 'seq';
  line: number;
  items: YamlNode[];
}

export interface YamlScalar {
  kind: 'scalar';
  line: number;
  value: string | number | boolean | null;
  /** The zero-based line the scalar's text starts on (the line after `|` for block scalars). */
  textLine: number;
}

export class YamlError extends Error {}

/** Nodes visited when aliases are followed, at most. */
const MAX_NODES = 100_000;
const MAX_DEPTH = 100;

class Converter {
  private visited = 0;

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  private lineOf(offset: number | undefined): number {
    return offset === undefined ? 0 : this.lines.linePos(offset).line - 1;
  }

  convert(node: unknown, depth = 0): YamlNode {
    if (++this.visited > MAX_NODES) throw new YamlError('too many nodes once aliases are expanded');
    if (depth > MAX_DEPTH) throw new YamlError('nested too deeply');
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new YamlError(`alias *${node.source} has no anchor`);
      return this.convert(target, depth + 1);
    }
    const line = this.lineOf((node as Node | undefined)?.range?.[0]);
    if (isMap(node)) {
      const entries: YamlMap['entries'] = [];
      const own: YamlMap['entries'] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        if (!isScalar(keyNode)) continue;
        const keyLine = this.lineOf((keyNode as Node | undefined)?.range?.[0]);
        // yaml gives a merge key the value Symbol(<<).
        if (typeof keyNode.value === 'symbol' || (keyNode.value === '<<' && !keyNode.type)) {
          // A merge key: the entries of the maps it names come first, the map's own win.
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const source of sources) {
            const merged = this.convert(source, depth + 1);
            if (merged.kind === 'map') entries.push(...merged.entries);
          }
          continue;
        }
        const key = String(keyNode.value);
        own.push({ key, keyLine, value: this.convert(pair.value ?? null, depth + 1) });
      }
      const keys = new Set(own.map((e) => e.key));
      return {
        kind: 'map',
        line,
        entries: [...entries.filter((e) => !keys.has(e.key)), ...own],
      };
    }
    if (isSeq(node)) {
      return { kind: 'seq', line, items: node.items.map((item) => this.convert(item, depth + 1)) };
    }
    if (isScalar(node)) {
      const value = node.value;
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      return {
        kind: 'scalar',
        line,
        value:
          typeof value === 'string' ||
          typeof value === 'number' ||
          typeof value === 'boolean' ||
          value === null
            ? value
            : String(value),
        textLine: block ? line + 1 : line,
      };
    }
    return { kind: 'scalar', line, value: null, textLine: line };
  }
}

/** Flow collections (`[`, `{`) nested deeper than this, or lines indented further, are refused. */
const MAX_FLOW_DEPTH = 64;
const MAX_INDENT = 512;

/**
 * Refuses text nested too deeply before the parser sees it: the parser recurses once per level,
 * and running out of stack inside it can end the whole process rather than throw.
 */
function checkNesting(text: string): void {
  let depth = 0;
  let quote: string | undefined;
  let i = 0;
  while (i < text.length) {
    // The start of a line: its indentation, and sequences opened on it (`- - - x`).
    if (quote === undefined) {
      let indent = 0;
      while (text[i] === ' ') {
        if (++indent > MAX_INDENT) throw new YamlError('indented too deeply');
        i++;
      }
      let dashes = 0;
      while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        if (++dashes > MAX_FLOW_DEPTH) throw new YamlError('nested too deeply');
        i += 2;
        while (text[i] === ' ' || text[i] === '\t') i++;
      }
    }
    for (; i < text.length && text[i] !== '\n'; i++) {
      const c = text[i];
      if (quote) {
        if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = undefined;
      } else if (c === '"' || c === "'") {
        // A quote opens a quoted scalar only where a scalar starts (`it's` is plain text).
        let k = i - 1;
        while (k >= 0 && text[k] === ' ') k--;
        if (k < 0 || '\n:-[{,?'.includes(text[k])) quote = c;
      } else if (c === '#') {
        while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      } else if (c === '[' || c === '{') {
        if (++depth > MAX_FLOW_DEPTH) throw new YamlError('nested too deeply');
      } else if ((c === ']' || c === '}') && depth > 0) depth--;
    }
    i++;
  }
}

/** Parses YAML text into the tree. Throws YamlError (one line) when the text is not YAML. */
export function parseYaml(text: string): YamlNode {
  checkNesting(text);
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: false });
  } catch (error) {
    throw new YamlError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0];
    throw new YamlError(
      `${error.message.split('\n')[0]}${where ? ` (line ${where.line})` : ''}`.slice(0, 200),
    );
  }
  return new Converter(doc, lines).convert(doc.contents ?? null);
}

/** The value of a map's key, if the node is a map and has it. */
export function get(node: YamlNode | undefined, key: string): YamlNode | undefined {
  if (node?.kind !== 'map') return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) {
    if (node.entries[i].key === key) return node.entries[i].value;
  }
  return undefined;
}

/** The zero-based line of a key in a map node, if the node is a map and has it. */
export function keyLine(node: YamlNode | undefined, key: string): number | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key)?.keyLine : undefined;
}

/** A scalar's value as text (numbers and booleans too); undefined for anything else. */
export function text(node: YamlNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}
