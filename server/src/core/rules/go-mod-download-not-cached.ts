// Catches a Go build stage that copies the whole source before its first module download, with no
// go.mod/go.sum copied or bind-mounted first: every source change re-downloads every module.
// What is found (facts/module-download.ts) and the fix (edits/module-download.ts) are shared with
// the conversion, which adds the same download layer.
import { moduleDownloadFix } from '../edits/module-download';
import { commandLabel, goCommandLine } from '../facts/go-commands';
import { uncachedDownloads } from '../facts/module-download';
import { isWholeContext } from '../facts/module-sources';
import type { DockerfileModel } from '../model/model';
import type { Report, Rule } from './rule';

type MessageId = 'sourceBeforeGoMod';

export const goModDownloadNotCached: Rule<MessageId> = {
  meta: {
    id: 'go-mod-download-not-cached',
    description:
      'The whole source is copied before the first module download, without go.mod and go.sum first.',
    defaultSeverity: 'info',
    fixable: true,
    messages: {
      sourceBeforeGoMod:
        'Every source change downloads every module again: copy go.mod and go.sum first.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const found of uncachedDownloads(model)) {
      const { copy, command, modcache } = found;
      const plan = moduleDownloadFix(model, found);
      const sub = commandLabel(command);
      const source = copy.sources.find(isWholeContext)!.raw;
      const shown = `${copy.keyword} ${source} ${copy.destination!.raw}`;
      const detail =
        `\`${shown}\` copies the whole source before \`${sub}\` ` +
        `(line ${goCommandLine(model, command)}), and go.mod and go.sum were not copied first: ` +
        'any change to any file invalidates this layer, and the build downloads every module again. ' +
        'Copy go.mod and go.sum and run `go mod download` before copying the rest ' +
        `(or mount a cache for the module cache${modcache ? ` at ${modcache.path}` : ''}).` +
        (typeof plan === 'string' ? ` No automatic fix: ${plan}.` : '');
      report({
        range: copy.instruction.getRange(),
        messageId: 'sourceBeforeGoMod',
        detail,
        fixes: typeof plan === 'string' ? [] : [plan],
      });
    }
  },
};
