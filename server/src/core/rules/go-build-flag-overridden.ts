// Catches -ldflags (or -gcflags, -asmflags, -gccgoflags, -tags) given twice to one go command, on
// its command line, in GOFLAGS, or in both: Go keeps only the last, so `-s -w` or `-X ...` is lost.
import type { Instruction, Property } from 'dockerfile-ast';
import { removeWords, replaceWords } from '../edits/command-edits';
import {
  flagArgIndices,
  goCommandRange,
  goCommands,
  goflagsEntries,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import type { DockerfileModel } from '../model/model';
import type { Fix, Range } from '../types';
import { shortText, type MessageData, type Report, type Rule } from './rule';
import { splitQuotedFields } from '../text/quotes';
import { keywordOf } from '../model/instruction-view';

// cmd/go keeps the last value of these flags: the per-package flags (-ldflags and its kin) take
// the last value whose package pattern matches, -tags the last value outright.
const FLAGS = new Set(['ldflags', 'gcflags', 'asmflags', 'gccgoflags', 'tags']);
const SUBCOMMANDS = new Set(['build', 'install', 'run', 'test']);

/** One occurrence of such a flag, where it was given. */
interface Occurrence {
  name: string;
  value: string;
  dynamic: boolean;
  /** Word indices in `invocation.args`, for one on the command line. */
  indices?: number[];
}

/**
 * The package pattern of a per-package flag's value (`all=-N -l` → `all`), '' for none, and the
 * flags after it. cmd/go reads a pattern when the value does not start with `-`.
 */
function splitPattern(name: string, value: string): { pattern: string; flags: string } {
  const trimmed = value.trim();
  if (name === 'tags' || trimmed === '' || trimmed.startsWith('-')) {
    return { pattern: '', flags: trimmed };
  }
  const eq = trimmed.indexOf('=');
  return eq < 0
    ? { pattern: trimmed, flags: '' }
    : { pattern: trimmed.slice(0, eq), flags: trimmed.slice(eq + 1).trim() };
}

/**
 * Which packages an occurrence applies to, as far as one replacing another goes: `-ldflags` only
 * matters for the main package's link, so no pattern and `all` are the same there (and a value
 * written with a variable counts too); for the compiler and assembler flags, no pattern (the
 * packages named) and `all` (those and their dependencies) are told apart, and a variable is
 * not known. Undefined: a pattern that may or may not match.
 */
function scopeOf(occurrence: Occurrence): string | undefined {
  const linkOnly = occurrence.name === 'ldflags' || occurrence.name === 'tags';
  if (occurrence.dynamic) return linkOnly ? 'main' : undefined;
  const { pattern } = splitPattern(occurrence.name, occurrence.value);
  if (pattern !== '' && pattern !== 'all') return undefined;
  return linkOnly ? 'main' : pattern === '' ? 'named' : 'all';
}

/** The build tags of a -tags value: comma-separated, or (the old form) space-separated. */
function tagList(value: string): string[] {
  const separator = value.includes(',') ? ',' : /\s+/;
  return value
    .split(separator)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * One value that passes both values' flags, in order, exactly as the two would if Go kept both:
 * undefined when that cannot be written with certainty (a variable, a package pattern, an open
 * quote).
 */
function mergedValue(first: Occurrence, last: Occurrence): string | undefined {
  if (first.dynamic || last.dynamic) return undefined;
  if (first.name === 'tags') return [...tagList(first.value), ...tagList(last.value)].join(',');
  const a = splitPattern(first.name, first.value);
  const b = splitPattern(last.name, last.value);
  if (a.pattern !== '' || b.pattern !== '') return undefined;
  if (!splitQuotedFields(a.flags) || !splitQuotedFields(b.flags)) return undefined;
  return `${a.flags} ${b.flags}`;
}

function shown(occurrence: Occurrence): string {
  return occurrence.dynamic
    ? occurrence.value
    : splitPattern(occurrence.name, occurrence.value).flags;
}

/** The flag's entries in a GOFLAGS value, in order; undefined when it cannot be read. */
function goflagsOccurrences(goflags: string): Occurrence[] | undefined {
  const entries = goflagsEntries(goflags);
  if (!entries) return undefined;
  const result: Occurrence[] = [];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    if (FLAGS.has(name) && eq > 0) {
      result.push({ name, value: entry.slice(eq + 1), dynamic: false });
    }
  }
  return result;
}

/**
 * The earlier occurrences that a later one for the same packages replaces. A last value that is
 * empty (`-ldflags ""`) is an explicit reset, not reported.
 */
function lostTo(occurrences: readonly Occurrence[]): { lost: Occurrence[]; last: Occurrence }[] {
  const result: { lost: Occurrence[]; last: Occurrence }[] = [];
  for (const name of FLAGS) {
    for (const scope of ['main', 'named', 'all']) {
      const same = occurrences.filter((o) => o.name === name && scopeOf(o) === scope);
      const last = same[same.length - 1];
      if (!last || (!last.dynamic && shown(last) === '')) continue;
      // An empty value passes no flags: nothing is lost with it.
      const lost = same.slice(0, -1).filter((o) => o.dynamic || shown(o) !== '');
      if (lost.length > 0) result.push({ lost, last });
    }
  }
  return result;
}

function flagLabel(name: string): string {
  return `-${name}`;
}

function checkCommand(model: DockerfileModel, command: GoCommand, report: Report<MessageId>): void {
  const invocation = command.invocation;
  if (!SUBCOMMANDS.has(invocation.subcommand)) return;
  const onCommand: Occurrence[] = flagArgIndices(invocation)
    .filter(({ flag }) => FLAGS.has(flag.name) && typeof flag.value === 'string')
    .map(({ flag, indices }) => ({
      name: flag.name,
      value: flag.value as string,
      dynamic: flag.dynamic,
      indices,
    }));
  const at = locateGo(model, command);
  const rangeOf = (occurrence: Occurrence): Range => {
    const indices = occurrence.indices;
    if (!at || !indices) return goCommandRange(model, command, at);
    const words = at.located.words;
    const first = words[at.go + 2 + indices[0]];
    const last = words[at.go + 2 + indices[indices.length - 1]];
    return first && last
      ? model.index.rangeOf(first.start, last.end)
      : goCommandRange(model, command, at);
  };
  // Twice on the command line.
  for (const { lost, last } of lostTo(onCommand)) {
    const label = flagLabel(last.name);
    const fix = lost.length === 1 && at ? mergeFix(model, command, lost[0], last) : undefined;
    for (const occurrence of lost) {
      report({
        range: rangeOf(occurrence),
        messageId: 'repeated',
        data: {
          flag: label,
          subcommand: invocation.subcommand,
          value: shortText(shown(occurrence), 30),
        },
        fixes: fix ? [fix] : [],
      });
    }
  }
  // GOFLAGS given inline on the command: its own repeats are reported here, not at an ENV.
  const goflags = invocation.env.get('GOFLAGS');
  if (typeof goflags !== 'string') return;
  const fromGoflags = goflagsOccurrences(goflags);
  if (!fromGoflags) return;
  if (invocation.inlineNames.includes('GOFLAGS')) {
    for (const { lost, last } of lostTo(fromGoflags)) {
      report({
        range: goCommandRange(model, command, at),
        ...goflagsRepeatMessage(lost, last),
      });
    }
  }
  // GOFLAGS, then the command line: cmd/go applies GOFLAGS first.
  for (const name of FLAGS) {
    const winner = onCommand.filter((o) => o.name === name && scopeOf(o) !== undefined).pop();
    if (!winner || (!winner.dynamic && shown(winner) === '')) continue;
    const lost = fromGoflags.filter(
      (o) => o.name === name && scopeOf(o) === scopeOf(winner) && shown(o) !== '',
    );
    if (lost.length === 0) continue;
    const label = flagLabel(name);
    report({
      range: rangeOf(winner),
      messageId: 'replacesGoflags',
      data: { flag: label, lost: lost.map((o) => `\`${shown(o)}\``).join(', ') },
    });
  }
}

function goflagsRepeatMessage(
  lost: readonly Occurrence[],
  last: Occurrence,
): { messageId: MessageId; data: MessageData; detail: string } {
  const label = flagLabel(last.name);
  return {
    messageId: 'repeatedInGoflags',
    data: { flag: label },
    detail:
      `\`${lost.map(shown).join('`, `')}\` ${lost.length === 1 ? 'is' : 'are'} lost. Pass all ` +
      `the flags in one ${label} on the go command line.`,
  };
}

/** One flag with both values, where the last one was; the earlier one removed. */
function mergeFix(
  model: DockerfileModel,
  command: GoCommand,
  first: Occurrence,
  last: Occurrence,
): Fix | undefined {
  const at = locateGo(model, command);
  const merged = mergedValue(first, last);
  if (!at || merged === undefined || !first.indices || !last.indices) return undefined;
  const base = at.go + 2;
  const removal = removeWords(
    model,
    at.located,
    base + first.indices[0],
    base + first.indices[first.indices.length - 1],
  );
  const replacement = replaceWords(
    model,
    at.located,
    base + last.indices[0],
    base + last.indices[last.indices.length - 1],
    [flagLabel(last.name), merged],
  );
  if (!removal || !replacement) return undefined;
  return {
    title: `Pass both in one ${flagLabel(last.name)}`,
    kind: 'quickfix',
    isPreferred: true,
    // The flags lost so far then apply: the binary changes (stripped, stamped, ...).
    safe: false,
    edits: [removal, replacement],
  };
}

function envProperties(instruction: Instruction): Property[] {
  try {
    return (instruction as unknown as { getProperties(): Property[] }).getProperties();
  } catch {
    return [];
  }
}

/** `ENV GOFLAGS=...` and `ARG GOFLAGS=...` whose value repeats a flag. */
function checkGoflagsSettings(model: DockerfileModel, report: Report<MessageId>): void {
  const check = (value: string | undefined, range: Range) => {
    if (value === undefined || value.includes('$')) return;
    const occurrences = goflagsOccurrences(value);
    if (!occurrences) return;
    for (const { lost, last } of lostTo(occurrences)) {
      report({ range, ...goflagsRepeatMessage(lost, last) });
    }
  };
  for (const declaration of model.globalArgs) {
    if (declaration.name === 'GOFLAGS') check(declaration.defaultValue, declaration.range);
  }
  for (const stage of model.stages) {
    for (const declaration of stage.args) {
      if (declaration.name === 'GOFLAGS') check(declaration.defaultValue, declaration.range);
    }
    for (const instruction of stage.instructions) {
      if (keywordOf(instruction) !== 'ENV') continue;
      for (const property of envProperties(instruction)) {
        if (property.getName() === 'GOFLAGS') {
          check(property.getValue() ?? undefined, property.getRange());
        }
      }
    }
  }
}

type MessageId = 'repeated' | 'replacesGoflags' | 'repeatedInGoflags';

export const goBuildFlagOverridden: Rule<MessageId> = {
  meta: {
    id: 'go-build-flag-overridden',
    description:
      '`-ldflags` (or -gcflags, -tags, ...) given twice to a go build, also through GOFLAGS: only the last counts.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      repeated: '{{flag}} is given again later in this go {{subcommand}}: `{{value}}` is lost.',
      replacesGoflags: 'This {{flag}} replaces the one GOFLAGS gives: its flags are lost.',
      repeatedInGoflags: 'GOFLAGS gives {{flag}} more than once: only the last one counts.',
    },
    details: {
      repeated: 'Go keeps only the last {{flag}}. Pass all the flags in one {{flag}}.',
      replacesGoflags:
        'GOFLAGS gives {{lost}}, and Go keeps only the last {{flag}}, so those flags are lost. Pass all the flags in this one.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      for (const command of goCommands(stage)) checkCommand(model, command, report);
    }
    checkGoflagsSettings(model, report);
  },
};
