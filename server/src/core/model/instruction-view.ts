/**
 * What the model, the facts and the rules read of an instruction, read from dockerfile-ast once
 * and kept per instruction: dockerfile-ast recomputes most of its getters (the arguments, the
 * keyword) on every call, and a parse's instructions are never modified. The arguments and the
 * variables are kept by instruction-text.ts.
 */
import type { Flag, From, Instruction } from 'dockerfile-ast';
import { cacheOf, type MountOptions } from './instruction-cache';
import { instructionArguments } from './instruction-text';
import type { Range } from '../types';

export type { MountOptions } from './instruction-cache';

/** The instruction's keyword in upper case (`run` → `RUN`). */
export function keywordOf(instruction: Instruction): string {
  const view = cacheOf(instruction);
  return (view.keyword ??= instruction.getKeyword().toUpperCase());
}

/** The keyword of an ONBUILD instruction's trigger in upper case (`ONBUILD run …` → `RUN`). */
export function onbuildTrigger(instruction: Instruction): string | undefined {
  if (keywordOf(instruction) !== 'ONBUILD') return undefined;
  return instructionArguments(instruction)[0]?.getValue().toUpperCase();
}

/**
 * The instruction's `--name=value` flags; none for the instructions that take none (dockerfile-ast
 * gives getFlags to the instructions that may have flags only).
 */
export function flagsOf(instruction: Instruction): Flag[] {
  const view = cacheOf(instruction);
  if (view.flags === undefined) {
    const withFlags = instruction as unknown as { getFlags?: () => Flag[] };
    try {
      view.flags = withFlags.getFlags?.() ?? [];
    } catch {
      view.flags = [];
    }
  }
  return view.flags;
}

/** The `--mount` flags of a RUN. */
export function mountFlagsOf(instruction: Instruction): Flag[] {
  const view = cacheOf(instruction);
  return (view.mounts ??= flagsOf(instruction).filter((f) => f.getName() === 'mount'));
}

/** The value of the first of `names` the flag has (a flag may be malformed: then none). */
function optionValue(flag: Flag, names: readonly string[]): string | undefined {
  try {
    for (const name of names) {
      const value = flag.getOption(name)?.getValue();
      if (value !== null && value !== undefined) return value;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The options of a RUN's `--mount` flags, in order, read once per instruction. */
export function mountOptionsOf(instruction: Instruction): MountOptions[] {
  const view = cacheOf(instruction);
  return (view.mountOptions ??= mountFlagsOf(instruction).map((flag) => ({
    flag,
    type: (optionValue(flag, ['type']) ?? 'bind').toLowerCase(),
    source: optionValue(flag, ['source', 'src']),
    from: optionValue(flag, ['from']),
    target: optionValue(flag, ['target', 'dst', 'destination']),
  })));
}

/**
 * A FROM's base image and stage name, as dockerfile-ast's getImage, getImageRange,
 * getBuildStage and getBuildStageRange give them, from the arguments read once.
 */
export function fromParts(
  from: From,
  textOf: (range: Range) => string,
): { image?: string; imageRange?: Range; name?: string; nameRange?: Range } {
  const args = instructionArguments(from);
  if (args.length === 0) return {};
  const parts: { image?: string; imageRange?: Range; name?: string; nameRange?: Range } = {
    image: args[0].getValue(),
    imageRange: args[0].getRange(),
  };
  if (args.length > 2 && args[1].getValue().toUpperCase() === 'AS') {
    parts.nameRange = args[2].getRange();
    parts.name = textOf(parts.nameRange);
  }
  return parts;
}
