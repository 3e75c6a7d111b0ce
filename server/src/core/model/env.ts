/**
 * Environments that share their entries: each RUN, and each go command in it, sees the ENV, ARG
 * and exported values in force at that point. Copying the whole environment for each of them made
 * the model quadratic in ENV lines × commands (4,000 of each held about 600 MB); a layered view
 * keeps one small map per change and reads through the layers below it.
 */

/** A variable's value at some point of the build: a string, or null when not known here. */
export type EnvValue = string | null;
export type Env = ReadonlyMap<string, EnvValue>;

/** Layers stacked on one another before they are merged into one map (bounds the lookups). */
const MAX_LAYERS = 16;

/**
 * An immutable environment: `top` over `below`, with the order and values a Map would have if
 * `below`'s entries were set first and `top`'s after them.
 */
class LayeredEnv<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly below: ReadonlyMap<string, V>,
    private readonly top: ReadonlyMap<string, V>,
    /** How many layers are stacked through `below`. */
    readonly layers: number,
  ) {}

  static over<V>(
    below: ReadonlyMap<string, V>,
    top: ReadonlyMap<string, V>,
  ): ReadonlyMap<string, V> {
    if (!(top instanceof LayeredEnv) && top.size === 0) return below;
    if (!(below instanceof LayeredEnv) && below.size === 0) return top;
    let layers = (below instanceof LayeredEnv ? below.layers : 0) + 1;
    if (layers > MAX_LAYERS) {
      below = flatten(below);
      layers = 1;
    }
    return new LayeredEnv(below, top, layers);
  }

  get(key: string): V | undefined {
    return this.top.has(key) ? this.top.get(key) : this.below.get(key);
  }

  has(key: string): boolean {
    return this.top.has(key) || this.below.has(key);
  }

  get size(): number {
    return flatten(this).size;
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [key, value] of flatten(this)) callback(value, key, this);
  }

  entries(): MapIterator<[string, V]> {
    return flatten(this).entries();
  }

  keys(): MapIterator<string> {
    return flatten(this).keys();
  }

  values(): MapIterator<V> {
    return flatten(this).values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  /** Sets this environment's entries into `out`, lowest layer first. */
  collect(out: Map<string, V>): void {
    for (const map of [this.below, this.top]) {
      if (map instanceof LayeredEnv) map.collect(out);
      else for (const [key, value] of map) out.set(key, value);
    }
  }
}

function flatten<V>(env: ReadonlyMap<string, V>): Map<string, V> {
  if (!(env instanceof LayeredEnv)) return new Map(env);
  const out = new Map<string, V>();
  env.collect(out);
  return out;
}

/** `top`'s values over `below`'s, without copying either (neither may change afterwards). */
export function overlay<V>(
  below: ReadonlyMap<string, V>,
  top: ReadonlyMap<string, V>,
): ReadonlyMap<string, V> {
  return LayeredEnv.over(below, top);
}

/** `env` with one more value set. */
export function withValue<V>(
  env: ReadonlyMap<string, V>,
  name: string,
  value: V,
): ReadonlyMap<string, V> {
  return LayeredEnv.over(env, new Map([[name, value]]));
}
