/**
 * Facts derived once per model or per stage: several rules (and the conversion) ask the same
 * question of the same stage, and a parse's model is never modified, so the first answer is kept
 * for as long as the model lives.
 */

/** `derive`, remembered per key object (a model, a stage, a RUN). */
export function perKey<K extends object, T>(derive: (key: K) => T): (key: K) => T {
  const known = new WeakMap<K, { value: T }>();
  return (key) => {
    let entry = known.get(key);
    if (!entry) {
      entry = { value: derive(key) };
      known.set(key, entry);
    }
    return entry.value;
  };
}

/**
 * `derive`, remembered per stage (a stage belongs to one model, so the stage alone is the key).
 */
export function perStage<S extends object, M, T>(
  derive: (model: M, stage: S) => T,
): (model: M, stage: S) => T {
  const known = new WeakMap<S, { value: T }>();
  return (model, stage) => {
    let entry = known.get(stage);
    if (!entry) {
      entry = { value: derive(model, stage) };
      known.set(stage, entry);
    }
    return entry.value;
  };
}
