/**
 * Small Go module trees on disk (standard library only) for the checks between a Dockerfile and
 * its module, run over the CLI and the protocol.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type Tree = Record<string, string>;

/** Writes a tree into a new temporary folder and returns the folder. */
export function writeTree(tree: Tree): string {
  const root = mkdtempSync(join(tmpdir(), 'gm-module-'));
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const goMod = 'module example.com/shop\n\ngo 1.22\n';
const mainGo =
  'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/shop/internal/version"\n)\n\n' +
  'var version string\n\nfunc main() { fmt.Println(version, version.Version) }\n';
const versionGo = 'package version\n\n// Version is stamped at link time.\nvar Version string\n';

/** A Dockerfile that builds ./cmd/shop with the given -ldflags, after copying go.mod (+ go.sum). */
export function shopDockerfile(ldflags: string, sum = false): string {
  return [
    'FROM golang:1.24 AS build',
    'WORKDIR /src',
    `COPY go.mod ${sum ? 'go.sum ' : ''}./`,
    'RUN go mod download',
    'COPY . .',
    `RUN go build -ldflags="${ldflags}" -o /out/shop ./cmd/shop`,
    '',
  ].join('\n');
}

/** The shop module: a main package in cmd/shop and a version package; no go.sum. */
export function shopTree(dockerfile: string, extra: Tree = {}): Tree {
  return {
    'go.mod': goMod,
    'cmd/shop/main.go': mainGo,
    'internal/version/version.go': versionGo,
    Dockerfile: dockerfile,
    ...extra,
  };
}
