// Catches a Go binary built with cgo possible (so linked against the builder's C library) that
// is copied into a base with another C library or none: it fails with "no such file or directory".
import type { Instruction } from 'dockerfile-ast';
import type { Libc } from '../model/images';
import { baseWithLibc } from '../model/images';
import { linksStatically } from '../model/go-invocation';
import { commandOffsets } from '../model/command-words';
import {
  cgoState,
  type CopyInfo,
  type DockerfileModel,
  type GoCall,
  type Stage,
} from '../model/model';
import { isCarrier, mountedBuilds } from '../facts/carriers';
import { baseImageText } from '../facts/start';
import { CGO_STUB_MODULES, cgoNeed, type CgoNeed } from '../facts/cgo-need';
import { golangAlpineRelease } from '../facts/golang-bases';
import { lacksShell } from '../facts/no-shell';
import { oneBasedLine } from '../text/line-index';
import type { Fix, Range, Severity } from '../types';
import { type Report, type Rule, shortImage } from './rule';
import { insertBeforeCommand } from '../edits/command-edits';
import { insertAtStart } from '../edits/insert-line';
import { replaceBaseImage } from '../edits/instruction-edits';
import { isWindowsStage } from '../facts/windows';

const LIBC_NAMES: Record<Libc, string> = { glibc: 'glibc', musl: 'musl', none: 'no C library' };

interface Mismatch {
  call: GoCall;
  builder: Stage;
  runtime: Stage;
  /** The instruction that brings the binary in: a COPY, or a RUN that mounts it. */
  arrival: Range;
  mounted: boolean;
}

function severityFor(runtime: Stage): Severity {
  const facts = runtime.facts;
  const static_ =
    facts.family === 'scratch' ||
    facts.family === 'chainguard-static' ||
    (facts.family === 'distroless' && facts.distrolessFlavor === 'static');
  return static_ ? 'error' : 'warning';
}

/** The fix: `CGO_ENABLED=0 ` before the command, or an ENV line before an exec-form RUN. */
function disableCgoFix(model: DockerfileModel, call: GoCall): Fix | undefined {
  const run = call.run;
  if (run.exec) {
    return {
      title: 'Build with CGO_ENABLED=0 (a static binary)',
      kind: 'quickfix',
      isPreferred: true,
      safe: false,
      edits: [insertAtStart(model, run.instruction, ['ENV CGO_ENABLED=0'])],
    };
  }
  const edit = insertBeforeCommand(model, run, call.commandIndex, 'CGO_ENABLED=0 ');
  if (!edit) return undefined;
  return {
    title: 'Build with CGO_ENABLED=0 (a static binary)',
    kind: 'quickfix',
    isPreferred: true,
    safe: false,
    edits: [edit],
  };
}

/**
 * The base the base fix writes: distroless base for glibc; for musl, the Alpine release the
 * golang image's tag names (its musl and C libraries exactly), when it names one.
 */
function fixBase(builder: Stage, libc: Libc): string | undefined {
  if (libc === 'glibc') return baseWithLibc(libc);
  const release = libc === 'musl' ? golangAlpineRelease(builder) : undefined;
  return release ? `alpine:${release[0]}.${release[1]}` : undefined;
}

/**
 * The fix that runs the binary on a base with the builder's C library: the runtime stage's FROM
 * names it, when that stage runs nothing the old base provided (no RUN; no shell when the new
 * base has none and the old one had).
 */
function baseFix(builder: Stage, runtime: Stage, libc: Libc, preferred: boolean): Fix | undefined {
  const image = fixBase(builder, libc);
  // A runtime built on another stage (a carrier) keeps that stage's files: its FROM stays.
  if (!image || runtime.runs.length > 0 || runtime.parent) return undefined;
  if (libc === 'glibc' && !lacksShell(runtime)) return undefined;
  const edit = replaceBaseImage(runtime, image);
  if (!edit) return undefined;
  return {
    title: `Run it on ${image} (it has ${libc})`,
    kind: 'quickfix',
    isPreferred: preferred,
    // Another base image: its files, users and defaults come with it.
    safe: false,
    edits: [edit],
  };
}

