// Catches the go build of the binary the final image ships without -trimpath and -ldflags="-s -w":
// the binary keeps build-machine paths and its symbol and debug tables, and is larger than needed.
import { insertAfter } from '../edits/command-edits';
import type { LocatedCommand } from '../model/command-words';
import {
  compareStageGoVersion,
  effectiveFlag,
  flagArgIndices,
  goCommandRange,
  goflagsKnown,
  goflagsSets,
  locateGo,
  type GoCommand,
  type LocatedGo,
} from '../facts/go-commands';
import type { EnvValue, GoInvocation } from '../model/go-invocation';
import type { DockerfileModel, GoCall } from '../model/model';
import { expand } from '../model/variables';
import type { Fix, TextEdit } from '../types';
import type { Report, Rule } from './rule';
import { zeroBasedLine } from '../text/line-index';
import { insertAtOffset, replaceSpan } from '../edits/fixer';

function resolved(value: string, env: ReadonlyMap<string, EnvValue>): string | undefined {
  if (!value.includes('$')) return value;
  const scope = new Map<string, string | null>();
  for (const [k, v] of env) scope.set(k, v);
  const expanded = expand(value, scope);
  return expanded.complete ? expanded.value : undefined;
}

/** The linker flags as tokens, or undefined when they use a package pattern (`all=-s`). */
function linkerTokens(value: string): string[] | undefined {
  const tokens = value.trim().split(/\s+/).filter(Boolean);
  if (tokens.length > 0 && !tokens[0].startsWith('-') && tokens[0].includes('=')) return undefined;
  return tokens;
}

/** A debug build (`-gcflags=all=-N -l`) is meant to keep its symbols. */
function debugBuild(invocation: GoInvocation): boolean | undefined {
  const gcflags = effectiveFlag(invocation, 'gcflags');
  if (typeof gcflags !== 'string') return false;
  const value = resolved(gcflags, invocation.env);
  if (value === undefined) return undefined;
  return /(^|[\s=])-(N|l)\b/.test(value);
}

