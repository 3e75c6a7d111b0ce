// The stages as a tree (FROM <stage> edges): facts up a chain and down a subtree are computed once
// per stage, in document order, and answer as walking the chain would.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel, type Stage } from '../../server/src/core';
import {
  chainFact,
  chainLinks,
  rootStage,
  stageTree,
  subtreeFact,
  subtreeTest,
} from '../../server/src/core/facts/stage-tree';
import { lines } from '../support/rule-tester';

// a ← b ← d, a ← c, e alone; c comes before d in the document.
const FOREST = buildModel(
  lines(
    'FROM golang:1.24 AS a',
    'FROM a AS b',
    'RUN go build -o /app .',
    'FROM a AS c',
    'FROM b AS d',
    'RUN go build -o /tool ./tool',
    'FROM alpine AS e',
  ),
);
const [a, b, c, d, e] = FOREST.stages;
const names = (stages: readonly Stage[]) => stages.map((s) => s.name).join(' ');

function chain(length: number) {
  const text = ['FROM golang:1.24 AS s0', 'RUN go build -o /app .'];
  for (let i = 0; i < length; i++) text.push(`FROM s${i} AS s${i + 1}`);
  return buildModel(text.join('\n') + '\n');
}

describe('facts up a stage chain', () => {
  test('combine the stage with its parent, parents first, each stage once', () => {
    const computed: string[] = [];
    const path = chainFact<string>((stage, inherited) => {
      computed.push(stage.name!);
      return inherited === undefined ? stage.name! : `${inherited}/${stage.name}`;
    });
    assert.equal(path(d), 'a/b/d');
    assert.equal(path(c), 'a/c');
    assert.equal(path(e), 'e');
    assert.equal(path(d), 'a/b/d');
    assert.deepEqual(computed, ['a', 'b', 'd', 'c', 'e']);
  });

  test('the root stage is the one built on an image', () => {
    assert.deepEqual(
      [a, b, c, d, e].map((s) => rootStage(s).name),
      ['a', 'a', 'a', 'a', 'e'],
    );
  });

  test('links skip the stages that hold nothing', () => {
    const builds = chainLinks((stage) => stage.goCalls);
    const link = builds(d);
    assert.deepEqual(
      [link?.stage.name, link?.next?.stage.name, link?.next?.next],
      ['d', 'b', undefined],
    );
    assert.equal(builds(c), undefined);
  });

  test('a chain of 20,000 stages needs no deep stack', () => {
    const model = chain(20_000);
    const depth = chainFact<number>((_, inherited) => (inherited ?? 0) + 1);
    assert.equal(depth(model.stages[20_000]), 20_001);
    assert.equal(rootStage(model.stages[20_000]), model.stages[0]);
  });
});

describe('facts down a stage subtree', () => {
  test('descendants in document order, and ancestry', () => {
    const tree = stageTree(FOREST.stages);
    assert.equal(names(tree.descendants(a)), 'a b c d');
    assert.equal(names(tree.descendants(b)), 'b d');
    assert.equal(names(tree.descendants(e)), 'e');
    assert.equal(tree.isBuiltOn(d, a), true);
    assert.equal(tree.isBuiltOn(d, d), true);
    assert.equal(tree.isBuiltOn(c, b), false);
    assert.equal(tree.isBuiltOn(a, d), false);
    assert.equal(tree.isBuiltOn(e, a), false);
  });

  test('a test holds where it holds for the stage or a stage built on it', () => {
    const builds = subtreeTest((stage) => stage.goCalls.length > 0);
    assert.deepEqual(
      FOREST.stages.map((s) => builds(FOREST.stages, s)),
      [true, true, false, true, false],
    );
    const count = subtreeFact(
      (stage) => stage.goCalls.length,
      (x, y) => x + y,
    );
    assert.equal(count(FOREST.stages, a), 2);
  });

  test('a chain of 20,000 stages: one pass, no deep stack', () => {
    const model = chain(20_000);
    const tree = stageTree(model.stages);
    assert.equal(tree.isBuiltOn(model.stages[20_000], model.stages[0]), true);
    assert.equal(tree.descendants(model.stages[19_998]).length, 3);
    const builds = subtreeTest((stage) => stage.goCalls.length > 0);
    assert.equal(builds(model.stages, model.stages[0]), true);
    assert.equal(builds(model.stages, model.stages[1]), false);
  });
});
