/**
 * textDocument/hover: what a stage is and who uses it; the reasoning behind a finding, with its
 * page; on a golang image, its Go release's support and its size beside the runtime's.
 */
import { MarkupKind, type Hover, type HoverParams } from 'vscode-languageserver';
import { configuredConversion } from '../core/convert/memo';
import { hoverAt, type HoverContent } from '../core/stages/hover';
import { golangImageHoverAt } from '../core/stages/image-hover';
import { variableAt, variableHover } from '../core/stages/variable-sites';
import type { RuleDocLink } from '../node/rule-docs';
import { findingsWithConversion, type Analysis } from './analysis';

/** The golang image part: the runtime is the one "Convert to multi-stage" would pick. */
function imageHover(params: HoverParams, analysis: Analysis): HoverContent | undefined {
  return golangImageHoverAt(analysis.model, params.position, () => {
    // Asked only when the final image is the hovered golang image; once per document version.
    const conversion = configuredConversion(analysis.model);
    return conversion.ok ? conversion.runtimeImage : undefined;
  });
}

/** On an ARG or ENV (declared or used): its value and where it is declared. */
function variablePart(params: HoverParams, analysis: Analysis): HoverContent | undefined {
  const found = variableAt(analysis.model, params.position);
  const markdown = found && variableHover(analysis.model, found);
  const range = found?.use?.range ?? found?.declaration?.range;
  return markdown && range ? { markdown, range } : undefined;
}

export function hover(
  params: HoverParams,
  analysis: Analysis,
  ruleLink: RuleDocLink,
): Hover | null {
  const parts = [
    imageHover(params, analysis),
    hoverAt(analysis.model, findingsWithConversion(analysis), params.position, { ruleLink }),
    variablePart(params, analysis),
  ].filter((part): part is HoverContent => part !== undefined);
  if (parts.length === 0) return null;
  return {
    contents: {
      kind: MarkupKind.Markdown,
      value: parts.map((part) => part.markdown).join('\n\n---\n\n'),
    },
    range: parts[0].range,
  };
}
