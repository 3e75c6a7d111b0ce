/**
 * Where each character of a stage's base image reference is written in the document: in the
 * FROM line itself, or in the default of a global ARG it expands (`ARG GO_VERSION=1.22` feeding
 * `FROM golang:${GO_VERSION}-alpine`). Fixes that change a tag use it to edit the right place.
 * Computed on each call.
 */
import type { ArgDeclaration, DockerfileModel, Stage } from '../model/model';
import { expand, isNameChar, isNameStart } from '../model/variables';
import type { Range } from '../types';
import { perKey } from './memo';

/** The offsets `start`, `start + 1`, … of `length` consecutive characters (one per UTF-16 unit). */
function consecutive(start: number, length: number): number[] {
  const offsets = new Array<number>(length);
  for (let i = 0; i < length; i++) offsets[i] = start + i;
  return offsets;
}

/** A text obtained by variable expansion, with the document offset of each character. */
export interface TracedText {
  value: string;
  /**
   * For each character of `value`, the document offset it is written at, or undefined when it
   * is not written verbatim (or the expansion could not be followed).
   */
  origins: (number | undefined)[];
  /** False when a variable could not be resolved (its reference is kept as written). */
  complete: boolean;
  /** The global ARG declarations whose defaults the value reads, directly or through others. */
  args: ArgDeclaration[];
}

interface Traced {
  traced: TracedText;
  declaration: ArgDeclaration;
}

type TracedScope = ReadonlyMap<string, Traced | null>;

/**
 * `${NAME-word}`, `${NAME:+word}`, ...: `rest` is what follows NAME (ending at `nameEnd`) up to
 * the closing brace at `close`, `known` NAME's value (undefined when not in scope, null when
 * unknown). Emits the expansion through `value` and `verbatim`; false when it cannot be told.
 */
function traceModifier(
  rest: string,
  nameEnd: number,
  close: number,
  known: Traced | null | undefined,
  value: (known: Traced) => void,
  verbatim: (start: number, end: number) => void,
): boolean {
  const colon = rest.startsWith(':');
  const op = colon ? rest[1] : rest[0];
  const wordStart = nameEnd + (colon ? 2 : 1);
  const set = known !== undefined && known !== null;
  const nonEmpty = set && (!colon || known.traced.value !== '');
  if (op === '-' && nonEmpty) value(known);
  else if (op === '-' && known === undefined) verbatim(wordStart, close);
  else if (op === '+' && set) {
    if (nonEmpty) verbatim(wordStart, close);
  } else if (op === '+' && known === undefined) {
    // Unset: the alternative expands to nothing.
  } else {
    return false;
  }
  return true;
}

/**
 * Expands `raw` as the model's `expand` does (`$X`, `${X}`, `${X:-word}`, `${X:+word}`, `\$`),
 * carrying the origin of every character. `offsets[i]` is where `raw[i]` is written.
 */
function trace(raw: string, offsets: (number | undefined)[], scope: TracedScope): TracedText {
  const out: TracedText = { value: '', origins: [], complete: true, args: [] };
  const push = (text: string, origins: (number | undefined)[]) => {
    out.value += text;
    out.origins.push(...origins);
  };
  const pushVerbatim = (start: number, end: number) =>
    push(raw.slice(start, end), offsets.slice(start, end));
  const pushValue = (known: Traced) => {
    push(known.traced.value, known.traced.origins);
    out.args.push(known.declaration, ...known.traced.args);
    if (!known.traced.complete) out.complete = false;
  };
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '\\' && raw[i + 1] === '$') {
      push('$', [offsets[i + 1]]);
      i += 2;
      continue;
    }
    if (c !== '$') {
      // Up to the next `$` (or the `\` of a `\$`) in one piece.
      let next = raw.indexOf('$', i + 1);
      if (next < 0) next = raw.length;
      else if (raw[next - 1] === '\\' && next - 1 > i) next--;
      pushVerbatim(i, next);
      i = next;
      continue;
    }
    if (raw[i + 1] === '{') {
      const close = raw.indexOf('}', i + 2);
      if (close < 0) {
        pushVerbatim(i, raw.length);
        out.complete = false;
        break;
      }
      let nameEnd = i + 2;
      while (nameEnd < close && isNameChar(raw[nameEnd])) nameEnd++;
      const name = raw.slice(i + 2, nameEnd);
      const known = scope.has(name) ? scope.get(name) : undefined;
      const rest = raw.slice(nameEnd, close);
      if (name === '') {
        pushVerbatim(i, close + 1);
        out.complete = false;
      } else if (rest === '') {
        if (known) pushValue(known);
        else {
          pushVerbatim(i, close + 1);
          out.complete = false;
        }
      } else if (!traceModifier(rest, nameEnd, close, known, pushValue, pushVerbatim)) {
        pushVerbatim(i, close + 1);
        out.complete = false;
      }
      i = close + 1;
      continue;
    }
    if (isNameStart(raw[i + 1])) {
      let end = i + 1;
      while (end < raw.length && isNameChar(raw[end])) end++;
      const known = scope.get(raw.slice(i + 1, end));
      if (known) pushValue(known);
      else {
        pushVerbatim(i, end);
        out.complete = false;
      }
      i = end;
      continue;
    }
    pushVerbatim(i, i + 1);
    i++;
  }
  return out;
}