/** What the detail says to do, knowing whether the program needs cgo. */
function advice(
  need: CgoNeed | undefined,
  explicit: boolean,
  builderLibc: Libc,
  fit: string,
): string {
  const base = `use a base with ${builderLibc} such as ${fit}.`;
  if (need && !need.weak) {
    const stub =
      need.module !== undefined && CGO_STUB_MODULES.has(need.module)
        ? `: ${need.module} would then be a stub that fails at run time`
        : '';
    return `The program needs cgo (${need.reason}), so CGO_ENABLED=0 is no way out${stub}; ${base}`;
  }
  return explicit
    ? `If the program needs cgo, ${base}`
    : `Set CGO_ENABLED=0, or if the program needs cgo, ${base}`;
}

type MessageId = 'otherLibc' | 'glibcCompat';

// Alpine packages that give a glibc-linked binary the loader and library names it asks for, on
// musl: enough for the C calls the Go runtime makes (the cgo resolver, user lookups).
const GLIBC_COMPAT = ['gcompat', 'libc6-compat'];

export const cgoLibcMismatch: Rule<MessageId> = {
  meta: {
    id: 'cgo-libc-mismatch',
    description:
      'A Go binary built with cgo possible is copied into a base with a different or no C library.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      otherLibc:
        'This binary links against {{builderLibc}}, but {{runtimeImage}} has {{runtimeLibc}}: it will not start.',
      glibcCompat:
        'This binary links C code against glibc; {{runtimeImage}} has musl with {{compat}}, which may not cover it.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const found = new Map<GoCall, Mismatch>();
    // The COPY --from=<stage> instructions, to find where a binary came into a stage (its own
    // COPY, or one of a stage it is built on).
    const copies = new Map<Instruction, { copy: CopyInfo; stage: Stage }>();
    for (const stage of model.stages) {
      for (const copy of stage.copies) {
        if (copy.from?.target.kind === 'stage') copies.set(copy.instruction, { copy, stage });
      }
    }
    const consider = (call: GoCall, runtime: Stage, arrival: Range, mounted: boolean) => {
      const runtimeLibc = runtime.facts.libc;
      const builder = model.stages[call.stageIndex];
      const builderLibc = builder.facts.libc;
      if (
        builderLibc === undefined ||
        builderLibc === 'none' ||
        builderLibc === runtimeLibc ||
        isWindowsStage(model, builder)
      )
        return;
      if (cgoState(builder, call).state !== 'on' || linksStatically(call.invocation)) return;
      // A musl C compiler (`CC=/usr/local/musl/bin/musl-gcc`, `CC=x86_64-linux-musl-gcc`) links
      // the binary against musl, not against the image's C library.
      if (muslCompiler(call)) return;
      const previous = found.get(call);
      if (!previous || severityFor(runtime) === 'error') {
        found.set(call, { call, builder, runtime, arrival, mounted });
      }
    };
    for (const runtime of model.stages) {
      const runtimeLibc = runtime.facts.libc;
      // Windows has no libc of these: a Windows runtime (or builder) is not compared.
      if (runtimeLibc === undefined || isWindowsStage(model, runtime)) continue;
      // A stage that only carries the binary to later stages is not where it runs.
      if (isCarrier(model, runtime)) continue;
      for (const { binary, entry } of runtime.fs.goBinaries()) {
        const copied = entry.origin === 'copy' ? copies.get(entry.instruction) : undefined;
        // Copied in a stage it is built on: that stage is the runtime, unless it only carries.
        if (!copied || (copied.stage !== runtime && !isCarrier(model, copied.stage))) continue;
        consider(binary.call as GoCall, runtime, copied.copy.instruction.getRange(), false);
      }
      // Or a RUN mounts it from the build stage (`RUN --mount=from=build,...`) and runs or
      // installs it there.
      for (const { run, call } of mountedBuilds(model, runtime)) {
        consider(call as GoCall, runtime, run.instruction.getRange(), true);
      }
    }
    for (const mismatch of found.values()) reportMismatch(model, mismatch, report);
  },
};

