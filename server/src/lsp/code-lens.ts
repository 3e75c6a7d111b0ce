/**
 * textDocument/codeLens: "Convert to multi-stage" above the first FROM of a file the conversion
 * applies to, with the approximate size change (`≈ 310 MB → ≈ 1 MB`) from the image data shipped
 * with the extension. In VS Code the lens runs the extension's command (which asks for the
 * runtime); elsewhere it runs the server's convert command with the configured runtime.
 */
import type { CodeLens } from 'vscode-languageserver';
import { sizeChange } from '../core/data/image-sizes';
import { convertToMultiStage } from '../core/fixes/convert';
import { rootStage } from '../core/model/stage-tree';
import type { Analysis } from './analysis';
import { CLIENT_CONVERT_COMMAND, CONVERT_COMMAND, type ConvertArgs } from './execute-command';
import type { Settings } from './settings';

export const CONVERT_LENS_TITLE = 'Convert to multi-stage';

export function codeLenses(
  analysis: Analysis,
  settings: Settings,
  clientHasConvertCommand: boolean,
): CodeLens[] {
  if (!settings.codeLens.enable) return [];
  const first = analysis.model.stages[0];
  if (!first) return [];
  const conversion = convertToMultiStage(analysis.model, {
    runtimeImage: settings.runtimeImage,
    layout: settings.convertLayout,
  });
  if (!conversion.ok) return [];
  const args: ConvertArgs = { uri: analysis.uri, version: analysis.version };
  const title = convertLensTitle(analysis, conversion.runtimeImage);
  return [
    {
      range: first.from.getInstructionRange(),
      command: clientHasConvertCommand
        ? { title, command: CLIENT_CONVERT_COMMAND, arguments: [analysis.uri] }
        : { title, command: CONVERT_COMMAND, arguments: [args] },
    },
  ];
}

/**
 * The lens title, with the size of the image the final stage is built on now and of the runtime
 * it would be built on (the program's binary comes on top) when the size data covers both.
 */
function convertLensTitle(analysis: Analysis, runtimeImage: string): string {
  const final = analysis.model.finalStage;
  const change = final ? sizeChange(rootStage(final).base, runtimeImage) : undefined;
  return change ? `${CONVERT_LENS_TITLE}: ${change}` : CONVERT_LENS_TITLE;
}
