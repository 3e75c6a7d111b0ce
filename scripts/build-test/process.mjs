// Running commands for the real-build tests: buildah always on the private storage of the cache
// folder with chroot isolation (there is no container daemon and no OCI runtime here), every
// command's output captured, and one run at a time holding the cache's lock.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { cacheDir, lockFile, runrootDir, storageDir, tmpDir } from './paths.mjs';

/** The options every buildah call gets: the cache's storage, never /var/lib/containers. */
export function buildahGlobalArgs() {
  return ['--root', storageDir(), '--runroot', runrootDir(), '--storage-driver', 'overlay'];
}

/** buildah's environment: chroot isolation for every run, its temporary files in the cache. */
function buildahEnv() {
  mkdirSync(tmpDir(), { recursive: true });
  return { ...process.env, BUILDAH_ISOLATION: 'chroot', TMPDIR: tmpDir() };
}

/** Whether an executable of that name is on PATH. */
export function hasCommand(name) {
  const dirs = (process.env.PATH || '').split(delimiter);
  // debootstrap lives in /usr/sbin, which a non-login root shell may lack on PATH.
  for (const dir of [...dirs, '/usr/sbin', '/sbin']) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** The last lines of a command's output, indented, for failure reports. */
export function tail(text, lines = 25) {
  const all = text.replace(/\s+$/, '').split('\n');
  const shown = all.slice(-lines).map((line) => `    ${line}`);
  if (all.length > lines) shown.unshift(`    ... (${all.length - lines} lines before)`);
  return shown.join('\n');
}

/** Runs a command to completion; throws with the end of its output when it fails. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n` +
        tail(`${result.stdout}\n${result.stderr}`),
    );
  }
  return result.stdout;
}

/** Child process groups still running, killed when the run is interrupted. */
const running = new Set();

function killGroup(child, signal = 'SIGKILL') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a command in its own process group, capturing stdout, stderr and both interleaved.
 * Resolves (never rejects on a non-zero status) with { status, signal, stdout, stderr, output,
 * timedOut }. On timeout the whole group is stopped, so a program started by `buildah run` goes
 * too: SIGTERM first, which lets buildah clean up, SIGKILL 3 s later.
 */
export function runAsync(command, args, { timeoutMs, env, cwd, input } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      detached: true,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    running.add(child);
    const out = [];
    const err = [];
    const all = [];
    child.stdout.on('data', (chunk) => (out.push(chunk), all.push(chunk)));
    child.stderr.on('data', (chunk) => (err.push(chunk), all.push(chunk)));
    if (input !== undefined) child.stdin.end(input);
    let timedOut = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            killGroup(child, 'SIGTERM');
            setTimeout(() => running.has(child) && killGroup(child), 3000).unref();
          }, timeoutMs);
    child.on('error', (error) => {
      running.delete(child);
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      running.delete(child);
      clearTimeout(timer);
      resolvePromise({
        status,
        signal,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        output: Buffer.concat(all).toString('utf8'),
      });
    });
  });
}

/** buildah on the private storage; returns stdout, throws on failure. */
export function buildah(args, options = {}) {
  return run('buildah', [...buildahGlobalArgs(), ...args], { env: buildahEnv(), ...options });
}

/** buildah on the private storage, asynchronously; resolves with the runAsync result. */
export function buildahAsync(args, options = {}) {
  return runAsync('buildah', [...buildahGlobalArgs(), ...args], { env: buildahEnv(), ...options });
}

/** Like buildahAsync, but rejects with the end of the output when the command fails. */
export async function buildahChecked(args, options = {}) {
  const result = await buildahAsync(args, options);
  if (result.status !== 0) {
    throw new Error(`buildah ${args.join(' ')} failed\n${tail(result.output)}`);
  }
  return result.stdout;
}

/** Whether the private storage holds an image by that name. */
export function imageExists(name) {
  const result = spawnSync(
    'buildah',
    [...buildahGlobalArgs(), 'inspect', '--type', 'image', name],
    { env: buildahEnv(), stdio: 'ignore' },
  );
  return result.status === 0;
}

let lockHeld = false;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Takes the cache's lock for this process (idempotent): a second run at the same time would have
 * its containers removed by this one. A lock left by a process that is gone is taken over. The
 * lock is released on exit; Ctrl-C also kills the builds and runs in flight.
 */
export function acquireLock() {
  if (lockHeld) return;
  mkdirSync(cacheDir(), { recursive: true });
  const file = lockFile();
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw new Error(`another real-build run (pid ${pid}) is using ${cacheDir()}`);
      }
      rmSync(file, { force: true });
    }
  }
  lockHeld = true;
  // What buildah processes killed by an earlier run left in their TMPDIR.
  rmSync(tmpDir(), { recursive: true, force: true });
  process.on('exit', () => {
    for (const child of running) killGroup(child);
    rmSync(file, { force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      console.error(`\ninterrupted (${signal}): stopping builds; the next run cleans up`);
      process.exit(130);
    });
  }
}
