// Catches a HEALTHCHECK of a Go runtime image that calls a program the image lacks (curl on
// alpine, curl or wget on distroless/scratch, sh in exec form): the check fails, the container turns unhealthy.
import { insertAfter, instructionLine } from '../edits/insert-line';
import { goRuntime } from '../facts/go-runtime';
import { lacksShell } from '../facts/no-shell';
import type { DockerfileModel, Stage, StartCommand } from '../model/model';
import { parseScript, programName, shellCommandScript, type SimpleCommand } from '../model/shell';
import { baseImageText, programCandidates, stageChain, startProgram } from '../facts/start';
import { isRootUser, userSpec } from '../facts/users';
import type { Fix, Range } from '../types';
import { shortText, type Report, type Rule } from './rule';
import { isWindowsStage } from '../facts/windows';

// Shell builtins and keywords: never looked up as files.
const BUILTINS = new Set([
  'exit',
  'return',
  'true',
  'false',
  'test',
  '[',
  '[[',
  'echo',
  'printf',
  ':',
  'cd',
  'set',
  'export',
  'exec',
  'command',
  'eval',
  'read',
  'local',
  'source',
  '.',
  'trap',
  'wait',
  'pwd',
  'type',
  'ulimit',
  'umask',
  'shift',
]);

// alpine's programs are BusyBox applets, and the list the model knows is a common subset: only
// these, which alpine does not have without `apk add`, are reported there.
const NOT_IN_ALPINE = new Set(['curl', 'bash', 'jq']);

/** Whether a program is provably absent: nothing puts it there and the base is known without it. */
function missing(stage: Stage, program: string): boolean {
  if (program === '' || program.includes('$')) return false;
  const candidates = programCandidates(stage, program);
  if (candidates.length === 0) return false;
  const facts = stage.facts;
  if (!facts.hasFile) return false;
  if (
    facts.family === 'alpine' &&
    !NOT_IN_ALPINE.has(program.slice(program.lastIndexOf('/') + 1))
  ) {
    return false;
  }
  // Distroless :debug images put busybox on the PATH in /busybox.
  if (facts.family === 'distroless' && facts.hasShell && !program.includes('/')) return false;
  return candidates.every(
    (path) => stage.fs.lookup(path).presence === 'no' && !facts.hasFile?.(path),
  );
}

