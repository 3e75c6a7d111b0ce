/**
 * Builds in compose files (compose.yaml, docker-compose.yml, docker-compose.prod.yml, …): each
 * service's `build`, a context path or a map of `context`, `dockerfile`, `target`, `args` and
 * `platforms`. Paths are relative to the compose file's folder, `dockerfile` to the context.
 * Values are interpolated as compose does (compose-values.ts).
 * A service's `entrypoint:` and `command:` are read too, as what containers of the image start
 * (`runs`), its `ports:` and `expose:` and its `healthcheck:` (compose-container.ts): the building
 * service's own, and those of services that run its `image:`.
 */
import type { StartOverride } from '../core/types';
import type { BuildArg, BuildDeclaration } from './types';
import { serviceCheck, serviceHostMounts, servicePorts } from './compose-container';
import { interpolate, readList, type Service } from './compose-values';
import { get, keyLine, parseYaml, text, type YamlNode } from './yaml-tree';

/** `args` as a map (`NAME: value`, `NAME:` for the environment's) or a list (`NAME=value`). */
function readArgs(node: YamlNode | undefined): BuildArg[] {
  const args: BuildArg[] = [];
  if (node?.kind === 'map') {
    for (const entry of node.entries) {
      const value = text(entry.value);
      args.push({
        name: entry.key,
        value: value === undefined ? null : (interpolate(value) ?? null),
      });
    }
  } else if (node?.kind === 'seq') {
    for (const item of node.items) {
      const raw = text(item);
      if (raw === undefined) continue;
      const eq = raw.indexOf('=');
      const name = eq < 0 ? raw : raw.slice(0, eq);
      args.push({ name, value: eq < 0 ? null : (interpolate(raw.slice(eq + 1)) ?? null) });
    }
  }
  return args.filter((a) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(a.name));
}

function readPlatforms(node: YamlNode | undefined): string[] | null | undefined {
  if (node === undefined) return undefined;
  return node.kind === 'seq' ? readList(node) : null;
}

/**
 * Splits a command string into words as compose does: quotes and backslashes group and escape,
 * and nothing else is special (no shell runs it: `&&` is a word). Undefined when a quote is open.
 */
export function splitCommand(value: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && '"\\$`'.includes(value[i + 1] ?? 'x'))
        word += value[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < value.length) {
      word += value[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote !== undefined) return undefined;
  if (inWord) words.push(word);
  return words;
}

/**
 * A service's `entrypoint:` or `command:` as words: a string is split, a list taken item by item;
 * null when a word is left to a variable the file does not set; undefined when not given.
 */
function readCommand(node: YamlNode | undefined): string[] | null | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'seq') return readList(node);
  const value = interpolate(text(node));
  if (value === undefined || value === null) return value === undefined ? undefined : null;
  return splitCommand(value) ?? null;
}

/** What a service starts in place of its image's ENTRYPOINT or CMD, when it says. */
function serviceRun(service: Service): StartOverride | undefined {
  const entrypoint = readCommand(get(service.value, 'entrypoint'));
  const command = readCommand(get(service.value, 'command'));
  if (entrypoint === undefined && command === undefined) return undefined;
  return {
    label: `service ${service.key}`,
    line:
      keyLine(service.value, command !== undefined ? 'command' : 'entrypoint') ?? service.keyLine,
    ...(entrypoint !== undefined ? { entrypoint } : {}),
    ...(command !== undefined ? { command } : {}),
  };
}

/**
 * What each building service's containers are given (`read`): its own, and that of the services
 * without a build that run the same `image:` (start commands, ports).
 */
function perBuildingService<T>(
  services: Service[],
  read: (service: Service) => T | undefined,
): Map<string, T[]> {
  const byImage = new Map<string, T[]>();
  for (const service of services) {
    if (get(service.value, 'build') !== undefined) continue;
    const image = interpolate(text(get(service.value, 'image')));
    const value = image ? read(service) : undefined;
    if (!image || value === undefined) continue;
    byImage.set(image, [...(byImage.get(image) ?? []), value]);
  }
  const result = new Map<string, T[]>();
  for (const service of services) {
    if (get(service.value, 'build') === undefined) continue;
    const own = read(service);
    const image = interpolate(text(get(service.value, 'image')));
    const list = [...(own !== undefined ? [own] : []), ...((image && byImage.get(image)) || [])];
    if (list.length > 0) result.set(service.key, list);
  }
  return result;
}

/** The builds of a compose file. Throws YamlError when it is not YAML. */
export function composeBuilds(source: string): BuildDeclaration[] {
  const root = parseYaml(source);
  const services = get(root, 'services');
  if (services?.kind !== 'map') return [];
  const builds: BuildDeclaration[] = [];
  const runs = perBuildingService(services.entries, serviceRun);
  const ports = perBuildingService(services.entries, servicePorts);
  const checks = perBuildingService(services.entries, serviceCheck);
  const mounts = perBuildingService(services.entries, serviceHostMounts);
  for (const service of services.entries) {
    const build = get(service.value, 'build');
    if (build === undefined) continue;
    const line = keyLine(service.value, 'build') ?? service.keyLine;
    const started = runs.get(service.key);
    const listening = ports.get(service.key);
    const checked = checks.get(service.key);
    const mounted = mounts.get(service.key);
    const base = {
      kind: 'compose' as const,
      label: `service ${service.key}`,
      base: 'file' as const,
      cwd: '.',
      dockerfileFrom: 'context' as const,
      output: 'image' as const,
      ...(started ? { runs: started } : {}),
      ...(listening ? { ports: listening } : {}),
      ...(checked ? { checks: checked } : {}),
      ...(mounted ? { hostMounts: mounted } : {}),
    };
    if (build.kind === 'scalar') {
      let context = interpolate(text(build)) ?? null;
      if (context !== null && /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) context = null;
      builds.push({
        ...base,
        line,
        context,
        dockerfile: undefined,
        target: undefined,
        platforms: undefined,
        args: [],
      });
      continue;
    }
    if (build.kind !== 'map') continue;
    // An inline Dockerfile is not a file of the repository.
    if (get(build, 'dockerfile_inline') !== undefined) continue;
    const contextNode = get(build, 'context');
    let context: string | null =
      contextNode === undefined ? '.' : (interpolate(text(contextNode)) ?? null);
    if (context !== null && /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(context)) context = null;
    const dockerfileNode = get(build, 'dockerfile');
    const targetNode = get(build, 'target');
    builds.push({
      ...base,
      // The line that says which stage, when there is one: the hover links to it.
      line: keyLine(build, 'target') ?? line,
      context,
      dockerfile:
        dockerfileNode === undefined ? undefined : (interpolate(text(dockerfileNode)) ?? null),
      target: targetNode === undefined ? undefined : (interpolate(text(targetNode)) ?? null),
      platforms: readPlatforms(get(build, 'platforms')),
      args: readArgs(get(build, 'args')),
    });
  }
  return builds;
}
