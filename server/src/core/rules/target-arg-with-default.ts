// Catches an automatic platform ARG declared with a default (`ARG TARGETARCH=amd64`): the default
// replaces BuildKit's value, so every platform gets the same Go binary ("exec format error").
import { instructionVariables } from '../model/instruction-text';
import type { ArgDeclaration, DockerfileModel, Stage } from '../model/model';
import { argInForce, PLATFORM_ARGS } from '../model/model';
import { referencedNames, stageLabel, variableName } from '../facts/platform';
import { stripVariantEdit, VARIANT_ARGS, type GoarmVariantUse } from '../facts/goarm-variant';
import { goarmUses } from '../facts/goarm-uses';
import type { Fix } from '../types';
import { shortText, type Report, type Rule } from './rule';
import { removeRange, replaceRange } from '../edits/fixer';
import { keywordOf } from '../model/instruction-view';
import { isWindowsStage } from '../facts/windows';
import { hasSyntaxDirective, syntaxAtLeast } from '../facts/syntax';
import { syntaxDirectiveEdit } from '../edits/syntax-directive';

/** What the pinned value does, by the kind of ARG; `goarm`: GOARM is set from it as it is. */
function consequence(declaration: ArgDeclaration, goarm: boolean): string {
  const value = declaration.defaultValue ?? '';
  const shown = value === '' ? 'an empty string' : value;
  switch (declaration.name) {
    case 'TARGETVARIANT':
    case 'BUILDVARIANT':
      if (goarm && value === '') {
        // An empty GOARM is Go's default ARM version: no error, but one binary for v6 and v7.
        return (
          'GOARM, set from it, is empty on every platform, so Go builds linux/arm/v6 and v7 ' +
          'alike, for its default ARM version'
        );
      }
      if (goarm) return `GOARM, set from it, is ${value} on every platform`;
      return (
        `every platform gets the variant ${shown}, where BuildKit gives v7 on linux/arm/v7, v6 ` +
        'on linux/arm/v6 and none on amd64 or arm64'
      );
    case 'TARGETARCH':
    case 'TARGETPLATFORM':
      if (value === '') {
        return (
          'every platform gets an empty string: a GOARCH set from it is empty, so Go builds ' +
          "for the machine running the build, not the platform's"
        );
      }
      return (
        `every platform gets ${shown}: Go builds the binary for ${shown} in every platform's ` +
        'image, and on the other platforms the container fails with "exec format error"'
      );
    case 'TARGETOS':
      return `every platform is built for ${shown}`;
    case 'BUILDPLATFORM':
      return (
        `stages \`FROM --platform=$BUILDPLATFORM\` always run as ${shown}, under emulation on ` +
        'any other build machine'
      );
    default:
      return (
        `the build machine is taken to be ${shown} whatever it is, so tools chosen by it fail on ` +
        'other build machines'
      );
  }
}

/**
 * Removing the default. Never applied blindly: the value each platform then gets reaches GOARCH,
 * GOARM, download URLs and tools run in the build, and a default may have kept a build working
 * (`ARG TARGETVARIANT=""` feeding GOARM, which rejects BuildKit's `v7`). `goarm`: the
 * `GOARM=$TARGETVARIANT` settings this ARG feeds, rewritten to strip the `v` in the same fix.
 */
function dropDefaultFix(
  model: DockerfileModel,
  declaration: ArgDeclaration,
  goarm: readonly GoarmVariantUse[],
): Fix {
  // The Dockerfile frontend expands `${NAME#v}` in ENV and ARG from syntax 1.7 on: without a
  // syntax directive the fix adds one; with an older one pinned, only RUN's are rewritten.
  const frontend = syntaxAtLeast(model, 7) || !hasSyntaxDirective(model);
  const stripped = goarm.filter((u) => u.bare && (u.shell || frontend));
  const directive = stripped.some((u) => !u.shell) && !syntaxAtLeast(model, 7);
  return {
    title:
      stripped.length > 0
        ? `Remove the default of ${declaration.name} and set GOARM from \${${declaration.name}#v}`
        : `Remove the default of ${declaration.name}`,
    kind: 'quickfix',
    isPreferred: true,
    safe: false,
    edits: [
      ...(directive ? [syntaxDirectiveEdit(model)] : []),
      removeRange({ start: declaration.nameRange.end, end: declaration.range.end }),
      ...stripped.map(stripVariantEdit),
    ],
  };
}

/** For a global ARG: keep the default only as a fallback, `NAME=${NAME:-default}`. */
function fallbackFix(declaration: ArgDeclaration): Fix[] {
  const value = declaration.defaultValue ?? '';
  if (!/^[\w./-]+$/.test(value)) return [];
  return [
    {
      title: `Keep ${value} only as a fallback (\${${declaration.name}:-${value}})`,
      kind: 'quickfix',
      safe: false,
      edits: [
        replaceRange(
          { start: declaration.nameRange.end, end: declaration.range.end },
          `=\${${declaration.name}:-${value}}`,
        ),
      ],
    },
  ];
}

/** `ARG TARGETOS=linux`: every Linux platform has that value, so nothing is built wrongly. */
function harmless(declaration: ArgDeclaration): boolean {
  return (
    (declaration.name === 'TARGETOS' || declaration.name === 'BUILDOS') &&
    declaration.defaultValue === 'linux'
  );
}

/** Whether the default only falls back to the automatic value (`${TARGETARCH:-amd64}`). */
function refersToItself(declaration: ArgDeclaration): boolean {
  return referencedNames(declaration.defaultValue ?? '').includes(declaration.name);
}

