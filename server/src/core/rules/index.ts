/** Every rule, in the order their findings are listed when they share a line. */
import { cgoAlpineReleaseSkew } from './cgo-alpine-release-skew';
import { cgoLibcMismatch } from './cgo-libc-mismatch';
import { cgoRequiredButDisabled } from './cgo-required-but-disabled';
import { copyFromMissingArtifact } from './copy-from-missing-artifact';
import { copyFromUnknownStage } from './copy-from-unknown-stage';
import { entrypointBinaryMissing } from './entrypoint-binary-missing';
import { goLdflagsXIneffective } from './go-ldflags-x-ineffective';
import { goModuleFileNotInContext } from './go-module-file-not-in-context';
import { goWorkspaceNotCopied } from './go-workspace-not-copied';
import { copyFromParentStage } from './copy-from-parent-stage';
import { goBuildMissingReleaseFlags } from './go-build-missing-release-flags';
import { goBuildVcsWithoutGit } from './go-build-vcs-without-git';
import { goBuildFlagOverridden } from './go-build-flag-overridden';
import { goBuildWithoutCacheMount } from './go-build-without-cache-mount';
import { goGetInstallsBinary } from './go-get-installs-binary';
import { goInstallUnpinned } from './go-install-unpinned';
import { goModDownloadNotCached } from './go-mod-download-not-cached';
import { goToolchainInFinalStage } from './go-toolchain-in-final-stage';
import { obsoleteGoBuildFlags } from './obsolete-go-build-flags';
import type { Rule } from './rule';
import { shellFormWithoutShell } from './shell-form-without-shell';
import { copyFromStageIndex } from './copy-from-stage-index';
import { distrolessUnversionedDebian } from './distroless-unversioned-debian';
import { golangImageOutdated } from './golang-image-outdated';
import { golangImageUnpinned } from './golang-image-unpinned';
import { goVersionOlderThanGoMod } from './go-version-older-than-go-mod';
import { runWithoutShell } from './run-without-shell';
import { unreachableStage } from './unreachable-stage';
import { buildplatformWithoutGoarch } from './buildplatform-without-goarch';
import { crossCompileUnderEmulation } from './cross-compile-under-emulation';
import { hardcodedGoarch } from './hardcoded-goarch';
import { targetArgUndeclared } from './target-arg-undeclared';
import { targetArgWithDefault } from './target-arg-with-default';
import { goarmFromTargetvariant } from './goarm-from-targetvariant';
import { sourceInFinalStage } from './source-in-final-stage';
import { finalStageRunsAsRoot } from './final-stage-runs-as-root';
import { namedUserInScratch } from './named-user-in-scratch';
import { nonNumericUser } from './non-numeric-user';
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
  cgoAlpineReleaseSkew,
  cgoRequiredButDisabled,
  goVersionOlderThanGoMod,
  golangImageUnpinned,
  golangImageOutdated,
  copyFromStageIndex,
  unreachableStage,
  copyFromParentStage,
  distrolessUnversionedDebian,
  runWithoutShell,
  targetArgUndeclared,
  targetArgWithDefault,
  goarmFromTargetvariant,
  buildplatformWithoutGoarch,
  crossCompileUnderEmulation,
  hardcodedGoarch,
  sourceInFinalStage,
  finalStageRunsAsRoot,
  namedUserInScratch,
  nonNumericUser,
  scratchMissingCaCertificates,
  scratchMissingTzdata,
  healthcheckNeedsShellOrTool,
  // Go build hygiene: caching, module fetching, tool installs, build flags.
  goModDownloadNotCached,
  goBuildWithoutCacheMount,
  goGetInstallsBinary,
  goInstallUnpinned,
  obsoleteGoBuildFlags,
  goBuildFlagOverridden,
  goLdflagsXIneffective,
  goModuleFileNotInContext,
  goWorkspaceNotCopied,
  goBuildMissingReleaseFlags,
  goBuildVcsWithoutGit,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
