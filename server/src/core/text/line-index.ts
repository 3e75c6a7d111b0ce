import type { Position, Range } from '../types';

/**
 * Maps between offsets in a text and zero-based line/character positions. Lines end at `\n`,
 * `\r\n` or a lone `\r`, as in the LSP and in dockerfile-ast.
 */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset of a position, clamped to the text. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const end = this.lineEnd(position.line);
    return Math.min(start + Math.max(0, position.character), end);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  /** Offset where a line's content ends (before its line terminator). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let end = next;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Text of a line without its terminator. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  textOf(range: Range): string {
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  rangeOf(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }
}

/** The line terminator a text mostly uses, so inserted lines match it. */
let lastText: string | undefined;
let lastEol: '\n' | '\r\n' = '\n';

export function detectEol(text: string): '\n' | '\r\n' {
  // Fixes ask once per finding about the same document: remember the last answer.
  if (text === lastText) return lastEol;
  lastText = text;
  lastEol = countEol(text);
  return lastEol;
}

function countEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
      else lf++;
    }
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** A range, or something that has one (a dockerfile-ast instruction, argument, flag). */
export type Located = Range | { getRange(): Range };

function startLine(at: Located): number {
  return ('getRange' in at ? at.getRange() : at).start.line;
}

/** Zero-based line where `at` starts: to compare and order places in the document. */
export function zeroBasedLine(at: Located): number {
  return startLine(at);
}

/** One-based line where `at` starts: the line number a message shows. */
export function oneBasedLine(at: Located): number {
  return startLine(at) + 1;
}
