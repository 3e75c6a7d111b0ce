// Catches shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD in a stage whose base has no /bin/sh
// (scratch, distroless): Docker runs them through `/bin/sh -c`, so the container cannot start.
import { execFormEdit, formatExecForm, toExecForm } from '../edits/exec-form';
import type { DockerfileModel, StartCommand } from '../model/model';
import { lacksShell } from '../facts/no-shell';
import { baseImageText } from '../facts/start';
import { type Report, type Rule, shortImage } from './rule';
import { isWindowsStage } from '../facts/windows';

type MessageId = 'checkFails' | 'cannotStart';

export const shellFormWithoutShell: Rule<MessageId> = {
  meta: {
    id: 'shell-form-without-shell',
    description: 'Shell-form `CMD`/`ENTRYPOINT`/`HEALTHCHECK CMD` on a base without `/bin/sh`.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'stage',
    messages: {
      checkFails:
        'Shell-form {{instruction}} needs /bin/sh, which {{image}} lacks: the check always fails.',
      cannotStart:
        'Shell-form {{instruction}} needs /bin/sh, which {{image}} lacks: the container cannot start.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      // A Windows stage runs the shell form under cmd, not /bin/sh.
      if (!lacksShell(stage) || isWindowsStage(model, stage)) continue;
      const own = new Set(stage.instructions);
      const commands = [stage.cmd, stage.entrypoint, stage.healthcheck].filter(
        (c): c is StartCommand =>
          c !== undefined && c.shell !== undefined && own.has(c.instruction),
      );
      for (const command of commands) {
        const shellText = command.shell ?? '';
        const label = command.keyword === 'HEALTHCHECK' ? 'HEALTHCHECK CMD' : command.keyword;
        const message = {
          messageId: command.keyword === 'HEALTHCHECK' ? 'checkFails' : 'cannotStart',
          data: { instruction: label, image: shortImage(baseImageText(stage), 48) },
        } as const;
        const problem = `Shell-form ${label} runs through /bin/sh, and ${baseImageText(stage)} has no shell.`;
        const exec = toExecForm(shellText);
        if (exec.ok) {
          report({
            range: command.range,
            ...message,
            detail: `${problem} Use the exec form ${formatExecForm(exec.argv)}.`,
            fixes: [
              {
                title: `Rewrite ${label} to exec form`,
                kind: 'quickfix',
                isPreferred: true,
                safe: true,
                edits: [execFormEdit(command.range, exec.argv)],
              },
            ],
          });
        } else {
          report({
            range: command.range,
            ...message,
            detail:
              `${problem} It cannot be rewritten to exec form automatically because ${exec.reason}: ` +
              'move that logic into the program, or use a base that has a shell.',
          });
        }
      }
    }
  },
};
