/**
 * The build side of the conversion: keep cgo where the program needs it (the build asks for it,
 * the sources `import "C"`, a module builds only with cgo, `-race`, C headers installed) and
 * pick a runtime with the matching C library; otherwise add `CGO_ENABLED=0` to every build whose
 * binary the runtime receives; add a `go build` when the image ran `go run`. The builds keep
 * their output paths: the runtime receives the binaries where the original image had them.
 */
import { flagValue } from '../model/go-invocation';
import { commandOffsets } from '../model/command-words';
import { cgoState, cgoStateFor, type GoCall, type Stage } from '../model/model';
import { buildTargetOf, cgoNeedOf, goModsOfBuild } from '../facts/cgo-need';
import type { ProgramNeeds } from '../facts/program-needs';
import { goVersionGaps } from '../facts/go-version-gap';
import { toolBuilds } from '../facts/go-commands';
import type { ToolGo } from '../facts/build-tools';
import { goPinFor, imageWithGo } from '../edits/golang-tag';
import { Refusal, runtimeWithLibc, type Plan } from './plan';
import type { Target } from './target';

/** Locates the `-o` value, or the end of the subcommand word, of a go command in the document. */
function locateBuild(plan: Plan, call: GoCall) {
  const { model } = plan;
  const offset = commandOffsets(model, call.run)[call.commandIndex];
  if (offset === undefined || call.run.exec) return undefined;
  const text = model.text;
  const end = model.index.offsetAt(call.run.instruction.getRange().end);
  const isBoundary = (c: string | undefined) => c === undefined || /[\s;&|)\\]/.test(c);
  const findWord = (word: string, from: number): number | undefined => {
    let at = text.indexOf(word, from);
    while (at >= 0 && at < end) {
      const before = text[at - 1] ?? ' ';
      if (
        /\s/.test(before) &&
        (isBoundary(text[at + word.length]) || text[at + word.length] === '=')
      ) {
        return at;
      }
      at = text.indexOf(word, at + 1);
    }
    return undefined;
  };
  const sub = findWord(call.invocation.subcommand, offset);
  if (sub === undefined) return undefined;
  const located: { commandStart: number; subEnd: number; output?: { start: number; end: number } } =
    {
      commandStart: offset,
      subEnd: sub + call.invocation.subcommand.length,
    };
  const o = flagValue(call.invocation, 'o');
  if (typeof o === 'string') {
    const flag = findWord('-o', located.subEnd) ?? findWord('--o', located.subEnd);
    if (flag === undefined) return undefined;
    let start = text.indexOf(o, flag + 2);
    if (start < 0 || start >= end) return undefined;
    let stop = start + o.length;
    if (text[start - 1] === '"' || text[start - 1] === "'") {
      start--;
      stop++;
    }
    // Only blanks, `=` or line continuations may separate the flag from its value.
    if (!/^-?o?[\s=\\]*$/.test(text.slice(flag + 1, start))) return undefined;
    located.output = { start, end: stop };
  }
  return located;
}

// -dev packages installed for other reasons than cgo: the C library's and kernel's headers (a
// C compiler needs them, cgo or not), protoc's well-known protos, Python's headers for pip.
const NOT_CGO_HEADERS = new Set([
  'libc-dev',
  'libc6-dev',
  'musl-dev',
  'linux-libc-dev',
  'glibc-devel',
  'protobuf-dev',
  'protobuf-devel',
  'python3-dev',
  'python-dev',
]);

/** Why the program needs cgo, from its sources, its go.mod and its build flags. */
function programCgo(
  plan: Plan,
  target: Target,
  needs: ProgramNeeds | undefined,
): { reason: string; goModOnly?: true } | undefined {
  // Any use counts, weak ones too: cgo is kept wherever the program may use it. A cgo-only
  // module go.mod requires, even indirectly (gorm's sqlite driver pulls in mattn/go-sqlite3), is
  // taken to be linked, since a stub built without cgo fails at run time.
  const goMods = target.call
    ? goModsOfBuild(plan.model, target.call, needs?.goMod)
    : [needs?.goMod, plan.model.goMod];
  const need = cgoNeedOf(needs?.sources, goMods, buildTargetOf(target.call));
  if (need?.evidence === 'sources') return { reason: need.reason };
  const race = target.call && flagValue(target.call.invocation, 'race') === true;
  if (race) return { reason: 'the build uses -race, which needs cgo' };
  // Sources read whole that import no cgo package leave only go.mod's word, which a package the
  // program imports from another module may still stand behind (gorm v1 pulls in go-sqlite3).
  if (need?.evidence === 'go.mod' && needs?.sources.complete) {
    return {
      reason: `${need.reason}; no source of the program imports it, but a package it imports from another module may`,
      goModOnly: true,
    };
  }
  return need && { reason: need.reason };
}

