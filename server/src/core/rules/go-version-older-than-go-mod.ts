// Catches a golang image whose Go is older than the `go` line of go.mod: the official images set
// GOTOOLCHAIN=local, so the go command refuses to build the module instead of fetching a newer Go.
import type { Flag } from 'dockerfile-ast';
import { parseGoInvocation, type Env, type GoInvocation } from '../model/go-invocation';
import { goMinor, golangBases, imageOlderThan, stageFamily } from '../facts/golang-bases';
import { golangImageVersion, golangTagEdit } from '../edits/golang-tag';
import type { DockerfileModel, Stage } from '../model/model';
import { startProgram } from '../facts/start';
import type { GoMod } from '../model/gomod';
import type { Fix, Severity } from '../types';
import { shortText, type Report, type Rule } from './rule';

// go subcommands that do not load the module in the current directory.
const MODULE_FREE = new Set(['version', 'env', 'help', 'telemetry', 'bug']);

function usesModule(subcommand: string, packages: readonly string[]): boolean {
  if (MODULE_FREE.has(subcommand)) return false;
  // `go install pkg@v1.2.3` and `go run pkg@v1.2.3` build outside any module.
  if ((subcommand === 'install' || subcommand === 'run') && packages.length > 0) {
    return !packages.every((p) => p.includes('@'));
  }
  return true;
}

