/**
 * Starts the built language server (server/dist/server.js --stdio) for the protocol tests, and
 * kills any still running when the test file ends, so a failed test cannot hang the run.
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

export function spawnServer(
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  liveServers.add(child);
  child.once('exit', () => liveServers.delete(child));
  return child;
}