/** What a build with cgo off means for a program that needs cgo, as the original built it. */
function cgoOffNote(program: string, explicit: boolean, builder: Stage): string {
  const off = explicit
    ? 'the build sets CGO_ENABLED=0'
    : `cgo is off in ${builder.baseText ?? 'the build image'}, which has no C compiler`;
  return (
    `${program}, but ${off}, as in the original image: the binary is built without cgo and fails ` +
    'at run time where it needs it (a cgo-only database driver is a stub that returns an error). ' +
    'The conversion keeps that build' +
    (explicit ? '' : ' (its CGO_ENABLED=0 only says what the image did)') +
    '. To fix it, build with a C compiler (gcc, and musl-dev on Alpine) and CGO_ENABLED=1, then ' +
    'convert again: the runtime will get the C library the binary links.'
  );
}

/** Decides cgo: kept (and the runtime switched to a matching C library) only when required. */
export function decideCgo(
  plan: Plan,
  target: Target,
  needs: ProgramNeeds | undefined,
): { needsCgo: boolean; headers: string[] } {
  const call = target.call;
  if (!call) {
    if (target.builtBy) return { needsCgo: decideToolLinking(plan, target), headers: [] };
    if (!target.goRun) return { needsCgo: false, headers: [] };
  }
  const builder = call ? plan.model.stages[call.stageIndex] : plan.stage;
  const builderLibc = builder.facts.libc;
  const cgo = call
    ? cgoState(builder, call)
    : cgoStateFor(builder, plan.stage.envAtEnd.get('CGO_ENABLED'));
  if (cgo.explicit && cgo.state === 'unknown') {
    throw new Refusal(
      'sourced' in cgo
        ? 'the go build reads variables from a file first (`. FILE`, `source`, `eval`), which may set CGO_ENABLED, so which runtime libc the binary needs cannot be known.'
        : 'CGO_ENABLED is set from a variable, so which runtime libc the binary needs cannot be known.',
    );
  }
  // C library headers (`libsqlite3-dev`) serve only cgo code: with cgo on by default, turning
  // it off would break the build or, worse, a driver that needs cgo at run time.
  const headers =
    cgo.state === 'on'
      ? [...builder.packages].filter((p) => /-(dev|devel)$/.test(p) && !NOT_CGO_HEADERS.has(p))
      : [];
  const program = programCgo(plan, target, needs);
  if (cgo.state === 'off') {
    // The original builds without cgo too: the conversion keeps that build, and says what it
    // means for a program that needs cgo (a cgo-only driver is a stub that fails at run time).
    if (program !== undefined) plan.notes.push(cgoOffNote(program.reason, cgo.explicit, builder));
    return { needsCgo: false, headers: [] };
  }
  const needsCgo =
    (cgo.explicit && cgo.state === 'on') || headers.length > 0 || program !== undefined;
  if (!needsCgo) return { needsCgo, headers: [] };
  const cause =
    headers.length > 0
      ? `the image installs ${headers.join(', ')}, C headers only cgo code uses`
      : (program?.reason ?? 'the build sets CGO_ENABLED=1');
  const libraries = needs?.cLibraries ?? [];
  if (libraries.length > 0 && headers.length === 0) {
    throw new Refusal(
      `the cgo code links ${libraries.join(', ')}, which the build image has but no runtime the conversion writes has; add the runtime library's package to a runtime stage by hand.`,
    );
  }
  if (headers.length > 0) {
    // The shared libraries behind the headers: a runtime of the builder's family installs the
    // same packages (planPackages), which bring them.
    return { needsCgo, headers };
  }
  if (!(builderLibc !== undefined && plan.runtime.libc === builderLibc)) {
    if (plan.explicitRuntime) {
      const unsure = program?.goModOnly ? ' Set CGO_ENABLED=0 first if none does.' : '';
      throw new Refusal(
        `${cause}, so the binary needs ${builderLibc ?? 'a C library'}, which ${plan.runtimeImage} does not have.${unsure}`,
      );
    }
    if (builderLibc !== 'glibc' && builderLibc !== 'musl') {
      throw new Refusal(
        `${cause}, and the C library of ${builder.baseText ?? 'the build image'} is not known.`,
      );
    }
    const image = runtimeWithLibc(builderLibc);
    plan.switchRuntime(image, `cgo is kept (${cause}) and the binary needs ${builderLibc}`, [
      `cgo is kept (${cause}): the binary needs ${builderLibc}, which this image has.`,
    ]);
  }
  return { needsCgo, headers: [] };
}

/**
 * The build tool's description, read, builds with every go build and install it runs setting
 * `CGO_ENABLED=0` on its own line (`CGO_ENABLED=0 go build -o app .` in a Makefile recipe).
 */
function buildsWithoutCgo(go: ToolGo | undefined): boolean {
  if (!go || go.unread) return false;
  const builds = go.commands.filter((c) => c.subcommand === 'build' || c.subcommand === 'install');
  return builds.length > 0 && builds.every((c) => c.env.get('CGO_ENABLED') === '0');
}