/** Where to insert `-s -w` into an existing `-ldflags` word of the command, and how. */
function mergeLinkerFlags(
  model: DockerfileModel,
  located: LocatedCommand,
  index: number,
  inline: boolean,
  addition: string,
  empty: boolean,
): TextEdit | undefined {
  const word = located.words[index];
  const raw = model.text.slice(word.start, word.end);
  let p = 0;
  if (inline) {
    const at = raw.indexOf('ldflags=');
    if (at < 0) return undefined;
    p = at + 'ldflags='.length;
  }
  // The quote in force at p within the word as written.
  let quote: string | undefined;
  for (let i = 0; i < p; i++) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
  }
  const text = empty ? addition : addition + ' ';
  const at = (offset: number): TextEdit => insertAtOffset(model, word.start + offset, text);
  if (!quote && (raw[p] === '"' || raw[p] === "'")) return at(p + 1);
  if (quote || located.exec) return at(p);
  // An unquoted value: quote it, with a quote the surrounding `sh -c` allows.
  const rest = raw.slice(p);
  if (/["'\\\s`]/.test(rest)) return undefined;
  const q = located.enclosingQuote === '"' ? "'" : '"';
  if (q === "'" && rest.includes('$')) return undefined;
  return replaceSpan(
    model,
    word.start + p,
    word.end,
    `${q}${addition}${rest ? ' ' + rest : ''}${q}`,
  );
}

function releaseFix(
  model: DockerfileModel,
  command: GoCommand,
  at: LocatedGo,
  trimpath: boolean,
  linker: string[],
  current: string | undefined,
): Fix | undefined {
  const { located, go } = at;
  const edits: TextEdit[] = [];
  const inserted: string[] = [];
  if (trimpath) inserted.push('-trimpath');
  let ldflagsEdit: TextEdit | undefined;
  if (linker.length > 0) {
    const own = flagArgIndices(command.invocation).filter((f) => f.flag.name === 'ldflags');
    const last = own[own.length - 1];
    if (!last) {
      // A command-line -ldflags would replace one given in GOFLAGS: leave those alone.
      if (goflagsSets(command.invocation, 'ldflags')) return undefined;
      const value = linker.join(' ');
      if (located.exec) inserted.push(`-ldflags=${value}`);
      else
        inserted.push(`-ldflags=${located.enclosingQuote === '"' ? `'${value}'` : `"${value}"`}`);
    } else {
      const index = go + 2 + last.indices[last.indices.length - 1];
      ldflagsEdit = mergeLinkerFlags(
        model,
        located,
        index,
        last.indices.length === 1,
        linker.join(' '),
        (current ?? '').trim() === '',
      );
      if (!ldflagsEdit) return undefined;
    }
  }
  if (inserted.length > 0) {
    const sub = located.words[go + 1];
    if (located.exec) {
      const edit = insertAfter(model, located, go + 1, inserted);
      if (!edit) return undefined;
      edits.push(edit);
    } else {
      // The values are written for the shell already (see the -ldflags quoting above).
      edits.push(insertAtOffset(model, sub.end, ' ' + inserted.join(' ')));
    }
  }
  if (ldflagsEdit) edits.push(ldflagsEdit);
  const added = [
    ...(trimpath ? ['-trimpath'] : []),
    ...(linker.length === 0
      ? []
      : ldflagsEdit
        ? [`${linker.join(' ')} to -ldflags`]
        : [`-ldflags="${linker.join(' ')}"`]),
  ];
  return {
    title: `Add ${added.join(' and ')}`,
    kind: 'quickfix',
    isPreferred: true,
    // The binary changes: no file paths in stack traces, no symbols for a debugger.
    safe: false,
    edits,
  };
}

type MessageId = 'missingFlags';

export const goBuildMissingReleaseFlags: Rule<MessageId> = {
  meta: {
    id: 'go-build-missing-release-flags',
    description:
      'The go build of the shipped binary lacks `-trimpath` and `-ldflags="-s -w"` (off by default).',
    defaultSeverity: 'hint',
    fixable: true,
    perShippedStage: true,
    enabledByDefault: false,
    messages: {
      missingFlags: 'The shipped binary is built without {{missing}}.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const final = model.finalStage;
    // A final stage on a toolchain image is a development or CI image, not a release.
    if (!final || final.facts.goToolchain) return;
    // Binaries copied in from a build stage: the multi-stage release shape.
    const calls = new Map<GoCall, number>();
    for (const { binary, entry } of final.fs.goBinaries()) {
      const call = binary.call as GoCall;
      if (entry.origin !== 'copy' || calls.has(call)) continue;
      calls.set(call, zeroBasedLine(entry.instruction) + 1);
    }
    for (const [call, copyLine] of calls) {
      const invocation = call.invocation;
      if (invocation.subcommand !== 'build' && invocation.subcommand !== 'install') continue;
      // `go install tool@version` builds someone else's tool, not the release.
      if (invocation.packages.some((p) => p.text.includes('@'))) continue;
      // Flags hidden in a GOFLAGS value not known here could be anything.
      if (debugBuild(invocation) !== false || !goflagsKnown(invocation)) continue;
      const stage = model.stages[call.stageIndex];
      const trimpath = effectiveFlag(invocation, 'trimpath');
      // -trimpath exists since Go 1.13.
      const hasTrimpath = (compareStageGoVersion(stage, '1.13') ?? 0) >= 0;
      const needsTrimpath = hasTrimpath && (trimpath === undefined || trimpath === 'false');
      const ldflags = effectiveFlag(invocation, 'ldflags');
      let linker: string[] = [];
      let current: string | undefined;
      if (ldflags === undefined) linker = ['-s', '-w'];
      else if (typeof ldflags === 'string') {
        current = resolved(ldflags, invocation.env);
        const tokens = current === undefined ? undefined : linkerTokens(current);
        if (tokens) {
          // Since Go 1.22, -s implies -w.
          const sImpliesW = (compareStageGoVersion(stage, '1.22') ?? -1) >= 0;
          if (!tokens.includes('-s')) linker.push('-s');
          if (!tokens.includes('-w') && !(tokens.includes('-s') && sImpliesW)) linker.push('-w');
        }
      }
      if (!needsTrimpath && linker.length === 0) continue;
      const command: GoCommand = {
        stage,
        run: call.run,
        commandIndex: call.commandIndex,
        invocation,
        call,
      };
      const at = locateGo(model, command);
      const missing = [
        ...(needsTrimpath ? ['`-trimpath`'] : []),
        ...(linker.length ? [`\`-ldflags="${linker.join(' ')}"\``] : []),
      ];
      const fix = at ? releaseFix(model, command, at, needsTrimpath, linker, current) : undefined;
      report({
        range: goCommandRange(model, command, at),
        messageId: 'missingFlags',
        data: { missing: missing.join(' and ') },
        detail:
          `This go ${invocation.subcommand} makes the binary the final image ships (copied in at ` +
          `line ${copyLine}). ` +
          (needsTrimpath
            ? '-trimpath keeps build-machine paths out of the binary, so it is reproducible. '
            : '') +
          (linker.length
            ? '-s -w drop the symbol table and DWARF debug information, a large part of its size. '
            : '') +
          'Add them for release builds.',
        fixes: fix ? [fix] : [],
      });
    }
  },
};
