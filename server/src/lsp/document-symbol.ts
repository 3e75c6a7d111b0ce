/** textDocument/documentSymbol: the outline — global ARGs, then each stage with its instructions. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { outline, type OutlineSymbol } from '../core/stages/symbols';
import type { Analysis } from './analysis';

const INSTRUCTION_KINDS: Readonly<Record<string, SymbolKind>> = {
  RUN: SymbolKind.Function,
  COPY: SymbolKind.File,
  ADD: SymbolKind.File,
  ARG: SymbolKind.Variable,
  ENV: SymbolKind.Variable,
  WORKDIR: SymbolKind.Namespace,
  USER: SymbolKind.Key,
  LABEL: SymbolKind.Property,
  EXPOSE: SymbolKind.Interface,
  VOLUME: SymbolKind.Package,
  CMD: SymbolKind.Event,
  ENTRYPOINT: SymbolKind.Event,
  HEALTHCHECK: SymbolKind.Event,
  SHELL: SymbolKind.Operator,
  ONBUILD: SymbolKind.Method,
  STOPSIGNAL: SymbolKind.Constant,
};

function kindOf(symbol: OutlineSymbol): SymbolKind {
  if (symbol.kind === 'stage') return SymbolKind.Class;
  if (symbol.kind === 'global-arg') return SymbolKind.Variable;
  return INSTRUCTION_KINDS[symbol.keyword] ?? SymbolKind.Property;
}

function toDocumentSymbol(symbol: OutlineSymbol): DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail,
    kind: kindOf(symbol),
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(toDocumentSymbol),
  };
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  return outline(analysis.model).map(toDocumentSymbol);
}
