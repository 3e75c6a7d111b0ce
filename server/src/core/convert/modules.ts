/**
 * The module download layer: when the stage that builds copies the whole source before any
 * go.mod, the conversion adds `COPY go.mod go.sum ./` and `RUN go mod download` before that COPY,
 * so a source change no longer downloads every module again. The insertion is the one
 * go-mod-download-not-cached offers (edits/module-download.ts), for the same cases
 * (facts/module-download.ts); its reasons to hold back apply here too: download settings,
 * private modules, local replacements, ... Only with the build context known, which shows that
 * go.mod (and go.sum) are there to copy.
 */
import { moduleDownloadFix } from '../edits/module-download';
import { uncachedDownloads } from '../facts/module-download';
import type { Plan } from './plan';
import type { Target } from './target';

export function addModuleDownload(plan: Plan, target: Target): void {
  const { model } = plan;
  // Without the build context, go.mod and go.sum may not be there to copy (GOPATH layouts,
  // `go build main.go`, a module without requirements has no go.sum): COPY would fail the build.
  if (!model.context) return;
  const building = new Set([plan.stage.index, target.call?.stageIndex]);
  for (const found of uncachedDownloads(model)) {
    if (!building.has(found.stage.index)) continue;
    const fix = moduleDownloadFix(model, found);
    if (typeof fix === 'string') continue;
    plan.edits.push(...fix.edits);
    plan.notes.push(
      'go.mod and go.sum are copied and the modules downloaded before the source, in a layer of their own that a source change does not invalidate.',
    );
  }
}
