// Catches `COPY --from=<stage> <src>` where the stage's Go build wrote its binary elsewhere: the
// build fails with "not found", usually after a rename of the output or of the WORKDIR. When
// the stage copied the whole build context and the context is unseen, a warning: it may hold it.
import { BASE_LAYOUT_DIRECTORIES, SYSTEM_WRITE_PREFIXES } from '../model/filesystem';
import type { CopySource, DockerfileModel, GoCall, Stage } from '../model/model';
import { goCallLinks } from '../facts/stage-tree';
import { isPackageDirectory, onlyUnseenContextCouldHold } from '../facts/unseen-context';
import { hasGlob } from '../text/glob';
import { basename, dirname, isWithin, join, resolve } from '../text/posix-path';
import type { Fix } from '../types';
import { type Report, type Rule, shortText } from './rule';
import { oneBasedLine } from '../text/line-index';
import { replaceRange } from '../edits/fixer';

interface Output {
  path: string;
  kind: 'file' | 'dir';
  names?: string[];
  call: GoCall;
}

/** The Go outputs of a stage and its parents, or undefined when some are not known. */
function knownOutputs(stage: Stage): Output[] | undefined {
  const outputs: Output[] = [];
  for (let link = goCallLinks(stage); link; link = link.next) {
    for (const call of link.items) {
      const output = call.output;
      if (output.kind === 'unknown') return undefined;
      if (output.kind === 'file') outputs.push({ path: output.path, kind: 'file', call });
      if (output.kind === 'dir')
        outputs.push({ path: output.path, kind: 'dir', names: output.names, call });
    }
  }
  return outputs.length > 0 ? outputs : undefined;
}

function produced(path: string, outputs: Output[]): boolean {
  return outputs.some(
    (o) =>
      o.path === path ||
      (o.kind === 'dir' && isWithin(path, o.path)) ||
      // Copying a directory that holds an output.
      isWithin(o.path, path),
  );
}

/**
 * The replacement text for a source argument in the instruction's form, or undefined when that
 * form cannot hold it (the shell form splits at blanks and keeps quotes as part of the path).
 */
function sourceReplacement(src: CopySource, path: string): string | undefined {
  if (src.json) return JSON.stringify(path);
  return /\s/.test(path) ? undefined : path;
}

type MessageId = 'mayBeMissing' | 'neverWritten';

export const copyFromMissingArtifact: Rule<MessageId> = {
  meta: {
    id: 'copy-from-missing-artifact',
    description: "`COPY --from` copies a path the stage's Go build never wrote.",
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      mayBeMissing: "Stage {{stage}}'s Go build does not write {{path}}: the build may fail here.",
      neverWritten: 'Stage {{stage}} never writes {{path}}: the build fails here.',
    },
    details: {
      mayBeMissing:
        'Stage {{stage}}\'s Go build writes {{described}}, not {{fullPath}}: unless the build context holds a file {{contextPath}} (copied in at line {{copyLine}}), the build fails with "{{fullPath}}: not found".',
      neverWritten:
        'Its Go build writes {{described}}; the COPY fails with "{{fullPath}}: not found".',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      for (const copy of stage.copies) {
        if (copy.from?.target.kind !== 'stage') continue;
        const source = copy.from.target.stage;
        const outputs = knownOutputs(source);
        if (!outputs) continue;
        for (const src of copy.sources) {
          if (src.text.includes('$') || hasGlob(src.text)) continue;
          const path = resolve('/', src.text);
          if (produced(path, outputs)) continue;
          const name = basename(path);
          // Confident cases only: the output's file name at another path, or a file in an
          // output's directory that nothing wrote.
          const sameName = outputs.filter(
            (o) =>
              (o.kind === 'file' && basename(o.path) === name) ||
              (o.kind === 'dir' && o.names?.includes(name)),
          );
          const sameDir = outputs.filter(
            (o) =>
              o.kind === 'file' &&
              dirname(o.path) === dirname(path) &&
              !BASE_LAYOUT_DIRECTORIES.has(path) &&
              !SYSTEM_WRITE_PREFIXES.some((p) => isWithin(dirname(path), p)),
          );
          if (sameName.length === 0 && sameDir.length === 0) continue;
          const notGo = (e: { origin: string }) => e.origin === 'go';
          const presence = source.fs.lookup(path, notGo).presence;
          // The binary's name in another directory, where only the unseen context could put a
          // file (`COPY . .` then `COPY --from=build /app/bin/server` for a build writing
          // /app/server): most likely the same mistake, but the context may hold such a file.
          const unseen =
            presence === 'maybe' && sameName.length > 0 && !isPackageDirectory(source, path)
              ? onlyUnseenContextCouldHold(source, path, notGo)
              : undefined;
          if (presence !== 'no' && !unseen) continue;
          const candidates = sameName.length > 0 ? sameName : sameDir;
          const target = candidates.length === 1 ? candidates[0] : undefined;
          const targetPath = target
            ? target.kind === 'file'
              ? target.path
              : join(target.path, name)
            : undefined;
          const described = candidates
            .map(
              (o) =>
                `${o.kind === 'file' ? o.path : o.path + '/'} (line ${oneBasedLine(o.call.instruction.getRange())})`,
            )
            .join(', ');
          const stageLabel = source.name !== undefined ? `"${source.name}"` : `${source.index}`;
          const replacement = targetPath && sourceReplacement(src, targetPath);
          const fixes: Fix[] = replacement
            ? [
                {
                  title: `Copy ${targetPath}`,
                  kind: 'quickfix',
                  isPreferred: true,
                  safe: false, // Another path read: the file may come from what the model cannot see.
                  edits: [replaceRange(src.range, replacement)],
                },
              ]
            : [];
          const data = { stage: stageLabel, path: shortText(path), fullPath: path, described };
          if (unseen) {
            const copyLine = oneBasedLine(unseen.copy.instruction.getRange());
            const where = { contextPath: unseen.contextPath, copyLine };
            const finding = { messageId: 'mayBeMissing', data: { ...data, ...where } } as const;
            report({ range: src.range, ...finding, severity: 'warning', fixes });
            continue;
          }
          report({ range: src.range, messageId: 'neverWritten', data, fixes });
        }
      }
    }
  },
};