/** The first command of a script whose program is missing from the image. */
function missingInScript(stage: Stage, script: string): SimpleCommand | undefined {
  const parsed = parseScript(script);
  for (const command of parsed.commands) {
    const name = command.words[0]?.text;
    if (!name || BUILTINS.has(name)) continue;
    // Nested `sh -c '...'`: its own program is checked here, the inner script below.
    const inner = shellCommandScript(command);
    if (missing(stage, name)) return command;
    if (inner !== undefined) {
      const found = missingInScript(stage, inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** Range of a word inside the health check's command text (the whole command if not found). */
function wordRange(model: DockerfileModel, command: StartCommand, word: string): Range {
  const start = model.index.offsetAt(command.range.start);
  const end = model.index.offsetAt(command.range.end);
  const text = model.text.slice(start, end);
  const at = findWord(text, word);
  if (at < 0) return command.range;
  return model.index.rangeOf(start + at, start + at + word.length);
}

/** Where `word` stands alone in a command line: after a start or separator, before an end. */
function findWord(text: string, word: string): number {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    const before = i === 0 || /[\s"'(;&|]/.test(text[i - 1]);
    const after = i + word.length === text.length || /[\s"')]/.test(text[i + word.length]);
    if (before && after) return i;
  }
  return -1;
}

/** The user in force where a RUN would be inserted right after the stage's FROM. */
function rootAtFrom(stage: Stage): boolean {
  const inherited = stage.parent?.user;
  if (!inherited) return true;
  const spec = userSpec(inherited.instruction, inherited.value);
  return spec !== undefined && isRootUser(spec);
}

/** The path of the Go program the image starts (for the advice), or `/app`. */
function goProgramPath(stage: Stage, binaries: readonly { path: string }[]): string {
  const first = startProgram(stage)?.argv[0]?.text;
  if (first && first.startsWith('/') && binaries.some((b) => b.path === first)) return first;
  return binaries.length === 1 ? binaries[0].path : '/app';
}

function advice(stage: Stage, program: string, app: string): string {
  const name = programName({ text: program, dynamic: false, glob: false }) ?? program;
  const base = baseImageText(stage);
  if (stage.facts.family === 'alpine' && name === 'curl') {
    return (
      `${base} has BusyBox wget but not curl: install it (RUN apk add --no-cache curl) or call ` +
      'wget (wget -q --spider http://localhost:8080/healthz).'
    );
  }
  return (
    'Give the Go program a health-check mode (a subcommand or flag that requests its own ' +
    'endpoint and exits 0 or 1) and call it in exec form, for example HEALTHCHECK CMD ' +
    `[${JSON.stringify(app)}, "healthcheck"] once ${app} has it; or leave health checks to the ` +
    'orchestrator (Kubernetes ignores HEALTHCHECK).'
  );
}

type MessageId = 'missingProgram';

export const healthcheckNeedsShellOrTool: Rule<MessageId> = {
  meta: {
    id: 'healthcheck-needs-shell-or-tool',
    description:
      '`HEALTHCHECK` calls a program (curl, wget, a shell) that the Go runtime image does not have.',
    defaultSeverity: 'warning',
    fixable: true,
    perShippedStage: true,
    messages: {
      missingProgram:
        'HEALTHCHECK runs "{{program}}", which this image lacks: the container turns unhealthy.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    const stage = runtime?.stage;
    const command = stage?.healthcheck;
    // Windows images have neither /bin/sh nor these Linux packages to install.
    if (!stage || !command || isWindowsStage(model, stage)) return;
    let program: string | undefined;
    let range: Range | undefined;
    let shellNote = '';
    if (command.exec) {
      const argv = command.exec;
      if (argv.length === 0) return;
      if (missing(stage, argv[0].text)) {
        program = argv[0].text;
        range = argv[0].range;
      } else {
        // `["sh", "-c", "curl ..."]`: the shell exists, look at what it runs.
        const script = shellCommandScript({
          assignments: [],
          words: argv.map((w) => ({ text: w.text, dynamic: false, glob: false })),
          redirects: [],
          line: 0,
        });
        const found = script === undefined ? undefined : missingInScript(stage, script);
        if (found) {
          program = found.words[0].text;
          range = wordRange(model, command, program);
        }
      }
    } else {
      // Shell form on a base without /bin/sh is shell-form-without-shell's finding; this rule
      // adds one only when the command's own tool is missing too (exec form will not save it).
      const found = missingInScript(stage, command.shell ?? '');
      if (found) {
        program = found.words[0].text;
        range = wordRange(model, command, program);
        if (lacksShell(stage)) {
          shellNote =
            ' (The shell form also needs /bin/sh, which this image lacks: rewriting it to exec ' +
            'form does not make the program appear.)';
        }
      }
    }
    if (program === undefined || range === undefined) return;

    const own = stageChain(stage).find((s) => s.instructions.includes(command.instruction));
    const where = own && own !== stage ? ` (inherited from stage ${own.name ?? own.index})` : '';
    const fixes: Fix[] = [];
    const installCurl =
      stage.facts.family === 'alpine' &&
      programName({ text: program, dynamic: false, glob: false }) === 'curl' &&
      !program.includes('/') &&
      rootAtFrom(stage)
        ? insertAfter(model, stage.from, [instructionLine(model, 'RUN', 'apk add --no-cache curl')])
        : undefined;
    if (installCurl) {
      fixes.push({
        title: 'Install curl (RUN apk add --no-cache curl)',
        kind: 'quickfix',
        isPreferred: true,
        safe: false,
        edits: [installCurl],
      });
    }
    report({
      range,
      messageId: 'missingProgram',
      data: { program: shortText(program, 30) },
      detail:
        `HEALTHCHECK${where} runs "${program}", which is not in this image and no instruction ` +
        `adds: every check fails and the container is reported unhealthy.${shellNote} ` +
        advice(stage, program, goProgramPath(stage, runtime?.binaries ?? [])),
      fixes,
    });
  },
};
