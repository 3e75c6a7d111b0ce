/**
 * Which stages build on Windows. A Windows stage runs on a Windows daemon: its RUNs run under
 * cmd or PowerShell, its paths are `C:\...`, its users are `ContainerUser` and
 * `ContainerAdministrator` (no numeric ids), and the classic Windows builder knows nothing of
 * BuildKit's `RUN --mount`. The rules built on those Linux and BuildKit ideas stay silent there.
 *
 * A stage is on Windows when:
 * - its `--platform` is a literal `windows/...` (a literal `linux/...` says Linux);
 * - its base is a Windows image: `mcr.microsoft.com/windows/...`, a `nanoserver` or `servercore`
 *   repository, a tag naming `windowsservercore`, `nanoserver` or an `ltsc20xx` release
 *   (`golang:1.26-windowsservercore-ltsc2022`), also when the tag is an unresolved ARG;
 * - it is built on a Windows stage (`FROM build AS test`);
 * - it takes the target platform (no `--platform`, `$TARGETPLATFORM` or `$TARGETOS/$TARGETARCH`)
 *   on a base that exists for several systems (`golang:1.26`, an unknown image, an ARG the build
 *   sets), and the file's target-platform stages (a Windows base, or a `go build -o app.exe`
 *   without GOOS) or the platforms its builds declare show a Windows target, and none a Linux
 *   one (alpine, Debian, distroless, scratch, `linux/arm64`): a build whose image is Windows
 *   pulls the Windows variant of such a base.
 *
 * `--platform=$BUILDPLATFORM` (or `$BUILDOS/$BUILDARCH`) is the machine running the build, which
 * the file cannot tell: Linux is assumed, as everywhere else, so a Linux stage cross-compiling
 * with `GOOS=windows` stays a Linux stage.
 */
import type { DockerfileModel, Stage } from '../model/model';
import { isBuildPlatformValue, isTargetPlatformValue } from './platform';
import { goPlatformSource } from './go-platform';
import { perKey } from './memo';

type Os = 'windows' | 'linux' | undefined;

/** The system a `--platform` value names (`windows/amd64`), when it is a literal one. */
function platformOs(text: string): Os | 'target' | 'build' {
  const value = text.trim().toLowerCase();
  if (isBuildPlatformValue(text)) return 'build';
  if (isTargetPlatformValue(text)) return 'target';
  if (/^windows(\/|$)/.test(value)) return 'windows';
  if (/^linux(\/|$)/.test(value)) return 'linux';
  return undefined;
}

const WINDOWS_TAG = /(?:^|[-_.])(?:windowsservercore|nanoserver|servercore|ltsc20\d\d)(?:$|[-_.])/i;

/** Whether an image reference, as written or expanded, names a Windows image. */
export function isWindowsImageText(text: string): boolean {
  const lower = text.toLowerCase();
  const at = lower.indexOf('@');
  const name = at < 0 ? lower : lower.slice(0, at);
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  const repository = colon < 0 ? name : name.slice(0, colon);
  const tag = colon < 0 ? '' : name.slice(colon + 1);
  const segments = repository.split('/');
  // Microsoft's registry: `windows/nanoserver`, `oss/kubernetes/windows-host-process-…`.
  if (
    segments[0] === 'mcr.microsoft.com' &&
    segments.slice(1).some((s) => /^windows(?:$|-)/.test(s))
  )
    return true;
  const last = segments[segments.length - 1];
  if (/^(?:nanoserver|servercore|windowsservercore)$/.test(last)) return true;
  if (segments.length > 1 && segments[0] === 'microsoft' && /^(?:windows|nanoserver)/.test(last))
    return true;
  return WINDOWS_TAG.test(tag);
}

/** What a stage's own FROM says of its system, from its platform and its image. */
function ownOs(stage: Stage): Os | 'target' | 'build' {
  const platform = stage.platform ? platformOs(stage.platform.text) : 'target';
  if (platform === 'windows' || platform === 'linux' || platform === 'build') return platform;
  if (stage.parent) return platform; // the parent decides below
  const text = stage.base?.text ?? stage.baseText;
  if (text !== undefined && isWindowsImageText(text)) return 'windows';
  // Images known to be Linux-only (golang tags without a Windows variant exist for both).
  const family = stage.facts.family;
  if (family !== 'unknown' && family !== 'golang') return 'linux';
  // A golang tag that names a Linux variant (`alpine`, `bookworm`) is Linux only.
  if (family === 'golang' && stage.facts.variant !== undefined) return 'linux';
  return platform;
}

/**
 * Whether a go build of the stage writes a `.exe` with no GOOS set: a native build, so the stage
 * runs on Windows (with `GOOS=windows` it cross-compiles from anywhere).
 */
function buildsExeNatively(model: DockerfileModel, stage: Stage): boolean {
  return stage.goCalls.some(
    (call) =>
      call.output.kind === 'file' &&
      call.output.name.toLowerCase().endsWith('.exe') &&
      goPlatformSource(model, call, 'GOOS').kind === 'unset',
  );
}

/** The stages of a model that build on Windows (by index). */
const windowsStages: (model: DockerfileModel) => boolean[] = perKey((model) => {
  const own = model.stages.map(ownOs);
  // The target platform's system, from the target-platform stages whose image says it.
  let windowsTarget = false;
  let linuxTarget = false;
  for (const stage of model.stages) {
    if (stage.parent) continue;
    const takesTarget = !stage.platform || platformOs(stage.platform.text) === 'target';
    if (!takesTarget) continue;
    const text = stage.base?.text ?? stage.baseText;
    if (text !== undefined && isWindowsImageText(text)) windowsTarget = true;
    else if (own[stage.index] === 'linux') linuxTarget = true;
    else if (buildsExeNatively(model, stage)) windowsTarget = true;
  }
  // The platforms the project's builds declare (`--platform windows/amd64`) say it too.
  for (const build of model.options.builds ?? []) {
    for (const platform of build.platforms ?? []) {
      const os = platformOs(platform);
      if (os === 'windows') windowsTarget = true;
      else if (os === 'linux') linuxTarget = true;
    }
  }
  const targetIsWindows = windowsTarget && !linuxTarget;
  const result: boolean[] = [];
  for (const stage of model.stages) {
    const os = own[stage.index];
    if (os === 'windows') result.push(true);
    else if (os === 'linux' || os === 'build') result.push(false);
    else if (stage.parent) {
      // `FROM build`: the parent's system, unless a literal platform said otherwise above.
      result.push(result[stage.parent.index]);
    } else result.push(os === 'target' && targetIsWindows);
  }
  return result;
});

/** Whether the stage builds on Windows (see the module comment). */
export function isWindowsStage(model: DockerfileModel, stage: Stage): boolean {
  return windowsStages(model)[stage.index] === true;
}
