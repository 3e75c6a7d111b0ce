// Catches a final ENTRYPOINT (or CMD) in exec form that runs a program the image does not
// contain: on scratch or distroless nothing but what you COPY exists, so the container fails.
// When the stage copied the whole build context and the context is unseen, a warning only if
// the Go binary of that name is elsewhere (the context may hold a file of that name).
import type { DockerfileModel } from '../model/model';
import { baseImageText, programCandidates, startProgram } from '../facts/start';
import { isPackageDirectory, onlyUnseenContextCouldHold } from '../facts/unseen-context';
import { basename } from '../text/posix-path';
import type { Fix } from '../types';
import { type Report, type Rule, shortText } from './rule';
import { oneBasedLine } from '../text/line-index';
import { replaceRange } from '../edits/fixer';
import { isWindowsStage } from '../facts/windows';

type MessageId = 'binaryElsewhere' | 'notInImage';

export const entrypointBinaryMissing: Rule<MessageId> = {
  meta: {
    id: 'entrypoint-binary-missing',
    description: 'The final `ENTRYPOINT`/`CMD` runs a program that is not in the image.',
    defaultSeverity: 'warning',
    fixable: true,
    perShippedStage: true,
    messages: {
      binaryElsewhere: '{{instruction}} runs "{{program}}", but the Go binary is at {{paths}}.',
      notInImage:
        '{{instruction}} runs "{{program}}", which is not in the image: the container will not start.',
    },
    details: {
      binaryElsewhere:
        '{{instruction}} runs "{{fullProgram}}", but the Go binary is at {{fullPaths}}: unless the build context holds a file {{contextPath}} (copied in at line {{copyLine}}), the container fails with "no such file or directory".',
      notInImage:
        'No instruction puts it {{place}}{{base}}: the container fails with "no such file or directory".{{where}}',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const stage = model.finalStage;
    // Windows finds programs by its own rules (`.exe` added, the working directory searched).
    if (!stage || isWindowsStage(model, stage)) return;
    const start = startProgram(stage);
    if (!start || !start.exec) return;
    // A CMD is only the program when the base has no ENTRYPOINT of its own.
    if (start.command.keyword === 'CMD' && !stage.facts.noEntrypoint) return;
    const program = start.argv[0];
    if (!program.range || program.text === '' || program.text.includes('$')) return;
    const candidates = programCandidates(stage, program.text);
    if (candidates.length === 0) return;
    const name = basename(program.text);
    const binaries = stage.fs.goBinaries();
    const sameName = binaries.filter((b) => basename(b.path) === name);
    // A path (not a name looked up on the PATH) that only an unseen build context could hold,
    // while the Go binary of that name is elsewhere: most likely the wrong path.
    const [only] = candidates;
    const unseen =
      program.text.includes('/') &&
      sameName.length > 0 &&
      stage.fs.lookup(only).presence === 'maybe' &&
      !stage.facts.hasFile?.(only) &&
      !isPackageDirectory(stage, only)
        ? onlyUnseenContextCouldHold(stage, only)
        : undefined;
    if (!unseen) {
      for (const path of candidates) {
        const presence = stage.fs.lookup(path).presence;
        if (presence !== 'no') return;
        if (stage.facts.hasFile?.(path)) return;
      }
    }
    // Without knowledge of the base's content, only a Go binary of that name elsewhere is proof.
    if (!stage.facts.hasFile && sameName.length === 0) return;
    const choices = sameName.length > 0 ? sameName : binaries;
    const target = choices.length === 1 ? choices[0] : undefined;
    const fixes: Fix[] = target
      ? [
          {
            title: `Run ${target.path}`,
            kind: 'quickfix',
            isPreferred: true,
            safe: false, // Another program started: the base may hold the one named after all.
            edits: [replaceRange(program.range, JSON.stringify(target.path))],
          },
        ]
      : [];
    const where =
      choices.length > 0
        ? ` The Go binary is copied to ${choices.map((c) => `${c.path} (line ${oneBasedLine(c.entry.instruction.getRange())})`).join(', ')}.`
        : '';
    const place = program.text.includes('/')
      ? 'there'
      : `on the PATH (${candidates.map((c) => c.slice(0, -name.length - 1)).join(':')})`;
    const base = stage.facts.hasFile ? ` and ${baseImageText(stage)} does not have it` : '';
    const instruction = start.command.keyword;
    if (unseen) {
      const paths = sameName.map((c) => c.path).join(', ');
      const runs = { instruction, program: shortText(program.text, 30), fullProgram: program.text };
      const copyLine = oneBasedLine(unseen.copy.instruction.getRange());
      const binary = { paths: shortText(paths, 30), fullPaths: paths, copyLine };
      const data = { ...runs, ...binary, contextPath: unseen.contextPath };
      report({
        range: program.range,
        messageId: 'binaryElsewhere',
        data,
        severity: 'warning',
        fixes,
      });
      return;
    }
    report({
      range: program.range,
      messageId: 'notInImage',
      data: { instruction, program: shortText(program.text), place, base, where },
      fixes,
    });
  },
};
