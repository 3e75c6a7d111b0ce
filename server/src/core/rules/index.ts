/** Every rule, in the order their findings are listed when they share a line. */
import { cgoLibcMismatch } from './cgo-libc-mismatch';
import { copyFromMissingArtifact } from './copy-from-missing-artifact';
import { copyFromUnknownStage } from './copy-from-unknown-stage';
import { entrypointBinaryMissing } from './entrypoint-binary-missing';
import { goToolchainInFinalStage } from './go-toolchain-in-final-stage';
import type { Rule } from './rule';
import { shellFormWithoutShell } from './shell-form-without-shell';

export const RULES: readonly Rule[] = [
  goToolchainInFinalStage,
  copyFromUnknownStage,
  shellFormWithoutShell,
  copyFromMissingArtifact,
  entrypointBinaryMissing,
  cgoLibcMismatch,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
