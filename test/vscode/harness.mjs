// The pieces both real-VS Code runners share: a throwaway sandbox folder, code-server started
// hermetically inside it, headless Debian chromium that may talk only to that code-server, and a
// cleanup list that ends every process and removes the sandbox on every way out.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CHROMIUM,
  codeServerEntry,
  runtimeDir,
  runtimeInstalled,
} from '../../scripts/vscode/paths.mjs';

/** Env variable that marks every process of one run, so strays can be found and ended. */
const SANDBOX_MARK = 'GO_MULTISTAGE_VSCODE_SANDBOX';

export const verbose = process.env.GO_MULTISTAGE_VSCODE_VERBOSE === '1';

/**
 * A folder under the OS temp dir holding everything one run writes: code-server's user data,
 * extensions and config, the XDG folders and TMPDIR of code-server and chromium.
 */
export function createSandbox(prefix) {
  const root = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const dir = (name) => {
    const path = join(root, name);
    mkdirSync(path, { recursive: true });
    return path;
  };
  return {
    root,
    userData: dir('user-data'),
    extensions: dir('extensions'),
    config: join(root, 'code-server.yaml'),
    home: dir('home'),
    xdgConfig: dir('xdg/config'),
    xdgData: dir('xdg/data'),
    xdgCache: dir('xdg/cache'),
    tmp: dir('tmp'),
  };
}

/** The environment of every process a run starts: nothing of it lands outside the sandbox. */
export function sandboxEnv(sandbox, extra = {}) {
  return {
    ...process.env,
    HOME: sandbox.home,
    XDG_CONFIG_HOME: sandbox.xdgConfig,
    XDG_DATA_HOME: sandbox.xdgData,
    XDG_CACHE_HOME: sandbox.xdgCache,
    TMPDIR: sandbox.tmp,
    // An empty gallery turns the marketplace off: the run never looks for extensions online.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    [SANDBOX_MARK]: sandbox.root,
    ...extra,
  };
}

/**
 * Runs steps in reverse order of registration, each at most once; every failure is reported
 * but does not stop the remaining steps.
 */
export class Cleanup {
  #steps = [];
  #sync = [];

  /** `step` runs on an orderly exit; `sync`, when given, on a sudden one (process 'exit'). */
  add(step, sync) {
    this.#steps.push(step);
    if (sync) this.#sync.push(sync);
  }

  async run() {
    const steps = this.#steps.splice(0).reverse();
    this.#sync.length = 0;
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        console.error(`[vscode] cleanup step failed: ${error?.message ?? error}`);
      }
    }
  }

  runSync() {
    for (const step of this.#sync.splice(0).reverse()) {
      try {
        step();
      } catch {
        // Last resort on exit: nothing left to report to.
      }
    }
  }
}

/** The ids of live processes whose environment carries this sandbox's mark (Linux /proc). */
function markedProcesses(sandboxRoot) {
  const needle = `${SANDBOX_MARK}=${sandboxRoot}\0`;
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if ((readFileSync(`/proc/${entry}/environ`, 'latin1') + '\0').includes(needle)) {
        found.push(Number(entry));
      }
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return found;
}

