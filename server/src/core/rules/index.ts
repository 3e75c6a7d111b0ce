/** Every rule, in the order their findings are listed when they share a line. */
import { cgoLibcMismatch } from './cgo-libc-mismatch';
import { copyFromMissingArtifact } from './copy-from-missing-artifact';
import { copyFromUnknownStage } from './copy-from-unknown-stage';
import { entrypointBinaryMissing } from './entrypoint-binary-missing';
import { goToolchainInFinalStage } from './go-toolchain-in-final-stage';
import type { Rule } from './rule';
import { shellFormWithoutShell } from './shell-form-without-shell';
import { sourceInFinalStage } from './source-in-final-stage';
import { finalStageRunsAsRoot } from './final-stage-runs-as-root';
import { namedUserInScratch } from './named-user-in-scratch';
import { scratchMissingCaCertificates } from './scratch-missing-ca-certificates';
import { scratchMissingTzdata } from './scratch-missing-tzdata';
import { healthcheckNeedsShellOrTool } from './healthcheck-needs-shell-or-tool';

export const RULES: readonly Rule[] = [
  goToolchainInFinalStage,
  copyFromUnknownStage,
  shellFormWithoutShell,
  copyFromMissingArtifact,
  entrypointBinaryMissing,
  cgoLibcMismatch,
  sourceInFinalStage,
  finalStageRunsAsRoot,
  namedUserInScratch,
  scratchMissingCaCertificates,
  scratchMissingTzdata,
  healthcheckNeedsShellOrTool,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