/** `RUN --mount=type=bind,target=.` (or `source=go.mod`): the module from the build context. */
function bindsModule(mount: Flag): boolean {
  const option = (name: string) => mount.getOption(name)?.getValue() ?? undefined;
  if ((option('type') ?? 'bind') !== 'bind' || option('from') !== undefined) return false;
  const source = (option('source') ?? option('src') ?? '.').replace(/^\.\//, '').replace(/\/$/, '');
  return source === '' || source === '.' || source === 'go.mod';
}

/**
 * The environments in which the stage and the stages built on it use the module: go commands
 * that load it (in RUN, or as the ENTRYPOINT/CMD), or the module copied or bind-mounted in for a
 * build the model cannot see (`COPY . .` then `RUN make`, `RUN --mount=target=. golangci-lint run`). Empty when the image never meets this go.mod (a stage
 * that only runs `go install tool@version`).
 */
function moduleUses(family: readonly Stage[]): Env[] {
  const uses: Env[] = [];
  for (const stage of family) {
    for (const run of stage.runs) {
      if (run.mounts.some(bindsModule)) uses.push(run.env);
      run.commands.forEach((command, index) => {
        const call = stage.goCalls.find((c) => c.run === run && c.commandIndex === index);
        const invocation: GoInvocation | undefined =
          call?.invocation ?? parseGoInvocation(command, run.env, run.cwd);
        if (!invocation) return;
        const packages = invocation.packages.map((p) => p.text);
        if (usesModule(invocation.subcommand, packages)) uses.push(invocation.env);
      });
    }
    const own = new Set(stage.instructions);
    const start = startProgram(stage);
    if (start && own.has(start.command.instruction)) {
      const [program, sub, ...rest] = start.argv.map((w) => w.text);
      const name = program?.slice(program.lastIndexOf('/') + 1);
      if (name === 'go' && sub !== undefined && usesModule(sub, rest)) uses.push(stage.envAtEnd);
    }
    if (stage.module.root !== undefined) uses.push(stage.scopeAtEnd);
  }
  return uses;
}

/**
 * Whether GOTOOLCHAIN lets the go command switch to the Go that go.mod asks for: `auto`,
 * `<name>+auto`, or a named toolchain that is new enough. The golang images set `local`.
 */
function toolchainCanSwitch(value: string | null | undefined, required: string): boolean {
  if (value === undefined) return false;
  // Set from a build argument: it may well allow switching.
  if (value === null) return true;
  if (value === 'auto' || value.endsWith('+auto')) return true;
  const named = /^go(\S+?)(?:\+path)?$/.exec(value);
  if (named) return imageOlderThan(named[1], required) === false;
  return false;
}

function describeImageGo(version: string): string {
  if (/rc|beta/.test(version) || version.split('.').length === 3) return `Go ${version}`;
  return `Go ${version} (its newest ${version} patch)`;
}

function goLineText(goMod: GoMod): string {
  const line = goMod.goLine !== undefined ? ` (line ${goMod.goLine + 1})` : '';
  return `the \`go ${goMod.go}\` line of go.mod${line}`;
}

type MessageId = 'olderThanGoMod';

export const goVersionOlderThanGoMod: Rule<MessageId> = {
  meta: {
    id: 'go-version-older-than-go-mod',
    description: "The golang image's Go version is older than the `go` line of go.mod.",
    defaultSeverity: 'error',
    fixable: true,
    messages: {
      olderThanGoMod: "{{image}} has Go {{version}}, older than go.mod's go {{required}}.",
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const goMod = model.goMod;
    const required = goMod?.go;
    if (!goMod || required === undefined) return;
    for (const base of golangBases(model)) {
      const version = base.version;
      if (version === undefined || base.tagStart === undefined) continue;
      if (imageOlderThan(version, required) !== true) continue;
      const uses = moduleUses(stageFamily(model, base.stage));
      if (uses.length === 0) continue;
      const minor = goMinor(version);
      // Go 1.21 made the go line a minimum requirement (and brought GOTOOLCHAIN).
      const enforcing = minor === undefined || minor[0] > 1 || minor[1] >= 21;
      if (enforcing && uses.every((env) => toolchainCanSwitch(env.get('GOTOOLCHAIN'), required))) {
        continue;
      }
      const image = base.traced.value;
      // The minor release the go line names (`go 1.25.0` → golang:1.25, which has the newest
      // patch): never older than the go line, and it follows the security releases.
      const pin = golangImageVersion(required) ?? required;
      const newImage =
        image.slice(0, base.tagStart) + pin + image.slice(base.tagStart + version.length);
      const running = version.split('.').length === 2 ? `${version}.x` : version;
      let severity: Severity | undefined;
      let consequence: string;
      if (enforcing) {
        consequence =
          `the golang images set GOTOOLCHAIN=local, so the go command stops with ` +
          `"go: go.mod requires go >= ${required} (running go ${running}; GOTOOLCHAIN=local)".`;
      } else if (/^\d+\.\d+$/.test(required) && goMod.toolchain === undefined) {
        severity = 'warning';
        consequence =
          `Go before 1.21 does not enforce the go line: it compiles the module with the older ` +
          `compiler and standard library, and fails ("note: module requires Go ${required}") ` +
          `wherever the code uses something newer.`;
      } else {
        consequence =
          `Go before 1.21 cannot even read this go.mod (` +
          (goMod.toolchain !== undefined && /^\d+\.\d+$/.test(required)
            ? '"unknown directive: toolchain"'
            : `"invalid go version '${required}': must match format 1.23"`) +
          '), so every go command fails.';
      }
      const data = { image: shortText(image), version, required };
      const problem = `${image} has ${describeImageGo(version)}, older than ${goLineText(goMod)} requires: ${consequence}`;
      const edit = golangTagEdit(
        model,
        base,
        base.tagStart,
        base.tagStart + version.length,
        pin,
        false,
      );
      const fixes: Fix[] = [];
      let advice: string;
      if (edit.ok) {
        const title = edit.arg ? `Set ARG ${edit.arg.name} to Go ${pin}` : `Use ${newImage}`;
        fixes.push({ title, kind: 'quickfix', isPreferred: true, edits: [edit.edit] });
        const arg = edit.arg;
        advice = !arg
          ? ` Use ${newImage}.`
          : arg.defaultValue === version
            ? ` Set the default of ARG ${arg.name} (line ${arg.range.start.line + 1}) to ${pin}.`
            : ` Change the default of ARG ${arg.name} (line ${arg.range.start.line + 1}) so that the image is ${newImage}.`;
      } else {
        advice = ` Use ${newImage.split('@')[0]} (${edit.reason}, so change it by hand).`;
      }
      report({
        range: base.range,
        messageId: 'olderThanGoMod',
        data,
        detail: problem + advice,
        fixes,
        severity,
      });
    }
  },
};
