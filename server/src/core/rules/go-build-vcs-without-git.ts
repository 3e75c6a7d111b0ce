// Catches a go build that must stamp version-control information from a copied .git in a golang
// alpine stage without git: the build fails with "error obtaining VCS status".
import { insertAfter, replaceWords } from '../edits/command-edits';
import { contextGit, type ContextGit, type GitLink } from '../facts/context-git';
import {
  compareStageGoVersion,
  effectiveFlag,
  flagArgIndices,
  goCommandRange,
  goCommands,
  goflagsKnown,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import { isGoFileArgument } from '../facts/program-sources';
import {
  contextBind,
  fromContext,
  isWholeContext,
  mayBeInModule,
  moduleMode,
  mountsOf,
} from '../facts/module-sources';
import type { DockerfileModel, Stage } from '../model/model';
import { programName, type SimpleCommand } from '../model/shell';
import { copyLinks, rootStage, runLinks } from '../facts/stage-tree';
import { baseImageText } from '../facts/start';
import { basename, isAbsolute, isWithin } from '../text/posix-path';
import type { Fix } from '../types';
import { type Report, type Rule, shortImage } from './rule';
import { zeroBasedLine } from '../text/line-index';

const PACKAGE_MANAGERS = new Set(['apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf']);

// Commands that put a file in place: `mv /git-dist/bin/git /bin/` after building git from source.
const FILE_MOVERS = new Set(['mv', 'cp', 'install', 'ln']);

function installsGit(command: SimpleCommand): boolean {
  const program = programName(command.words[0]) ?? '';
  const words = command.words.map((w) => w.text);
  if (FILE_MOVERS.has(program)) return words.slice(1).some((w) => basename(w) === 'git');
  if (!PACKAGE_MANAGERS.has(program)) return false;
  if (!words.includes('add') && !words.includes('install')) return false;
  return words.some((w) => w === 'git' || w.startsWith('git='));
}

/** git is installed in the stage (or a parent) before the go command runs, or copied in. */
function gitBefore(stage: Stage, command: GoCommand): boolean {
  const line = zeroBasedLine(command.run.instruction);
  for (let link = copyLinks(stage); link; link = link.next) {
    for (const copy of link.items) {
      if (zeroBasedLine(copy.instruction) > line) continue;
      if (copy.sources.some((source) => basename(source.text) === 'git')) return true;
    }
  }
  for (let link = runLinks(stage); link; link = link.next) {
    for (const run of link.items) {
      const runLine = zeroBasedLine(run.instruction);
      if (runLine > line) continue;
      const commands =
        run === command.run ? run.commands.slice(0, command.commandIndex) : run.commands;
      if (commands.some(installsGit)) return true;
    }
  }
  return false;
}

/** A context folder's place in the image, as seen from `cwd`: `''` for the folder itself. */
function relativeTo(cwd: string, folder: string): string | undefined {
  if (!isWithin(cwd, folder)) return undefined;
  if (cwd === folder) return '';
  return cwd.slice(folder === '/' ? 1 : folder.length + 1);
}

/**
 * The context folder the command runs in, when the whole build context lies at or above its
 * directory (copied or bind-mounted): cmd/go looks for `.git` from there up.
 */
function contextDirOf(stage: Stage, command: GoCommand): string | undefined {
  const cwd = command.invocation.cwd;
  if (cwd === undefined) return undefined;
  const line = zeroBasedLine(command.run.instruction);
  for (let link = copyLinks(stage); link; link = link.next) {
    for (const copy of link.items) {
      if (zeroBasedLine(copy.instruction) >= line || !fromContext(copy)) continue;
      const destination = copy.destination?.path;
      if (!destination || !copy.sources.some(isWholeContext)) continue;
      const dir = relativeTo(cwd, destination);
      if (dir !== undefined) return dir;
    }
  }
  for (const mount of mountsOf(command.run)) {
    if (contextBind(mount) !== 'whole' || mount.target === undefined) continue;
    const dir = relativeTo(cwd, mount.target);
    if (dir !== undefined) return dir;
  }
  return undefined;
}

/** The fix: `-buildvcs=false`, replacing an explicit -buildvcs on the command. */
function noVcsFix(model: DockerfileModel, command: GoCommand, explicit: boolean): Fix | undefined {
  const at = locateGo(model, command);
  if (!at) return undefined;
  const own = flagArgIndices(command.invocation).filter((f) => f.flag.name === 'buildvcs');
  const last = own[own.length - 1];
  const edit = last
    ? replaceWords(
        model,
        at.located,
        at.go + 2 + last.indices[0],
        at.go + 2 + last.indices[last.indices.length - 1],
        ['-buildvcs=false'],
      )
    : insertAfter(model, at.located, at.go + 1, ['-buildvcs=false']);
  if (!edit) return undefined;
  return {
    title: 'Build with -buildvcs=false',
    kind: 'quickfix',
    isPreferred: true,
    // Without an explicit request the only change is a stamp the build could not make anyway.
    safe: !explicit,
    edits: [edit],
  };
}

type MessageId = 'needsGit' | 'partialGit' | 'brokenGitLink';

const STATUS_FAILS =
  'the build stops with "error obtaining VCS status: exit status 128. Use -buildvcs=false to disable VCS stamping."';

/** How a command stamps: asked for explicitly, by default, or not at all (or cannot be told). */
function stamping(command: GoCommand): 'explicit' | 'default' | undefined {
  const invocation = command.invocation;
  if (invocation.subcommand !== 'build' && invocation.subcommand !== 'install') return undefined;
  const packages = invocation.packages;
  if (packages.some((p) => p.text.includes('@'))) return undefined;
  // `go build main.go` builds command-line-arguments, which cmd/go never stamps
  // (golang/go#51279; measured with Go 1.19: no stamp, no failure, even with -buildvcs=true).
  if (packages.length > 0 && packages.every((p) => isGoFileArgument(p.text))) return undefined;
  // GOPATH mode stamps nothing: cmd/go stamps the main module's repository.
  if (moduleMode(command) === false || !mayBeInModule(command)) return undefined;
  const buildvcs = effectiveFlag(invocation, 'buildvcs');
  if (buildvcs === 'false') return undefined;
  // A GOFLAGS value not known here may hold -buildvcs=false (the command line wins over it).
  const onCommand = invocation.flags.some((f) => f.name === 'buildvcs');
  if (!onCommand && !goflagsKnown(invocation)) return undefined;
  return buildvcs === true || buildvcs === 'true' ? 'explicit' : 'default';
}

/**
 * Whether the stage's Go stamps VCS information at all (Go 1.18 on). Without a Go version in the
 * tag, an old distribution release dates the image to before Go 1.18 or around it.
 */
function stampsVcs(stage: Stage, variant: string): boolean {
  const compared = compareStageGoVersion(stage, '1.18');
  if (compared !== undefined) return compared >= 0;
  const alpine = /^alpine3\.(\d+)$/.exec(variant);
  if (alpine && Number(alpine[1]) <= 15) return false;
  return !/^(wheezy|jessie|stretch|buster)\b/.test(variant);
}

/** Where a `.git` file's repository is, in words, for the detail. */
function linkWhere(link: GitLink): string {
  if (link.target === undefined) return 'not in the build context';
  if (isAbsolute(link.target)) return 'an absolute path on the host, not in the image';
  return 'outside the build context, or left out of it by the ignore file';
}

interface Finding {
  messageId: MessageId;
  data: Record<string, string>;
}

/** What stops the stamp, if anything: git missing, or a repository git cannot read. */
function failure(
  stage: Stage,
  command: GoCommand,
  git: ContextGit,
  mode: 'explicit' | 'default',
): Finding | undefined {
  const facts = rootStage(stage).facts;
  const subcommand = command.invocation.subcommand ?? 'build';
  const image = shortImage(baseImageText(stage));
  // golang:*-alpine ships no git; the Debian-based golang images have it.
  const hasGit = !facts.variant?.toLowerCase().startsWith('alpine') || gitBefore(stage, command);
  if (!hasGit) {
    // Go 1.18.0 stamped by default and failed without git; from 1.18.1 on the default
    // (-buildvcs=auto) silently omits the stamp when git is missing. Only an explicit
    // -buildvcs=true still fails.
    if (mode === 'default' && facts.goVersion !== '1.18.0') return undefined;
    const why =
      mode === 'explicit'
        ? '-buildvcs=true asks for version-control information'
        : 'Go 1.18.0 stamps version-control information by default (later releases skip it when git is missing)';
    return { messageId: 'needsGit', data: { subcommand, image, why } };
  }
  // With git at hand, every mode stamps, and a repository git cannot read fails the build.
  if (git.kind === 'folder') {
    if (git.excluded.length === 0) return undefined;
    return { messageId: 'partialGit', data: { subcommand, image, parts: git.excluded.join(', ') } };
  }
  if (!git.unreachable) return undefined;
  const file = git.dir === '' ? '.git' : `${git.dir}/.git`;
  const version = facts.goVersion ?? '';
  const target = git.target ?? '?';
  return {
    messageId: 'brokenGitLink',
    data: { subcommand, file, target, where: linkWhere(git), version },
  };
}

export const goBuildVcsWithoutGit: Rule<MessageId> = {
  meta: {
    id: 'go-build-vcs-without-git',
    description:
      'A go build must stamp VCS information from a copied .git that git is missing for, or cannot read.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      needsGit:
        'This go {{subcommand}} needs git to stamp VCS information, and {{image}} has none.',
      partialGit:
        'This go {{subcommand}} stamps VCS information from a .git that {{ignoreFile}} leaves incomplete.',
      brokenGitLink:
        'This go {{subcommand}} stamps VCS information from a .git file whose repository is not in the image.',
    },
    details: {
      needsGit:
        'It runs in a copy of the build context that holds .git, and {{why}}: the build fails with "error obtaining VCS status: exec: "git": executable file not found in $PATH". Build with -buildvcs=false, install git (`apk add --no-cache git`), or exclude .git in {{ignoreFile}}.',
      partialGit: `It runs in a copy of the build context whose .git lacks what {{ignoreFile}} excludes ({{parts}}), and {{image}} has git, which cmd/go runs even by default: \`git status\` finds no repository it can read and ${STATUS_FAILS} Build with -buildvcs=false, or exclude all of .git (\`.git\` in {{ignoreFile}}: no stamp, no failure) or none of the parts git needs.`,
      brokenGitLink: `The context's {{file}} is a link (gitdir: {{target}}) to a repository that is {{where}}. Go {{version}} takes a .git file for a repository (Go 1.20 and later only a folder), runs git in it, and ${STATUS_FAILS} Build with -buildvcs=false, exclude .git in {{ignoreFile}}, or build with Go 1.20 or later.`,
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const context = model.context;
    // Only a known context tells whether .git is sent (and what .dockerignore leaves of it).
    if (!context) return;
    for (const stage of model.stages) {
      const facts = rootStage(stage).facts;
      const variant = facts.variant?.toLowerCase() ?? '';
      if (facts.family !== 'golang' || /windowsservercore|nanoserver/.test(variant)) continue;
      if (!stampsVcs(stage, variant)) continue;
      // Go 1.18 and 1.19 take a .git file (a worktree's or submodule's link) for a repository.
      const links = (compareStageGoVersion(stage, '1.20') ?? 0) < 0;
      for (const command of goCommands(stage)) {
        const mode = stamping(command);
        const dir = mode && contextDirOf(stage, command);
        const git = dir === undefined ? undefined : contextGit(context, dir, links);
        const found = mode && git && failure(stage, command, git, mode);
        if (!found) continue;
        const fix = noVcsFix(model, command, mode === 'explicit');
        report({
          range: goCommandRange(model, command),
          messageId: found.messageId,
          data: { ...found.data, ignoreFile: context.ignoreFile },
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};