/**
 * A binary written by `make` or a script may use cgo, which the build description decides: when
 * cgo is on in the builder, the runtime gets the builder's C library in case the binary links it.
 */
function decideToolLinking(plan: Plan, target: Target): boolean {
  const { tool, run, commandIndex } = target.builtBy!;
  const built = toolBuilds(plan.model, plan.stage).find(
    (c) => c.run === run && c.commandIndex === commandIndex,
  );
  if (buildsWithoutCgo(built?.toolGo)) return false;
  // The tool's environment: the RUN's, with its own assignments (`CGO_ENABLED=0 make build`).
  const cgo = cgoStateFor(plan.stage, (built?.invocation.env ?? run.env).get('CGO_ENABLED'));
  if (cgo.state === 'off') return false;
  const libc = plan.stage.facts.libc;
  if (cgo.state === 'unknown' || (libc !== 'glibc' && libc !== 'musl')) {
    throw new Refusal(
      `${tool} builds the binary and whether it uses cgo (CGO_ENABLED) cannot be known here, so neither can the C library it needs.`,
    );
  }
  if (plan.runtime.libc === libc) return true;
  const why = `${tool} builds the binary and cgo is on in the build image, so it may link ${libc}`;
  if (plan.explicitRuntime) {
    throw new Refusal(
      `${why}, which ${plan.runtimeImage} does not have (set CGO_ENABLED=0 for the build to use it).`,
    );
  }
  const image = runtimeWithLibc(libc);
  plan.switchRuntime(
    image,
    `${why} (with CGO_ENABLED=0 for the build, a static runtime would do)`,
    [`${why}: this base has it.`],
  );
  return true;
}

/** Adds `CGO_ENABLED=0` to a go command whose binary the runtime receives, unless it says so already. */
export function disableCgo(plan: Plan, call: GoCall): void {
  const { model } = plan;
  // Only an explicit CGO_ENABLED=0 is certain: a default the image decides (a golang alpine
  // image whose Go version the tag does not say) gets it written out too, which costs nothing.
  const cgo = cgoState(model.stages[call.stageIndex], call);
  if (cgo.state === 'off' && cgo.explicit) return;
  if (call.run.exec) {
    const start = call.run.instruction.getRange().start;
    plan.edits.push({
      range: { start, end: start },
      newText: `${plan.kw('ENV')} CGO_ENABLED=0${plan.eol}`,
    });
    return;
  }
  const located = locateBuild(plan, call);
  if (!located) {
    throw new Refusal(
      'the go build command could not be located in the RUN instruction to add CGO_ENABLED=0.',
    );
  }
  const at = model.index.positionAt(located.commandStart);
  if (!plan.edits.some((e) => e.newText === 'CGO_ENABLED=0 ' && samePosition(e.range.start, at))) {
    plan.edits.push({ range: { start: at, end: at }, newText: 'CGO_ENABLED=0 ' });
  }
}

function samePosition(
  a: { line: number; character: number },
  b: { line: number; character: number },
): boolean {
  return a.line === b.line && a.character === b.character;
}

/** Quotes a shell word if it needs it. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `RUN … go build` line that replaces a `go run` start command. */
export function goRunBuildLine(plan: Plan, target: Target, needsCgo: boolean): string | undefined {
  const goRun = target.goRun;
  if (!goRun) return undefined;
  const flags = goRun.flags.map(shellWord).join(' ');
  const packages = goRun.packages.length ? goRun.packages.map(shellWord).join(' ') : '.';
  const cgo = needsCgo ? '' : 'CGO_ENABLED=0 ';
  return `${plan.kw('RUN')} ${cgo}go build ${flags ? flags + ' ' : ''}-o ${target.builtPath} ${packages}`;
}

/**
 * The golang images the conversion keeps whose Go is older than go.mod's `go` line: the
 * original could not build the module with them either (facts/go-version-gap.ts). The build
 * stage keeps its image (a new Go is a decision of its own, go-version-older-than-go-mod's fix);
 * the notes say that the converted image fails as the original does, and how to fix it.
 */
export function goVersionNotes(plan: Plan): void {
  for (const gap of goVersionGaps(plan.model)) {
    const { base, version, required, severity, consequence, goModPath } = gap;
    const image = base.traced.value;
    const goPin = goPinFor(required) ?? { pin: required };
    const newImage =
      base.tagStart === undefined ? undefined : imageWithGo(base, version, goPin).image;
    const where = base.copy ? `the toolchain copied in from ${image}` : image;
    const outcome =
      severity === 'error'
        ? 'the converted image fails to build, as the original does'
        : 'the converted image builds with that older Go, as the original does';
    plan.notes.push(
      `The build keeps ${where} (line ${base.range.start.line + 1}), whose Go ${version} is ` +
        `older than ${goModPath ?? 'go.mod'}'s go ${required}: ${consequence} So ${outcome}` +
        (newImage ? `; use ${newImage.split('@')[0]} to fix it.` : '.'),
    );
  }
}
