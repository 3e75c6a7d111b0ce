// Catches `go get` used in module mode to install a tool or fetch dependencies: since Go 1.18 it
// builds and installs nothing, and outside a module it fails; `go install`/`go mod download` do it.
import { removeWords, replaceWord, replaceWords } from '../edits/command-edits';
import { binaryNameOfImportPath } from '../model/gomod';
import {
  compareStageGoVersion,
  descendantStages,
  flagArgIndices,
  goCommandRange,
  goCommands,
  locateGo,
  type GoCommand,
  type LocatedGo,
} from '../facts/go-commands';
import { mayBeInModule, moduleMode } from '../facts/module-sources';
import type { Word } from '../model/shell';
import { programName } from '../model/shell';
import type { DockerfileModel } from '../model/model';
import { startProgram } from '../facts/start';
import type { Fix, TextEdit } from '../types';
import { shortText, type Report, type Rule } from './rule';
import { zeroBasedLine } from '../text/line-index';

// Flags that only `go get` knows: `go install` rejects them.
const GET_ONLY = new Set(['d', 'u', 't', 'insecure', 'f', 'fix', 'm']);
// Flags of `go get ./...` that `go mod download` can do without (-d is the default since 1.18,
// -v only prints package names); -x has a `go mod download` equivalent.
const DOWNLOAD_DROPPABLE = new Set(['d', 'v', 't']);

function isLocal(word: Word): boolean {
  const text = word.text;
  return text === '.' || text === '..' || text.startsWith('./') || text.startsWith('../');
}

/** Where a later command runs the tool `name`, as `line N`; undefined when nothing does. */
function laterUse(model: DockerfileModel, command: GoCommand, name: string): number | undefined {
  const line = zeroBasedLine(command.run.instruction);
  for (const stage of descendantStages(model.stages, command.stage)) {
    for (const run of stage.runs) {
      const runLine = zeroBasedLine(run.instruction);
      if (runLine < line) continue;
      const from = run === command.run ? command.commandIndex + 1 : 0;
      for (const c of run.commands.slice(from)) {
        if (programName(c.words[0]) === name) return runLine + 1;
      }
    }
    const start = startProgram(stage);
    const program = start?.argv[0]?.text;
    if (program && program.slice(program.lastIndexOf('/') + 1) === name) {
      return zeroBasedLine(start.command.instruction) + 1;
    }
  }
  return undefined;
}

/**
 * Whether `go get pkg` fetches a dependency of the program rather than a tool: nothing later runs
 * the binary it would install, its path names no command (`…/cmd/…`), and a later go command of
 * the stage builds local packages (`go build -o /app /main.go`), which import it.
 */
function isDependency(model: DockerfileModel, command: GoCommand, pkg: Word): boolean {
  const path = pkg.text.split('@')[0];
  if (pkg.dynamic || path.split('/').includes('cmd')) return false;
  const name = binaryNameOfImportPath(path);
  if (name !== undefined && laterUse(model, command, name) !== undefined) return false;
  const commands = goCommands(command.stage);
  return commands
    .slice(commands.indexOf(command) + 1)
    .some(
      (c) =>
        ['build', 'run', 'install'].includes(c.invocation.subcommand) &&
        c.invocation.packages.every((p) => isLocal(p) || p.text.endsWith('.go')),
    );
}

/** `go install pkg@version`: the `get` word becomes `install`, get-only flags go. */
function installFix(
  model: DockerfileModel,
  command: GoCommand,
  at: LocatedGo,
  pkg: string,
): Fix | undefined {
  const { located, go } = at;
  const install = replaceWord(model, located, go + 1, 'install');
  if (!install) return undefined;
  const edits: TextEdit[] = [install];
  const dropped: string[] = [];
  for (const { flag, indices } of flagArgIndices(command.invocation)) {
    if (!GET_ONLY.has(flag.name)) continue;
    dropped.push('-' + flag.name);
    const first = go + 2 + indices[0];
    const edit = removeWords(model, located, first, go + 2 + indices[indices.length - 1]);
    if (!edit) return undefined;
    edits.push(edit);
  }
  return {
    title:
      `Install with go install ${pkg}` +
      (dropped.length > 0 ? ` (without ${dropped.join(' ')}, which go install does not take)` : ''),
    kind: 'quickfix',
    isPreferred: true,
    // The tool is then built and installed, where go get only edited go.mod.
    safe: false,
    edits,
  };
}

/** `go mod download` in place of `go get [-d] [-v] [-x] ./...`. */
function downloadFix(model: DockerfileModel, command: GoCommand, at: LocatedGo): Fix | undefined {
  const { located, go } = at;
  const keep: string[] = [];
  for (const { flag } of flagArgIndices(command.invocation)) {
    if (flag.name === 'x' && flag.value === true) keep.push('-x');
    else if (!DOWNLOAD_DROPPABLE.has(flag.name) || flag.value !== true) return undefined;
  }
  const last = located.words.length - 1;
  const edit = replaceWords(model, located, go + 1, last, ['mod', 'download', ...keep]);
  if (!edit) return undefined;
  return {
    title: 'Replace with go mod download',
    kind: 'quickfix',
    isPreferred: true,
    // go get may also add requirements missing from go.mod; go mod download does not.
    safe: false,
    edits: [edit],
  };
}

