// Bundles the extension client, the language server, the CLI and the core library with esbuild,
// and copies the rule pages beside them (server/dist/rules/<id>.md: the links of the findings and
// of SARIF point there, and the .vsix ships them). Type-checking is separate (`npm run typecheck`).
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readdir, rm } from 'node:fs/promises';

const production = !process.argv.includes('--dev');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  legalComments: 'none',
};

await rm('client/dist', { recursive: true, force: true });
await rm('server/dist', { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'client/dist/extension.js',
    external: ['vscode'],
  }),
  build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'server/dist/server.js' }),
  build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'server/dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({ ...common, entryPoints: ['server/src/core/index.ts'], outfile: 'server/dist/core.js' }),
]);
await chmod('server/dist/cli.js', 0o755);

const rulesSource = 'server/src/core/rules';
await mkdir('server/dist/rules', { recursive: true });
for (const name of await readdir(rulesSource)) {
  if (name.endsWith('.md')) await copyFile(`${rulesSource}/${name}`, `server/dist/rules/${name}`);
}