/** The build's C compiler (CC, inline or from ENV) is a musl one: musl-gcc, *-linux-musl*-gcc. */
function muslCompiler(call: GoCall): boolean {
  const cc = call.invocation.env.get('CC');
  return typeof cc === 'string' && /(?:^|[/\s])musl-(?:g?cc|clang)\b|-linux-musl/.test(cc);
}

/** Length of the command's first line (up to a line continuation or the end of the line). */
function lengthOfCommandHead(text: string, offset: number): number {
  let end = offset;
  while (
    end < text.length &&
    text[end] !== '\n' &&
    text[end] !== '\r' &&
    text[end] !== '&' &&
    text[end] !== ';'
  )
    end++;
  while (end > offset && /[\s\\]/.test(text[end - 1])) end--;
  return end - offset;
}

/** Reports one binary linked against the builder's C library and run on another. */
function reportMismatch(
  model: DockerfileModel,
  { call, builder, runtime, arrival, mounted }: Mismatch,
  report: Report<MessageId>,
): void {
  const builderLibc = builder.facts.libc as Libc;
  const runtimeLibc = runtime.facts.libc as Libc;
  const cgo = cgoState(builder, call);
  const why = cgo.explicit
    ? 'CGO_ENABLED=1 is set'
    : builder.facts.cgoByDefault
      ? `${baseImageText(builder)} ships gcc, so cgo is on unless CGO_ENABLED=0`
      : `a C compiler is installed in this stage, so cgo is on unless CGO_ENABLED=0`;
  const fit = baseWithLibc(builderLibc);
  const data = {
    builderLibc,
    runtimeImage: shortImage(baseImageText(runtime)),
    runtimeLibc: LIBC_NAMES[runtimeLibc],
  };
  const need = cgoNeed(model, call);
  const firm = need !== undefined && !need.weak;
  // A glibc compatibility package on Alpine runs what the Go runtime itself asks of the C
  // library; C code the program links (a cgo module) may use glibc symbols it lacks.
  const compat =
    builderLibc === 'glibc' && runtimeLibc === 'musl'
      ? GLIBC_COMPAT.find((p) => runtime.packages.has(p))
      : undefined;
  if (compat && !firm) return;
  const detail =
    `The go ${call.invocation.subcommand} links against ${builderLibc} (${why}), and the ` +
    `binary is ${mounted ? 'mounted into a RUN of' : 'copied into'} ${baseImageText(runtime)} ` +
    `(line ${oneBasedLine(arrival)}), where it ` +
    `fails to start with "no such file or directory". ` +
    advice(need, cgo.explicit, builderLibc, fit);
  // No CGO_ENABLED=0 where the program needs cgo: the binary would build, and then fail.
  const disable = cgo.explicit || firm ? undefined : disableCgoFix(model, call);
  const base = baseFix(builder, runtime, builderLibc, disable === undefined);
  const fixes = [disable, base].filter((f): f is Fix => f !== undefined);
  const offset = commandOffsets(model, call.run)[call.commandIndex];
  const range: Range =
    offset !== undefined && !call.run.exec
      ? model.index.rangeOf(offset, offset + lengthOfCommandHead(model.text, offset))
      : call.instruction.getRange();
  if (compat) {
    report({
      range,
      messageId: 'glibcCompat',
      data: { runtimeImage: data.runtimeImage, compat },
      detail:
        `The program needs cgo (${need!.reason}) and links against glibc, and ` +
        `${baseImageText(runtime)} (line ${oneBasedLine(arrival)}) has musl with ${compat}, ` +
        "which gives the binary glibc's loader and library names but not every glibc " +
        'symbol: C code built against glibc can fail to load ("symbol not found"). Run it on ' +
        `a base with glibc such as ${fit}, or build it on Alpine.`,
      severity: 'info',
      fixes: base ? [base] : [],
    });
    return;
  }
  report({
    range,
    messageId: 'otherLibc',
    data,
    detail,
    severity: severityFor(runtime),
    fixes,
  });
}
