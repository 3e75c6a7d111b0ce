// Catches `gcr.io/distroless/static` (or base, base-nossl, cc) without a `-debianNN` suffix: the
// Debian release under the Go binary then changes whenever distroless moves the unsuffixed name.
import { CURRENT_DEBIAN, parseImageReference, type ImageReference } from '../model/images';
import { sourceRange, traceBaseImage } from '../facts/base-image-trace';
import type { DockerfileModel, Stage } from '../model/model';
import { type Report, type Rule, shortImage } from './rule';
import { replaceRange } from '../edits/fixer';

// The distroless images a Go binary runs on; the language runtimes (java, python, nodejs) are
// not about Go.
const NAME = /^distroless\/(static|base-nossl|base|cc)(-debian\d+)?$/;

type MessageId = 'noRelease' | 'noReleaseDigest';

/**
 * The image a FROM names when only its tag or digest holds a variable without a value
 * (`gcr.io/distroless/static:nonroot-${ARCH}`): the Debian release is in the name, which is known.
 */
function repositoryOnly(model: DockerfileModel, stage: Stage): ImageReference | undefined {
  if (!stage.baseRange) return undefined;
  const written = model.index.textOf(stage.baseRange);
  const slash = written.lastIndexOf('/');
  const end = written.slice(slash + 1).search(/[:@]/);
  if (slash < 0 || end < 0) return undefined;
  const name = written.slice(0, slash + 1 + end);
  return name.includes('$') ? undefined : parseImageReference(name);
}

export const distrolessUnversionedDebian: Rule<MessageId> = {
  meta: {
    id: 'distroless-unversioned-debian',
    description: 'A distroless static/base/cc image without a `-debianNN` suffix.',
    defaultSeverity: 'info',
    fixable: true,
    scope: 'stage',
    messages: {
      noRelease: '{{image}} names no Debian release: its base changes under you.',
      noReleaseDigest:
        '{{image}} names no Debian release: the next digest update may bring another one.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      // Stages built on another stage share its image: the FROM that names it is reported.
      const base = stage.base ?? repositoryOnly(model, stage);
      if (stage.parent || !base || base.registry !== 'gcr.io' || !stage.baseRange) continue;
      const match = NAME.exec(base.repository);
      if (!match || match[2] !== undefined) continue;
      const flavor = match[1];
      // Shown as written when the FROM names the flavour itself: a variable in it
      // (`static:latest-$ARCH`) may differ from build to build, so its value from one build
      // (a Makefile's default) must not end up in the advice.
      const written = model.index.textOf(stage.baseRange);
      const name = `distroless/${flavor}`;
      const at = written.includes('$') ? written.indexOf(name) : -1;
      const suggested =
        at >= 0
          ? `${written.slice(0, at + name.length)}-${CURRENT_DEBIAN}${written.slice(at + name.length)}`
          : `gcr.io/distroless/${flavor}-${CURRENT_DEBIAN}${base.tag ? `:${base.tag}` : ''}`;
      const data = { image: shortImage(at >= 0 ? written : base.text) };
      const problem =
        'Distroless chooses which release the unsuffixed name points at and moves it to newer ' +
        'ones, so the libraries, CA bundle and tzdata under the binary change without the ' +
        'Dockerfile changing.';
      // A digest fixes the image until it is updated, to whatever the name then points at. No
      // fix: the old digest belongs to the old name, not to the -debianNN image.
      if (base.digest !== undefined) {
        report({
          range: stage.baseRange,
          messageId: 'noReleaseDigest',
          data,
          detail:
            `${problem} The digest pins it for now; when you next update it, use ` +
            `${suggested} with that image's digest (changing only the name would not match the digest).`,
        });
        continue;
      }
      // Insert the suffix right after the flavour, where it is written (the FROM line or the
      // default of the ARG that spells the image).
      const traced = traceBaseImage(model, stage);
      const flavorEnd = traced ? traced.value.indexOf(name) : -1;
      const insertAt =
        traced && flavorEnd >= 0
          ? sourceRange(model, traced, flavorEnd + name.length, flavorEnd + name.length)
          : undefined;
      report({
        range: stage.baseRange,
        messageId: 'noRelease',
        data,
        detail: `${problem} Name the release: ${suggested}.`,
        fixes: insertAt
          ? [
              {
                title: `Use ${suggested}`,
                kind: 'quickfix',
                isPreferred: true,
                edits: [replaceRange(insertAt, `-${CURRENT_DEBIAN}`)],
              },
            ]
          : [],
      });
    }
  },
};
