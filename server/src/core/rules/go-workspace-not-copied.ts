// Catches a go build that leaves behind the go.work the project builds with: the module requires
// another module of the workspace, which only go.work points at its local folder, and the image
// gets no go.work, so the build fetches the published module instead (or fails without one).
import { goCommandRange, goCommands, type GoCommand } from '../facts/go-commands';
import { contextGoMod } from '../facts/module-sources';
import {
  contextPathOf,
  nearestCopiedModule,
  type DockerfileModel,
  type Stage,
} from '../model/model';
import { dirname, join, normalize } from '../text/posix-path';
import type { Report, Rule } from './rule';

type MessageId = 'workspaceLeftBehind';

/** The context folders from a module's folder up to the context root (`a/b`, `a`, ``). */
function foldersUp(folder: string): string[] {
  const folders: string[] = [];
  for (let f = folder; ; f = dirname(f) === '.' ? '' : dirname(f)) {
    folders.push(f);
    if (f === '') return folders;
  }
}

const inFolder = (folder: string, name: string) => (folder === '' ? name : `${folder}/${name}`);

/** Whether the image holds the context's `workFile` at the matching place above the module. */
function copiedIntoImage(
  stage: Stage,
  module: { image: string; context: string },
  workFile: string,
) {
  const up = module.context === '' ? 0 : module.context.split('/').length;
  const workFolder = dirname(workFile) === '.' ? '' : dirname(workFile);
  const depth = workFolder === '' ? 0 : workFolder.split('/').length;
  let image = module.image;
  for (let i = 0; i < up - depth; i++) image = dirname(image);
  return contextPathOf(stage, join(image, 'go.work')) === workFile;
}

interface Workspace {
  file: string;
  /** The built module's path. */
  module?: string;
  /** Module paths of the workspace's other modules the built module requires without a replace. */
  provided: string[];
}

/** The go.work above the module that lists it, and what the module needs from it. */
function workspaceOf(model: DockerfileModel, moduleFolder: string): Workspace | undefined {
  const context = model.context!;
  for (const folder of foldersUp(moduleFolder)) {
    const file = inFolder(folder, 'go.work');
    if (!context.files.has(file)) continue;
    // go.work has go.mod's grammar: the same reader, once per model.
    const work = contextGoMod(model, file);
    if (!work) return undefined;
    const uses = work.uses.map((u) => normalize(inFolder(folder, u)).replace(/^\.$/, ''));
    if (!uses.includes(moduleFolder)) return undefined;
    const own = contextGoMod(model, inFolder(moduleFolder, 'go.mod'));
    if (!own) return undefined;
    const replaced = new Set(own.replaces.map((r) => r.path));
    const provided: string[] = [];
    for (const use of uses) {
      if (use === moduleFolder) continue;
      const path = contextGoMod(model, inFolder(use, 'go.mod'))?.module;
      if (path && !replaced.has(path) && own.requires.some((r) => r.path === path))
        provided.push(path);
    }
    return provided.length > 0 ? { file, module: own.module, provided } : undefined;
  }
  return undefined;
}

/**
 * The command names only packages by import path outside the built module and the workspace's
 * other modules (`go install github.com/gohugoio/hugo`, a tool at the version go.mod requires):
 * their code is another project's, which does not import this workspace's modules.
 */
function buildsOtherProjects(command: GoCommand, workspace: Workspace): boolean {
  const packages = command.invocation.packages;
  const ours = [workspace.module, ...workspace.provided].filter((p): p is string => !!p);
  return (
    packages.length > 0 &&
    packages.every(({ text, dynamic }) => {
      if (dynamic || /^(\.|\/)/.test(text) || text.endsWith('.go') || !text.includes('.')) {
        return false;
      }
      const path = text.replace(/\/\.\.\.$/, '');
      return !ours.some((module) => path === module || path.startsWith(module + '/'));
    })
  );
}

function buildsLocalPackages(command: GoCommand): boolean {
  const sub = command.invocation.subcommand;
  if (sub !== 'build' && sub !== 'install') return false;
  const packages = command.invocation.packages;
  return packages.length === 0 || packages.every((p) => !p.text.includes('@'));
}

export const goWorkspaceNotCopied: Rule<MessageId> = {
  meta: {
    id: 'go-workspace-not-copied',
    description:
      'A go build of a workspace module without the go.work that points its sibling modules at their local folders.',
    defaultSeverity: 'warning',
    fixable: false,
    messages: {
      workspaceLeftBehind:
        'This build has no {{file}}, which provides {{modules}}: Go fetches the published module or fails.',
    },
    details: {
      workspaceLeftBehind:
        'On your machine {{file}} makes the go command use the local folder of {{modules}}. In the image there is no go.work, so it resolves the require line in go.mod: a published version built from other code, or an error when the module is not published. Copy {{file}} and the folders it uses (with a build context that holds them), or add a replace directive to go.mod.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    if (!model.context?.read) return;
    for (const stage of model.stages) {
      for (const command of goCommands(stage)) {
        if (!buildsLocalPackages(command) || command.tool !== undefined) continue;
        // GOWORK=off says the build is meant to run without the workspace; a path names another.
        if (command.invocation.env.get('GOWORK') !== undefined) continue;
        const cwd = command.invocation.cwd;
        const module = cwd === undefined ? undefined : nearestCopiedModule(stage, cwd);
        if (!module) continue;
        const workspace = workspaceOf(model, module.context);
        if (!workspace || copiedIntoImage(stage, module, workspace.file)) continue;
        if (buildsOtherProjects(command, workspace)) continue;
        report({
          range: goCommandRange(model, command),
          messageId: 'workspaceLeftBehind',
          data: { file: workspace.file, modules: workspace.provided.join(', ') },
        });
      }
    }
  },
};
