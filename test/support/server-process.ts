/**
 * Starts the built language server (server/dist/server.js --stdio), and kills any still running
 * when the test file ends, so a failed test cannot hang the run. (The benchmark bundles this
 * module with the client and stops its servers itself: it replaces `node:test` with a stub.)
 */
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { after } from 'node:test';
import { repoRoot } from './paths';

export const SERVER = join(repoRoot, 'server', 'dist', 'server.js');

const liveServers = new Set<ChildProcess>();
after(() => {
  for (const child of liveServers) child.kill();
});

export interface SpawnOptions {
  /** Extra arguments for node before the server script (e.g. `--require`). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export function spawnServer(options: SpawnOptions = {}): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  liveServers.add(child);
  child.once('exit', () => liveServers.delete(child));
  return child;
}
