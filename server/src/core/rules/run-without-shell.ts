// Catches a shell-form RUN in a stage whose base has no /bin/sh (scratch, distroless, Chainguard
// static): Docker runs it as `/bin/sh -c …`, so the build stops at that step.
import { execFormEdit, formatExecForm, toExecForm } from '../edits/exec-form';
import { heredocsOf, instructionArguments } from '../model/instruction-text';
import type { DockerfileModel, RunInfo, Stage } from '../model/model';
import { programName } from '../model/shell';
import { lacksShellAt, startOf } from '../facts/no-shell';
import { baseImageText, programCandidates } from '../facts/start';
import { isAbsolute, resolve } from '../text/posix-path';
import type { Fix, Range } from '../types';
import { shortText, type Report, type Rule, shortImage } from './rule';
import { isWindowsStage } from '../facts/windows';

/** What to do instead, by the first program the RUN calls. */
function advice(program: string | undefined): string {
  switch (program) {
    case 'chmod':
    case 'chown':
      return 'Set the mode or owner as the file is copied (`COPY --chmod=755`, `COPY --chown=65532:65532`), or change it in the build stage before copying.';
    case 'mkdir':
      return 'Create the directory in the build stage and COPY it, or let WORKDIR create it.';
    case 'apk':
    case 'apt-get':
    case 'apt':
    case 'yum':
    case 'dnf':
    case 'microdnf':
      return 'The image has no package manager either: install what you need in the build stage and COPY the files, or use a base that has one (alpine).';
    case 'adduser':
    case 'useradd':
    case 'addgroup':
    case 'groupadd':
      return 'Use a numeric user instead (`USER 65532:65532`; distroless `:nonroot` tags already run as it), or create the user in the build stage and COPY /etc/passwd and /etc/group.';
    case 'update-ca-certificates':
      return 'COPY /etc/ssl/certs/ca-certificates.crt from the build stage instead.';
    default:
      return 'Do this work in the build stage and COPY the result, or base this stage on an image that has a shell (alpine).';
  }
}

/** Where the RUN's command is written: from its first argument after the flags to its end. */
function commandRange(run: RunInfo): Range {
  const args = instructionArguments(run.instruction);
  const start = args[0]?.getRange().start ?? run.instruction.getRange().start;
  return { start, end: run.instruction.getRange().end };
}

/**
 * The exec form, when the command has no shell syntax and runs a program the stage holds at that
 * point (a Go binary copied in): then the RUN works without a shell and does the same thing.
 */
function execFix(model: DockerfileModel, stage: Stage, run: RunInfo, before: number) {
  if (run.heredoc || run.script === undefined) return undefined;
  const exec = toExecForm(run.script);
  if (!exec.ok) return undefined;
  const program = exec.argv[0];
  const candidates = isAbsolute(program)
    ? [resolve('/', program)]
    : program.includes('/')
      ? run.cwd === undefined
        ? []
        : [resolve(run.cwd, program)]
      : programCandidates(stage, program);
  const exists = candidates.some((path) => {
    const found = stage.fs.lookup(path, (entry) => startOf(model, entry.instruction) >= before);
    return found.presence === 'yes' && found.entry?.kind === 'file' && found.entry.path === path;
  });
  return exists ? exec.argv : undefined;
}

type MessageId = 'noShell' | 'noInterpreter';

export const runWithoutShell: Rule<MessageId> = {
  meta: {
    id: 'run-without-shell',
    description: 'Shell-form `RUN` in a stage whose base has no `/bin/sh`.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'stage',
    messages: {
      noShell: 'This shell-form RUN needs /bin/sh, which {{image}} lacks: the build fails here.',
      noInterpreter: 'This RUN needs {{shell}}, which {{image}} lacks: the build fails here.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      // A Windows stage runs RUN under cmd, not /bin/sh.
      if (stage.hasShell !== false || isWindowsStage(model, stage)) continue;
      for (const run of stage.runs) {
        if (run.exec) continue;
        const before = startOf(model, run.instruction);
        // `RUN <<EOF` whose body starts with `#!` is run as a script by that interpreter.
        let shell = '/bin/sh';
        const heredoc = run.heredoc ? heredocsOf(run.instruction, model.index)[0] : undefined;
        const wholeScript = heredoc && (run.script === undefined || run.script === heredoc.body);
        if (wholeScript && heredoc.body.startsWith('#!')) {
          shell = heredoc.body.slice(2).trimStart().split(/\s/)[0] ?? '';
        }
        if (!lacksShellAt(model, stage, before, shell)) continue;
        const image = baseImageText(stage);
        const range = commandRange(run);
        const message = {
          messageId: shell === '/bin/sh' ? 'noShell' : 'noInterpreter',
          data: { shell: shortText(shell, 20), image: shortImage(image, 48) },
        } as const;
        const problem =
          shell === '/bin/sh'
            ? `Shell-form RUN runs through /bin/sh, and ${image} has no shell: the build fails ` +
              `here (exec: "/bin/sh": stat /bin/sh: no such file or directory).`
            : `This RUN's script runs with ${shell}, which ${image} does not have.`;
        const argv = shell === '/bin/sh' ? execFix(model, stage, run, before) : undefined;
        if (argv) {
          const fix: Fix = {
            title: 'Rewrite RUN to exec form',
            kind: 'quickfix',
            isPreferred: true,
            safe: true,
            edits: [execFormEdit(range, argv)],
          };
          report({
            range,
            ...message,
            detail: `${problem} ${argv[0]} is in the image, so the exec form ${formatExecForm(argv)} runs it without a shell.`,
            fixes: [fix],
          });
          continue;
        }
        const first = run.commands.find((c) => c.words.length > 0);
        report({
          range,
          ...message,
          detail: `${problem} ${advice(programName(first?.words[0]))}`,
        });
      }
    }
  },
};