function killQuietly(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/** Ends every process started for the sandbox (by process group, then by mark) and removes it. */
export function registerSandboxCleanup(cleanup, sandbox) {
  const sweep = () => {
    for (const pid of markedProcesses(sandbox.root)) killQuietly(pid, 'SIGKILL');
    rmSync(sandbox.root, { recursive: true, force: true, maxRetries: 3 });
  };
  cleanup.add(async () => {
    const strays = markedProcesses(sandbox.root);
    if (strays.length > 0 && verbose) console.log(`[vscode] ending stray processes ${strays}`);
    sweep();
  }, sweep);
}

/** Resolves when `child` has exited, or after `ms`; true when it exited. */
function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts code-server on a free loopback port chosen by the OS and resolves once it listens.
 * `args` are extra arguments (a folder, `--install-extension`, …).
 */
export async function startCodeServer(cleanup, sandbox, { args = [], env = {} } = {}) {
  if (!runtimeInstalled()) {
    throw new Error(
      `code-server is not installed in ${runtimeDir()}: run \`node scripts/vscode/setup.mjs\``,
    );
  }
  const child = spawn(
    process.execPath,
    [
      codeServerEntry(),
      '--bind-addr',
      '127.0.0.1:0',
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
      '--user-data-dir',
      sandbox.userData,
      '--extensions-dir',
      sandbox.extensions,
      '--config',
      sandbox.config,
      ...args,
    ],
    // Its own process group, so that it and everything it starts can be ended together.
    { env: sandboxEnv(sandbox, env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = [];
  const remember = (chunk) => {
    for (const line of chunk.toString().split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 200) output.shift();
      if (verbose) console.log(`[code-server] ${line}`);
    }
  };
  child.stdout.on('data', remember);
  child.stderr.on('data', remember);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killQuietly(-child.pid, 'SIGTERM');
    if (!(await exited(child, 5000))) {
      killQuietly(-child.pid, 'SIGKILL');
      await exited(child, 2000);
    }
  };
  cleanup.add(stop, () => killQuietly(-child.pid, 'SIGKILL'));

  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('code-server did not listen within 30 s')),
      30000,
    );
    const onData = (chunk) => {
      const match = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (${code ?? signal})`));
    });
  });
  return { child, port, output, stop };
}

/** Runs code-server once as a command (e.g. `--install-extension`) inside the sandbox. */
export function codeServerCommand(sandbox, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        codeServerEntry(),
        '--user-data-dir',
        sandbox.userData,
        '--extensions-dir',
        sandbox.extensions,
        '--config',
        sandbox.config,
        ...args,
      ],
      { env: sandboxEnv(sandbox), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => (text += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`code-server ${args.join(' ')}: ${text}`)),
    );
  });
}

/** Headless Debian chromium with its profile, cache and temp files inside the sandbox. */
export async function launchChromium(cleanup, sandbox) {
  // Playwright puts chromium's profile and its artifacts in os.tmpdir() of this process: point
  // that into the sandbox before Playwright is first loaded, so a killed run leaves them there.
  process.env.TMPDIR = sandbox.tmp;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The runner handles signals itself and closes the browser in its cleanup.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    env: sandboxEnv(sandbox),
    args: ['--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking'],
  });
  cleanup.add(() => browser.close());
  return browser;
}

/** A page that may only reach the given code-server: every other request is aborted. */
export async function isolatedPage(browser, port, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && url.port === String(port)) return route.continue();
    if (verbose) console.log(`[vscode] blocked request to ${url.origin}`);
    return route.abort('blockedbyclient');
  });
  return context.newPage();
}

/** The workbench URL of a folder, with an optional Extension Development Host payload. */
export function workbenchUrl(port, { folder, workspace, payload } = {}) {
  const url = new URL(`http://127.0.0.1:${port}/`);
  if (folder) url.searchParams.set('folder', folder);
  if (workspace) url.searchParams.set('workspace', workspace);
  if (payload) url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/** A `vscode-remote:` URI for a path on the code-server machine. */
export function remoteUri(port, path) {
  return `vscode-remote://127.0.0.1:${port}${path}`;
}

/**
 * The life of one runner process: messages stamped with the time since start, a cleanup list,
 * and one way out, `finish(code, reason)`, taken on completion, failure, the overall timeout and
 * SIGINT/SIGTERM/SIGHUP alike. It runs `beforeCleanup(code)` (e.g. a failure screenshot), the
 * cleanup steps, and exits with `code`. A sudden exit still runs the synchronous cleanup steps.
 */
export function startRun(label, { timeoutMs, beforeCleanup } = {}) {
  const started = performance.now();
  const cleanup = new Cleanup();
  let finishing = false;
  const say = (message) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`[${label} +${seconds} s] ${message}`);
  };
  const finish = async (code, reason) => {
    if (finishing) return;
    finishing = true;
    clearTimeout(timer);
    if (reason) say(reason);
    await beforeCleanup?.(code).catch(() => undefined);
    await cleanup.run();
    say('stopped code-server and chromium, removed the sandbox');
    process.exit(code);
  };
  const timer = setTimeout(
    () => void finish(1, `did not finish within ${timeoutMs / 1000} s`),
    timeoutMs,
  );
  // Kept for the whole run: a second signal while cleaning up must not kill the process halfway.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => finish(128 + constants.signals[signal], `received ${signal}`));
  }
  process.once('exit', () => cleanup.runSync());
  return { say, cleanup, finish, finishing: () => finishing };
}

/** The overall time limit of a run, GO_MULTISTAGE_VSCODE_TIMEOUT_MS (default 300 s). */
export const RUN_TIMEOUT_MS = Number(process.env.GO_MULTISTAGE_VSCODE_TIMEOUT_MS || 300000);