/**
 * The `GOARM=$NAME` settings these declarations feed: those where one of them is the ARG in force,
 * in its own stage or inherited by a stage built on it.
 */
function goarmFeeds(
  model: DockerfileModel,
  declarations: readonly ArgDeclaration[],
): GoarmVariantUse[] {
  const feeding = new Set(declarations.filter((d) => VARIANT_ARGS.has(d.name)));
  if (feeding.size === 0) return [];
  return model.stages.flatMap((stage) =>
    goarmUses(model, stage).filter((u) => {
      const arg = argInForce(model, stage, u.name, model.index.offsetAt(u.range.start));
      return arg !== undefined && feeding.has(arg);
    }),
  );
}

function checkStage(model: DockerfileModel, stage: Stage, report: Report<MessageId>) {
  for (const declaration of stage.args) {
    if (!PLATFORM_ARGS.has(declaration.name) || declaration.defaultValue === undefined) continue;
    if (harmless(declaration)) continue;
    // `ARG TARGETARCH` then `ARG TARGETARCH=${TARGETARCH:-amd64}` keeps BuildKit's value; without
    // the earlier declaration the stage does not see the global value and the fallback wins.
    const start = model.index.offsetAt(declaration.range.start);
    // Declared before in this stage or in the stage it is built on, it holds BuildKit's value.
    const declaredBefore = argInForce(model, stage, declaration.name, start) !== undefined;
    if (declaredBefore && refersToItself(declaration)) continue;
    const written = model.index.textOf(declaration.range);
    const goarm = goarmFeeds(model, [declaration]);
    const also =
      goarm.length > 0
        ? ` and set GOARM from \`\${${declaration.name}#v}\` (Go wants 7, not v7)`
        : '';
    report({
      range: declaration.range,
      messageId: 'stageDefault',
      data: { arg: shortText(written) },
      detail:
        `\`ARG ${written}\` in ${stageLabel(stage)} overrides the value BuildKit sets for the ` +
        `platform: ${consequence(declaration, goarm.length > 0)}. Declare it as ` +
        `\`ARG ${declaration.name}\`${also}.`,
      fixes: [dropDefaultFix(model, declaration, goarm)],
    });
  }
}

/**
 * Whether a global ARG's value reaches anything: a FROM line, a later global ARG's default, or a
 * stage that declares the name without a default (and so takes the global value).
 */
function globalValueUsed(model: DockerfileModel, declaration: ArgDeclaration): boolean {
  const start = model.index.offsetAt(declaration.range.end);
  for (const instruction of model.instructions) {
    const keyword = keywordOf(instruction);
    const inGlobalScope =
      keyword === 'FROM' ||
      (keyword === 'ARG' &&
        model.globalArgs.some((a) => a.instruction === instruction) &&
        model.index.offsetAt(instruction.getRange().start) >= start);
    if (!inGlobalScope) continue;
    const variables = instructionVariables(instruction, model.index, [declaration.name]);
    if (variables.some((v) => variableName(v) === declaration.name)) return true;
  }
  return model.stages.some((stage) =>
    stage.args.some((a) => a.name === declaration.name && a.defaultValue === undefined),
  );
}

type MessageId = 'stageDefault' | 'globalDefault';

export const targetArgWithDefault: Rule<MessageId> = {
  meta: {
    id: 'target-arg-with-default',
    description:
      'An automatic platform ARG (TARGETARCH, TARGETOS, ...) has a default, which replaces the value BuildKit sets for the platform.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      stageDefault: '`ARG {{arg}}` replaces the platform BuildKit sets: drop the default.',
      globalDefault: 'The global `ARG {{arg}}` replaces the platform BuildKit predefines.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    // Before the first FROM, BuildKit has already set the platform ARGs; a default given there
    // replaces that value for FROM lines and for every stage that declares the ARG.
    const allWindows = model.stages.every((stage) => isWindowsStage(model, stage));
    for (const declaration of allWindows ? [] : model.globalArgs) {
      if (!PLATFORM_ARGS.has(declaration.name) || declaration.defaultValue === undefined) continue;
      if (harmless(declaration) || refersToItself(declaration)) continue;
      if (!globalValueUsed(model, declaration)) continue;
      const written = model.index.textOf(declaration.range);
      // Stages that declare the name without a default take the global value.
      const takers = model.stages.flatMap((stage) =>
        stage.args.filter((a) => a.name === declaration.name && a.defaultValue === undefined),
      );
      const goarm = goarmFeeds(model, takers);
      report({
        range: declaration.range,
        messageId: 'globalDefault',
        data: { arg: shortText(written) },
        detail:
          `The global \`ARG ${written}\` replaces the value BuildKit predefines for ` +
          `${declaration.name} before the first FROM, and FROM lines and stages that declare ` +
          `\`ARG ${declaration.name}\` get it: ${consequence(declaration, goarm.length > 0)}. Remove the ` +
          `default (\`ARG ${declaration.name}\`), or write \`ARG ${declaration.name}=` +
          `\${${declaration.name}:-${declaration.defaultValue}}\` to keep it only as a fallback ` +
          'for builders without BuildKit.',
        fixes: [dropDefaultFix(model, declaration, goarm), ...fallbackFix(declaration)],
      });
    }
    for (const stage of model.stages) {
      // The classic Windows builder sets no platform ARGs: a default is all there is.
      if (!isWindowsStage(model, stage)) checkStage(model, stage, report);
    }
  },
};
