/**
 * The ports a compose service says its container listens on: the container side of each
 * `ports:` entry and the `expose:` list. They tell where the program listens as the project runs
 * it (a `":80"` in its sources may be a default the service's environment replaces).
 */
import type { DeclaredPorts } from '../core/types';
import { substitute } from './variables';
import { get, keyLine, text, type YamlMap, type YamlNode } from './yaml-tree';

type Service = YamlMap['entries'][number];

/**
 * The container port of one entry: `8080`, `"8080:8080"`, `"127.0.0.1:80:8080/tcp"`,
 * `"[::1]:6001:6001"`, or the long form's `target:`. Undefined for a range (`"3000-3005"`) or a
 * port left to a variable: then the service's ports are not known.
 */
function containerPort(item: YamlNode, variables: ReadonlyMap<string, string | null>) {
  const raw = item.kind === 'map' ? text(get(item, 'target')) : text(item);
  if (raw === undefined) return undefined;
  const value = substitute(raw, variables, { dollarEscape: true });
  if (value === null) return undefined;
  const port = value.split('/')[0].split(':').pop() ?? '';
  return /^\d{1,5}$/.test(port) ? Number(port) : undefined;
}

/**
 * A service's declared ports, or undefined when it declares none or one of them is not known.
 */
export function servicePorts(
  service: Service,
  variables: ReadonlyMap<string, string | null>,
): DeclaredPorts | undefined {
  const ports: number[] = [];
  let line: number | undefined;
  for (const key of ['ports', 'expose']) {
    const list = get(service.value, key);
    if (list === undefined) continue;
    if (list.kind !== 'seq') return undefined;
    line ??= keyLine(service.value, key);
    for (const item of list.items) {
      const port = containerPort(item, variables);
      if (port === undefined) return undefined;
      if (!ports.includes(port)) ports.push(port);
    }
  }
  if (ports.length === 0) return undefined;
  return { label: `service ${service.key}`, line: line ?? service.keyLine, ports };
}
