/**
 * What a safe fix (fix-all, `lint --fix`) must leave as it is, as far as it can be read from the
 * text: the Go settings each stage and each go command gets (GOOS, GOARCH, GOARM, CGO_ENABLED,
 * GOFLAGS, ...), each stage's base image and platform, the paths `COPY --from` reads, and the
 * program each stage's ENTRYPOINT and CMD start. A fix may add a `COPY --from` (the CA bundle, the
 * zoneinfo database); it may not change or drop one. The property tests and the corpus run check
 * every fix-all against it.
 */
import { compareStageGoVersion } from '../facts/go-commands';
import type { Env, EnvValue, GoInvocation } from '../model/go-invocation';
import type { CopyFrom, DockerfileModel, Stage, StartCommand } from '../model/model';
import { parseScript } from '../model/shell';
import { expand } from '../model/variables';

/** The facts of one stage that a safe fix keeps. */
export interface StageInvariants {
  /** `stage <n>` for a stage built on another, else the image as resolved (or as written). */
  base: string;
  platform?: string;
  /** Go settings at the end of the stage (ENV, ARG, `go env -w`), GO111MODULE as Go reads it. */
  goEnv: Record<string, EnvValue>;
  /** Each go command's subcommand and Go settings, in order. */
  goCommands: { subcommand: string; env: Record<string, EnvValue> }[];
  /** The `COPY --from` / `ADD --from` reads: `<source stage or image> <path>`, in order. */
  copiesFrom: string[];
  /** The program the stage's own ENTRYPOINT and CMD start (their first word). */
  entrypoint?: string;
  cmd?: string;
}

export interface BuildInvariants {
  stages: StageInvariants[];
}

/** Go's own settings and cgo's: the environment a go command reads. */
const GO_SETTING = /^(?:GO[A-Z0-9_]*|CGO_[A-Z0-9_]+)$/;

function goSettings(stage: Stage, values: Iterable<[string, EnvValue]>): Record<string, EnvValue> {
  const settings: Record<string, EnvValue> = {};
  for (const [name, value] of values) if (GO_SETTING.test(name)) settings[name] = value;
  // Modules are on by default from Go 1.16: unset (or empty) GO111MODULE is `on` there.
  const module = settings.GO111MODULE;
  if ((module === undefined || module === '') && (compareStageGoVersion(stage, '1.16') ?? -1) >= 0)
    settings.GO111MODULE = 'on';
  return settings;
}

/**
 * The environment a go command gets, with its inline assignments (`GOARCH=$TARGETARCH go build`,
 * `env GOARCH=...`) worked out where the values they name are known: the model keeps a value
 * written with a variable as unknown, but the shell expands it from the stage's ARG and ENV
 * values (an `ARG TARGETARCH=amd64` makes it `amd64`).
 */
function goCommandEnv(invocation: GoInvocation): Env {
  const env = new Map(invocation.env);
  const words = invocation.command.words.map((w) => {
    const eq = w.text.indexOf('=');
    return eq > 0
      ? { name: w.text.slice(0, eq), value: { ...w, text: w.text.slice(eq + 1) } }
      : undefined;
  });
  for (const assignment of [...invocation.command.assignments, ...words]) {
    if (
      !assignment ||
      env.get(assignment.name) !== null ||
      !invocation.inlineNames.includes(assignment.name)
    )
      continue;
    const text = assignment.value.text;
    // A command substitution is the shell's to run: it stays unknown.
    if (text.includes('$(') || text.includes('`')) continue;
    const expanded = expand(text, invocation.env);
    if (expanded.complete) env.set(assignment.name, expanded.value);
  }
  return env;
}

function fromKey(target: CopyFrom, value: string): string {
  switch (target.kind) {
    case 'stage':
    case 'later-stage':
      return `stage ${target.stage.index}`;
    case 'image':
      return `image ${target.reference}`;
    case 'index-out-of-range':
      return `stage ${target.index}`;
    default:
      return `${target.kind} ${value}`;
  }
}

