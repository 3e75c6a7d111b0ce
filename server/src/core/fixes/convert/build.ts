/**
 * The build side of the conversion: keep cgo only where the build asks for it (and pick a
 * runtime with the matching C library), otherwise add `CGO_ENABLED=0`; make the build write its
 * binary to `/out/<name>`; add a `go build` when the image ran `go run`.
 */
import { flagValue } from '../../model/go-command';
import { commandOffsets } from '../../model/command-words';
import { cgoState, cgoStateFor, type GoCall } from '../../model/model';
import { basename } from '../../text/posix-path';
import {
  keywordOf,
  Refusal,
  runtimeWithLibc,
  RUNTIME_KEYWORDS,
  userBefore,
  type Plan,
} from './plan';
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

/** Decides cgo: kept (and the runtime switched to a matching C library) only when required. */
export function decideCgo(plan: Plan, target: Target): { needsCgo: boolean } {
  const call = target.call;
  if (!call) return { needsCgo: target.builtBy ? decideToolLinking(plan, target) : false };
  const builder = plan.model.stages[call.stageIndex];
  const builderLibc = builder.facts.libc;
  const cgo = cgoState(builder, call);
  if (cgo.explicit && cgo.state === 'unknown') {
    throw new Refusal(
      'CGO_ENABLED is set from a variable, so which runtime libc the binary needs cannot be known.',
    );
  }
  // C library headers (`libsqlite3-dev`) serve only cgo code: with cgo on by default, turning
  // it off would break the build or, worse, a driver that needs cgo at run time.
  const headers =
    !cgo.explicit && cgo.state === 'on'
      ? [...builder.packages].filter((p) => /-(dev|devel)$/.test(p) && !NOT_CGO_HEADERS.has(p))
      : [];
  const needsCgo = (cgo.explicit && cgo.state === 'on') || headers.length > 0;
  const cause =
    headers.length > 0
      ? `the image installs ${headers.join(', ')}, C headers only cgo code uses`
      : 'the build sets CGO_ENABLED=1';
  if (needsCgo && !(builderLibc !== undefined && plan.runtime.libc === builderLibc)) {
    if (plan.explicitRuntime) {
      throw new Refusal(
        `${cause}, so the binary needs ${builderLibc ?? 'a C library'}, which ${plan.runtimeImage} does not have.`,
      );
    }
    const image = runtimeWithLibc(builderLibc);
    plan.switchRuntime(
      image,
      `cgo is kept because ${cause}, and the runtime is ${image}, which has ${builderLibc}.`,
      [
        headers.length > 0
          ? `cgo stays on (${headers.join(', ')}): the binary needs ${builderLibc}, which this base has.`
          : `CGO_ENABLED=1: the binary needs ${builderLibc}, which this base has.`,
        'Shared libraries installed in the build stage are not here: copy or install the ones',
        'the binary loads.',
      ],
    );
  }
  return { needsCgo };
}

/**
 * A binary written by `make` or a script may use cgo, which the build description decides: when
 * cgo is on in the builder, the runtime gets the builder's C library in case the binary links it.
 */
function decideToolLinking(plan: Plan, target: Target): boolean {
  const { tool, run } = target.builtBy!;
  const cgo = cgoStateFor(plan.stage, run.env.get('CGO_ENABLED'));
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
    `The runtime is ${image} because ${why}; with CGO_ENABLED=0 for the build, a static runtime would do.`,
    [`${why}: this base has it.`],
  );
  return true;
}

/**
 * Edits the build: `CGO_ENABLED=0` unless cgo is needed, output to `/out/<name>` where that is
 * safe. Returns where the binary then is.
 */
export function editBuild(plan: Plan, target: Target, needsCgo: boolean): string {
  const call = target.call;
  if (!call) return target.builtPath;
  const { model } = plan;
  const index = model.index;
  const located = locateBuild(plan, call);
  const addCgo = !needsCgo && cgoState(model.stages[call.stageIndex], call).state !== 'off';
  if (addCgo) {
    if (call.run.exec) {
      const start = call.run.instruction.getRange().start;
      plan.edits.push({
        range: { start, end: start },
        newText: `${plan.kw('ENV')} CGO_ENABLED=0${plan.eol}`,
      });
    } else if (located) {
      const at = index.positionAt(located.commandStart);
      plan.edits.push({ range: { start: at, end: at }, newText: 'CGO_ENABLED=0 ' });
    } else {
      throw new Refusal(
        'the go build command could not be located in the RUN instruction to add CGO_ENABLED=0.',
      );
    }
    plan.notes.push('CGO_ENABLED=0 makes the binary static, so it runs without a C library.');
  }
  let builtPath = target.builtPath;
  const stage = model.stages[call.stageIndex];
  const name = basename(builtPath);
  // The output path is kept when later commands of the RUN (`&& chmod +x app`) or later
  // instructions use it, or when a non-root user builds (it could not create /out).
  const usedLater =
    call.run.commands
      .slice(call.commandIndex + 1)
      .some(
        (c) =>
          c.words.some((w) => w.text.includes(name)) ||
          c.redirects.some((r) => r.target?.text.includes(name)),
      ) ||
    stage.instructions
      .filter((i) => i.getRange().start.line > call.instruction.getRange().end.line)
      .some((i) => !RUNTIME_KEYWORDS.has(keywordOf(i)) && plan.text(i).includes(name));
  const user = userBefore(stage, call.instruction);
  const rootBuild = user === undefined || /^(root|0)(:|$)/.test(user);
  if (
    call.invocation.subcommand === 'build' &&
    located &&
    !usedLater &&
    rootBuild &&
    !target.copiedFrom &&
    !builtPath.startsWith('/out/')
  ) {
    // Several packages (or a pattern) go into a directory: /out/ then, not a file.
    const packages = call.invocation.packages;
    const several =
      call.output.kind === 'dir' &&
      (packages.length > 1 || packages.some((p) => p.text.includes('...')));
    const newPath = `/out/${target.binaryName}`;
    const written = several ? '/out/' : newPath;
    if (located.output) {
      plan.edits.push({
        range: index.rangeOf(located.output.start, located.output.end),
        newText: written,
      });
    } else {
      const at = index.positionAt(located.subEnd);
      plan.edits.push({ range: { start: at, end: at }, newText: ` -o ${written}` });
    }
    builtPath = newPath;
  }
  return builtPath;
}

/** Quotes a shell word if it needs it. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The `RUN … go build` line that replaces a `go run` start command. */
export function goRunBuildLine(plan: Plan, target: Target): string | undefined {
  const goRun = target.goRun;
  if (!goRun) return undefined;
  const flags = goRun.flags.map(shellWord).join(' ');
  const packages = goRun.packages.length ? goRun.packages.map(shellWord).join(' ') : '.';
  return `${plan.kw('RUN')} CGO_ENABLED=0 go build ${flags ? flags + ' ' : ''}-o ${target.builtPath} ${packages}`;
}
