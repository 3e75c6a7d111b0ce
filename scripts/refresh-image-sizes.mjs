// Refreshes the image sizes the extension ships (server/src/core/data/image-sizes.json): the
// compressed size of the linux/amd64 image of each family the hover and the Convert CodeLens
// compare (golang, golang alpine, distroless static and base, alpine, debian slim), summed from
// the layer sizes of its manifest in the registry (anonymous pulls). The extension reads only the
// JSON file; nothing is fetched at run time.
//
//   node scripts/refresh-image-sizes.mjs [--date YYYY-MM-DD] [--out FILE]
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_FILE = join(root, 'server', 'src', 'core', 'data', 'image-sizes.json');

// The Debian release of the distroless images: keep in step with CURRENT_DEBIAN in
// server/src/core/model/images.ts.
const DEBIAN = 'debian13';

/** The images measured, one per family the extension knows the size of. */
export const IMAGES = [
  { key: 'golang', image: 'golang:latest' },
  { key: 'golang-alpine', image: 'golang:alpine' },
  { key: 'debian-slim', image: 'debian:stable-slim' },
  { key: 'distroless-base', image: `gcr.io/distroless/base-${DEBIAN}:nonroot` },
  { key: 'alpine', image: 'alpine:latest' },
  { key: 'distroless-static', image: `gcr.io/distroless/static-${DEBIAN}:nonroot` },
];

const INDEX_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

const timeout = () => globalThis.AbortSignal.timeout(60_000);

/** `golang:alpine` → the registry host, repository path and tag to ask for. */
export function registryReference(image) {
  let rest = image;
  let tag = 'latest';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const slash = rest.indexOf('/');
  const head = slash < 0 ? '' : rest.slice(0, slash);
  if (head.includes('.') || head.includes(':') || head === 'localhost') {
    return { host: head, repository: rest.slice(slash + 1), tag };
  }
  // Docker Hub: official images live under `library/`.
  return {
    host: 'registry-1.docker.io',
    repository: slash < 0 ? `library/${rest}` : rest,
    tag,
  };
}

/**
 * The token request a registry's `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`
 * challenge asks for, as a URL; undefined for another scheme.
 */
export function tokenUrl(challenge) {
  const match = /^\s*Bearer\s+(.*)$/i.exec(challenge ?? '');
  if (!match) return undefined;
  const params = {};
  for (const [, name, value] of match[1].matchAll(/(\w+)="([^"]*)"/g)) params[name] = value;
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  return url.toString();
}

/** The digest of the linux/amd64 image of an image index (a multi-platform manifest list). */
export function amd64Digest(index) {
  const entry = (index.manifests ?? []).find(
    (m) => m.platform?.os === 'linux' && m.platform?.architecture === 'amd64',
  );
  if (!entry) throw new Error('the image index has no linux/amd64 image');
  return entry.digest;
}

/** The compressed size of an image manifest: the sum of its layers. */
export function layersSize(manifest) {
  if (!Array.isArray(manifest.layers)) throw new Error('the manifest lists no layers');
  return manifest.layers.reduce((sum, layer) => {
    if (!Number.isInteger(layer.size) || layer.size < 0) throw new Error('a layer has no size');
    return sum + layer.size;
  }, 0);
}

/**
 * The compressed linux/amd64 size of an image, asking its registry with `fetchImpl` (the global
 * fetch by default): the tag's manifest (an index leads to the amd64 manifest), with an anonymous
 * token when the registry asks for one.
 */
export async function measure(image, fetchImpl = globalThis.fetch) {
  const { host, repository, tag } = registryReference(image);
  let token;
  const get = async (reference, accept) => {
    const url = `https://${host}/v2/${repository}/manifests/${reference}`;
    const headers = { Accept: accept.join(', ') };
    if (token) headers.Authorization = `Bearer ${token}`;
    let response = await fetchImpl(url, { headers, signal: timeout() });
    if (response.status === 401 && !token) {
      const auth = tokenUrl(response.headers.get('www-authenticate'));
      if (!auth) throw new Error(`${url}: HTTP 401 without a Bearer challenge`);
      const grant = await fetchImpl(auth, { signal: timeout() });
      if (!grant.ok) throw new Error(`${auth}: HTTP ${grant.status}`);
      const body = await grant.json();
      token = body.token ?? body.access_token;
      headers.Authorization = `Bearer ${token}`;
      response = await fetchImpl(url, { headers, signal: timeout() });
    }
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return response.json();
  };
  let manifest = await get(tag, [...INDEX_TYPES, ...MANIFEST_TYPES]);
  if (Array.isArray(manifest.manifests)) {
    manifest = await get(amd64Digest(manifest), MANIFEST_TYPES);
  }
  return layersSize(manifest);
}

/** The data file's content. */
export function sizeData(measured, { date, source }) {
  return {
    date,
    measure:
      'Compressed size of the linux/amd64 image in bytes (the sum of its layers: what a pull downloads, not the size on disk).',
    source,
    images: [
      ...measured.map(({ key, image, bytes }) => ({
        key,
        image,
        bytes,
        from: `registry, ${date}`,
      })),
      { key: 'scratch', image: 'scratch', bytes: 0, from: 'an empty image' },
    ],
  };
}

async function formatJson(value) {
  const text = JSON.stringify(value, null, 2) + '\n';
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(DATA_FILE)) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text;
  }
}

async function main(argv) {
  const option = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const date = option('--date') ?? new Date().toISOString().slice(0, 10);
  const out = option('--out') ?? DATA_FILE;
  const measured = [];
  for (const { key, image } of IMAGES) {
    const bytes = await measure(image);
    measured.push({ key, image, bytes });
    console.log(`${image}: ${(bytes / 1e6).toFixed(1)} MB`);
  }
  const source = `Generated by scripts/refresh-image-sizes.mjs on ${date} from the registries' manifests.`;
  writeFileSync(out, await formatJson(sizeData(measured, { date, source })));
  console.log(`${out}: ${measured.length + 1} images`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`refresh-image-sizes: ${error.message}`);
    process.exitCode = 1;
  });
}
