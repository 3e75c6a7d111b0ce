/**
 * The stages as a forest: a stage built on an earlier one (`FROM build AS test`) is its child.
 * Facts that follow these edges, up the chain (the image at its root, the nearest `--platform`,
 * a `go mod download` in a parent) or down it (a go command in a stage built on this one), are
 * computed here once per stage, so that a chain of 20,000 `FROM sN AS sN+1` costs linear time
 * and memory instead of one walk of the chain per stage. A stage's parent always comes before it
 * (FROM can only name an earlier stage), which is what lets one pass in document order do.
 */
import type { DockerfileModel, Stage } from '../model/model';
import { KeyedCache } from '../keyed-cache';

/**
 * Defines a fact of a stage that combines the stage's own instructions with the same fact of the
 * stage it is built on (`inherited` is undefined for a stage built on an image). Each stage's
 * value is computed once, its parent's first, without recursion: a chain of any length needs no
 * deep stack.
 */
export function chainFact<T>(
  compute: (stage: Stage, inherited: T | undefined) => T,
): (stage: Stage) => T {
  const fact = modelChainFact<T, undefined>((_, stage, inherited) => compute(stage, inherited));
  return (stage) => fact(undefined, stage);
}

/**
 * chainFact for a fact that also reads the model (its go.mod, its other stages). Defined once,
 * when the module loads, like every cache here (keyed-cache.ts): never per model. A stage belongs
 * to one model, so the value is kept on the stage.
 */
export function modelChainFact<T, M = DockerfileModel>(
  compute: (model: M, stage: Stage, inherited: T | undefined) => T,
): (model: M, stage: Stage) => T {
  // The cache tells a stored `undefined` from none, so values are kept as they are.
  const known = new KeyedCache<Stage, T>();
  return (model, stage) => {
    if (known.has(stage)) return known.get(stage) as T;
    const pending: Stage[] = [];
    let value: T | undefined;
    for (let s: Stage | undefined = stage; s; s = s.parent) {
      if (known.has(s)) {
        value = known.get(s);
        break;
      }
      pending.push(s);
    }
    for (let i = pending.length - 1; i >= 0; i--) {
      value = compute(model, pending[i], value);
      known.set(pending[i], value);
    }
    return value as T;
  };
}

/** A stage's chain cut down to the stages that hold something, nearest first. */
export interface ChainLink<T> {
  stage: Stage;
  items: readonly T[];
  next?: ChainLink<T>;
}

/**
 * Defines, for each stage, the links of its chain (the stage and those it is built on) whose
 * `items` are not empty: walking them skips the stages that hold none, so asking every stage of
 * a long chain for, say, its go builds costs what the builds cost, not the chain's length.
 */
export function chainLinks<T>(
  items: (stage: Stage) => readonly T[],
): (stage: Stage) => ChainLink<T> | undefined {
  return chainFact<ChainLink<T> | undefined>((stage, inherited) => {
    const own = items(stage);
    return own.length > 0 ? { stage, items: own, next: inherited } : inherited;
  });
}

/** The stage at the root of a stage's chain: the one built on an external image. */
export const rootStage = chainFact<Stage>((stage, root) => root ?? stage);

/** The parent → children edges of a model's stages, with a numbering for ancestry tests. */
export class StageTree {
  /** The stages built directly on each stage, by index, in document order. */
  readonly children: Stage[][];
  /** Preorder position of each stage, and one past the last stage built on it. */
  private readonly enter: number[];
  private readonly exit: number[];
  private readonly preorder: Stage[] = [];

  constructor(private readonly stages: readonly Stage[]) {
    this.children = stages.map(() => []);
    for (const stage of stages) if (stage.parent) this.children[stage.parent.index].push(stage);
    this.enter = stages.map(() => 0);
    this.exit = stages.map(() => 0);
    // Depth-first without recursion: chains can be tens of thousands of stages deep.
    for (const root of stages) {
      if (root.parent) continue;
      const stack: { stage: Stage; next: number }[] = [{ stage: root, next: 0 }];
      this.enter[root.index] = this.preorder.push(root) - 1;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const child = this.children[top.stage.index][top.next++];
        if (child) {
          this.enter[child.index] = this.preorder.push(child) - 1;
          stack.push({ stage: child, next: 0 });
        } else {
          this.exit[top.stage.index] = this.preorder.length;
          stack.pop();
        }
      }
    }
  }

  /** Whether `stage` is `ancestor` or built on it, directly or not. */
  isBuiltOn(stage: Stage, ancestor: Stage): boolean {
    const at = this.enter[stage.index];
    return (
      this.stages[stage.index] === stage &&
      at >= this.enter[ancestor.index] &&
      at < this.exit[ancestor.index]
    );
  }

  /** The stage and the stages built on it, directly or not, in document order. */
  descendants(stage: Stage): Stage[] {
    if (this.stages[stage.index] !== stage) return [];
    return this.preorder
      .slice(this.enter[stage.index], this.exit[stage.index])
      .sort((a, b) => a.index - b.index);
  }
}

const trees = new KeyedCache<readonly Stage[], StageTree>();

/** The tree of a model's stages, built once per model. */
export function stageTree(stages: readonly Stage[]): StageTree {
  let tree = trees.get(stages);
  if (!tree) {
    tree = new StageTree(stages);
    trees.set(stages, tree);
  }
  return tree;
}

/**
 * Defines a fact of a stage and every stage built on it, directly or not: `own` of each stage
 * merged with the facts of the stages built on it. One pass over the model's stages, backwards
 * (a stage's children come after it), once per model.
 */
export function subtreeFact<T>(
  own: (stage: Stage) => T,
  merge: (a: T, b: T) => T,
): (stages: readonly Stage[], stage: Stage) => T {
  const known = new KeyedCache<readonly Stage[], T[]>();
  return (stages, stage) => {
    let facts = known.get(stages);
    if (!facts) {
      const values = stages.map(own);
      for (let i = stages.length - 1; i >= 0; i--) {
        const parent = stages[i].parent;
        if (parent) values[parent.index] = merge(values[parent.index], values[i]);
      }
      facts = values;
      known.set(stages, facts);
    }
    return facts[stage.index];
  };
}

/** A test that holds for a stage when `test` holds for it or any stage built on it. */
export function subtreeTest(
  test: (stage: Stage) => boolean,
): (stages: readonly Stage[], stage: Stage) => boolean {
  return subtreeFact(test, (a, b) => a || b);
}

/**
 * As subtreeTest, for a test that reads the model too (the build context): one pass over the
 * stages, once per model's stages (the views of one model share them).
 */
export function modelSubtreeTest(
  test: (model: DockerfileModel, stage: Stage) => boolean,
): (model: DockerfileModel, stage: Stage) => boolean {
  const known = new KeyedCache<readonly Stage[], boolean[]>();
  return (model, stage) => {
    const stages = model.stages;
    let facts = known.get(stages);
    if (!facts) {
      facts = stages.map((s) => test(model, s));
      for (let i = stages.length - 1; i >= 0; i--) {
        const parent = stages[i].parent;
        if (parent) facts[parent.index] ||= facts[i];
      }
      known.set(stages, facts);
    }
    return facts[stage.index];
  };
}

/** The go builds, installs and runs of a stage's chain, by stage, nearest first. */
export const goCallLinks = chainLinks((stage) => stage.goCalls);

/** The RUN instructions of a stage's chain, by stage, nearest first. */
export const runLinks = chainLinks((stage) => stage.runs);

/** The COPY and ADD instructions of a stage's chain, by stage, nearest first. */
export const copyLinks = chainLinks((stage) => stage.copies);
