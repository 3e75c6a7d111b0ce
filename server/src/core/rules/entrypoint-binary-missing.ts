// Catches a final ENTRYPOINT (or CMD) in exec form that runs a program the image does not
// contain: on scratch or distroless nothing but what you COPY exists, so the container fails.
// When the stage copied the whole build context and the context is unseen, a warning only if
// the Go binary of that name is elsewhere (the context may hold a file of that name).
// Also a whole command line written as one string (`CMD ["./main serve"]`): exec form runs the
// string as the program's name, blanks included.
import type { DockerfileModel, Stage } from '../model/model';
import type { Located } from '../model/types';
import { baseImageText, programCandidates, startProgram } from '../facts/start';
import { isPackageDirectory, onlyUnseenContextCouldHold } from '../facts/unseen-context';
import { basename } from '../text/posix-path';
import type { Fix } from '../types';
import { type Report, type Rule, shortText } from './rule';
import { oneBasedLine } from '../text/line-index';
import { replaceRange } from '../edits/fixer';
import { isWindowsStage } from '../facts/windows';

type MessageId = 'binaryElsewhere' | 'notInImage' | 'commandLineAsProgram';

/** The path `program` runs in the image when the stage surely holds it there. */
function presentProgram(stage: Stage, program: string): string | undefined {
  return programCandidates(stage, program).find(
    (path) => stage.fs.lookup(path).presence === 'yes' || stage.facts.hasFile?.(path) === true,
  );
}

/**
 * `["./main serve"]`: the first word of the string is a program the image has, the string itself
 * is not (or only a file of the unseen build context could be). The fix writes each word as its
 * own string, offered only where splitting at blanks is all the author can have meant (no quotes
 * or backslashes in the string; one with a variable is not looked at).
 */
function commandLineAsProgram(
  stage: Stage,
  program: Located,
): { first: string; path: string; unless: string; fixes: Fix[] } | undefined {
  const words = program.text.trim().split(/\s+/);
  if (words.length < 2) return undefined;
  const path = presentProgram(stage, words[0]);
  if (path === undefined) return undefined;
  // No file of that name, or one only a build context no one has seen could hold.
  let unless = '';
  for (const candidate of programCandidates(stage, program.text)) {
    const presence = stage.fs.lookup(candidate).presence;
    if (presence === 'no') continue;
    const unseen = presence === 'maybe' ? onlyUnseenContextCouldHold(stage, candidate) : undefined;
    if (!unseen) return undefined;
    const line = oneBasedLine(unseen.copy.instruction.getRange());
    unless = ` (unless the build context, copied in at line ${line}, holds a file ${unseen.contextPath})`;
  }
  const plain = !/["'\\`]/.test(program.text);
  const fixes: Fix[] = plain
    ? [
        {
          title: `Run ${words[0]} with ${words.length - 1} argument${words.length > 2 ? 's' : ''}`,
          kind: 'quickfix',
          isPreferred: true,
          // The words become arguments: the image then runs a command it never ran before.
          safe: false,
          edits: [replaceRange(program.range, words.map((w) => JSON.stringify(w)).join(', '))],
        },
      ]
    : [];
  return { first: words[0], path, unless, fixes };
}

/** Reports a command line written as one string; false when the program is not one. */
function reportCommandLine(
  stage: Stage,
  instruction: string,
  program: Located,
  report: Report<MessageId>,
): boolean {
  const line = commandLineAsProgram(stage, program);
  if (!line) return false;
  report({
    range: program.range,
    messageId: 'commandLineAsProgram',
    data: {
      instruction,
      program: shortText(program.text, 30),
      fullProgram: program.text,
      first: line.first,
      path: line.path,
      unless: line.unless,
    },
    fixes: line.fixes,
  });
  return true;
}

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
      commandLineAsProgram:
        '{{instruction}} runs a program named "{{program}}": exec form does not split words, so the container will not start.',
    },
    details: {
      binaryElsewhere:
        '{{instruction}} runs "{{fullProgram}}", but the Go binary is at {{fullPaths}}: unless the build context holds a file {{contextPath}} (copied in at line {{copyLine}}), the container fails with "no such file or directory".',
      notInImage:
        'No instruction puts it {{place}}{{base}}: the container fails with "no such file or directory".{{where}}',
      commandLineAsProgram:
        'The JSON form runs its first string as the program, blanks included: the image has {{first}} ({{path}}) but no "{{fullProgram}}"{{unless}}, so the container fails with "no such file or directory". Write each word as its own string.',
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
    const instruction = start.command.keyword;
    if (reportCommandLine(stage, instruction, { text: program.text, range: program.range }, report))
      return;
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
