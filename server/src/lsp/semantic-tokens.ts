/**
 * textDocument/semanticTokens/full: stage names (declared and referenced), ARG and ENV names, and
 * the flags and packages of go build commands, where the TextMate grammar sees only words.
 */
import { SemanticTokensBuilder, type SemanticTokens } from 'vscode-languageserver';
import {
  semanticTokens as tokensOf,
  TOKEN_MODIFIERS,
  TOKEN_TYPES,
} from '../core/stages/semantic-tokens';
import type { Analysis } from './analysis';

export const SEMANTIC_TOKENS_LEGEND = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

export function semanticTokens(analysis: Analysis): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const token of tokensOf(analysis.model)) {
    let modifiers = 0;
    for (const modifier of token.modifiers) modifiers |= 1 << TOKEN_MODIFIERS.indexOf(modifier);
    builder.push(
      token.line,
      token.character,
      token.length,
      TOKEN_TYPES.indexOf(token.type),
      modifiers,
    );
  }
  return builder.build();
}
