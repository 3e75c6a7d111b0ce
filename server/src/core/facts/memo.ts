/**
 * Facts derived once per model or per stage: several rules (and the conversion) ask the same
 * question of the same stage, and a parse's model is never modified, so the first answer is kept
 * for as long as the model lives (on the key object itself: see keyed-cache.ts).
 */
import { KeyedCache } from '../keyed-cache';

/** `derive`, remembered per key object (a model, a stage, a RUN). */
export function perKey<K extends object, T>(derive: (key: K) => T): (key: K) => T {
  const known = new KeyedCache<K, T>();
  return (key) => known.ensure(key, derive);
}

/**
 * `derive`, remembered per stage (a stage belongs to one model, so the stage alone is the key).
 */
export function perStage<S extends object, M, T>(
  derive: (model: M, stage: S) => T,
): (model: M, stage: S) => T {
  const known = new KeyedCache<S, T>();
  return (model, stage) => {
    if (known.has(stage)) return known.get(stage) as T;
    const value = derive(model, stage);
    known.set(stage, value);
    return value;
  };
}