type MessageId = 'outsideModule' | 'gopathWay' | 'notInstalled';

export const goGetInstallsBinary: Rule<MessageId> = {
  meta: {
    id: 'go-get-installs-binary',
    description:
      '`go get` used in module mode to install a tool or fetch dependencies (it builds nothing since Go 1.18).',
    defaultSeverity: 'warning',
    fixable: true,
    messages: {
      outsideModule: '`go get` outside a module fails since Go 1.18: it installs nothing.',
      gopathWay: '`go get` fetches dependencies the GOPATH way: use `go mod download`.',
      notInstalled: '`go get` does not install `{{name}}`, which line {{line}} runs.',
    },
    details: {
      outsideModule:
        "`{{command}}` runs outside a module (no go.mod in {{cwd}} or above): since Go 1.18 go get only edits a module's requirements, and here it fails with \"'go get' is no longer supported outside a module\". {{advice}}",
      notInstalled:
        'Since Go 1.18 `{{command}}` only adds the module of {{path}} to go.mod, so `{{fullName}}` is not built. Use `go install {{pinned}}`.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    for (const stage of model.stages) {
      // Before Go 1.18, go get still built and installed packages.
      if ((compareStageGoVersion(stage, '1.18') ?? 0) < 0) continue;
      for (const command of goCommands(stage)) {
        const invocation = command.invocation;
        if (invocation.subcommand !== 'get') continue;
        // GOPATH mode (GO111MODULE=off, or auto outside a module) keeps the old go get.
        if (moduleMode(command) !== true) continue;
        const at = locateGo(model, command);
        const range = goCommandRange(model, command, at);
        const flags = new Set(invocation.flags.map((f) => f.name));
        const packages = invocation.packages;
        const remote = packages.filter((p) => !isLocal(p));
        const shown = ['go get', ...invocation.args.map((w) => w.text)].join(' ');
        const single = remote.length === 1 && packages.length === 1 ? remote[0] : undefined;
        const version = single && !flags.has('d') && single.text.includes('@');
        const install = (): Fix[] => {
          const fix = at && version ? installFix(model, command, at, single.text) : undefined;
          return fix ? [fix] : [];
        };
        if (!mayBeInModule(command)) {
          // No go.mod here or above: module-aware go get refuses to run. A package something
          // runs later is a tool, for go install; others are the program's dependencies (a
          // library go install cannot build), which a go.mod pins.
          const dependencies = remote.filter((p) => isDependency(model, command, p));
          const tools = remote.filter((p) => !dependencies.includes(p));
          const advice =
            tools.length === 0
              ? "Fetch the dependencies through a go.mod: copy the project's go.mod and go.sum and run `go mod download` (or create one with `go mod init` and `go mod tidy`)."
              : single
                ? version
                  ? `Install the tool with \`go install ${single.text}\`.`
                  : `Install the tool with \`go install ${single.text.split('@')[0]}@<version>\`.`
                : 'Install tools with `go install <package>@<version>`.';
          report({
            range,
            messageId: 'outsideModule',
            data: { command: shown, cwd: String(invocation.cwd), advice },
            fixes: single && tools.includes(single) ? install() : [],
          });
          continue;
        }
        if (remote.length === 0) {
          const upgrades = flags.has('u');
          const fix = !upgrades && at ? downloadFix(model, command, at) : undefined;
          report({
            range,
            messageId: 'gopathWay',
            detail:
              'In module mode it can also add requirements to go.mod inside the image' +
              (upgrades ? ', and -u upgrades every dependency to its latest version' : '') +
              ', so the build no longer matches the go.mod and go.sum you commit. ' +
              '`go mod download` fetches exactly what they pin.' +
              (fix ? '' : upgrades ? ' (No automatic fix: update go.mod in the repository.)' : ''),
            fixes: fix ? [fix] : [],
          });
          continue;
        }
        // A remote package in a module: a tool only when something runs it later.
        for (const pkg of remote) {
          const path = pkg.text.split('@')[0];
          if (pkg.dynamic || path.includes('...')) continue;
          const name = binaryNameOfImportPath(path);
          if (!name) continue;
          const used = laterUse(model, command, name);
          if (used === undefined) continue;
          const pinned = pkg.text.includes('@') ? pkg.text : `${path}@<version>`;
          report({
            range,
            messageId: 'notInstalled',
            data: {
              name: shortText(name, 30),
              fullName: name,
              line: used,
              command: shown,
              path,
              pinned,
            },
            fixes: pkg === single ? install() : [],
          });
        }
      }
    }
  },
};
