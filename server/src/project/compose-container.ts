/**
 * What a compose service says of the container it runs, besides its start command: the ports it
 * listens on (the container side of each `ports:` entry and the `expose:` list), which tell where
 * the program listens as the project runs it (a `":80"` in its sources may be a default the
 * service's environment replaces), and the health check it runs in it (`healthcheck: test:`).
 */
import type { DeclaredPorts, HealthCheck } from '../core/types';
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
