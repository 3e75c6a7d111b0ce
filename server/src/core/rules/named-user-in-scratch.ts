// Catches `USER <name>` (or `USER <uid>:<group name>`) in a scratch-based final stage without
// /etc/passwd (/etc/group): names cannot be resolved, so the Go program's container never starts.
import { goRuntime } from '../facts/go-runtime';
import type { DockerfileModel } from '../model/model';
import { baseImageText } from '../facts/start';
import {
  CONVENTIONAL_IDS,
  declaredAccounts,
  unresolvedNamesInScratch,
  userSpec,
  type DeclaredAccounts,
  type UserPart,
  numericUserFix,
} from '../facts/users';
import { type Report, type Rule, shortText, shortImage } from './rule';
import { oneBasedLine } from '../text/line-index';
import { isWindowsStage } from '../facts/windows';

/** The id a name stands for, and whether that is certain (root, or created with that id here). */
function idOf(
  name: string,
  kind: 'users' | 'groups',
  accounts: DeclaredAccounts,
): { id: number; certain: boolean; source?: string } | undefined {
  if (name === 'root') return { id: 0, certain: true };
  const declared = accounts[kind].get(name);
  if (declared !== undefined) return { id: declared, certain: true, source: 'created' };
  // Only root's is certain without a passwd file.
  if (name in CONVENTIONAL_IDS) {
    return { id: CONVENTIONAL_IDS[name], certain: false, source: 'convention' };
  }
  return undefined;
}

type MessageId = 'unknownName' | 'unknownNames';

export const namedUserInScratch: Rule<MessageId> = {
  meta: {
    id: 'named-user-in-scratch',
    description:
      '`USER <name>` in a scratch final stage without /etc/passwd: the container cannot start.',
    defaultSeverity: 'error',
    fixable: true,
    perShippedStage: true,
    messages: {
      unknownName:
        '`USER {{user}}` names a {{kind}} that {{image}} does not know: the container will not start.',
      unknownNames:
        '`USER {{user}}` names a user and group that {{image}} does not know: the container will not start.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    if (!runtime || runtime.stage.facts.family !== 'scratch') return;
    const stage = runtime.stage;
    if (!stage.user || isWindowsStage(model, stage)) return;
    const spec = userSpec(stage.user.instruction, stage.user.value);
    if (!spec) return;
    // The runtime resolves names through the image's /etc/passwd and /etc/group; ids need neither.
    const unresolved = unresolvedNamesInScratch(stage, spec);
    const missingPasswd = unresolved.user;
    const missingGroup = unresolved.group;
    if (!missingPasswd && !missingGroup) return;

    const accounts = declaredAccounts(model);
    let certain = true;
    const notes: string[] = [];
    const numeric = (part: UserPart, kind: 'users' | 'groups', fallback: number): number => {
      if (part.numeric) return Number(part.text);
      const known = idOf(part.text, kind, accounts);
      if (known) {
        certain &&= known.certain;
        if (known.source === 'created') {
          notes.push(`${part.text} is created with id ${known.id} in the build`);
        }
        return known.id;
      }
      certain = false;
      return fallback;
    };
    const uid = numeric(spec.user, 'users', 65532);
    let gid: number | undefined;
    if (spec.group) gid = numeric(spec.group, 'groups', uid);
    else if (uid !== 0) {
      // Without a passwd entry the group would be 0 (root's group): name one explicitly.
      gid = accounts.groups.get(spec.user.text) ?? uid;
      certain = false;
    }
    const replacement = gid === undefined ? String(uid) : `${uid}:${gid}`;

    const missing = [
      missingPasswd ? `user "${spec.user.text}"` : undefined,
      missingGroup ? `group "${spec.group?.text}"` : undefined,
    ].filter((m): m is string => m !== undefined);
    const files = [
      missingPasswd ? '/etc/passwd' : undefined,
      missingGroup ? '/etc/group' : undefined,
    ]
      .filter((f): f is string => f !== undefined)
      .join(' and ');
    const error = missingPasswd
      ? `unable to find user ${spec.user.text}: no matching entries in passwd file`
      : `unable to find group ${spec.group?.text}: no matching entries in group file`;
    // root is uid 0 and an account created here has its id: the same user, only spelled
    // numerically. Otherwise the id is a choice the file's owner should make.
    const fix = numericUserFix(spec, replacement, certain);
    report({
      range: spec.range,
      messageId: missing.length > 1 ? 'unknownNames' : 'unknownName',
      data: {
        user: shortText(spec.raw, 30),
        kind: missing[0].split(' ')[0],
        image: shortImage(baseImageText(stage), 30),
      },
      detail:
        `\`USER ${spec.raw}\` (line ${oneBasedLine(spec.range)}) names the ${missing.join(' and ')}, but ` +
        `${baseImageText(stage)} has no ${files} and none is copied in: the container fails to ` +
        `start with "${error}". Use numeric ids (USER ${replacement}` +
        (notes.length > 0 ? `: ${notes.join(', ')}` : certain ? '' : ', or the ids you intend') +
        `), or copy ${files} from the build stage.`,
      fixes: [fix],
    });
  },
};
