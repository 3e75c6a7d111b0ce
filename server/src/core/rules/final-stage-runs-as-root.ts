// Catches the final stage of a Go image running as root: no USER on a base whose default user is
// root, or USER root/0. A Go server needs no privileges, so a compromise should not get root.
// Images whose job needs root (network and storage agents, host monitors) are left alone, and a
// program on a port below 1024 gets an information without a USER to add: the conversion keeps
// root for both, from the same facts (facts/root-needs.ts).
import type { Instruction } from 'dockerfile-ast';
import { insertAfter, insertBefore, instructionLine } from '../edits/insert-line';
import { goRuntime, isDelveImage, shipsGoAsPayload, startsOtherProgram } from '../facts/go-runtime';
import type { ImageFacts } from '../model/images';
import type { DockerfileModel, Stage } from '../model/model';
import { privilegedPorts, rootByDesign } from '../facts/root-needs';
import { baseImageText, runTarget, stageChain } from '../facts/start';
import {
  dataFolders,
  rootHomeSetup,
  runsFromRootHome,
  startsAsRootOnPurpose,
  startRootHomePath,
  startScriptHomeUse,
} from '../facts/user-switch';
import {
  createdUsers,
  isRootUser,
  userSpec,
  type CreatedUser,
  type UserSpec,
  createdLine,
} from '../facts/users';
import type { Fix, TextEdit } from '../types';
import { type Report, type Rule, shortText } from './rule';
import { oneBasedLine } from '../text/line-index';
import { keywordOf, onbuildTrigger } from '../model/instruction-view';
import { replaceRange } from '../edits/fixer';
import { isWindowsStage } from '../facts/windows';
import { isWithin } from '../text/posix-path';
import { describeWrites, runtimeListens, runtimeWrites } from '../facts/program-writes';

/** The non-root id the fixes use: distroless's `nonroot` user, also Chainguard's. */
const NON_ROOT = '65532:65532';

/** Bases known to start their containers as root when no USER says otherwise. */
function rootByDefault(facts: ImageFacts): boolean {
  if (facts.nonRoot) return false;
  switch (facts.family) {
    case 'scratch':
    case 'alpine':
    case 'busybox':
    case 'debian-like':
    case 'distroless':
      return true;
    case 'golang':
      // Windows variants run as ContainerUser/ContainerAdministrator, not uid 0.
      return facts.libc !== undefined;
    default:
      return false;
  }
}

/**
 * Where a USER line goes in the final stage: before the ENTRYPOINT/CMD that follows the stage's
 * last RUN and USER (RUN steps such as `apk add` keep running as root), else at the end.
 */
function userInsertion(model: DockerfileModel, stage: Stage, user: string): TextEdit | undefined {
  const line = instructionLine(model, 'USER', user);
  const instructions = stage.instructions;
  let after = -1;
  instructions.forEach((instruction, i) => {
    const keyword = keywordOf(instruction);
    if (keyword === 'RUN' || keyword === 'USER') after = i;
  });
  const anchor = instructions
    .slice(after + 1)
    .find((i) => keywordOf(i) === 'ENTRYPOINT' || keywordOf(i) === 'CMD');
  if (anchor) return insertBefore(model, anchor, [line]);
  // No start command of its own after those: append to the stage (it is the last one).
  return insertAfter(model, instructions[instructions.length - 1] ?? stage.from, [line]);
}

/** For a distroless base written in the final FROM: the same image with its nonroot tag. */
function nonrootTagFix(stage: Stage): Fix | undefined {
  if (stage.parent || !stage.base || !stage.baseRange || !stage.baseText) return undefined;
  // The stage's own RUNs (`RUN ["/busybox/ln", …]` into /bin) would run as nonroot too.
  if (stage.runs.length > 0) return undefined;
  if (stage.facts.family !== 'distroless' || stage.base.digest) return undefined;
  if (stage.baseText.includes('$')) return undefined;
  const tag = stage.base.tag;
  let next: string | undefined;
  if (tag === undefined || tag === 'latest') next = 'nonroot';
  else if (tag === 'debug') next = 'debug-nonroot';
  else if (/^latest-[a-z0-9]+$/.test(tag)) next = `nonroot-${tag.slice('latest-'.length)}`;
  else if (/^debug-[a-z0-9]+$/.test(tag)) next = `debug-nonroot-${tag.slice('debug-'.length)}`;
  if (next === undefined) return undefined;
  const text = stage.baseText;
  const image = tag === undefined ? text : text.slice(0, text.length - tag.length - 1);
  return {
    title: `Use ${image}:${next} (runs as nonroot, uid 65532)`,
    kind: 'quickfix',
    safe: false,
    edits: [replaceRange(stage.baseRange, `${image}:${next}`)],
  };
}

