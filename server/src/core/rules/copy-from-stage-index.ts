// Catches `COPY --from=<number>` and `RUN --mount=from=<number>`: a stage referred to by its
// position, which silently points at another stage once one is added or moved above it.
import { instructionArguments } from '../model/instruction-text';
import type { DockerfileModel, Stage } from '../model/model';
import { isGoBuildStage } from '../facts/start';
import { stageReferences, type StageReference } from '../facts/stage-references';
import type { Fix, TextEdit } from '../types';
import type { Report, Rule } from './rule';
import { insertAt, replaceRange } from '../edits/fixer';
import { keywordLike } from '../edits/instruction-edits';

// BuildKit accepts stage names that start with a letter and go on with letters, digits, `-`,
// `_` and `.`; it compares them case-insensitively.
const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;

/** A lowercase name for the stage from what it is: `build` for a Go build stage, else its image. */
function nameCandidates(stage: Stage): string[] {
  if (isGoBuildStage(stage)) return ['build', 'builder'];
  const repository = stage.base?.repository;
  const image = repository?.slice(repository.lastIndexOf('/') + 1).toLowerCase();
  const names: string[] = [];
  if (image && STAGE_NAME.test(image)) names.push(`${image}-stage`);
  names.push(`stage-${stage.index}`);
  return names;
}

/**
 * Fresh names for the unnamed stages that are referred to by index, distinct from each other and
 * from every name already in use: a stage's, or any word a `FROM`, `--from` or `from=` uses
 * (naming a stage `alpine` would turn a later `FROM alpine` or `COPY --from=alpine` into it).
 */
function freshNames(
  model: DockerfileModel,
  targets: readonly Stage[],
  references: readonly StageReference[],
): Map<Stage, string> {
  const taken = new Set<string>();
  for (const s of model.stages) if (s.name) taken.add(s.name.toLowerCase());
  for (const r of references) {
    taken.add(r.raw.toLowerCase());
    taken.add(r.value.toLowerCase());
  }
  const names = new Map<Stage, string>();
  for (const stage of targets) {
    const candidates = nameCandidates(stage);
    let name = candidates.find((c) => !taken.has(c));
    for (let n = 2; name === undefined; n++) {
      if (!taken.has(`${candidates[0]}-${n}`)) name = `${candidates[0]}-${n}`;
    }
    taken.add(name);
    names.set(stage, name);
  }
  return names;
}

function isIndex(reference: StageReference): boolean {
  return /^\d+$/.test(reference.raw);
}

/**
 * One fix per target stage: name it (when it has no name) and rewrite every index reference to
 * it, so a single application resolves all of them.
 */
function fixFor(
  model: DockerfileModel,
  target: Stage,
  references: readonly StageReference[],
  fresh: ReadonlyMap<Stage, string>,
): { fix?: Fix; name?: string } {
  const uses = references.filter((r) => r.kind !== 'from' && isIndex(r) && r.target === target);
  const edits: TextEdit[] = [];
  let name = target.name;
  if (name === undefined) {
    // Only `FROM [--platform=…] image` can take an `AS name` after the image; anything else
    // after it (a dangling `AS`) is left for the user to sort out.
    if (!target.baseRange || instructionArguments(target.from).length !== 1) return {};
    name = fresh.get(target);
    if (name === undefined) return {};
    const as = keywordLike(model, target.from, 'AS');
    edits.push(insertAt(target.baseRange.end, ` ${as} ${name}`));
  }
  for (const use of uses) edits.push(replaceRange(use.range, name));
  const title =
    target.name === undefined
      ? `Name stage ${target.index} "${name}" and refer to it by name`
      : `Refer to stage "${name}" by name`;
  return { fix: { title, kind: 'quickfix', isPreferred: true, safe: true, edits }, name };
}

type MessageId = 'byIndex';

export const copyFromStageIndex: Rule<MessageId> = {
  meta: {
    id: 'copy-from-stage-index',
    description: '`COPY --from` or `RUN --mount=from=` names a stage by its index.',
    defaultSeverity: 'info',
    fixable: true,
    messages: {
      byIndex: '{{reference}} names stage {{index}} (line {{line}}) by its position, not its name.',
    },
    details: {
      byIndex:
        'Adding or moving a stage above it makes it copy from a different stage without any error. {{advice}}',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const references = stageReferences(model);
    // An index that is not an earlier stage is copy-from-unknown-stage's finding.
    const findings = references.filter(
      (r): r is StageReference & { target: Stage } =>
        r.kind !== 'from' && isIndex(r) && r.target !== undefined && r.target.index < r.stage.index,
    );
    const unnamed = [...new Set(findings.map((r) => r.target))]
      .filter((s) => s.name === undefined)
      .sort((a, b) => a.index - b.index);
    const fresh = freshNames(model, unnamed, references);
    for (const reference of findings) {
      const target = reference.target;
      const written =
        reference.kind === 'copy' ? `--from=${reference.raw}` : `from=${reference.raw}`;
      const line = target.from.getRange().start.line + 1;
      const { fix, name } = fixFor(model, target, references, fresh);
      const advice =
        target.name !== undefined
          ? `Use its name, "${target.name}".`
          : name !== undefined
            ? `Name it (\`AS ${name}\`) and use the name.`
            : 'Name it with `AS <name>` and use the name.';
      report({
        range: reference.range,
        messageId: 'byIndex',
        data: { reference: written, index: target.index, line, advice },
        fixes: fix ? [fix] : [],
      });
    }
  },
};
