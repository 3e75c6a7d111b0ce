/**
 * Evaluation of the HCL subset read by hcl.ts: variables, templates with `${NAME}` and
 * `${fn(…)}`, and calls of the file's own functions, within bounds (nested calls, calls per
 * evaluation, string length). Whatever it cannot evaluate is UNKNOWN, never guessed.
 */
import { parseExpression, type HclBody, type HclExpression } from './hcl';

/** An evaluated value: JSON-like, or UNKNOWN. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type HclValue =
  string | number | boolean | null | typeof UNKNOWN | HclValue[] | { [key: string]: HclValue };

/** A function the Bake file defines: `function "name" { params = [a, b] result = … }`. */
export interface HclFunction {
  params: string[];
  result: HclExpression;
}

/** What an evaluation may use: the file's functions, and a budget shared by its calls. */
export interface HclScope {
  functions?: ReadonlyMap<string, HclFunction>;
  /** Calls left for the whole evaluation (a function calling itself, or many calls, stops). */
  budget?: { calls: number };
  /** Calls of user functions in progress, innermost last. */
  depth?: number;
}

/** Nested calls of the file's functions followed before the value is unknown. */
const MAX_CALL_DEPTH = 16;
/** Calls of the file's functions in one evaluation. */
const MAX_CALLS = 256;
/** Longest string a template may build. */
const MAX_STRING = 65_536;

/**
 * The file's own functions, from its `function` blocks: those whose `params` is a list of names
 * and that have a `result` (one with `variadic_params` is left out: its calls stay unknown).
 */
export function hclFunctions(body: HclBody): Map<string, HclFunction> {
  const functions = new Map<string, HclFunction>();
  for (const block of body.blocks) {
    if (block.type !== 'function' || block.labels.length !== 1) continue;
    const attribute = (name: string) => block.body.attributes.find((a) => a.name === name);
    const params = attribute('params')?.value;
    const result = attribute('result')?.value;
    if (!params || params.kind !== 'list' || !result || attribute('variadic_params')) continue;
    const names = params.items.map((p) => (p.kind === 'reference' ? p.name : undefined));
    if (names.some((n) => n === undefined)) continue;
    functions.set(block.labels[0], { params: names as string[], result });
  }
  return functions;
}

/** A call of one of the file's functions: its result with the parameters bound, or UNKNOWN. */
function call(
  expression: { name: string; args: HclExpression[] },
  variables: ReadonlyMap<string, HclValue>,
  scope: HclScope,
): HclValue {
  const fn = scope.functions?.get(expression.name);
  if (!fn || fn.params.length !== expression.args.length) return UNKNOWN;
  const budget = scope.budget ?? { calls: MAX_CALLS };
  const depth = (scope.depth ?? 0) + 1;
  if (depth > MAX_CALL_DEPTH || budget.calls <= 0) return UNKNOWN;
  budget.calls--;
  const inner: HclScope = { functions: scope.functions, budget, depth };
  const bound = new Map(variables);
  for (let i = 0; i < fn.params.length; i++) {
    const value = evaluate(expression.args[i], variables, inner);
    if (value === UNKNOWN) return UNKNOWN;
    bound.set(fn.params[i], value);
  }
  return evaluate(fn.result, bound, inner);
}

/**
 * Evaluates an expression with the values of variables and the file's functions. A template's
 * `${NAME}` takes the variable's value and `${fn(…)}` the call's; any other interpolation makes
 * it unknown.
 */
export function evaluate(
  expression: HclExpression,
  variables: ReadonlyMap<string, HclValue>,
  scope: HclScope = {},
): HclValue {
  switch (expression.kind) {
    case 'literal':
      return expression.value;
    case 'unknown':
      return UNKNOWN;
    case 'reference': {
      // A variable whose value is null is known: null (Bake leaves such an argument unset).
      const value = variables.get(expression.name);
      return value === undefined ? UNKNOWN : value;
    }
    case 'list':
      return expression.items.map((item) => evaluate(item, variables, scope));
    case 'object': {
      const result: { [key: string]: HclValue } = Object.create(null) as {
        [key: string]: HclValue;
      };
      for (const { key, value } of expression.entries) {
        result[key] = evaluate(value, variables, scope);
      }
      return result;
    }
    case 'call':
      return call(expression, variables, scope);
    case 'template':
      return template(expression.raw, variables, scope);
  }
}

/**
 * Where the interpolation that starts at `start` (after `${`) ends: its closing `}`, past the
 * braces inside its quoted strings and nested braces; -1 when it is not closed.
 */
function interpolationEnd(raw: string, start: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = start; i < raw.length; i++) {
    const c = raw[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** A string template with `${NAME}` and `${fn(…)}` interpolations and escapes. */
export function template(
  raw: string,
  variables: ReadonlyMap<string, HclValue>,
  scope: HclScope = {},
): HclValue {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\' && i + 1 < raw.length) {
      const e = raw[++i];
      out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
      continue;
    }
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      // `$${` and `%%{` are a literal `${` and `%{`.
      out += c + '{';
      i += 2;
      continue;
    }
    if (c === '%' && raw[i + 1] === '{') return UNKNOWN;
    if (c === '$' && raw[i + 1] === '{') {
      const close = interpolationEnd(raw, i + 2);
      if (close < 0) return UNKNOWN;
      const inner = raw.slice(i + 2, close).trim();
      let value: HclValue | undefined;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(inner)) value = variables.get(inner);
      else {
        // Only a call of the file's functions is read here: anything else stays unknown.
        const expression = scope.functions?.size ? parseExpression(inner) : undefined;
        if (expression?.kind !== 'call') return UNKNOWN;
        value = call(expression, variables, scope);
      }
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        out += String(value);
      } else {
        return UNKNOWN;
      }
      i = close;
      if (out.length > MAX_STRING) return UNKNOWN;
      continue;
    }
    out += c;
  }
  return out;
}
