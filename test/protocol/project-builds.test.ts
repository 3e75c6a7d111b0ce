// The server reads the builds a repository declares around a Dockerfile (here a compose file):
// the stages they build get a hover section and CodeLenses linking to the declaring line, a
// change to the build file re-checks the Dockerfile, and the findings follow the stage that ships.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, test } from 'node:test';
import {
  CodeLensRequest,
  ExecuteCommandRequest,
  HoverRequest,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lsp-client';
import { lines } from '../support/rule-tester';

const DOCKERFILE = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app .',
  'FROM gcr.io/distroless/static-debian13:nonroot AS production',
  'COPY --from=build /out/app /app',
  'ENTRYPOINT ["/app"]',
  'FROM golang:1.24 AS dev',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

function compose(target: string): string {
  return lines('services:', '  api:', '    build:', '      context: .', `      target: ${target}`);
}

async function withRepo(
  run: (repo: string, client: TestClient) => Promise<void>,
  settings?: Record<string, unknown>,
): Promise<void> {
  const repo = mkdtempSync(join(tmpdir(), 'gm-protocol-builds-'));
  mkdirSync(join(repo, '.git'));
  writeFileSync(join(repo, 'go.mod'), 'module example.com/app\n\ngo 1.24\n');
  writeFileSync(join(repo, 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFileSync(join(repo, 'Dockerfile'), DOCKERFILE);
  const client = await TestClient.start({ workspaceFolder: repo, settings });
  try {
    await run(repo, client);
  } finally {
    await client.stop();
    rmSync(repo, { recursive: true, force: true });
  }
}

describe('builds declared around a Dockerfile', () => {
  test('hover and CodeLens on a stage show the builds that use it, linking to the line', async () => {
    await withRepo(async (repo, client) => {
      writeFileSync(join(repo, 'compose.yaml'), compose('production'));
      const doc = pathToFileURL(join(repo, 'Dockerfile')).href;
      const composeUri = pathToFileURL(join(repo, 'compose.yaml')).href;
      await client.open(doc, DOCKERFILE);
      const hover = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: doc },
        position: { line: 4, character: 52 },
      });
      const markdown = (hover?.contents as MarkupContent).value;
      assert.match(
        markdown,
        new RegExp(
          `Built by:\\n- \\[service api in compose\\.yaml:5\\]\\(${composeUri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}#L5\\) — an image`,
        ),
      );
      const lenses =
        (await client.connection.sendRequest(CodeLensRequest.type, {
          textDocument: { uri: doc },
        })) ?? [];
      const build = lenses.find((l) => l.command?.title.startsWith('Built by'));
      assert.deepEqual(build, {
        range: { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } },
        command: {
          title: 'Built by service api in compose.yaml:5',
          command: 'go-multistage.showBuild',
          arguments: [{ uri: composeUri, line: 4 }],
        },
      });
      const shown = await client.connection.sendRequest(ExecuteCommandRequest.type, {
        command: build!.command!.command,
        arguments: build!.command!.arguments,
      });
      assert.deepEqual(shown, { shown: true });
      assert.deepEqual(client.shownDocuments, [
        {
          uri: composeUri,
          takeFocus: true,
          selection: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } },
        },
      ]);
    });
  });

  test('editing the compose file re-checks the Dockerfile it names', async () => {
    await withRepo(async (repo, client) => {
      const composePath = join(repo, 'compose.yaml');
      writeFileSync(composePath, compose('dev'));
      const doc = pathToFileURL(join(repo, 'Dockerfile')).href;
      await client.open(doc, DOCKERFILE);
      const before = (await client.diagnostics(doc)).map((d) => d.code);
      assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
      writeFileSync(composePath, compose('production'));
      const refreshes = client.refreshes;
      await client.goModChanged(composePath);
      await client.until(() => client.refreshes > refreshes, 'a diagnostics refresh');
      const hover = await client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: doc },
        position: { line: 4, character: 52 },
      });
      assert.match((hover?.contents as MarkupContent).value, /compose\.yaml:5/);
      const after = (await client.diagnostics(doc)).map((d) => d.code);
      // Building dev ships the toolchain; building production does not, and dev is no longer
      // reported as unreachable either way (it is the last stage).
      assert.ok(before.includes('go-toolchain-in-final-stage'), before.join());
      assert.ok(!after.includes('go-toolchain-in-final-stage'), after.join());
      assert.ok(!after.includes('unreachable-stage'), after.join());
    });
  });

  test('goMultistage.targets wins over the compose file and the configuration file', async () => {
    await withRepo(
      async (repo, client) => {
        writeFileSync(join(repo, 'compose.yaml'), compose('production'));
        writeFileSync(
          join(repo, '.go-multistage.json'),
          JSON.stringify({ targets: ['production'], rules: { 'unreachable-stage': 'off' } }),
        );
        const doc = pathToFileURL(join(repo, 'Dockerfile')).href;
        await client.open(doc, DOCKERFILE);
        const found = await client.diagnostics(doc);
        const toolchain = found.filter((d) => d.code === 'go-toolchain-in-final-stage');
        assert.equal(toolchain.length, 1);
        assert.match(
          String(toolchain[0].message),
          /\(In the image of dev, a target named explicitly\.\)$/,
        );
        // The file's severities still apply.
        assert.ok(!found.some((d) => d.code === 'unreachable-stage'));
      },
      { targets: ['dev', 'production'] },
    );
  });

  test('hover on an automatic platform ARG gives its value for each platform the builds declare', async () => {
    await withRepo(async (repo, client) => {
      const text = lines(
        'FROM --platform=$BUILDPLATFORM golang:1.24 AS build',
        'ARG TARGETARCH TARGETVARIANT',
        'RUN GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} CGO_ENABLED=0 go build -o /out/app .',
        'FROM gcr.io/distroless/static-debian13:nonroot',
        'COPY --from=build /out/app /app',
      );
      writeFileSync(join(repo, 'Dockerfile'), text);
      writeFileSync(
        join(repo, 'compose.yaml'),
        lines(
          'services:',
          '  api:',
          '    build:',
          '      context: .',
          '      platforms: [linux/amd64, linux/arm64/v8, linux/arm]',
        ),
      );
      const doc = pathToFileURL(join(repo, 'Dockerfile')).href;
      await client.open(doc, text);
      const hover = async (line: number, character: number) => {
        const answer = await client.connection.sendRequest(HoverRequest.type, {
          textDocument: { uri: doc },
          position: { line, character },
        });
        return (answer?.contents as MarkupContent).value;
      };
      const arch = await hover(2, 14);
      assert.match(arch, /set by BuildKit: the architecture the image is built for/);
      assert.match(
        arch,
        /In the declared builds: `amd64` \(linux\/amd64\), `arm64` \(linux\/arm64\), `arm` \(linux\/arm\/v7\), from the platforms of service api in compose\.yaml:3\./,
      );
      const variant = await hover(2, 33);
      assert.match(variant, /empty \(linux\/amd64, linux\/arm64\) or `v7` \(linux\/arm\/v7\)/);
      // The machine running the build is not declared anywhere: no values for BUILDPLATFORM.
      const build = await hover(0, 20);
      assert.doesNotMatch(build, /In the declared builds/);
    });
  });
});
