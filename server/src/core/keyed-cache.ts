/**
 * Values kept on the objects of one analysis (a model, its stages, RUNs, go calls, the arrays and
 * sets they hold) for as long as those objects live: what a WeakMap would do, without its cost.
 *
 * V8's young-generation collector treats a WeakMap entry whose key is still young conservatively:
 * the values the analysis caches survive the scavenge, are copied, often promoted, and die later
 * in the old generation. With some thirty such maps, half of what survived a scavenge during an
 * analysis of the corpus was cached values, and the collections took a sixth of the analysis
 * time; with the values kept on the keys, survival and scavenge time halve.
 *
 * Each key gets one hidden, non-enumerable array (so objects keep one extra shape, and neither
 * JSON nor deepStrictEqual sees it), and each cache a fixed index into it.
 *
 * So a KeyedCache is made once, when its module loads, never per model or per call: each one
 * takes an index for good, and every key's array is as long as the number of caches made. One
 * made per analysis grew the arrays with each document version (after the corpus was analysed
 * 45 times, 20,000 chained stages took 1.3 GB). keyedCacheCount() lets a test hold that line.
 */
const SLOTS = Symbol('go-multistage cached values');

/** Stands for a cached `undefined`, so that an empty slot means "not computed". */
const UNDEFINED = Symbol('undefined');

type Holder = { [SLOTS]?: unknown[] };

let nextIndex = 0;

export class KeyedCache<K extends object, V> {
  private readonly index = nextIndex++;

  get(key: K): V | undefined {
    const value = (key as Holder)[SLOTS]?.[this.index];
    return value === UNDEFINED ? undefined : (value as V | undefined);
  }

  has(key: K): boolean {
    const slots = (key as Holder)[SLOTS];
    return slots !== undefined && slots[this.index] !== undefined;
  }

  set(key: K, value: V): this {
    let slots = (key as Holder)[SLOTS];
    if (slots === undefined) {
      // A frozen key cannot hold the array: its values are then computed on every call.
      if (!Object.isExtensible(key)) return this;
      // Sized for every cache made so far (all are made when the modules load): writing past the
      // end of an empty array would grow its store again and again.
      slots = new Array<unknown>(nextIndex);
      Object.defineProperty(key, SLOTS, { value: slots, enumerable: false, writable: false });
    }
    slots[this.index] = value === undefined ? UNDEFINED : value;
    return this;
  }

  delete(key: K): boolean {
    const slots = (key as Holder)[SLOTS];
    if (slots === undefined || slots[this.index] === undefined) return false;
    slots[this.index] = undefined;
    return true;
  }

  /** The cached value for `key`, computed by `derive` the first time. */
  ensure(key: K, derive: (key: K) => V): V {
    const slots = (key as Holder)[SLOTS];
    const value = slots?.[this.index];
    if (value !== undefined) return value === UNDEFINED ? (undefined as V) : (value as V);
    const computed = derive(key);
    this.set(key, computed);
    return computed;
  }
}

/** How many KeyedCaches were made in this process (for the test that none is made per analysis). */
export function keyedCacheCount(): number {
  return nextIndex;
}
