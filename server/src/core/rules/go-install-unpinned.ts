// Catches `go install` of a remote package without a fixed version (`@latest`, a branch, none):
// rebuilding the same Dockerfile can install a different tool, or fail outside a module.
import {
  compareStageGoVersion,
  goCommandRange,
  goCommands,
  locateGo,
  type GoCommand,
} from '../facts/go-commands';
import { mayBeInModule, moduleMode } from '../facts/module-sources';
import type { DockerfileModel } from '../model/model';
import type { Word } from '../model/shell';
import { expand } from '../model/variables';
import type { Range } from '../types';
import { shortText, type Report, type Rule } from './rule';

// Arguments of go install that are not import paths of a remote module.
const META_PACKAGES = new Set(['std', 'cmd', 'all', 'tool', 'work']);

/** `.`, `./cmd/x`, `../x`, `/abs/dir`: a package of the sources at hand. */
function isLocal(path: string): boolean {
  return (
    path === '.' ||
    path === '..' ||
    path.startsWith('./') ||
    path.startsWith('../') ||
    path.startsWith('/')
  );
}

const SEMVER = /^v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const COMMIT = /^[0-9a-f]{7,40}$/i;
const BRANCHES = new Set(['master', 'main', 'HEAD', 'trunk', 'develop', 'dev', 'tip']);

/**
 * What a version query resolves to when it does not name one version; undefined when it is
 * pinned (a full semantic version, a pseudo-version, a commit) or a name that may be a tag.
 */
function floating(version: string): string | undefined {
  if (SEMVER.test(version) || COMMIT.test(version)) return undefined;
  if (version === 'latest') return 'the newest release when this layer is built';
  if (version === 'upgrade' || version === 'patch') {
    return 'the newest (patch) release when this layer is built';
  }
  if (/^v\d+(?:\.\d+)?$/.test(version))
    return `the newest ${version}.x release when this layer is built`;
  if (/^[<>]/.test(version)) return 'whichever release matches the range when this layer is built';
  if (BRANCHES.has(version)) return `the tip of the ${version} branch when this layer is built`;
  return undefined;
}

/** Where to report on one package argument of the command. */
function packageRange(model: DockerfileModel, command: GoCommand, pkg: Word): Range {
  const at = locateGo(model, command);
  const invocation = command.invocation;
  if (at) {
    const index =
      at.go +
      2 +
      invocation.args.length -
      invocation.packages.length +
      invocation.packages.indexOf(pkg);
    const word = at.located.words[index];
    if (word) return model.index.rangeOf(word.start, word.end);
  }
  return goCommandRange(model, command, at);
}

type MessageId = 'noVersion' | 'floatingVersion';

export const goInstallUnpinned: Rule<MessageId> = {
  meta: {
    id: 'go-install-unpinned',
    description:
      '`go install` of a remote package without a fixed version (`@latest`, a branch, or none).',
    defaultSeverity: 'warning',
    fixable: false,
    messages: {
      noVersion: '`go install {{package}}` names no version: outside a module it fails.',
      floatingVersion: '`go install {{package}}` installs no fixed version: pin one.',
    },
    details: {
      noVersion:
        'It runs outside a module (no go.mod in {{cwd}} or above): since Go 1.16 it fails with "\'go install\' requires a version when current directory is not in a module". Pin a version: `go install {{path}}@vX.Y.Z`.',
      floatingVersion:
        '`go install {{fullPackage}}`{{via}} installs {{resolves}}: rebuilding the same Dockerfile (or any cache miss) can bring a different version of the tool. Pin one: `go install {{path}}@vX.Y.Z`.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const mainModule = model.goMod?.module;
    for (const stage of model.stages) {
      // `go install pkg@version` exists since Go 1.16.
      if ((compareStageGoVersion(stage, '1.16') ?? 0) < 0) continue;
      for (const command of goCommands(stage)) {
        const invocation = command.invocation;
        if (invocation.subcommand !== 'install') continue;
        // In GOPATH mode there are no versions to pin.
        if (moduleMode(command) !== true) continue;
        for (const pkg of invocation.packages) {
          const at = pkg.text.indexOf('@');
          const path = at < 0 ? pkg.text : pkg.text.slice(0, at);
          if (path === '' || isLocal(path) || META_PACKAGES.has(path) || path.includes('$'))
            continue;
          if (at < 0) {
            // The main module's own packages build from its sources; with a version they are
            // fetched from the proxy like any other module's (`go install <own module>@latest`).
            if (mainModule && (path === mainModule || path.startsWith(mainModule + '/'))) continue;
            // Inside a module, the module's go.mod and go.sum fix the version.
            if (mayBeInModule(command)) continue;
            report({
              range: packageRange(model, command, pkg),
              messageId: 'noVersion',
              data: { package: shortText(pkg.text), cwd: String(invocation.cwd), path },
            });
            continue;
          }
          const raw = pkg.text.slice(at + 1);
          let version = raw;
          if (pkg.dynamic) {
            const scope = new Map<string, string | null>();
            for (const [k, v] of invocation.env) scope.set(k, v);
            const expanded = expand(raw, scope);
            if (!expanded.complete) continue;
            version = expanded.value;
          }
          const resolves = floating(version);
          if (!resolves) continue;
          const via = version !== raw ? ` (${raw} is ${version})` : '';
          report({
            range: packageRange(model, command, pkg),
            messageId: 'floatingVersion',
            data: { package: shortText(pkg.text), fullPackage: pkg.text, via, resolves, path },
          });
        }
      }
    }
  },
};
