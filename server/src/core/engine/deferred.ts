/**
 * A finding's fixes and detail when its rule defers them: the property holds a getter until it is
 * first read, then the value. The editor publishes diagnostics from the range and the message
 * alone, and asks for fixes (a code action) or the detail (a hover) only for the findings under
 * the cursor; the command line, fix-all and the library read them as plain properties.
 */

/**
 * Makes `target[key]` the value `compute` returns, worked out on first read and kept: a plain
 * data property from then on, as it is after an assignment. A `compute` that throws gives
 * `fallback` (a finding's fixes or detail must not take down whoever reads them, as a failing
 * rule's findings are dropped without an exception), unless `strict` (for tests).
 */
export function defineDeferred<T extends object, K extends keyof T>(
  target: T,
  key: K,
  compute: () => T[K],
  fallback: T[K],
  strict: boolean,
): void {
  const settle = (value: T[K]): T[K] => {
    Object.defineProperty(target, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
    return value;
  };
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get(): T[K] {
      let value: T[K];
      try {
        value = compute();
      } catch (error) {
        if (strict) throw error;
        value = fallback;
      }
      return settle(value);
    },
    set(value: T[K]): void {
      settle(value);
    },
  });
}
