/**
 * ARG and ENV over the protocol: go to definition from `$NAME` to the declaration in force,
 * references from a declaration to its uses, and hover with the value.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DefinitionRequest,
  HoverRequest,
  PrepareRenameRequest,
  RenameRequest,
  ReferencesRequest,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { TestClient, uri } from '../support/lsp-client';
import { at } from '../support/stage-texts';

const TEXT = [
  'ARG GO_VERSION=1.24.5',
  'FROM golang:${GO_VERSION} AS build',
  'ARG GO_VERSION',
  'ARG TARGETARCH',
  'ENV CGO_ENABLED=0',
  'RUN echo $GO_VERSION && GOARCH=$TARGETARCH go build -o /out/app .',
  'FROM build AS test',
  'RUN echo ${CGO_ENABLED:-1} $GO_VERSION',
  '',
].join('\n');

describe('ARG and ENV navigation', () => {
  let client: TestClient;
  const doc = uri('variables/Dockerfile');
  before(async () => {
    client = await TestClient.start();
    await client.open(doc, TEXT);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  const lineOf = (locations: Location[] | null) =>
    (locations ?? []).map((l) => [l.range.start.line, l.range.start.character]);

  test('a FROM line sees the global ARG; a RUN sees the stage ARG that redeclares it', async () => {
    const fromUse = at(TEXT, '${GO_VERSION}', 0, 2);
    const fromDef = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: doc },
      position: fromUse,
    });
    assert.deepEqual(lineOf(fromDef as Location[]), [[0, 4]]);
    const runUse = at(TEXT, '$GO_VERSION', 0, 2);
    const runDef = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: doc },
      position: runUse,
    });
    assert.deepEqual(lineOf(runDef as Location[]), [[2, 4]]);
  });

  test('an ENV and an ARG are seen by a stage built on their stage (BuildKit passes both on)', async () => {
    const envUse = at(TEXT, '${CGO_ENABLED', 0, 3);
    const envDef = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: doc },
      position: envUse,
    });
    assert.deepEqual(lineOf(envDef as Location[]), [[4, 4]]);
    const argUse = at(TEXT, '$GO_VERSION', 1, 2);
    const argDef = await client.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: doc },
      position: argUse,
    });
    assert.deepEqual(lineOf(argDef as Location[]), [[2, 4]]);
  });

  test('references of a stage ARG: its declaration and the uses it is in force for', async () => {
    const result = await client.connection.sendRequest(ReferencesRequest.type, {
      textDocument: { uri: doc },
      position: { line: 2, character: 6 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(lineOf(result), [
      [2, 4],
      [5, 10],
      [7, 28],
    ]);
  });

  test('hover gives the value, taken from the global ARG when the stage ARG has no default', async () => {
    const result = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position: at(TEXT, '$GO_VERSION', 0, 2),
    });
    const value = (result?.contents as MarkupContent).value;
    assert.match(
      value,
      /\*\*ARG `GO_VERSION`\*\* = `1\.24\.5` \(the default of the global ARG on line 1\)/,
    );
    assert.match(value, /A `--build-arg GO_VERSION=…` overrides it\./);
    const env = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position: at(TEXT, 'CGO_ENABLED=0', 0, 1),
    });
    assert.match((env?.contents as MarkupContent).value, /\*\*ENV `CGO_ENABLED`\*\* = `0`/);
    const target = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri: doc },
      position: at(TEXT, '$TARGETARCH', 0, 2),
    });
    assert.match(
      (target?.contents as MarkupContent).value,
      /set by BuildKit: the architecture the image is built for/,
    );
  });

  test('rename moves every ARG of the name and the uses bound to them', async () => {
    const edit = await client.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: doc },
      position: at(TEXT, '$GO_VERSION', 0, 2),
      newName: 'GO_RELEASE',
    });
    const changes =
      edit?.changes?.[doc] ?? edit?.documentChanges?.flatMap((c) => ('edits' in c ? c.edits : []));
    assert.deepEqual(
      (changes ?? [])
        .map((e) => [e.range.start.line, e.range.start.character, 'newText' in e ? e.newText : ''])
        .sort(),
      [
        [0, 4, 'GO_RELEASE'],
        [1, 14, 'GO_RELEASE'],
        [2, 4, 'GO_RELEASE'],
        [5, 10, 'GO_RELEASE'],
        [7, 28, 'GO_RELEASE'],
      ],
    );
  });

  test('an ENV and an argument BuildKit sets are not renamed, with the reason', async () => {
    await assert.rejects(
      client.connection.sendRequest(PrepareRenameRequest.type, {
        textDocument: { uri: doc },
        position: at(TEXT, 'CGO_ENABLED=0', 0, 1),
      }),
      /is an ENV, which the image's programs read by name/,
    );
    await assert.rejects(
      client.connection.sendRequest(PrepareRenameRequest.type, {
        textDocument: { uri: doc },
        position: at(TEXT, '$TARGETARCH', 0, 2),
      }),
      /BuildKit sets TARGETARCH by this name/,
    );
    await assert.rejects(
      client.connection.sendRequest(RenameRequest.type, {
        textDocument: { uri: doc },
        position: at(TEXT, '$GO_VERSION', 0, 2),
        newName: 'TARGETARCH',
      }),
      /TARGETARCH is already used/,
    );
  });
});
