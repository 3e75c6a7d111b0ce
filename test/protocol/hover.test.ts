import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HoverRequest, MarkupKind, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { goReleaseLines } from '../../server/src/core/data/go-releases';
import { formatSize, imageSizeByKey } from '../../server/src/core/facts/image-sizes';
import { TestClient, uri } from '../support/lsp-client';
import { at, crlf, MULTI_STAGE, SHADOWING } from '../support/stage-texts';

describe('textDocument/hover', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  async function hover(name: string, text: string, position: { line: number; character: number }) {
    const doc = uri(name);
    await client.open(doc, text);
    return client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position,
    });
  }

  test('on a stage reference: its base, what it builds, who uses it', async () => {
    const result = await hover(
      'hover/Dockerfile',
      MULTI_STAGE,
      at(MULTI_STAGE, '--from=build', 0, 9),
    );
    assert.ok(result);
    const contents = result.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    assert.match(contents.value, /^\*\*Stage `Build`\*\* \(stage 0 of 3\)/);
    assert.match(contents.value, /Base image: `golang:\$\{GO_VERSION\}` \(`golang:1\.24\.5`\)/);
    assert.match(contents.value, /Builds: `\/out\/server`/);
    assert.match(
      contents.value,
      /- stage `test` builds on it \(line 7\)\n- stage `test` mounts it \(line 8\)\n- stage 2 copies from it \(line 10\)\n- stage 2 copies from it \(line 11\)/,
    );
    assert.deepEqual(result.range, {
      start: { line: 9, character: 12 },
      end: { line: 9, character: 17 },
    });
  });

  test('on a stage named like an image, after it: the stage', async () => {
    const result = await hover('hover/shadow.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 3));
    assert.match((result?.contents as MarkupContent).value, /\*\*Stage `alpine`\*\*/);
    assert.equal(
      await hover('hover/shadow2.Dockerfile', SHADOWING, at(SHADOWING, 'alpine', 0)),
      null,
    );
  });

  test('on a finding: its reasoning and the link to its page, not its message again', async () => {
    const text = 'FROM golang:1.24 AS build\nFROM alpine\nCOPY --from=biuld /a /a\n';
    const doc = uri('hover/finding.Dockerfile');
    await client.open(doc, text);
    const diagnostics = (await client.diagnostics(doc)).filter(
      (d) => d.code === 'copy-from-unknown-stage',
    );
    assert.equal(diagnostics.length, 1);
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position: at(text, 'biuld'),
    });
    assert.ok(result);
    const value = (result.contents as MarkupContent).value;
    assert.match(value, /^With no earlier stage of that name, COPY --from=biuld makes Docker pull/);
    assert.match(value, / \[More…\]\(file:\/\/\/.*\/rules\/copy-from-unknown-stage\.md\)$/);
    // The editor shows the message (and the linked rule id) itself.
    assert.ok(!value.includes(String(diagnostics[0].message)), value);
    assert.deepEqual(result.range, diagnostics[0].range);
  });

  test('on a golang image the final stage ships: its Go release, and the size change', async () => {
    const text =
      'FROM golang:1.22-alpine\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n';
    const doc = uri('hover/golang.Dockerfile');
    await client.open(doc, text);
    assert.ok((await client.diagnostics(doc)).some((d) => d.code === 'golang-image-outdated'));
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position: at(text, 'golang'),
    });
    assert.ok(result);
    const value = (result.contents as MarkupContent).value;
    const [image, ...rest] = value.split('\n\n---\n\n');
    assert.match(image, /^\*\*`golang:1\.22-alpine`\*\*\n/);
    assert.match(
      image,
      /Go 1\.22 has been \*\*out of support\*\* since 2025-02-11 \(the release of Go 1\.24\)/,
    );
    const alpine = formatSize(imageSizeByKey('golang-alpine')!.bytes);
    const runtime = formatSize(imageSizeByKey('distroless-static')!.bytes);
    assert.ok(
      image.includes(`Size: ${alpine} → ${runtime} on distroless static`),
      `the size change in:\n${image}`,
    );
    assert.match(
      image,
      /_Go release data and image sizes \(compressed, linux\/amd64\) of \d{4}-\d{2}-\d{2}\._$/,
    );
    // The finding on the same image follows: its reasoning, with its rule's page.
    assert.ok(
      rest.some(
        (part) =>
          part.startsWith('Go 1.22 (golang:1.22-alpine) has been out of support') &&
          /\[More…\]\(file:\/\/\/.*\/rules\/golang-image-outdated\.md\)$/.test(part),
      ),
      rest.join('\n---\n'),
    );
    assert.deepEqual(result.range, {
      start: { line: 0, character: 5 },
      end: { line: 0, character: 23 },
    });
  });

  test('on the golang image of a build stage: what is left behind, and a patch behind', async () => {
    const result = await hover('hover/build.Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'golang:'));
    const value = (result?.contents as MarkupContent).value;
    assert.match(value, /^\*\*`golang:1\.24\.5`\*\*/);
    const golang = formatSize(imageSizeByKey('golang')!.bytes);
    const runtime = formatSize(imageSizeByKey('distroless-static')!.bytes);
    assert.ok(
      value.includes(
        `Size: ${golang}, left behind in this build stage: the final image is ${runtime} on distroless static`,
      ),
      value,
    );
    const second = goReleaseLines()[1];
    const text = `FROM golang:${second.minor}.0 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n`;
    const old = await hover('hover/patch.Dockerfile', text, at(text, 'golang'));
    assert.ok(
      (old?.contents as MarkupContent).value.includes(
        `Go ${second.minor}.0 is behind the newest ${second.minor} patch, ${second.latest}`,
      ),
    );
  });

  test('nothing elsewhere; CRLF alike', async () => {
    assert.equal(
      await hover('hover/none.Dockerfile', MULTI_STAGE, at(MULTI_STAGE, 'WORKDIR')),
      null,
    );
    assert.equal(await hover('hover/empty.Dockerfile', '', { line: 0, character: 0 }), null);
    const text = crlf(MULTI_STAGE);
    const result = await hover('hover/crlf.Dockerfile', text, at(text, '--from=build', 0, 9));
    assert.deepEqual(result?.range, {
      start: { line: 9, character: 12 },
      end: { line: 9, character: 17 },
    });
  });
});
