/**
 * How compose reads a value of its file: interpolated as compose does (`${VAR:-default}` takes its
 * default, `$$` is a `$`; a variable with no default is unknown, since the `.env` file and the
 * shell's environment are not read, but `$PWD`, the compose file's folder), alone or in a list.
 */
import { SCRIPT_DIR_MARK } from './command-line';
import { substitute } from './variables';
import { text, type YamlMap, type YamlSeq } from './yaml-tree';

/** A service of the compose file: its name, line and definition. */
export type Service = YamlMap['entries'][number];

// `$PWD` is the folder compose runs in: the compose file's, as it is run (`dockerfile:
// $PWD/Dockerfile`). No other variable of the environment is known.
const VARIABLES = new Map<string, string | null>([['PWD', SCRIPT_DIR_MARK]]);

/** A value interpolated; null when it is left to a variable the file does not set. */
export function interpolate(value: string | undefined): string | null | undefined {
  return value === undefined ? undefined : substitute(value, VARIABLES, { dollarEscape: true });
}

/** A list's items, interpolated; null when one is not a scalar or is left to a variable. */
export function readList(node: YamlSeq): string[] | null {
  const values: string[] = [];
  for (const item of node.items) {
    const value = interpolate(text(item));
    if (value === undefined || value === null) return null;
    values.push(value);
  }
  return values;
}