/** A port below 1024 needs root (outside Docker's default network) until the program moves. */
function lowPortNote(
  model: DockerfileModel,
  stage: Stage,
  listens: Parameters<typeof privilegedPorts>[2],
): string | undefined {
  const ports = privilegedPorts(model, stage, listens);
  if (ports.length === 0) return undefined;
  return (
    `which it needs to listen on port ${ports.map((p) => `${p.port} (${p.where})`).join(', ')} ` +
    "outside Docker's default network. To run it as non-root, move it to a port above 1023 " +
    '(or give the binary `cap_net_bind_service` with setcap) and add a USER.'
  );
}

/**
 * The user to switch to: an account the image creates for itself (its uid when known: the
 * passwd entry exists, so the number resolves to it); otherwise distroless's nonroot ids.
 */
function switchTarget(stage: Stage) {
  const created = createdUsers(stageChain(stage).reverse()).pop();
  const target = created
    ? created.uid !== undefined
      ? String(created.uid)
      : created.name
    : NON_ROOT;
  return { created, target };
}

/** The fix adding `USER target` (no edits when there is nowhere to put it). */
function addUserFix(model: DockerfileModel, stage: Stage, target: string, offered = true): Fix {
  const insertion = offered ? userInsertion(model, stage, target) : undefined;
  return {
    title: `Run as ${target} (USER ${target})`,
    kind: 'quickfix',
    isPreferred: true,
    // The program may need to write files owned by root, or bind a port below 1024.
    safe: false,
    edits: insertion ? [insertion] : [],
  };
}

/**
 * For a root USER: replace its value when it is the stage's own and nothing after it in the
 * stage needs root; otherwise add a USER.
 */
function rootUserFix(
  stage: Stage,
  spec: UserSpec,
  target: string,
  addUser: Fix,
  offered: boolean,
): Fix {
  if (!offered) return addUser;
  const own = stage.instructions.includes(spec.instruction);
  const index = stage.instructions.indexOf(spec.instruction);
  const runsAfter = own && stage.instructions.slice(index + 1).some((i) => keywordOf(i) === 'RUN');
  return own && !runsAfter ? { ...addUser, edits: [replaceRange(spec.range, target)] } : addUser;
}

/**
 * A fix that keeps the stages built on `stage` running as root, as they do now: the user it gives
 * `stage` would be theirs too, and a child's RUN may need root (a debug stage's `RUN go install`
 * fails as a uid whose HOME is /). Each child that does not start with a USER of its own gets
 * `USER root` after its FROM, so that only the finding's stage changes.
 */
function keepingChildrenRoot(model: DockerfileModel, stage: Stage, fix: Fix): Fix {
  if (fix.edits.length === 0) return fix;
  const edits: TextEdit[] = [];
  const names: string[] = [];
  for (const child of model.stages) {
    if (child.parent !== stage) continue;
    const first = child.instructions[0];
    if (first && keywordOf(first) === 'USER') continue;
    const edit = insertAfter(model, child.from, [instructionLine(model, 'USER', 'root')]);
    // A child whose FROM line cannot take a line after it: no fix, rather than one that changes it.
    if (!edit) return { ...fix, edits: [] };
    edits.push(edit);
    names.push(child.name ?? `${child.index}`);
  }
  if (edits.length === 0) return fix;
  const keeps = `stage${names.length > 1 ? 's' : ''} ${names.join(', ')} keep${names.length > 1 ? '' : 's'} root`;
  return { ...fix, title: `${fix.title}; ${keeps}`, edits: [...fix.edits, ...edits] };
}

type MessageId = 'rootUserForPort' | 'rootUser' | 'noUserForPort' | 'noUser';

