/**
 * textDocument/codeLens: "Convert to multi-stage" above the first FROM of a file the conversion
 * applies to. In VS Code the lens runs the extension's command (which asks for the runtime);
 * elsewhere it runs the server's convert command with the configured runtime.
 */
import type { CodeLens } from 'vscode-languageserver';
import { convertToMultiStage } from '../core/fixes/convert';
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
  return [
    {
      range: first.from.getInstructionRange(),
      command: clientHasConvertCommand
        ? { title: CONVERT_LENS_TITLE, command: CLIENT_CONVERT_COMMAND, arguments: [analysis.uri] }
        : { title: CONVERT_LENS_TITLE, command: CONVERT_COMMAND, arguments: [args] },
    },
  ];
}
