// Loads the extension bundle in a plain Node process with a stand-in `vscode` module and reports,
// as JSON on stdout, how long `require` takes, the synchronous part of `activate`, and the time
// until `activate` resolves (the language client has forked the server over IPC and finished the
// `initialize` handshake). The stand-in answers every vscode API with an inert object, so the
// editor's own work (UI, configuration, file watchers) is not in these figures.
import Module, { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = fileURLToPath(new URL('../../client/dist/extension.js', import.meta.url));

/** An object that answers every property, call and `new` with another such object. */
function stub(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(t, prop) {
      if (prop === 'then') return undefined;
      if (prop === 'version') return '1.91.0';
      if (prop === 'prototype') return t.prototype;
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () {};
      if (!cache.has(prop)) cache.set(prop, stub(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    // A value the extension stores (`x.name = ...`) is kept, even where the function behind
    // the stand-in has a read-only property of that name.
    set(t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

const vscode = stub('vscode');
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const require = createRequire(import.meta.url);
const t0 = performance.now();
const extension = require(bundle);
const t1 = performance.now();
const context = {
  subscriptions: [],
  extensionPath: root,
  asAbsolutePath: (p) => root + p,
};
let activateSync = NaN;
let activateMs = NaN;
let outcome = 'not run';
try {
  const promise = extension.activate(context);
  activateSync = performance.now() - t1;
  outcome = await Promise.race([
    Promise.resolve(promise).then(
      () => {
        activateMs = performance.now() - t1;
        return 'resolved';
      },
      (error) => `rejected: ${String(error?.message ?? error).split('\n')[0]}`,
    ),
    new Promise((resolve) => setTimeout(() => resolve('still pending after 3 s'), 3000).unref()),
  ]);
} catch (error) {
  activateSync = performance.now() - t1;
  outcome = `threw: ${String(error?.message ?? error).split('\n')[0]}`;
}
try {
  await Promise.race([
    extension.deactivate(),
    new Promise((resolve) => setTimeout(resolve, 3000).unref()),
  ]);
} catch {
  // the stand-in may not support stopping; the server exits with its client process anyway
}
process.stdout.write(
  JSON.stringify({ requireMs: t1 - t0, activateSyncMs: activateSync, activateMs, outcome }),
);
process.exit(0);
