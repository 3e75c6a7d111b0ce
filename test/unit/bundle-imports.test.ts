// What the shipped code can reach on the host. The core and the CLI import no module that starts
// processes or talks to the network; in the language server such modules come only from the LSP
// libraries, for features the server does not use (listed below with the reason). Checked twice:
// on esbuild's metafile of each bundle (who imports what), and on the built files themselves
// (every `require("…")` call, found with the TypeScript parser).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { build, type Metafile } from 'esbuild';
import ts from 'typescript';
import { ROOT } from '../support/fixtures';

/** Node modules that start processes, open connections or run code outside the bundle. */
const HOST_ACCESS = new Set(
  [
    'child_process',
    'net',
    'http',
    'https',
    'http2',
    'tls',
    'dgram',
    'dns',
    'cluster',
    'worker_threads',
    'inspector',
    'vm',
    'module',
  ].flatMap((name) => [name, `node:${name}`]),
);

/** Imports of such modules that ship in the language server, and why they are never used. */
const LIBRARY_EXCEPTIONS: Record<string, { module: string; why: string }[]> = {
  'node_modules/vscode-languageserver/lib/node/files.js': [
    { module: 'child_process', why: 'resolveGlobalNodePath(), which the server never calls' },
  ],
  'node_modules/vscode-jsonrpc/lib/node/main.js': [
    { module: 'net', why: 'the pipe and socket transports; the server runs over stdio or IPC' },
  ],
};

const BUNDLES = {
  core: { entry: 'server/src/core/index.ts', file: 'server/dist/core.js' },
  cli: { entry: 'server/src/cli.ts', file: 'server/dist/cli.js' },
  server: { entry: 'server/src/server.ts', file: 'server/dist/server.js' },
} as const;

async function metafileOf(entry: string): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    metafile: true,
    // Paths as in the checkout (node_modules/…), also where node_modules is a link elsewhere.
    preserveSymlinks: true,
    outfile: join(ROOT, 'out', 'metafile-probe.js'),
    logLevel: 'silent',
  });
  return result.metafile;
}

/** Every import of a module outside the bundle: [importer, module]. */
function externalImports(metafile: Metafile): [string, string][] {
  return Object.entries(metafile.inputs).flatMap(([input, info]) =>
    info.imports.filter((i) => i.external).map((i): [string, string] => [input, i.path]),
  );
}

/** The string arguments of every `require(...)` call in a JavaScript file. */
function requiredModules(path: string): string[] {
  const file = ts.createSourceFile(
    path,
    readFileSync(path, 'utf8'),
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.JS,
  );
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'require' &&
      node.arguments.length === 1
    ) {
      const [arg] = node.arguments;
      found.push(ts.isStringLiteralLike(arg) ? arg.text : `<computed: ${arg.getText(file)}>`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function isException(importer: string, module: string): boolean {
  const bare = module.replace(/^node:/, '');
  return (LIBRARY_EXCEPTIONS[importer] ?? []).some((e) => e.module === bare);
}

describe('the bundles cannot start processes or open connections', () => {
  test('the core imports nothing outside itself, dockerfile-ast and shell-quote', async () => {
    const metafile = await metafileOf(BUNDLES.core.entry);
    assert.deepEqual(externalImports(metafile), []);
    const allowed =
      /^(server\/src\/core\/|node_modules\/(dockerfile-ast|shell-quote|vscode-languageserver-types|vscode-languageserver-textdocument)\/)/;
    assert.deepEqual(
      Object.keys(metafile.inputs).filter((input) => !allowed.test(input)),
      [],
    );
    assert.deepEqual(requiredModules(join(ROOT, BUNDLES.core.file)), []);
  });

  test('the CLI reads files and nothing more', async () => {
    const imports = externalImports(await metafileOf(BUNDLES.cli.entry));
    // buffer and process: the yaml package (binary scalars, warnings); node:url: file URIs
    // of the build files that declare a Dockerfile's builds, and of the rule pages.
    assert.deepEqual([...new Set(imports.map(([, module]) => module))].sort(), [
      'buffer',
      'node:fs',
      'node:path',
      'node:url',
      'process',
    ]);
    assert.deepEqual(
      requiredModules(join(ROOT, BUNDLES.cli.file)).filter((m) => HOST_ACCESS.has(m)),
      [],
    );
  });

  test("the server's own code imports no host-access module", async () => {
    const imports = externalImports(await metafileOf(BUNDLES.server.entry));
    const own = imports.filter(([importer]) => importer.startsWith('server/src/'));
    assert.deepEqual(
      own.filter(([, module]) => HOST_ACCESS.has(module)),
      [],
    );
    // And libraries do only where listed, with a reason.
    assert.deepEqual(
      imports.filter(
        ([importer, module]) =>
          HOST_ACCESS.has(module) &&
          !importer.startsWith('server/src/') &&
          !isException(importer, module),
      ),
      [],
    );
  });

  test('the built server requires no other host-access module', () => {
    const required = requiredModules(join(ROOT, BUNDLES.server.file));
    assert.ok(
      !required.some((m) => m.startsWith('<computed')),
      `computed require: ${required.join(', ')}`,
    );
    const expected = Object.values(LIBRARY_EXCEPTIONS).flatMap((list) => list.map((e) => e.module));
    assert.deepEqual(
      [...new Set(required.filter((m) => HOST_ACCESS.has(m)))].sort(),
      [...new Set(expected)].sort(),
    );
  });
});