export const finalStageRunsAsRoot: Rule<MessageId> = {
  meta: {
    id: 'final-stage-runs-as-root',
    description: 'The final stage of a Go image runs as root (no `USER`, or `USER root`/`0`).',
    defaultSeverity: 'warning',
    fixable: true,
    perShippedStage: true,
    messages: {
      rootUserForPort:
        '`USER {{user}}` (line {{line}}) runs the Go program as root, for its low port.',
      rootUser: '`USER {{user}}` (line {{line}}) makes the Go program run as root.',
      noUserForPort:
        'The Go program runs as root, which its port below 1024 needs: the final stage has no USER.',
      noUser: 'The Go program runs as root: the final stage has no USER.',
    },
    details: {
      rootUserForPort:
        '`USER {{fullUser}}` (line {{line}}){{where}} makes the Go program run as root, {{portNote}}',
      rootUser:
        'The user{{where}} is root, so whoever exploits the program controls the container. Run it as a non-root user instead (USER {{target}}). {{why}}',
      noUserForPort:
        'The final stage has no USER and {{base}} runs as root by default, so the Go program runs as root, {{portNote}}',
      noUser:
        '{{base}} runs as root by default.{{createdNote}} Add `USER {{target}}` before its ENTRYPOINT/CMD{{alternative}}. {{why}}',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    if (!runtime) return;
    const stage = runtime.stage;
    // Windows images run as ContainerUser or ContainerAdministrator: no uid to give.
    if (isWindowsStage(model, stage)) return;
    // Whether it runs as root at all comes first: the rest is read only for an image that does.
    const spec = stage.user ? userSpec(stage.user.instruction, stage.user.value) : undefined;
    if (stage.user ? !spec || spec.user.dynamic || !isRootUser(spec) : !rootByDefault(stage.facts))
      return;
    // Debug images (delve) are not what gets deployed; inits and privilege-dropping entrypoints
    // start as root by design.
    if (isDelveImage(stage) || startsAsRootOnPurpose(model, stage)) return;
    // A final stage that builds and runs its program on the toolchain image is reported by
    // go-toolchain-in-final-stage, whose conversion moves it to a distroless :nonroot runtime.
    if (runtime.toolchain && runTarget(stage)) return;
    // Tools that only root can use, host mounts, the Docker socket, documented --privileged: the
    // image runs as root by design, and a USER would break it.
    if (rootByDesign(model, stage)) return;
    // The container starts another program (sshd with a Go PAM helper, rpmbuild packaging the
    // binary): its user is that program's business.
    if (startsOtherProgram(model, runtime)) return;
    // Nor does a container that starts none of its Go programs, kept out of PATH as a payload.
    if (shipsGoAsPayload(runtime)) return;
    // The ports its Go sources listen on count with EXPOSE, as the conversion reads them.
    const portNote = lowPortNote(model, stage, runtimeListens(model, runtime));
    const { created, target } = switchTarget(stage);
    const createdNote = created
      ? ` The image creates the user ${created.name} (line ${createdLine(model, created)}) ` +
        'but never switches to it.'
      : '';
    const { offered, why } = switchAdvice(model, stage, created);
    const addUser = addUserFix(model, stage, target, offered);

    if (spec) {
      const own = stage.instructions.includes(spec.instruction);
      const where = own ? '' : ` (inherited from stage ${stageOf(model, spec.instruction)})`;
      const fix = keepingChildrenRoot(
        model,
        stage,
        rootUserFix(stage, spec, target, addUser, offered),
      );
      const fixes = fix.edits.length > 0 ? [fix] : [];
      if (portNote) {
        report({
          range: spec.range,
          messageId: 'rootUserForPort',
          data: {
            user: shortText(spec.raw),
            fullUser: spec.raw,
            line: oneBasedLine(spec.range),
            where,
            portNote,
          },
          severity: 'info',
        });
        return;
      }
      report({
        range: spec.range,
        messageId: 'rootUser',
        data: { user: shortText(spec.raw), line: oneBasedLine(spec.range), where, target, why },
        fixes,
      });
      return;
    }

    const base = baseImageText(stage);
    if (portNote) {
      report({
        range: stage.baseRange ?? stage.from.getRange(),
        messageId: 'noUserForPort',
        data: { base, portNote },
        severity: 'info',
      });
      return;
    }
    // The nonroot tag switches to the same uid as the USER line: not where that would break.
    const tagFix = created || !offered ? undefined : nonrootTagFix(stage);
    const alternative = tagFix ? `, or use the \`:nonroot\` variant of ${base}` : '';
    report({
      range: stage.baseRange ?? stage.from.getRange(),
      messageId: 'noUser',
      data: { base, createdNote, target, alternative, why },
      fixes: [addUser, tagFix]
        .filter((f): f is Fix => f !== undefined)
        .map((f) => keepingChildrenRoot(model, stage, f))
        .filter((f) => f.edits.length > 0),
    });
  },
};

/**
 * What the finding says about switching user, and whether the USER line is offered: not where
 * the switch alone would break the start.
 */
function switchAdvice(
  model: DockerfileModel,
  stage: Stage,
  created: CreatedUser | undefined,
): { offered: boolean; why: string } {
  // Root's home is closed to other users (mode 0700 on most bases): a program started from it
  // or working in it would not start as another user, so no USER line is offered alone.
  const rootHome = runsFromRootHome(stage);
  // A path in /root the start command or script hands the program is lost the same way.
  const rootPath = rootHome === undefined ? startRootHomePath(model, stage) : undefined;
  // A start script that uses its user's home fails as a uid without an account (HOME
  // is `/`), so the numeric user is not offered alone either.
  const scriptHome =
    created || stage.envAtEnd.has('HOME') ? undefined : startScriptHomeUse(model, stage);
  // A program that writes (its sources say where) fails as a user that owns nothing there.
  const runtime = created ? undefined : goRuntime(model);
  const writes = runtime?.stage === stage ? runtimeWrites(model, runtime) : undefined;
  // An ONBUILD RUN runs in the images built on this one, as its last USER.
  const trigger = stage.instructions.find((i) => onbuildTrigger(i) === 'RUN');
  const why =
    (created
      ? `Make sure the files the program writes are owned by ${created.name}.`
      : numericUserAdvice(model, stage)) +
    rootHomeAdvice(model, stage, created ? created.name : NON_ROOT) +
    (rootHome === undefined
      ? ''
      : ` The program ${rootHome} root's home (/root), which other users cannot enter: ` +
        'move it and the WORKDIR out of /root before switching user.') +
    (rootPath === undefined
      ? ''
      : ` ${rootPath.where[0].toUpperCase()}${rootPath.where.slice(1)} gives the program a path ` +
        `in root's home (\`${rootPath.path}\`), which other users cannot enter: move what it ` +
        'names out of /root (or mount it elsewhere) before switching user.') +
    (scriptHome === undefined
      ? ''
      : ` The start script ${scriptHome.path} uses its user's home (${scriptHome.what}): ` +
        `as ${NON_ROOT} with no account that is \`/\`, which it cannot write and where the ` +
        'image keeps nothing for it, so set ' +
        `\`ENV HOME\` to a folder ${NON_ROOT} owns along with the USER line.`) +
    (writes === undefined
      ? ''
      : ` The program ${describeWrites(writes).replace(/^it /, '')}: as ${NON_ROOT} it can ` +
        'write only in folders that user owns, so hand them over (`COPY --chown`, or `mkdir` ' +
        'and `chown` in a RUN) along with the USER line.') +
    (trigger === undefined
      ? ''
      : ` Its ONBUILD RUN (line ${oneBasedLine(trigger.getRange())}) runs in the images built ` +
        'on this one as that user: give it `ONBUILD USER root` before and the user back after.');
  return {
    offered:
      rootHome === undefined &&
      rootPath === undefined &&
      scriptHome === undefined &&
      writes === undefined &&
      trigger === undefined &&
      !pathsInRootHome(stage),
    why,
  };
}

/**
 * An ENV gives the program a path in root's home (`APP_CONFIG_FILE=/root/.app/config.yml`), which
 * other users cannot enter: a USER line alone would break it (rootHomeAdvice says what to move).
 */
function pathsInRootHome(stage: Stage): boolean {
  const home = stage.envAtEnd.get('HOME');
  if (home !== undefined && home !== '/root') return false;
  for (const [name, value] of stage.envAtEnd) {
    if (name !== 'PATH' && value !== null && !value.includes(':') && isWithin(value, '/root')) {
      return true;
    }
  }
  return false;
}

/** The advice on what root's home holds, for the user the program would run as. */
function rootHomeAdvice(model: DockerfileModel, stage: Stage, user: string): string {
  const setup = rootHomeSetup(model, stage);
  return setup.length === 0
    ? ''
    : ` This image keeps set-up in root's home, which ${user} cannot read: ${setup.join(', ')}. ` +
        "Redo it in that user's home (or set ENV HOME to a folder it owns).";
}

/** The advice on the files a program run as the numeric non-root user writes. */
function numericUserAdvice(model: DockerfileModel, stage: Stage): string {
  const folders = dataFolders(model, stage).map((f) => `\`${f}\``);
  const owned =
    folders.length === 0
      ? ''
      : ` As far as this Dockerfile shows, root owns ${folders.join(', ')} (a VOLUME, the ` +
        'HOME or a WORKDIR it makes), set up for the program: if it writes there, create ' +
        `${folders.length > 1 ? 'them' : 'it'} owned by ${NON_ROOT}, or it cannot.`;
  // A uid the image has no account for gets `/` as its HOME, which it cannot write to (`~/.app`,
  // os.UserHomeDir).
  const home = stage.envAtEnd.has('HOME')
    ? ''
    : ' Where the image has no account for that uid, its HOME is `/`: a program that keeps ' +
      'files under `~` then needs `ENV HOME` set to a folder it owns.';
  return (
    'A numeric uid:gid needs no account in /etc/passwd (so it works on scratch and distroless ' +
    'too) and lets Kubernetes `runAsNonRoot` verify it. Make sure the files the program writes ' +
    `are owned by that user (COPY --chown=${NON_ROOT}).${owned}${home}`
  );
}

/** The name (or index) of the stage an instruction belongs to. */
function stageOf(model: DockerfileModel, instruction: Instruction): string {
  const stage = model.stages.find((s) => s.instructions.includes(instruction));
  return stage ? (stage.name ?? String(stage.index)) : '?';
}
