/**
 * What a compose service says of the container it runs, besides its start command: the ports it
 * listens on (the container side of each `ports:` entry and the `expose:` list), which tell where
 * the program listens as the project runs it (a `":80"` in its sources may be a default the
 * service's environment replaces), and the health check it runs in it (`healthcheck: test:`).
 */
import type { DeclaredPorts, HealthCheck, HostMounts } from '../core/types';
import { interpolate, readList, type Service } from './compose-values';
import { get, keyLine, text, type YamlNode } from './yaml-tree';

/**
 * The container port of one entry: `8080`, `"8080:8080"`, `"127.0.0.1:80:8080/tcp"`,
 * `"[::1]:6001:6001"`, or the long form's `target:`. Undefined for a range (`"3000-3005"`) or a
 * port left to a variable: then the service's ports are not known.
 */
function containerPort(item: YamlNode) {
  const value = interpolate(item.kind === 'map' ? text(get(item, 'target')) : text(item));
  if (value === undefined || value === null) return undefined;
  const port = value.split('/')[0].split(':').pop() ?? '';
  return /^\d{1,5}$/.test(port) ? Number(port) : undefined;
}

/**
 * A service's declared ports, or undefined when it declares none or one of them is not known.
 */
export function servicePorts(service: Service): DeclaredPorts | undefined {
  const ports: number[] = [];
  let line: number | undefined;
  for (const key of ['ports', 'expose']) {
    const list = get(service.value, key);
    if (list === undefined) continue;
    if (list.kind !== 'seq') return undefined;
    line ??= keyLine(service.value, key);
    for (const item of list.items) {
      const port = containerPort(item);
      if (port === undefined) return undefined;
      if (!ports.includes(port)) ports.push(port);
    }
  }
  if (ports.length === 0) return undefined;
  return { label: `service ${service.key}`, line: line ?? service.keyLine, ports };
}

/**
 * A service's health check: `["CMD", program, …]`, `["CMD-SHELL", script]` or a script string;
 * undefined when it has none, disables it (`["NONE"]`, `disable: true`) or leaves it to a variable.
 */
export function serviceCheck(service: Service): HealthCheck | undefined {
  const healthcheck = get(service.value, 'healthcheck');
  const test = get(healthcheck, 'test');
  if (test === undefined || text(get(healthcheck, 'disable')) === 'true') return undefined;
  const check = {
    label: `service ${service.key}`,
    line: keyLine(service.value, 'healthcheck') ?? service.keyLine,
  };
  if (test.kind !== 'seq') {
    const script = interpolate(text(test));
    return script === undefined || script === null ? undefined : { ...check, shell: script };
  }
  const words = readList(test);
  if (words?.[0] === 'CMD-SHELL' && words.length === 2) return { ...check, shell: words[1] };
  if (words?.[0] === 'CMD' && words.length > 1) return { ...check, exec: words.slice(1) };
  return undefined;
}

/**
 * The container side of a `volumes:` entry that mounts the host: `./data:/app/data`,
 * `/srv/app:/data:ro`, `~/x:/x`, or the long form with `type: bind`. Undefined for a named volume
 * (`data:/app/data`), an anonymous one (`/app/data`) or a path left to a variable.
 */
function hostMountTarget(item: YamlNode): string | undefined {
  if (item.kind === 'map') {
    if (text(get(item, 'type')) !== 'bind') return undefined;
    const target = interpolate(text(get(item, 'target')));
    return typeof target === 'string' && target.startsWith('/') ? target : undefined;
  }
  const value = interpolate(text(item));
  if (typeof value !== 'string') return undefined;
  const [source, target] = value.split(':');
  if (target === undefined || !/^[./~]/.test(source) || !target.startsWith('/')) return undefined;
  let path = target;
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}

/** The container paths a service mounts host folders or files on; undefined when none. */
export function serviceHostMounts(service: Service): HostMounts | undefined {
  const list = get(service.value, 'volumes');
  if (list?.kind !== 'seq') return undefined;
  const paths: string[] = [];
  for (const item of list.items) {
    const target = hostMountTarget(item);
    if (target !== undefined && !paths.includes(target)) paths.push(target);
  }
  if (paths.length === 0) return undefined;
  return {
    label: `service ${service.key}`,
    line: keyLine(service.value, 'volumes') ?? service.keyLine,
    paths,
  };
}
