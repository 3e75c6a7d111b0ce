// The model is lazy: its text is parsed, and its stages walked, the first time they are read. A
// Dockerfile that never spells Go is settled by its text, and every Dockerfile that builds Go
// still gets its findings.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Instruction } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import { buildModel, isGoDockerfile, runRules } from '../../server/src/core';
import { buildsGo, spellsGo } from '../../server/src/core/engine/engine';
import { withFinalStage } from '../../server/src/core/model/model';
import type { AnalyzeOptions, ProjectBuild } from '../../server/src/core/types';
import { dockerfile, mutated } from '../support/arbitraries';
import { dockerfileFixtures } from '../support/fixtures';
import { lines } from '../support/rule-tester';

/** How many instructions dockerfile-ast makes while `fn` runs. */
function instructionsMade(fn: () => void): number {
  const prototype = Parser.prototype as unknown as {
    createInstruction: (...args: unknown[]) => Instruction;
  };
  const own = prototype.createInstruction;
  let made = 0;
  prototype.createInstruction = function (...args: unknown[]) {
    made++;
    return own.apply(this, args);
  };
  try {
    fn();
  } finally {
    prototype.createInstruction = own;
  }
  return made;
}

const NODE_APP = lines(
  'FROM node:22-alpine AS build',
  'WORKDIR /app',
  'COPY package*.json ./',
  'RUN npm ci',
  'COPY . .',
  'RUN npm run build',
  'FROM nginx:1.27-alpine',
  'COPY --from=build /app/dist /usr/share/nginx/html',
);

const GO_APP = lines(
  'FROM golang:1.22',
  'WORKDIR /src',
  'COPY . .',
  'RUN go build -o /app .',
  'CMD ["/app"]',
);

/** Every "go" spelled otherwise, so that the text names Go nowhere. */
const withoutGo = (text: string) => text.replace(/go/gi, 'g0');

function build(args: { name: string; value: string | null }[]): ProjectBuild {
  return {
    source: { kind: 'compose', file: 'compose.yaml', line: 0, label: 'service app' },
    args,
    output: 'image',
  };
}

describe('the lazy model', () => {
  test('a Dockerfile that never spells Go gets no findings and is never parsed', () => {
    let found: unknown[] = [];
    assert.equal(
      instructionsMade(() => (found = runRules(buildModel(NODE_APP)))),
      0,
    );
    assert.deepEqual(found, []);
  });

  test('one that spells Go is parsed and walked, and gets its findings', () => {
    let found: ReturnType<typeof runRules> = [];
    assert.ok(instructionsMade(() => (found = runRules(buildModel(GO_APP)))) >= 5);
    assert.ok(found.length > 0);
    // A comment that names Go is not a Go build: parsed, walked, no findings.
    const commented = '# ported from the go version\n' + NODE_APP;
    assert.ok(instructionsMade(() => (found = runRules(buildModel(commented)))) > 0);
    assert.deepEqual(found, []);
  });

  test('a go command spelt with shell quoting or broken by a continuation counts', () => {
    for (const run of [
      'RUN g\\o build -o /app .',
      'RUN g""o build -o /app .',
      "RUN g''o build .",
      'RUN g\\\no build .',
    ]) {
      const text = lines('FROM debian:12', run, 'CMD ["/app"]');
      assert.equal(spellsGo(buildModel(text)), true, run);
      assert.equal(isGoDockerfile(buildModel(text)), buildsGo(buildModel(text)), run);
      assert.equal(buildsGo(buildModel(text)), true, run);
    }
  });

  test('a build argument that names the golang image counts', () => {
    const text = lines('ARG BASE=node:22', 'FROM ${BASE}', 'WORKDIR /src', 'CMD ["/app"]');
    assert.equal(isGoDockerfile(buildModel(text)), false);
    const options: AnalyzeOptions = { builds: [build([{ name: 'BASE', value: 'golang:1.22' }])] };
    assert.equal(spellsGo(buildModel(text, options)), true);
    assert.equal(isGoDockerfile(buildModel(text, options)), true);
    const unknown: AnalyzeOptions = { builds: [build([{ name: 'BASE', value: null }])] };
    assert.equal(isGoDockerfile(buildModel(text, unknown)), false);
  });

  test('the fixtures: settled by the text only when no stage builds Go', () => {
    const fixtures = dockerfileFixtures();
    assert.ok(fixtures.length >= 8);
    let goFixtures = 0;
    for (const { name, text } of fixtures) {
      const model = buildModel(text);
      assert.equal(isGoDockerfile(model), buildsGo(model), name);
      if (buildsGo(model)) goFixtures++;
      // With every "go" spelled otherwise, no route to a Go build is left.
      assert.equal(buildsGo(buildModel(withoutGo(text))), false, name);
    }
    assert.ok(goFixtures >= 6);
  });

  test('generated Dockerfiles: the text test never hides a Go build', () => {
    let goBuilds = 0;
    fc.assert(
      fc.property(mutated(dockerfile), fc.boolean(), (text, respell) => {
        const model = buildModel(respell ? withoutGo(text) : text);
        assert.equal(isGoDockerfile(model), buildsGo(model));
        if (!respell && buildsGo(model)) goBuilds++;
      }),
      { numRuns: 300 },
    );
    assert.ok(goBuilds > 50, `only ${goBuilds} generated Go builds`);
  });

  test('a view with another final stage shares the parse and the walk', () => {
    const text = lines(
      'FROM golang:1.22 AS build',
      'RUN go build -o /app .',
      'FROM scratch AS one',
      'COPY --from=build /app /app',
      'FROM alpine:3.20 AS two',
      'COPY --from=build /app /app',
    );
    const model = buildModel(text);
    const view = withFinalStage(model, model.stages[1]);
    assert.equal(view.finalStage, model.stages[1]);
    assert.equal(model.finalStage, model.stages[2]);
    assert.equal(view.stages, model.stages);
    assert.equal(view.instructions, model.instructions);
    assert.equal(view.index, model.index);
    // Read before the walk, a view still walks for the model itself.
    const fresh = buildModel(text);
    const early = withFinalStage(fresh, { index: -1 } as never);
    assert.equal(early.stages, fresh.stages);
    assert.equal(fresh.finalStage, fresh.stages[2]);
  });

  test('a walk that fails leaves no half-built model behind', () => {
    let reads = 0;
    const options = {
      get builds(): ProjectBuild[] {
        if (reads++ === 0) throw new Error('unreadable build file');
        return [];
      },
    };
    const model = buildModel(
      lines('ARG V=1.22', 'FROM golang:${V} AS build', 'FROM scratch'),
      options,
    );
    assert.throws(() => model.stages, /unreadable build file/);
    assert.equal(model.stages.length, 2);
    assert.equal(model.globalArgs.length, 1);
  });
});
