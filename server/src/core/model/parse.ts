/**
 * The one way the core parses a Dockerfile: dockerfile-ast's parser, with its argument scan done
 * once per instruction.
 *
 * dockerfile-ast scans an instruction's text for its arguments on every getArguments() call, and
 * its own parse asks four to five times per instruction (the JSON form, the flags, the heredocs,
 * the argument range each ask again): about a quarter of a parse. The scan depends only on the
 * document text, the instruction's range and the escape character, all fixed when the instruction
 * is made, so the first result is kept (instruction-cache.ts) and every later call gets a fresh array of it: callers
 * change the array (ModifiableInstruction.getArguments shifts the flags off it). A FROM's callers
 * also change the ranges (From.getImageNameRange moves the ends of the first argument's range), so
 * a FROM gets fresh arguments too; no other dockerfile-ast code, and none of ours, writes a range.
 */
import { Argument, DockerfileParser, From, Instruction, type Dockerfile } from 'dockerfile-ast';
import { cacheOf } from './instruction-cache';
import type { Position, Range } from '../types';

function copyOf(argument: Argument): Argument {
  const { start, end } = argument.getRange();
  return new Argument(argument.getValue(), {
    start: { line: start.line, character: start.character },
    end: { line: end.line, character: end.character },
  });
}

/** The parts of a dockerfile-ast instruction its argument scan reads (not in its typings). */
interface Scannable {
  document: {
    getText(): string;
    offsetAt(position: Position): number;
    positionAt(offset: number): Position;
  };
  escapeChar: string;
  getInstructionRange(): Range;
  getTextContent(): string;
}

function isWhitespace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * dockerfile-ast's scan for an instruction without the escape character: then no line continues,
 * so no comment line can interrupt the arguments and no character is escaped, and the scan comes
 * down to cutting the text at spaces, tabs and line breaks. The same arguments with the same
 * ranges, built from slices of the text instead of one character at a time. Undefined when the
 * escape character occurs: dockerfile-ast's own scan handles that.
 */
function plainScan(instruction: Instruction): Argument[] | undefined {
  const self = instruction as unknown as Scannable;
  const document = self.document;
  const keyword = self.getInstructionRange();
  const extra = document.offsetAt(keyword.end) - document.offsetAt(keyword.start);
  const text = self.getTextContent().substring(extra);
  if (self.escapeChar === '' || text.includes(self.escapeChar)) return undefined;
  const offset = document.offsetAt(keyword.start) + extra;
  const args: Argument[] = [];
  let found = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && !isWhitespace(text.charCodeAt(i))) {
      if (found === -1) found = i;
      continue;
    }
    if (found === -1) continue;
    args.push(
      new Argument(text.substring(found, i), {
        start: document.positionAt(offset + found),
        end: document.positionAt(offset + i),
      }),
    );
    found = -1;
  }
  return args;
}

let scan: ((this: Instruction) => Argument[]) | undefined;

function keepArgumentScans(): void {
  if (scan !== undefined) return;
  const prototype = Instruction.prototype as unknown as { getRawArguments(): Argument[] };
  if (typeof prototype.getRawArguments !== 'function') return;
  const own = (scan = prototype.getRawArguments);
  prototype.getRawArguments = function (this: Instruction): Argument[] {
    const cache = cacheOf(this);
    const args = (cache.scan ??= plainScan(this) ?? own.call(this));
    return this instanceof From ? args.map(copyOf) : args.slice();
  };
}

/** For the tests: dockerfile-ast's own scan of an instruction, and the plain one. */
export const argumentScans = {
  dockerfileAst(instruction: Instruction): Argument[] {
    keepArgumentScans();
    return scan ? scan.call(instruction) : instruction.getArguments();
  },
  plain: plainScan,
};

/** Parses `text` with dockerfile-ast (never throws on malformed input; dockerfile-ast does not). */
export function parseDockerfile(text: string): Dockerfile {
  keepArgumentScans();
  return DockerfileParser.parse(text);
}
