/**
 * textDocument/codeLens: "Convert to multi-stage" above the first FROM of a file the conversion
 * applies to, with the approximate size change (`≈ 310 MB → ≈ 1 MB`) from the image data shipped
 * with the extension. In VS Code the lens runs the extension's command (which asks for the
 * runtime); elsewhere it runs the server's convert command with the configured runtime. Above
 * each stage a build produces, the builds that do (a compose service, a Bake target, a Makefile
 * line), each opening the line that declares it.
 */
import type { CodeLens } from 'vscode-languageserver';
import { sizeChange } from '../core/facts/image-sizes';
import { conversionOf } from '../core/convert/memo';
import { rootStage } from '../core/facts/stage-tree';
import type { Analysis } from './analysis';
import { buildsOf, describeBuild } from '../core/facts/builds';
import {
  CLIENT_CONVERT_COMMAND,
  CONVERT_COMMAND,
  SHOW_BUILD_COMMAND,
  type ConvertArgs,
  type ShowBuildArgs,
} from './execute-command';
import type { Settings } from './settings';

export const CONVERT_LENS_TITLE = 'Convert to multi-stage';

/** Build lenses above one stage, at most. */
const MAX_BUILD_LENSES = 4;

export function codeLenses(
  analysis: Analysis,
  settings: Settings,
  clientHasConvertCommand: boolean,
): CodeLens[] {
  if (!settings.codeLens.enable) return [];
  const first = analysis.model.stages[0];
  if (!first) return [];
  const lenses = buildLenses(analysis);
  const conversion = conversionOf(analysis.model, {
    runtimeImage: analysis.options.runtimeImage ?? settings.runtimeImage,
    layout: analysis.options.convertLayout ?? settings.convertLayout,
  });
  if (!conversion.ok) return lenses;
  const args: ConvertArgs = { uri: analysis.uri, version: analysis.version };
  const title = convertLensTitle(analysis, conversion.runtimeImage);
  return [
    {
      range: first.from.getInstructionRange(),
      command: clientHasConvertCommand
        ? { title, command: CLIENT_CONVERT_COMMAND, arguments: [analysis.uri] }
        : { title, command: CONVERT_COMMAND, arguments: [args] },
    },
    ...lenses,
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

/** "Built by service api in compose.yaml:12" above each stage a declared build produces. */
function buildLenses(analysis: Analysis): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const stage of analysis.model.stages) {
    const builds = buildsOf(analysis.model, stage);
    for (const build of builds.slice(0, MAX_BUILD_LENSES)) {
      const verb = build.output === 'export' ? 'Exported by' : 'Built by';
      const more =
        build === builds[MAX_BUILD_LENSES - 1] && builds.length > MAX_BUILD_LENSES
          ? ` (and ${builds.length - MAX_BUILD_LENSES} more)`
          : '';
      const args: ShowBuildArgs | undefined = build.source.uri
        ? { uri: build.source.uri, line: build.source.line }
        : undefined;
      lenses.push({
        range: stage.from.getInstructionRange(),
        command: {
          title: `${verb} ${describeBuild(build)}${more}`,
          command: args ? SHOW_BUILD_COMMAND : '',
          ...(args ? { arguments: [args] } : {}),
        },
      });
    }
  }
  return lenses;
}
