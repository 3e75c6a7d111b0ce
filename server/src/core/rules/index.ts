/** Every rule, in the order their findings are listed when they share a line. */
import { cgoLibcMismatch } from './cgo-libc-mismatch';
import { copyFromMissingArtifact } from './copy-from-missing-artifact';
import { copyFromUnknownStage } from './copy-from-unknown-stage';
import { entrypointBinaryMissing } from './entrypoint-binary-missing';
import { goBuildMissingReleaseFlags } from './go-build-missing-release-flags';
import { goBuildVcsWithoutGit } from './go-build-vcs-without-git';
import { goBuildWithoutCacheMount } from './go-build-without-cache-mount';
import { goGetInstallsBinary } from './go-get-installs-binary';
import { goInstallUnpinned } from './go-install-unpinned';
import { goModDownloadNotCached } from './go-mod-download-not-cached';
import { goToolchainInFinalStage } from './go-toolchain-in-final-stage';
import { obsoleteGoBuildFlags } from './obsolete-go-build-flags';
import type { Rule } from './rule';
import { shellFormWithoutShell } from './shell-form-without-shell';

export const RULES: readonly Rule[] = [
  goToolchainInFinalStage,
  copyFromUnknownStage,
  shellFormWithoutShell,
  copyFromMissingArtifact,
  entrypointBinaryMissing,
  cgoLibcMismatch,
  // Go build hygiene: caching, module fetching, tool installs, build flags.
  goModDownloadNotCached,
  goBuildWithoutCacheMount,
  goGetInstallsBinary,
  goInstallUnpinned,
  obsoleteGoBuildFlags,
  goBuildMissingReleaseFlags,
  goBuildVcsWithoutGit,
];

export function findRule(id: string): Rule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
