// Catches a go build or go install with cgo off (CGO_ENABLED=0, or a golang alpine image without
// a C compiler) whose program needs cgo: go-sqlite3 turns into a stub, "C" files are left out.
import { CGO_STUB_MODULES, cgoNeed, type CgoNeed } from '../facts/cgo-need';
import { goAndSubcommandRange } from '../facts/go-platform';
import { baseImageText } from '../facts/start';
import { baseWithLibc } from '../model/images';
import { cgoState, type DockerfileModel, type GoCall, type Stage } from '../model/model';
import { type Report, type Rule, shortText } from './rule';

type MessageId = 'stub' | 'module' | 'importsC' | 'goModStub' | 'goModModule';

// Pure Go stand-ins for cgo-only modules, which build with cgo off.
const PURE_GO: ReadonlyMap<string, string> = new Map([
  ['github.com/mattn/go-sqlite3', 'modernc.org/sqlite (with gorm: github.com/glebarez/sqlite)'],
  ['github.com/DataDog/zstd', 'github.com/klauspost/compress/zstd'],
  ['github.com/valyala/gozstd', 'github.com/klauspost/compress/zstd'],
]);

/** Which message: what turns off, and how sure the evidence is. */
function messageOf(need: CgoNeed): MessageId {
  const stub = need.module !== undefined && CGO_STUB_MODULES.has(need.module);
  if (need.evidence === 'go.mod') return stub ? 'goModStub' : 'goModModule';
  if (need.module === undefined) return 'importsC';
  return stub ? 'stub' : 'module';
}

/** Why cgo is off for the command. */
function whyOff(builder: Stage, call: GoCall, explicit: boolean): string {
  if (!explicit) {
    return `${baseImageText(builder)} has no C compiler, and since Go 1.20 the go command turns cgo off when it finds none`;
  }
  return call.invocation.inlineNames.includes('CGO_ENABLED')
    ? 'the command sets CGO_ENABLED=0'
    : 'CGO_ENABLED=0 is set for this stage';
}

/** What happens to the binary built without cgo. */
function consequence(need: CgoNeed): string {
  if (need.module !== undefined && CGO_STUB_MODULES.has(need.module)) {
    return `Built without cgo, ${need.module} is a stub: every database it opens fails with "Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub".`;
  }
  if (need.module !== undefined) {
    return `Built without cgo, ${need.module} loses the files that import "C": the build fails on what they define.`;
  }
  return 'Without cgo, Go leaves out every file that imports "C": the build fails on what they define, or the program quietly lacks it.';
}

/** The two ways out: build with cgo (and ship on its C library), or do without the C code. */
function waysOut(builder: Stage, need: CgoNeed, explicit: boolean): string {
  const libc = builder.facts.libc;
  const cgoOn = explicit
    ? 'set CGO_ENABLED=1 instead of 0'
    : 'install a C compiler (apk add gcc musl-dev) and set CGO_ENABLED=1';
  const base =
    libc === 'glibc' || libc === 'musl'
      ? `a base with ${libc} such as ${baseWithLibc(libc)}`
      : 'a base with the C library of the build image';
  const pureGo = need.module !== undefined ? PURE_GO.get(need.module) : undefined;
  const without = pureGo
    ? `keep the static build and use ${pureGo} instead`
    : need.module !== undefined
      ? `keep the static build without ${need.module}`
      : 'keep the static build without the cgo code';
  return `Either ${cgoOn}, and ship the binary (then linked against the C library) on ${base}; or ${without}.`;
}

/** For go.mod evidence: what it does not show. */
function goModCaveat(need: CgoNeed): string {
  if (need.evidence !== 'go.mod') return '';
  return ` Only go.mod says so: the program's sources were not read (lint with the build context to read them), and the requirement may serve another program of the module or its tests.`;
}

export const cgoRequiredButDisabled: Rule<MessageId> = {
  meta: {
    id: 'cgo-required-but-disabled',
    description:
      'A go build or go install with cgo off whose program needs cgo (import "C", a cgo-only module such as go-sqlite3).',
    defaultSeverity: 'error',
    fixable: false,
    messages: {
      stub: '{{module}} needs cgo, which is off for this build: its driver is a stub that fails at run time.',
      module:
        '{{module}} builds only with cgo, which is off for this build: its C code is left out.',
      importsC: '{{file}} imports "C", but cgo is off for this build: Go leaves the file out.',
      goModStub:
        'go.mod requires {{module}}, which needs cgo, but cgo is off for this build: it would be a stub.',
      goModModule:
        'go.mod requires {{module}}, which builds only with cgo, but cgo is off for this build.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const builder of model.stages) {
      for (const call of builder.goCalls) {
        const sub = call.invocation.subcommand;
        if (sub !== 'build' && sub !== 'install') continue;
        const cgo = cgoState(builder, call);
        if (cgo.state !== 'off') continue;
        const need = cgoNeed(model, call);
        // Weak evidence (cgo optional, an indirect requirement, one the sources go against) is
        // not reported: a build that needs no cgo is the usual case.
        if (!need || need.weak) continue;
        const detail =
          `The program ${need.evidence === 'go.mod' ? 'may need' : 'needs'} cgo (${need.reason}), but ${whyOff(builder, call, cgo.explicit)}. ` +
          `${consequence(need)} ${waysOut(builder, need, cgo.explicit)}${goModCaveat(need)}`;
        report({
          range: goAndSubcommandRange(model, call),
          messageId: messageOf(need),
          data:
            need.module !== undefined
              ? { module: need.module }
              : { file: shortText(need.file ?? 'a file') },
          detail,
          severity: need.evidence === 'go.mod' ? 'warning' : 'error',
        });
      }
    }
  },
};