function program(command: StartCommand | undefined): string | undefined {
  if (!command) return undefined;
  if (command.exec) return command.exec[0]?.text ?? '';
  return parseScript(command.shell ?? '').commands[0]?.words[0]?.text ?? '';
}

function stageInvariants(stage: Stage): StageInvariants {
  const own = new Set(stage.instructions);
  const result: StageInvariants = {
    base: stage.parent
      ? `stage ${stage.parent.index}`
      : (stage.base?.text ?? `as written ${stage.baseText ?? ''}`),
    goEnv: goSettings(stage, [...stage.scopeAtEnd, ...stage.goEnv]),
    goCommands: stage.goCommands.map((c) => ({
      subcommand: c.invocation.subcommand,
      env: goSettings(stage, goCommandEnv(c.invocation)),
    })),
    copiesFrom: stage.copies.flatMap((copy) => {
      const from = copy.from;
      return from ? copy.sources.map((s) => `${fromKey(from.target, from.value)} ${s.text}`) : [];
    }),
  };
  if (stage.platform) result.platform = stage.platform.text;
  if (stage.entrypoint && own.has(stage.entrypoint.instruction))
    result.entrypoint = program(stage.entrypoint);
  if (stage.cmd && own.has(stage.cmd.instruction)) result.cmd = program(stage.cmd);
  return result;
}

/** Reads the facts a safe fix keeps from a model. */
export function buildInvariants(model: DockerfileModel): BuildInvariants {
  return { stages: model.stages.map(stageInvariants) };
}

function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

function compareSettings(
  where: string,
  before: Record<string, EnvValue>,
  after: Record<string, EnvValue>,
  changes: string[],
) {
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[name] !== after[name])
      changes.push(`${where}: ${name} ${show(before[name])} → ${show(after[name])}`);
  }
}

/**
 * What differs between the facts before and after a fix, one line per difference; empty when
 * the fix kept them all. A `COPY --from` read may be added, not changed or dropped.
 */
export function invariantChanges(before: BuildInvariants, after: BuildInvariants): string[] {
  const changes: string[] = [];
  if (before.stages.length !== after.stages.length) {
    changes.push(`stages: ${before.stages.length} → ${after.stages.length}`);
    return changes;
  }
  before.stages.forEach((b, i) => {
    const a = after.stages[i];
    const where = `stage ${i}`;
    if (b.base !== a.base) changes.push(`${where}: base ${b.base} → ${a.base}`);
    if (b.platform !== a.platform)
      changes.push(`${where}: --platform ${show(b.platform)} → ${show(a.platform)}`);
    compareSettings(`${where} at its end`, b.goEnv, a.goEnv, changes);
    if (b.goCommands.length !== a.goCommands.length) {
      changes.push(`${where}: ${b.goCommands.length} go commands → ${a.goCommands.length}`);
    } else {
      b.goCommands.forEach((command, j) => {
        const other = a.goCommands[j];
        const label = `${where}, go command ${j + 1} (go ${command.subcommand})`;
        if (command.subcommand !== other.subcommand)
          changes.push(`${label}: became go ${other.subcommand}`);
        compareSettings(label, command.env, other.env, changes);
      });
    }
    const remaining = [...a.copiesFrom];
    for (const read of b.copiesFrom) {
      const at = remaining.indexOf(read);
      if (at < 0) changes.push(`${where}: COPY --from reads ${read} no more`);
      else remaining.splice(at, 1);
    }
    if (b.entrypoint !== a.entrypoint)
      changes.push(`${where}: ENTRYPOINT runs ${show(b.entrypoint)} → ${show(a.entrypoint)}`);
    if (b.cmd !== a.cmd) changes.push(`${where}: CMD runs ${show(b.cmd)} → ${show(a.cmd)}`);
  });
  return changes;
}
