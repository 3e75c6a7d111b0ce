// Catches shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD in a stage whose base has no /bin/sh
// (scratch, distroless): Docker runs them through `/bin/sh -c`, so the container cannot start.
import { formatExecForm, toExecForm } from '../edits/exec-form';
import type { DockerfileModel, StartCommand } from '../model/model';
import { lacksShell } from '../facts/no-shell';
import { baseImageText } from '../facts/start';
import { shortText, type Report, type Rule } from './rule';

export const shellFormWithoutShell: Rule = {
  meta: {
    id: 'shell-form-without-shell',
    description: 'Shell-form `CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD` on a base without `/bin/sh`.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'stage',
  },
  check(model: DockerfileModel, report: Report) {
    for (const stage of model.stages) {
      if (!lacksShell(stage)) continue;
      const own = new Set(stage.instructions);
      const commands = [stage.cmd, stage.entrypoint, stage.healthcheck].filter(
        (c): c is StartCommand =>
          c !== undefined && c.shell !== undefined && own.has(c.instruction),
      );
      for (const command of commands) {
        const shellText = command.shell ?? '';
        const label = command.keyword === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : command.keyword;
        const message =
          `Shell-form ${label} needs /bin/sh, which ${shortText(baseImageText(stage), 48)} lacks: ` +
          (command.keyword === 'HEALTHCHECK'
            ? 'the check always fails.'
            : 'the container cannot start.');
        const problem = `Shell-form ${label} runs through /bin/sh, and ${baseImageText(stage)} has no shell.`;
        const exec = toExecForm(shellText);
        if (exec.ok) {
          report({
            range: command.range,
            message,
            detail: `${problem} Use the exec form ${formatExecForm(exec.argv)}.`,
            fixes: [
              {
                title: `Rewrite ${label} to exec form`,
                kind: 'quickfix',
                isPreferred: true,
                safe: true,
                edits: [{ range: command.range, newText: formatExecForm(exec.argv) }],
              },
            ],
          });
        } else {
          report({
            range: command.range,
            message,
            detail:
              `${problem} It cannot be rewritten to exec form automatically because ${exec.reason}: ` +
              'move that logic into the program, or use a base that has a shell.',
          });
        }
      }
    }
  },
};
