/**
 * Go's release lines as the extension knows them, from the data shipped with it
 * (`go-releases.json`, written by `scripts/refresh-go-releases.mjs`; nothing is fetched at run
 * time): when each line came out, its latest patch release and that patch's date. Go supports a
 * release line until two newer lines exist, so the two newest lines are the supported ones.
 */
import data from './go-releases.json';

/** One minor release line (`1.22`): its first release and its newest patch. */
export interface GoReleaseLine {
  /** `1.22`. */
  minor: string;
  /** Date (YYYY-MM-DD) of the line's first release (`go1.22.0`, or `go1.20` before 1.21). */
  released: string;
  /** The newest patch release the data knows (`1.22.12`). */
  latest: string;
  /** Its date (YYYY-MM-DD), when known. */
  latestDate?: string;
}

/** When the release data was built, and from what. */
export const GO_RELEASE_DATA: { date: string; source: string } = {
  date: data.date,
  source: data.source,
};

function parseMinor(minor: string): [number, number] | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(minor);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function compareMinor(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

const LINES: readonly GoReleaseLine[] = (data.releases as unknown[])
  .filter(
    (row): row is string[] =>
      Array.isArray(row) && row.length >= 3 && row.every((cell) => typeof cell === 'string'),
  )
  .filter((row) => parseMinor(row[0]) !== undefined)
  .map(([minor, released, latest, latestDate]) => ({
    minor,
    released,
    latest,
    latestDate: latestDate || undefined,
  }))
  .sort((a, b) => compareMinor(parseMinor(b.minor)!, parseMinor(a.minor)!));

/** Every release line the data knows, newest first. */
export function goReleaseLines(): readonly GoReleaseLine[] {
  return LINES;
}

/** The supported release lines: the two newest (newest first). */
export function supportedGoLines(): readonly GoReleaseLine[] {
  return LINES.slice(0, 2);
}

/** The release line of a minor version (`1.22`), when the data knows it. */
export function goReleaseLine(minor: string): GoReleaseLine | undefined {
  return LINES.find((line) => line.minor === minor);
}

/**
 * What the data says of a Go version named by a golang image tag:
 * - `unsupported`: its line has two newer lines; `endedBy` is the line whose release ended it.
 * - `old-patch`: a supported line, but an older patch (or a pre-release) than the newest.
 * - `current`: a supported line at its newest patch, or a floating minor tag (`1.26`), which
 *   follows the patches, or a floating major tag (`1`).
 * - `newer`: a line newer than the data knows (the data is older than the image).
 * - `unknown`: not a version the data can place.
 */
export type GoVersionStatus =
  | { kind: 'unsupported'; line: GoReleaseLine; endedBy: GoReleaseLine }
  | { kind: 'old-patch'; line: GoReleaseLine; prerelease: boolean }
  | { kind: 'current'; line: GoReleaseLine }
  | { kind: 'newer' }
  | { kind: 'unknown' };

const VERSION = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:rc|beta)\d+)?$/;

/**
 * The status of a Go version as a golang image tag spells it: `1.22` (the newest 1.22 patch),
 * `1.22.3`, `1.22rc1`, or `1` (the newest release).
 */
export function goVersionStatus(version: string): GoVersionStatus {
  const match = VERSION.exec(version);
  if (!match || LINES.length === 0) return { kind: 'unknown' };
  const [, major, minorPart, patch, pre] = match;
  if (minorPart === undefined) {
    // `golang:1` follows the newest release; another major is not in the data.
    return Number(major) === parseMinor(LINES[0].minor)![0]
      ? { kind: 'current', line: LINES[0] }
      : Number(major) > parseMinor(LINES[0].minor)![0]
        ? { kind: 'newer' }
        : { kind: 'unknown' };
  }
  const minor = `${Number(major)}.${Number(minorPart)}`;
  const index = LINES.findIndex((line) => line.minor === minor);
  if (index < 0) {
    const newest = parseMinor(LINES[0].minor)!;
    return compareMinor(parseMinor(minor)!, newest) > 0 ? { kind: 'newer' } : { kind: 'unknown' };
  }
  const line = LINES[index];
  if (index >= 2) return { kind: 'unsupported', line, endedBy: LINES[index - 2] };
  if (pre !== undefined) return { kind: 'old-patch', line, prerelease: true };
  if (patch === undefined) return { kind: 'current', line };
  const latestPatch = Number(/^\d+\.\d+\.(\d+)$/.exec(line.latest)?.[1] ?? 0);
  return Number(patch) < latestPatch
    ? { kind: 'old-patch', line, prerelease: false }
    : { kind: 'current', line };
}

/** The minor version two lines after `minor` (`1.26` → `1.28`): its release ends `minor`'s support. */
export function endingMinor(minor: string): string {
  const parsed = parseMinor(minor);
  return parsed ? `${parsed[0]}.${parsed[1] + 2}` : minor;
}
