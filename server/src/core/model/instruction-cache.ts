/**
 * What is kept per dockerfile-ast instruction: the values the model reads of it, computed once
 * (dockerfile-ast recomputes most of its getters on every call, and a parse's instructions are
 * never modified). Kept in a field of the instruction itself, under a symbol no other code knows:
 * a property read is cheaper than a WeakMap lookup, and the analysis reads these for every
 * instruction many times.
 */
import type { Argument, Flag, Instruction, Variable } from 'dockerfile-ast';
import type { RunInfo } from './types';

/** The arguments of an instruction (after its flags), as one logical line. */
export interface LogicalText {
  text: string;
  /** Offset in the document where the arguments start. */
  start: number;
  /** Offset in the document where the instruction ends. */
  end: number;
}

/**
 * A `RUN --mount` flag's options as BuildKit reads them: each under its name or its short forms
 * (`source`/`src`, `target`/`dst`/`destination`), the type in lower case and `bind` when not
 * written. Values as written: the target is not resolved against WORKDIR (facts/module-sources.ts
 * does that), variables are not expanded.
 */
export interface MountOptions {
  flag: Flag;
  type: string;
  source?: string;
  from?: string;
  target?: string;
}

/** The values kept for one instruction; each is filled by the first reader. */
export interface InstructionCache {
  /** dockerfile-ast's own argument scan, before its callers take the flags off (parse.ts). */
  scan?: Argument[];
  keyword?: string;
  flags?: Flag[];
  mounts?: Flag[];
  /** The options of those mounts (instruction-view.ts). */
  mountOptions?: MountOptions[];
  arguments?: Argument[];
  variables?: Variable[];
  /** The arguments as one logical line (instruction-text.ts); null when there are none. */
  logical?: LogicalText | null;
  /** What the model made of a RUN (run.ts). */
  run?: RunInfo;
}

const CACHE = Symbol('go-multistage instruction cache');

type WithCache = Instruction & { [CACHE]?: InstructionCache };

/**
 * A cache with every field present from the start: caches filled in different orders then share
 * one hidden class, so the code reading them stays monomorphic (an empty object literal would
 * grow a different shape for each order its fields were first written in).
 */
function emptyCache(): InstructionCache {
  return {
    scan: undefined,
    keyword: undefined,
    flags: undefined,
    mounts: undefined,
    mountOptions: undefined,
    arguments: undefined,
    variables: undefined,
    logical: undefined,
    run: undefined,
  };
}

/** The cache of an instruction, made empty on first use. */
export function cacheOf(instruction: Instruction): InstructionCache {
  const holder = instruction as WithCache;
  return (holder[CACHE] ??= emptyCache());
}
