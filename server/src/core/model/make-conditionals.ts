/**
 * GNU make's conditionals (`ifeq`, `ifneq`, `ifdef`, `ifndef`, `else`, `endif`) as far as the
 * Makefile itself tells: a condition on values it sets (`CI ?= false` then `ifeq ($(CI),true)`)
 * is evaluated, one on a value it leaves to the command line, the environment or a function
 * (`ifeq ($(OS),freebsd)` with `OS := $(shell go env GOOS)`) is unknown, and then what the
 * branches set is unknown too, never taken from the last branch read; except NAME itself in the
 * first branch of `ifndef NAME`, the idiom of `NAME ?= value` (defaultFor).
 */

/** How the reader expands a value, and what an unknown reference expands to (makefile.ts). */
export interface Expansion {
  expand(text: string, variables: ReadonlyMap<string, string>): string;
  unknown: string;
}

/** true, false, or undefined when the Makefile alone does not tell. */
export type Truth = boolean | undefined;

interface Frame {
  /** Whether the lines of the branch being read count. */
  state: Truth;
  /** Whether an earlier branch of the conditional was taken. */
  taken: Truth;
  /** In the first branch of `ifndef NAME` where NAME is set nowhere before: NAME. */
  unsetName?: string;
}

const DIRECTIVE = /^(ifeq|ifneq|ifdef|ifndef|else|endif)(?=$|[\s(])/;

function not(value: Truth): Truth {
  return value === undefined ? undefined : !value;
}

/** Splits `(a,b)` at its comma outside references, or reads `"a" "b"` / `'a' 'b'`. */
function comparedValues(text: string): [string, string] | undefined {
  const rest = text.trim();
  if (rest.startsWith('(') && rest.endsWith(')')) {
    let depth = 0;
    for (let i = 1; i < rest.length - 1; i++) {
      const c = rest[i];
      if (c === '(' || c === '{') depth++;
      else if (c === ')' || c === '}') depth--;
      else if (c === ',' && depth === 0) {
        return [rest.slice(1, i).trim(), rest.slice(i + 1, -1).trim()];
      }
    }
    return undefined;
  }
  const quoted = /^(["'])([^"']*)\1\s+(["'])([^"']*)\3$/.exec(rest);
  return quoted ? [quoted[2], quoted[4]] : undefined;
}

/**
 * `ifeq ($(origin NAME),undefined)` reads as `ifndef NAME` (and `ifneq` as `ifdef`): both ask
 * whether the command line, the environment or the Makefile set NAME (they differ only on a
 * NAME set empty, which the Makefile's own settings tell). Gokapi's build/makefile picks its
 * container tool so. Other conditions are returned as they are.
 */
function definedTest(kind: string, argument: string): [string, string] {
  if (kind !== 'ifeq' && kind !== 'ifneq') return [kind, argument];
  const values = comparedValues(argument);
  if (!values) return [kind, argument];
  const origin = /^\$[({]origin\s+([A-Za-z_][A-Za-z0-9_]*)\s*[)}]$/;
  const [a, b] = values;
  const name =
    b === 'undefined' ? origin.exec(a)?.[1] : a === 'undefined' ? origin.exec(b)?.[1] : undefined;
  if (name === undefined) return [kind, argument];
  return [kind === 'ifeq' ? 'ifndef' : 'ifdef', ` ${name}`];
}

/** Whether a condition holds, as far as the variables set so far tell. */
function evaluate(
  kind: string,
  argument: string,
  variables: ReadonlyMap<string, string>,
  { expand, unknown }: Expansion,
): Truth {
  if (kind === 'ifdef' || kind === 'ifndef') {
    const name = expand(argument.trim(), variables);
    const value = variables.get(name);
    // Not set here: the command line or the environment may set it.
    const defined =
      name.includes(unknown) || value === undefined || value.includes(unknown)
        ? undefined
        : value !== '';
    return kind === 'ifdef' ? defined : not(defined);
  }
  const values = comparedValues(argument);
  if (!values) return undefined;
  const [a, b] = values.map((v) => expand(v, variables));
  if (a.includes(unknown) || b.includes(unknown)) return undefined;
  return kind === 'ifeq' ? a === b : a !== b;
}

/** The conditionals open while one Makefile is read. */
export class Conditionals {
  private readonly frames: Frame[] = [];
  // How many open frames are in a branch not taken, or in one that may or may not be: kept as
  // counts so that a Makefile nesting thousands of conditionals is still read in linear time.
  private falseFrames = 0;
  private unknownFrames = 0;

  constructor(private readonly expansion: Expansion) {}

  /** Whether the lines read now count: true, false (a branch not taken), or undefined. */
  get active(): Truth {
    if (this.falseFrames > 0) return false;
    return this.unknownFrames > 0 ? undefined : true;
  }

  private count(state: Truth, by: number): void {
    if (state === false) this.falseFrames += by;
    else if (state === undefined) this.unknownFrames += by;
  }

  /**
   * The variable of the `ifndef NAME` whose first branch is read now, when NAME is set nowhere
   * before it and that branch is all that is unknown. Setting NAME there gives the value make
   * uses when neither the command line nor the environment sets it, as `NAME ?= value` does.
   */
  get defaultFor(): string | undefined {
    if (this.falseFrames > 0 || this.unknownFrames !== 1) return undefined;
    const frame = this.frames[this.frames.length - 1];
    return frame?.state === undefined ? frame.unsetName : undefined;
  }

  /** Reads a line (comment removed, trimmed) when it is a conditional directive: true then. */
  read(line: string, variables: ReadonlyMap<string, string>): boolean {
    const match = DIRECTIVE.exec(line);
    if (!match) return false;
    const [kind, rest] = definedTest(match[1], line.slice(match[1].length));
    if (kind === 'endif') {
      const frame = this.frames.pop();
      if (frame) this.count(frame.state, -1);
    } else if (kind === 'else') {
      const frame = this.frames[this.frames.length - 1];
      if (!frame) return true;
      this.count(frame.state, -1);
      const inner = DIRECTIVE.exec(rest.trim());
      const condition =
        inner && inner[1].startsWith('if')
          ? evaluate(
              ...definedTest(inner[1], rest.trim().slice(inner[1].length)),
              variables,
              this.expansion,
            )
          : true;
      frame.unsetName = undefined;
      if (frame.taken === true) frame.state = false;
      else if (frame.taken === false) {
        frame.state = condition;
        frame.taken = condition;
      } else {
        frame.state = condition === false ? false : undefined;
        frame.taken = condition === true ? true : undefined;
      }
      this.count(frame.state, 1);
    } else {
      // A conditional inside a branch not taken is not taken either, whatever it says.
      const state = this.active === false ? false : evaluate(kind, rest, variables, this.expansion);
      const name = rest.trim();
      const unsetName =
        kind === 'ifndef' && state === undefined && !variables.has(name) ? name : undefined;
      this.frames.push({ state, taken: state, unsetName });
      this.count(state, 1);
    }
    return true;
  }
}
