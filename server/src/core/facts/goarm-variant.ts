/**
 * GOARM set from the platform variant (`GOARM=$TARGETVARIANT`, which holds `v7`, not `7`): the
 * uses in a stage that reach a go command, computed on each call, and the edit that strips the `v`.
 */
import type { Instruction } from 'dockerfile-ast';
import { locateCommands } from '../model/command-words';
import { runOf, type DockerfileModel, type Stage } from '../model/model';
import { programName, type SimpleCommand } from '../model/shell';
import { descendantStages } from './go-commands';
import type { Range, TextEdit } from '../types';
import { keyword, platformArgUses, type PlatformArgUse } from './platform';

/** The automatic ARGs that hold a platform's variant: `v7` on linux/arm/v7, empty on amd64. */
export const VARIANT_ARGS: ReadonlySet<string> = new Set(['TARGETVARIANT', 'BUILDVARIANT']);

/** `GOARM=$TARGETVARIANT` (or `${BUILDVARIANT}`, ...): the variant passed to GOARM as it is. */
export interface GoarmVariantUse {
  /** TARGETVARIANT or BUILDVARIANT. */
  name: string;
  instruction: Instruction;
  /** The reference (`$TARGETVARIANT`, `${TARGETVARIANT:-7}`). */
  range: Range;
  declared: boolean;
  /** Expanded by the shell (RUN) rather than by the Dockerfile (ENV, ARG). */
  shell: boolean;
  /** `$NAME` or `${NAME}`, without a fallback: `${NAME#v}` replaces it exactly. */
  bare: boolean;
}

/**
 * Where a stage sets GOARM from a variant ARG as it is, in ENV, ARG, an inline assignment, `env`,
 * `export` or `go env -w`: the whole value is the reference (`GOARM=${TARGETVARIANT}`,
 * `"GOARM=$TARGETVARIANT"`). BuildKit's variants carry a `v` (`v7`) that Go's GOARM does not
 * accept; a reference that strips it (`${TARGETVARIANT#v}`) or is part of a longer value is not
 * listed.
 */
export function goarmVariantUses(model: DockerfileModel, stage: Stage): GoarmVariantUse[] {
  const result: GoarmVariantUse[] = [];
  for (const use of platformArgUses(model, stage)) {
    if (use.helper !== undefined || !VARIANT_ARGS.has(use.name)) continue;
    const text = model.index.textOf(use.range);
    const bare = text === `$${use.name}` || text === `\${${use.name}}`;
    const fallback = text.startsWith(`\${${use.name}:-`) || text.startsWith(`\${${use.name}-`);
    if (!bare && !(fallback && text.endsWith('}'))) continue;
    const start = model.index.offsetAt(use.range.start);
    const end = model.index.offsetAt(use.range.end);
    const before = /(?<![\w$])GOARM=(["']?)$/.exec(
      model.text.slice(Math.max(0, start - 32), start),
    );
    if (!before) continue;
    const next = model.text[end];
    const closed =
      before[1] !== '' ? next === before[1] : next === undefined || /[\s;&|)"'\\`]/.test(next);
    if (!closed) continue;
    const shell = keyword(use.instruction) === 'RUN';
    if (shell ? !reachesGoInRun(model, use, start) : rederivedLater(model, stage, use)) continue;
    result.push({
      name: use.name,
      instruction: use.instruction,
      range: use.range,
      declared: use.declared,
      shell,
      bare,
    });
  }
  return result;
}

const PROGRAMS_OF_GO = new Set(['go', 'xx-go']);

function runsGo(command: SimpleCommand): boolean {
  return command.words.some((w) => PROGRAMS_OF_GO.has(programName(w) ?? ''));
}

/**
 * In a RUN, whether the GOARM assignment at `offset` reaches a go command: it prefixes one
 * (`GOARM=... go build`, `env GOARM=... go build`, `go env -w GOARM=...`), or it is an `export`
 * or a plain assignment that a later go command of the RUN runs under. An assignment to `make` or
 * a script is left alone: the build tool may set GOARM itself.
 */
function reachesGoInRun(model: DockerfileModel, use: PlatformArgUse, offset: number): boolean {
  const run = runOf(use.instruction);
  if (!run) return false;
  const located = locateCommands(model, run);
  const at = located.findIndex((c) => c?.words.some((w) => w.start <= offset && offset < w.end));
  const command = run.commands[at];
  if (!command) return false;
  if (runsGo(command)) return true;
  const program = programName(command.words[0]);
  if (program !== undefined && program !== 'export') return false;
  return run.commands.slice(at + 1).some(runsGo);
}

/**
 * For ENV and ARG: a later RUN of the stage (or a stage built on it) that sets GOARM again from
 * its own value (`export GOARM=$(echo "$GOARM" | cut -c2-)`, `GOARM=${GOARM#v}`): the `v` is
 * dealt with there.
 */
function rederivedLater(model: DockerfileModel, stage: Stage, use: PlatformArgUse): boolean {
  const after = model.index.offsetAt(use.instruction.getRange().end);
  return descendantStages(model.stages, stage).some((s) =>
    s.runs.some((run) => {
      const range = run.instruction.getRange();
      if (s === stage && model.index.offsetAt(range.start) < after) return false;
      return setsGoarmFromItself(model.index.textOf(range));
    }),
  );
}

/** Whether a text assigns GOARM a value that reads `$GOARM` (up to the end of the command). */
function setsGoarmFromItself(text: string): boolean {
  // Command by command (a line, or what `;`, `&`, `|` separate): a `GOARM=` before the last
  // `$GOARM` of the command. One pass, whatever the text holds.
  return text.split(/[\n;&|]/).some((command) => {
    const reference = Math.max(command.lastIndexOf('$GOARM'), command.lastIndexOf('${GOARM'));
    if (reference < 0) return false;
    for (let at = command.indexOf('GOARM='); at >= 0 && at < reference;) {
      if (at === 0 || !/[\w$]/.test(command[at - 1])) return true;
      at = command.indexOf('GOARM=', at + 1);
    }
    return false;
  });
}

/** The edit that strips the `v`: `$TARGETVARIANT` → `${TARGETVARIANT#v}`. */
export function stripVariantEdit(use: GoarmVariantUse): TextEdit {
  return { range: use.range, newText: `\${${use.name}#v}` };
}
