// The benchmark's LSP client is the protocol tests' own (test/support/lsp-client.ts): bundled
// here with esbuild, since `npm run bench` does not compile the tests. The tests' hook that kills
// servers left running when a test file ends (node:test's `after`) is replaced by a no-op: the
// benchmark stops each server it starts.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository, so that the client finds its root (test/support/paths.ts) from here.
const bundle = join(root, 'out', 'bench', 'lsp-client.cjs');

await build({
  entryPoints: [join(root, 'test/support/lsp-client.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  plugins: [
    {
      name: 'no-test-runner',
      setup(esbuild) {
        esbuild.onResolve({ filter: /^node:test$/ }, () => ({
          path: 'node:test',
          namespace: 'stub',
        }));
        esbuild.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
          contents: 'export function after() {}',
          loader: 'js',
        }));
      },
    },
  ],
});

/** The protocol tests' client: `TestClient.start({ pull })`. */
export const { TestClient } = createRequire(import.meta.url)(bundle);

export function fileUri(path) {
  return pathToFileURL(path).href;
}