function unknownOrigins(value: string): TracedText {
  return { value, origins: Array.from(value, () => undefined), complete: true, args: [] };
}

/** The document text of an ARG default and the offset of each of its characters. */
function defaultSource(model: DockerfileModel, declaration: ArgDeclaration) {
  const value = declaration.defaultValue ?? '';
  const start = model.index.offsetAt(declaration.range.start);
  const written = model.index.textOf(declaration.range);
  const eq = written.indexOf('=');
  let raw = eq < 0 ? '' : written.slice(eq + 1);
  let offset = start + eq + 1;
  if (raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw.endsWith(raw[0])) {
    raw = raw.slice(1, -1);
    offset++;
  }
  if (raw !== value) return undefined;
  return { raw, offsets: consecutive(offset, raw.length) };
}

/**
 * The global ARG scope with traced values, built in order as the model builds `globalScope`: a
 * default reads the declarations before it, a declaration without a default is null.
 */
/** The global ARGs' values with where each character is written, once per model. */
const tracedGlobalScope = perKey((model: DockerfileModel): TracedScope => {
  const scope = new Map<string, Traced | null>();
  for (const declaration of model.globalArgs) {
    if (declaration.defaultValue === undefined) {
      scope.set(declaration.name, null);
      continue;
    }
    const source = defaultSource(model, declaration);
    const traced = source
      ? trace(source.raw, source.offsets, scope)
      : unknownOrigins(declaration.defaultValue);
    scope.set(declaration.name, { traced, declaration });
  }
  return scope;
});

/**
 * The stage's FROM image after ARG substitution, each character traced to where it is written.
 * Undefined when the stage has no image text. When the expansion differs from the model's (an
 * ARG form this tracer does not follow), the origins are all unknown, so no fix edits blindly.
 */
export function traceBaseImage(model: DockerfileModel, stage: Stage): TracedText | undefined {
  if (stage.baseText === undefined || stage.baseRange === undefined) return undefined;
  const raw = stage.baseText;
  const expected = expand(raw, model.globalScope);
  const start = model.index.offsetAt(stage.baseRange.start);
  const offsets =
    model.index.textOf(stage.baseRange) === raw
      ? consecutive(start, raw.length)
      : new Array<undefined>(raw.length).fill(undefined);
  const traced = trace(raw, offsets, tracedGlobalScope(model));
  if (traced.value !== expected.value || traced.complete !== expected.complete) {
    return { ...unknownOrigins(expected.value), complete: expected.complete };
  }
  return traced;
}

/**
 * The image a `COPY --from` names, each character traced to the COPY line when the value is
 * written there as is; a value built from variables gets unknown origins, so no fix edits it.
 */
export function traceCopyFrom(
  model: DockerfileModel,
  from: { raw: string; value: string; range: Range },
): TracedText {
  if (from.raw !== from.value || model.index.textOf(from.range) !== from.raw) {
    return unknownOrigins(from.value);
  }
  const start = model.index.offsetAt(from.range.start);
  return {
    value: from.value,
    origins: Array.from(from.value, (_, i) => start + i),
    complete: true,
    args: [],
  };
}

/**
 * The document range that holds `traced.value.slice(start, end)` verbatim, when those characters
 * are written one after the other in one place; undefined otherwise. An empty slice maps to an
 * insertion point: right after the character before it, else right before the one after it.
 */
export function sourceRange(
  model: DockerfileModel,
  traced: TracedText,
  start: number,
  end: number,
): Range | undefined {
  if (start === end) {
    const after = start > 0 ? traced.origins[start - 1] : undefined;
    const at = after !== undefined ? after + 1 : traced.origins[start];
    return at === undefined ? undefined : model.index.rangeOf(at, at);
  }
  const first = traced.origins[start];
  if (first === undefined) return undefined;
  for (let i = start + 1; i < end; i++) {
    if (traced.origins[i] !== first + (i - start)) return undefined;
  }
  return model.index.rangeOf(first, first + (end - start));
}

/** The global ARG declaration whose default holds a document offset, if any. */
export function argDeclarationAt(
  model: DockerfileModel,
  offset: number,
): ArgDeclaration | undefined {
  return model.globalArgs.find(
    (d) =>
      model.index.offsetAt(d.range.start) <= offset && offset <= model.index.offsetAt(d.range.end),
  );
}

/** True when `text` refers to the variable `name` (`$NAME`, `${NAME}`, `${NAME:-x}`). */
export function mentionsVariable(text: string, name: string): boolean {
  for (let i = text.indexOf('$'); i >= 0; i = text.indexOf('$', i + 1)) {
    const at = text[i + 1] === '{' ? i + 2 : i + 1;
    if (text.startsWith(name, at) && !isNameChar(text[at + name.length])) return true;
  }
  return false;
}

/**
 * The global ARG names whose value depends on `name`: itself and every global ARG whose default
 * reads it, directly or through another.
 */
export function dependentArgNames(model: DockerfileModel, name: string): Set<string> {
  const names = new Set([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const declaration of model.globalArgs) {
      if (names.has(declaration.name) || declaration.defaultValue === undefined) continue;
      if ([...names].some((n) => mentionsVariable(declaration.defaultValue ?? '', n))) {
        names.add(declaration.name);
        grew = true;
      }
    }
  }
  return names;
}
