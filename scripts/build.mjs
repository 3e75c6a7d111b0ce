// Bundles the extension client, the language server, the CLI and the core library with esbuild,
// copies the rule pages beside them (server/dist/rules/<id>.md: the links of the findings and of
// SARIF point there, and the .vsix ships them), and writes the snippets the extension contributes
// (client/dist/snippets.json). Type-checking is separate (`npm run typecheck`).
import { build } from 'esbuild';
import { chmod, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const production = !process.argv.includes('--dev');
// The yaml package's ES module build (the one its exports give to bundlers outside Node): the same
// code as its CommonJS build, but esbuild can leave out what the server never calls (stringify,
// the CST composer's visitors), 5 KB of the compressed .vsix, which must stay under 500 KB.
const yamlModule = join(
  dirname(createRequire(import.meta.url).resolve('yaml/package.json')),
  'browser/index.js',
);
// The language server reads only the whole-file templates of the snippet file (the fragments
// are VS Code's, from client/dist/snippets.json): its bundle gets the templates alone, 1.4 KB of
// the compressed .vsix.
const templatesOnly = {
  name: 'snippet-templates-only',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]snippets[\\/]go-dockerfile\.json$/ }, async ({ path }) => {
      const snippets = JSON.parse(await readFile(path, 'utf8'));
      const templates = Object.entries(snippets).filter(([, snippet]) => snippet.isFileTemplate);
      return { contents: JSON.stringify(Object.fromEntries(templates)), loader: 'json' };
    });
  },
};
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
  build({
    ...common,
    entryPoints: ['server/src/server.ts'],
    outfile: 'server/dist/server.js',
    alias: { yaml: yamlModule },
    plugins: [templatesOnly],
  }),
  build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    alias: { yaml: yamlModule },
    outfile: 'server/dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: ['server/src/core/index.ts'],
    outfile: 'server/dist/core.js',
    alias: { yaml: yamlModule },
  }),
]);
await chmod('server/dist/cli.js', 0o755);

const rulesSource = 'server/src/core/rules';
await mkdir('server/dist/rules', { recursive: true });
for (const name of await readdir(rulesSource)) {
  if (name.endsWith('.md')) await copyFile(`${rulesSource}/${name}`, `server/dist/rules/${name}`);
}

// The snippets VS Code gets from the extension: the fragments with their prefixes, and the
// whole-file templates without one. VS Code sorts an extension's snippets after every language
// server item and by prefix, which put the templates below the fragments and go-ms-dev before
// go-ms-distroless; the language server offers the templates in an empty Dockerfile instead, in
// the order of the snippet file (most wanted first) and pinned to go.mod's Go version. Without a
// prefix, the templates stay in "Snippets: Fill File with Snippet" and the empty-file actions.
const snippets = JSON.parse(await readFile('snippets/go-dockerfile.json', 'utf8'));
const contributed = Object.fromEntries(
  Object.entries(snippets).map(([name, snippet]) => {
    if (!snippet.isFileTemplate) return [name, snippet];
    const withoutPrefix = { ...snippet };
    delete withoutPrefix.prefix;
    return [name, withoutPrefix];
  }),
);
// Written without indentation: VS Code reads it, nobody edits it, and the .vsix is smaller.
await writeFile('client/dist/snippets.json', JSON.stringify(contributed) + '\n');
