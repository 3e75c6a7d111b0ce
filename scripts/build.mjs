// Bundles the extension client, the language server, the CLI and the core library with esbuild.
// Type-checking is separate (`npm run typecheck`).
import { build } from 'esbuild';
import { chmod, rm } from 'node:fs/promises';

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
