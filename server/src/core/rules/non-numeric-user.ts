// Catches a final stage of a Go image that runs as a user given by name (`USER app`): Kubernetes
// `runAsNonRoot` cannot verify that a name is not root, so it refuses to start the container.
import { developmentImage } from '../facts/dev-image';
import { goRuntime, isDelveImage } from '../facts/go-runtime';
import type { DockerfileModel } from '../model/model';
import { baseImageText } from '../facts/start';
import {
  accountId,
  createdAccount,
  createdLine,
  isRootUser,
  unresolvedNamesInScratch,
  userSpec,
  numericUserFix,
} from '../facts/users';
import { type Report, type Rule, shortText } from './rule';
import { oneBasedLine } from '../text/line-index';
import { isWindowsStage } from '../facts/windows';

type MessageId = 'namedUser';

export const nonNumericUser: Rule<MessageId> = {
  meta: {
    id: 'non-numeric-user',
    description:
      'The final stage runs as a user given by name, which Kubernetes `runAsNonRoot` cannot verify.',
    defaultSeverity: 'hint',
    fixable: true,
    perShippedStage: true,
    messages: {
      namedUser: '`USER {{user}}` names the user: Kubernetes `runAsNonRoot` cannot verify it.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    if (!runtime) return;
    const stage = runtime.stage;
    if (!stage.user || isDelveImage(stage) || developmentImage(stage)) return;
    // Windows users (ContainerUser, ContainerAdministrator) have no numeric ids.
    if (isWindowsStage(model, stage)) return;
    const spec = userSpec(stage.user.instruction, stage.user.value);
    if (!spec || spec.user.dynamic || spec.user.numeric) return;
    // root is final-stage-runs-as-root's finding.
    if (isRootUser(spec)) return;
    // On scratch without /etc/passwd the container does not start at all: named-user-in-scratch.
    const unresolved = unresolvedNamesInScratch(stage, spec);
    if (unresolved.user || unresolved.group) return;

    const name = spec.user.text;
    const known = accountId(model, stage, name, 'users');
    const finding = { messageId: 'namedUser', data: { user: shortText(spec.raw, 30) } } as const;
    const head =
      `\`USER ${spec.raw}\` (line ${oneBasedLine(spec.range)}) names the user, so Kubernetes ` +
      '`runAsNonRoot` cannot verify that it is not root and refuses to start the container.';
    if (!known) {
      // Created with its uid from a variable (`adduser -u ${APP_UID} app`): the same variable.
      const created = createdAccount(stage, name, 'users');
      const variable = created?.uidVariable;
      let advice =
        `Give ${name} a fixed uid where it is created (\`adduser -u 10001 ${name}\`, ` +
        '`useradd --uid 10001 …`) and write `USER 10001`.';
      if (!created) {
        // Not made here: the account is the base image's, with the uid the base gave it.
        const base = baseImageText(stage);
        advice =
          `No RUN of this Dockerfile creates ${name}: it comes from ${base}. Write its uid ` +
          `there (\`docker run --rm --entrypoint id ${base} ${name}\` prints it): ` +
          '`USER <uid>`.';
      } else if (variable) {
        // The group part is kept as written (Kubernetes checks only the uid).
        const written = spec.group ? `${variable}:${spec.group.text}` : variable;
        advice =
          `${name} is created with the uid ${variable} on line ` +
          `${createdLine(model, created)}: write \`USER ${written}\` ` +
          `(with its \`ARG\` or \`ENV\` in this stage).`;
      }
      report({ range: spec.range, ...finding, detail: `${head} ${advice}` });
      return;
    }
    let replacement = String(known.id);
    let certain = known.certain;
    if (spec.group) {
      // The group part is kept as written unless its id is known too.
      const group =
        spec.group.numeric || spec.group.dynamic
          ? undefined
          : accountId(model, stage, spec.group.text, 'groups');
      certain &&= group === undefined || group.certain;
      replacement += `:${group?.id ?? spec.group.text}`;
    }
    // The runtime finds the same passwd entry by its uid (same groups and home), so the
    // image runs as the same account; an id from another stage may not be this image's.
    const fix = numericUserFix(spec, replacement, certain);
    report({
      range: spec.range,
      ...finding,
      detail: `${head} Use its uid: \`USER ${replacement}\` (${known.source}).`,
      fixes: [fix],
    });
  },
};
