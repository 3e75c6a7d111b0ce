/**
 * "Convert to multi-stage" as the quick fix of the finding it resolves. The rule reports without
 * running the conversion (it marks the finding `resolvedByConversion`); the conversion is
 * attached here, from the one result computed per model (convert/memo.ts), when a caller needs
 * the fix or the reason it is not offered: the command line and the library at once, the
 * language server only when a code action or a hover asks. The diagnostics path of the editor
 * never runs the conversion.
 */
import { configuredConversion } from '../convert/memo';
import type { DockerfileModel } from '../model/model';
import type { Diagnostic } from '../types';
import { KeyedCache } from '../keyed-cache';

export const CONVERT_FIX_TITLE = 'Convert to multi-stage';

/** Findings waiting for the conversion, with the model (the shipped stage's view) they came from. */
const pending = new KeyedCache<Diagnostic, DockerfileModel>();

/** Marks a finding as resolved by the conversion of a model (the engine does, as it reports). */
export function markConvertible(diagnostic: Diagnostic, model: DockerfileModel): void {
  pending.set(diagnostic, model);
}

/** A finding remade from another (a message naming the shipped images) keeps the mark. */
export function carryConvertible(from: Diagnostic, to: Diagnostic): void {
  const model = pending.get(from);
  if (model) pending.set(to, model);
}

/**
 * Attaches the conversion to a marked finding, once: the quick fix when the conversion applies,
 * else the reason it is not offered at the end of the detail. Nothing for other findings.
 */
export function attachConversion(diagnostic: Diagnostic): void {
  const model = pending.get(diagnostic);
  if (!model) return;
  pending.delete(diagnostic);
  const conversion = configuredConversion(model);
  if (conversion.ok) {
    diagnostic.fixes.push({
      title: CONVERT_FIX_TITLE,
      kind: 'quickfix',
      isPreferred: true,
      safe: false,
      edits: conversion.edits,
    });
  } else {
    diagnostic.detail = `${diagnostic.detail ?? ''} ("${CONVERT_FIX_TITLE}" is not offered: ${conversion.reason})`;
  }
}

/**
 * Attaches the conversion to every marked finding of a list (see attachConversion). A finding
 * whose conversion fails unexpectedly is left out, as a failing rule's findings are, unless
 * `strict` (for tests), which rethrows.
 */
export function attachConversions(diagnostics: Diagnostic[], strict = false): Diagnostic[] {
  return diagnostics.filter((diagnostic) => {
    try {
      attachConversion(diagnostic);
      return true;
    } catch (error) {
      if (strict) throw error;
      return false;
    }
  });
}
