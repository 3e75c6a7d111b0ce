// Catches a go build that must stamp version-control information from a copied .git in a golang
// alpine stage without git: the build fails with "error obtaining VCS status".
import { insertAfter, replaceWords } from '../edits/command-edits';
import {
  effectiveFlag,
  flagArgIndices,
  goCommandRange,
  goCommands,
  goflagsKnown,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import { contextBind, fromContext, isWholeContext, mountsOf } from '../facts/module-sources';
import type { DockerfileModel, Stage } from '../model/model';
import { programName, type SimpleCommand } from '../model/shell';
import { copyLinks, rootStage, runLinks } from '../facts/stage-tree';
import { baseImageText } from '../facts/start';
import { isWithin } from '../text/posix-path';
import type { Fix } from '../types';
import { shortText, type Report, type Rule } from './rule';
import { zeroBasedLine } from '../text/line-index';

const PACKAGE_MANAGERS = new Set(['apk', 'apt-get', 'apt', 'yum', 'dnf', 'microdnf']);

function installsGit(command: SimpleCommand): boolean {
  if (!PACKAGE_MANAGERS.has(programName(command.words[0]) ?? '')) return false;
  const words = command.words.map((w) => w.text);
  if (!words.includes('add') && !words.includes('install')) return false;
  return words.some((w) => w === 'git' || w.startsWith('git='));
}

/** git is installed in the stage (or a parent) before the go command runs. */
function gitBefore(stage: Stage, command: GoCommand): boolean {
  const line = zeroBasedLine(command.run.instruction);
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

/** The whole build context lies at or above the command's directory (copied or bind-mounted). */
function contextAround(stage: Stage, command: GoCommand): boolean {
  const cwd = command.invocation.cwd;
  if (cwd === undefined) return false;
  const line = zeroBasedLine(command.run.instruction);
  for (let link = copyLinks(stage); link; link = link.next) {
    for (const copy of link.items) {
      if (zeroBasedLine(copy.instruction) >= line || !fromContext(copy)) continue;
      const destination = copy.destination?.path;
      if (destination && copy.sources.some(isWholeContext) && isWithin(cwd, destination))
        return true;
    }
  }
  return mountsOf(command.run).some(
    (m) => contextBind(m) === 'whole' && m.target !== undefined && isWithin(cwd, m.target),
  );
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

type MessageId = 'needsGit';

export const goBuildVcsWithoutGit: Rule<MessageId> = {
  meta: {
    id: 'go-build-vcs-without-git',
    description:
      'A go build must stamp VCS information from a copied .git in a golang alpine stage without git.',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      needsGit:
        'This go {{subcommand}} needs git to stamp VCS information, and {{image}} has none.',
    },
    details: {
      needsGit:
        'It runs in a copy of the build context that holds .git, and {{why}}: the build fails with "error obtaining VCS status: exec: "git": executable file not found in $PATH". Build with -buildvcs=false, install git (`apk add --no-cache git`), or exclude .git in .dockerignore.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const context = model.context;
    // Only a known context tells whether .git is sent (and not excluded by .dockerignore).
    if (!context || !(context.files.has('.git/HEAD') || context.files.has('.git'))) return;
    for (const stage of model.stages) {
      const facts = rootStage(stage).facts;
      // golang:*-alpine ships no git; the Debian-based golang images have it.
      if (facts.family !== 'golang' || !facts.variant?.toLowerCase().startsWith('alpine')) continue;
      for (const command of goCommands(stage)) {
        const invocation = command.invocation;
        if (invocation.subcommand !== 'build' && invocation.subcommand !== 'install') continue;
        if (invocation.packages.some((p) => p.text.includes('@'))) continue;
        const buildvcs = effectiveFlag(invocation, 'buildvcs');
        if (buildvcs === 'false') continue;
        // A GOFLAGS value not known here may hold -buildvcs=false (the command line wins over it).
        const onCommand = invocation.flags.some((f) => f.name === 'buildvcs');
        if (!onCommand && !goflagsKnown(invocation)) continue;
        const explicit = buildvcs === true || buildvcs === 'true';
        // Go 1.18.0 stamped by default and failed without git; from 1.18.1 on the default
        // (-buildvcs=auto) silently omits the stamp when git is missing. Only an explicit
        // -buildvcs=true still fails.
        if (!explicit && facts.goVersion !== '1.18.0') continue;
        if (gitBefore(stage, command) || !contextAround(stage, command)) continue;
        const base = baseImageText(stage);
        const why = explicit
          ? '-buildvcs=true asks for version-control information'
          : 'Go 1.18.0 stamps version-control information by default (later releases skip it when git is missing)';
        const fix = noVcsFix(model, command, explicit);
        report({
          range: goCommandRange(model, command),
          messageId: 'needsGit',
          data: { subcommand: invocation.subcommand, image: shortText(base), why },
          fixes: fix ? [fix] : [],
        });
      }
    }
  },
};
