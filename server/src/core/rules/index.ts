/** Every rule, in the order their findings are listed when they share a line. */
import { cgoLibcMismatch } from './cgo-libc-mismatch';
import { copyFromMissingArtifact } from './copy-from-missing-artifact';
import { copyFromUnknownStage } from './copy-from-unknown-stage';
import { entrypointBinaryMissing } from './entrypoint-binary-missing';
import { goToolchainInFinalStage } from './go-toolchain-in-final-stage';
import type { Rule } from './rule';
import { shellFormWithoutShell } from './shell-form-without-shell';
// Image and stage rules (go-version-older-than-go-mod … run-without-shell).
import { copyFromStageIndex } from './copy-from-stage-index';
import { distrolessUnversionedDebian } from './distroless-unversioned-debian';
import { golangImageUnpinned } from './golang-image-unpinned';
import { goVersionOlderThanGoMod } from './go-version-older-than-go-mod';
import { runWithoutShell } from './run-without-shell';
import { unreachableStage } from './unreachable-stage';

export const RULES: readonly Rule[] = [
  goToolchainInFinalStage,
  copyFromUnknownStage,
  shellFormWithoutShell,
  copyFromMissingArtifact,
  entrypointBinaryMissing,
  cgoLibcMismatch,
  goVersionOlderThanGoMod,
  golangImageUnpinned,
  copyFromStageIndex,
  unreachableStage,
  distrolessUnversionedDebian,
  runWithoutShell,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
