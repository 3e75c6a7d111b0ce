/**
 * The conversion, computed at most once per model and options: the toolchain finding's quick
 * fix, the refactoring, the CodeLens, the command and the runtime choices read the same result.
 * A model is built once per document version and settings, so this is once per version too.
 */
import type { DockerfileModel } from '../model/model';
import { convertToMultiStage } from './index';
import type { ConvertOptions, ConvertResult } from './plan';
import { KeyedCache } from '../keyed-cache';

const results = new KeyedCache<DockerfileModel, Map<string, ConvertResult>>();

/** "Convert to multi-stage" of a model with these options, computed on the first call only. */
export function conversionOf(model: DockerfileModel, options: ConvertOptions = {}): ConvertResult {
  let known = results.get(model);
  if (!known) {
    known = new Map();
    results.set(model, known);
  }
  const key = JSON.stringify([options.runtimeImage ?? null, options.layout ?? null]);
  let result = known.get(key);
  if (!result) {
    result = convertToMultiStage(model, options);
    known.set(key, result);
  }
  return result;
}

/** The conversion with the runtime and layout the model's settings choose. */
export function configuredConversion(model: DockerfileModel): ConvertResult {
  return conversionOf(model, {
    runtimeImage: model.options.runtimeImage,
    layout: model.options.convertLayout,
  });
}
