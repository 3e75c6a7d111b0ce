// Where the offline VS Code runtime lives: shared by the setup script, the shim and the runners.
// code-server 4.100.3 is the VS Code 1.100.3 server (workbench + Node extension host) and the last
// release whose engines.node accepts Node 20.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';

/** The cache folder code-server is installed into: never inside the repository. */
export function runtimeDir() {
  const explicit = process.env.GO_MULTISTAGE_VSCODE_CACHE;
  if (explicit) return explicit;
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'go-multistage', `code-server-${CODE_SERVER_VERSION}`);
}

/** The code-server entry script inside the runtime folder. */
export function codeServerEntry(dir = runtimeDir()) {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Written last by the setup script: its presence means the install completed. */
export function installedMarker(dir = runtimeDir()) {
  return join(dir, '.installed');
}

export function runtimeInstalled(dir = runtimeDir()) {
  return existsSync(installedMarker(dir)) && existsSync(codeServerEntry(dir));
}

export const CHROMIUM = process.env.GO_MULTISTAGE_CHROMIUM || '/usr/bin/chromium';
