/**
 * Semantic tokens for what the TextMate grammar cannot tell apart: a stage name where it is
 * declared (`AS build`) and wherever it is referenced (`FROM build`, `--from=build`,
 * `--mount=from=build`), told from an image name; ARG and ENV names where declared and used; and
 * in `go build` / `go install` / `go run`, the flags and the packages. Each token is one line.
 */
import { locateCommand } from '../model/command-words';
import type { DockerfileModel } from '../model/model';
import type { Range } from '../types';
import { stageSites } from './sites';
import { variableSites } from './variable-sites';

/** The legend: token types and modifiers, in the order their indices are sent. */
export const TOKEN_TYPES = ['class', 'variable', 'parameter', 'namespace'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly'] as const;

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export interface Token {
  line: number;
  character: number;
  length: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

function push(tokens: Token[], range: Range, type: TokenType, modifiers: TokenModifier[]): void {
  if (range.start.line !== range.end.line) return;
  const length = range.end.character - range.start.character;
  if (length <= 0) return;
  tokens.push({
    line: range.start.line,
    character: range.start.character,
    length,
    type,
    modifiers,
  });
}

/** The tokens of a document, in document order, without overlaps. */
export function semanticTokens(model: DockerfileModel): Token[] {
  const tokens: Token[] = [];
  for (const site of stageSites(model).sites) {
    if (site.dynamic) continue;
    push(tokens, site.range, 'class', site.kind === 'declaration' ? ['declaration'] : []);
  }
  const variables = variableSites(model);
  for (const declaration of variables.declarations) {
    push(tokens, declaration.range, 'variable', [
      'declaration',
      ...(declaration.kind === 'arg' ? (['readonly'] as const) : []),
    ]);
  }
  for (const use of variables.uses) {
    push(tokens, use.range, 'variable', use.declaration?.kind === 'arg' ? ['readonly'] : []);
  }
  for (const stage of model.stages) {
    for (const call of stage.goCalls) {
      const located = locateCommand(model, call.run, call.commandIndex);
      if (!located) continue;
      const packages = new Set(call.invocation.packages.map((p) => p.text));
      const words = located.words.slice(located.firstWord);
      // `go`, the subcommand, then its arguments.
      for (const word of words.slice(2)) {
        const range = model.index.rangeOf(word.start, word.end);
        if (word.text.startsWith('-')) {
          const name = word.text.split('=')[0];
          push(tokens, model.index.rangeOf(word.start, word.start + name.length), 'parameter', []);
        } else if (packages.has(word.text)) push(tokens, range, 'namespace', []);
      }
    }
  }
  tokens.sort((a, b) => a.line - b.line || a.character - b.character || b.length - a.length);
  // A use inside a longer token (a variable inside a package path) keeps the first, outer one.
  const kept: Token[] = [];
  for (const token of tokens) {
    const last = kept[kept.length - 1];
    if (last && last.line === token.line && token.character < last.character + last.length)
      continue;
    kept.push(token);
  }
  return kept;
}
