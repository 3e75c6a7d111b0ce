// Catches a scratch final stage whose Go binary has no zoneinfo: neither /usr/share/zoneinfo
// copied in nor `-tags timetzdata`, so time.LoadLocation and TZ fail ("unknown time zone").
import { insertAfter, instructionLine } from '../edits/insert-line';
import { flagValue } from '../model/go-invocation';
import { goRuntime, runtimeBuildCalls } from '../facts/go-runtime';
import { commandOffsets } from '../model/command-words';
import type { DockerfileModel, GoCall } from '../model/model';
import { baseImageText } from '../facts/start';
import {
  holdsZoneinfo,
  sourceStageFor,
  stageRef,
  ZONEINFO_DIR,
  ZONEINFO_PATHS,
} from '../facts/system-files';
import type { Fix } from '../types';
import { type Report, type Rule, shortImage } from './rule';
import { oneBasedLine } from '../text/line-index';
import { insertAtOffset } from '../edits/fixer';
import { callPackages, mergePackages, programSources } from '../facts/program-sources';
import { programNeeds } from '../facts/program-needs';

/**
 * Whether a go build embeds the zoneinfo database (`-tags timetzdata`, also through GOFLAGS), or
 * may do so through a value not known here.
 */
function embedsTzdata(call: GoCall): boolean {
  const tagFlags = call.invocation.flags.filter((f) => f.name === 'tags');
  if (tagFlags.some((f) => f.dynamic)) return true;
  const tags = flagValue(call.invocation, 'tags');
  if (typeof tags === 'string' && tags.split(/[\s,]+/).includes('timetzdata')) return true;
  const goflags = call.invocation.env.get('GOFLAGS');
  if (goflags === null) return true;
  return goflags !== undefined && /\btimetzdata\b/.test(goflags);
}

/**
 * Whether the program a go build compiles imports time/tzdata (`import _ "time/tzdata"`), which
 * embeds the database as `-tags timetzdata` does: known only when its sources are in a known
 * build context.
 */
function importsTzdata(model: DockerfileModel, call: GoCall): boolean {
  const packages = callPackages(model, call);
  if (packages.length === 0) return false;
  const sources = programSources(model, model.stages[call.stageIndex], mergePackages(packages));
  return programNeeds(sources).embedsTimeZones;
}

/** A fix adding `-tags timetzdata` right after `go build`, when the command has no -tags yet. */
function tagsFix(model: DockerfileModel, call: GoCall): Fix | undefined {
  if (call.run.exec || call.invocation.subcommand !== 'build') return undefined;
  if (call.invocation.flags.some((f) => f.name === 'tags')) return undefined;
  if (call.invocation.env.get('GOFLAGS') !== undefined) return undefined;
  const offset = commandOffsets(model, call.run)[call.commandIndex];
  if (offset === undefined) return undefined;
  // From the command's start: optional assignments, then `go`, blanks or continuations, `build`.
  const rest = model.text.slice(offset, model.index.offsetAt(call.instruction.getRange().end));
  const match =
    /^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*go(?:[ \t]|\\\r?\n)+build(?=[ \t\r\n\\]|$)/.exec(rest);
  if (!match) return undefined;
  return {
    title: 'Embed the zoneinfo database in the binary (-tags timetzdata)',
    kind: 'quickfix',
    safe: false,
    edits: [insertAtOffset(model, offset + match[0].length, ' -tags timetzdata')],
  };
}

type MessageId = 'noTzdata';

export const scratchMissingTzdata: Rule<MessageId> = {
  meta: {
    id: 'scratch-missing-tzdata',
    description:
      'A scratch final stage ships a Go binary without zoneinfo (no /usr/share/zoneinfo, no `-tags timetzdata`).',
    defaultSeverity: 'hint',
    fixable: true,
    perShippedStage: true,
    messages: {
      noTzdata: 'This {{image}} image has no time zone data: named time zones would fail.',
    },
    details: {
      noTzdata:
        '{{fullImage}} has no zoneinfo database and the go build ({{builds}}) does not embed one with -tags timetzdata: if the program calls time.LoadLocation or honours TZ, it fails with "unknown time zone" or silently uses UTC. To support time zones, {{how}}, or build with -tags timetzdata (about 450 KB). A blank import of time/tzdata in the program does the same: it is seen when the build context is known, otherwise ignore this if the program has it.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    if (!runtime || runtime.stage.facts.family !== 'scratch') return;
    const stage = runtime.stage;
    // time.LoadLocation reads $ZONEINFO first.
    if (stage.envAtEnd.has('ZONEINFO')) return;
    if (ZONEINFO_PATHS.some((path) => stage.fs.lookup(path).presence !== 'no')) return;
    // Only binaries whose go build the model follows: a Makefile's flags are not visible.
    const calls = runtimeBuildCalls(runtime);
    if (calls.length === 0 || calls.some(embedsTzdata)) return;
    if (model.context && calls.some((call) => importsTzdata(model, call))) return;

    const source = sourceStageFor(model.stages, stage, runtime.builders, holdsZoneinfo);
    const fixes: Fix[] = [];
    const copy = source && `--from=${stageRef(source)} ${ZONEINFO_DIR} ${ZONEINFO_DIR}`;
    const insertion =
      copy && insertAfter(model, stage.from, [instructionLine(model, 'COPY', copy)]);
    if (source && insertion) {
      fixes.push({
        title: `Copy ${ZONEINFO_DIR} from stage ${stageRef(source)}`,
        kind: 'quickfix',
        isPreferred: true,
        // Adds the database the time package looks for; the binary itself is unchanged.
        safe: true,
        edits: [insertion],
      });
    }
    const tags = calls.length === 1 ? tagsFix(model, calls[0]) : undefined;
    if (tags) fixes.push(tags);
    const builds = calls.map((c) => `line ${oneBasedLine(c.instruction.getRange())}`).join(', ');
    const how = source
      ? `copy it (\`COPY --from=${stageRef(source)} ${ZONEINFO_DIR} ${ZONEINFO_DIR}\`)`
      : 'install tzdata in the build stage and copy /usr/share/zoneinfo from it';
    report({
      range: stage.baseRange ?? stage.from.getRange(),
      messageId: 'noTzdata',
      data: {
        image: shortImage(baseImageText(stage), 30),
        fullImage: baseImageText(stage),
        builds,
        how,
      },
      fixes,
    });
  },
};
