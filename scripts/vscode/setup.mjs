// Installs what the real-VS Code tests need on a machine that reaches only the npm registry and
// Debian's packages: Debian's chromium, ripgrep and fonts, the build tools code-server's native
// modules compile with, and code-server from npm into a cache folder outside the repository.
// Idempotent: every step that is already done is skipped. Prints where the runtime is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CHROMIUM,
  CODE_SERVER_VERSION,
  codeServerEntry,
  installedMarker,
  runtimeDir,
  runtimeInstalled,
} from './paths.mjs';

// chromium renders the workbench; ripgrep stands in for the binary @vscode/ripgrep would download;
// kerberos needs gssapi headers (libkrb5-dev) and node-pty/kerberos compile with node-gyp.
const APT_PACKAGES = [
  'chromium',
  'ripgrep',
  'fonts-dejavu-core',
  'libkrb5-dev',
  'pkg-config',
  'build-essential',
  'python3',
];

// code-server 4.100.3 pins @vscode/ripgrep 1.15.11 (lib/vscode/npm-shrinkwrap.json), whose
// postinstall fetches release v13.0.0-10 unless the archive is already in its TMPDIR cache.
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RIPGREP_TARGETS = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };

function log(message) {
  console.log(`[vscode-setup] ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

function missingAptPackages() {
  return APT_PACKAGES.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return query.status !== 0 || !query.stdout.includes('install ok installed');
  });
}

function installAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) {
    log('Debian packages present');
    return;
  }
  const root = process.getuid?.() === 0;
  const sudo = root ? [] : ['sudo'];
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [command, ...prefix] = [...sudo, 'apt-get'];
  run(command, [...prefix, 'update', '-q'], { env });
  run(command, [...prefix, 'install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

function seedRipgrepCache(tmp) {
  const target = RIPGREP_TARGETS[arch()];
  if (!target) throw new Error(`no ripgrep target known for ${arch()}`);
  const cache = join(tmp, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  mkdirSync(cache, { recursive: true });
  // The archive holds a single `rg` at its root; Debian's is ripgrep 13.0.0, the same upstream.
  run('tar', [
    '-czf',
    join(cache, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`),
    '-C',
    '/usr/bin',
    'rg',
  ]);
}

function installCodeServer(dir) {
  if (runtimeInstalled(dir)) {
    log(`code-server ${CODE_SERVER_VERSION} already installed`);
    return;
  }
  // A half-finished install from an interrupted run is thrown away and redone.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'go-multistage-vscode-runtime', private: true }, null, 2) + '\n',
  );
  const tmp = mkdtempSync(join(dir, '.tmp-'));
  try {
    seedRipgrepCache(tmp);
    log(`installing code-server ${CODE_SERVER_VERSION} from npm (about a minute)`);
    const env = {
      ...process.env,
      TMPDIR: tmp,
      // code-server writes its config under ~ as soon as it runs: keep that in the scratch folder.
      XDG_CONFIG_HOME: join(tmp, 'config'),
      XDG_DATA_HOME: join(tmp, 'data'),
      // Its postinstall refuses to run as root without this.
      npm_config_unsafe_perm: 'true',
      // node-pty's postinstall runs `npx node-gyp`; without this npx asks, and with no TTY cancels.
      npm_config_yes: 'true',
      // node-gyp builds against the installed Node headers instead of downloading them.
      npm_config_nodedir: '/usr',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
    run(
      'npm',
      ['install', '--no-save', '--omit=dev', '--prefix', dir, `code-server@${CODE_SERVER_VERSION}`],
      { env, cwd: dir },
    );
    const version = spawnSync(process.execPath, [codeServerEntry(dir), '--version'], {
      env,
      encoding: 'utf8',
    });
    if (version.status !== 0 || !version.stdout.includes(CODE_SERVER_VERSION)) {
      throw new Error(`code-server did not start: ${version.stderr || version.stdout}`);
    }
    writeFileSync(installedMarker(dir), version.stdout);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const started = performance.now();
const dir = runtimeDir();
installAptPackages();
if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}`);
installCodeServer(dir);
log(`runtime: ${dir}`);
log(`chromium: ${CHROMIUM}`);
log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
