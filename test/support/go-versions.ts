/**
 * Go releases for test texts, taken from the release data shipped with the extension: a text
 * that is not about the Go release of its image uses them to draw no golang-image-outdated
 * finding, whatever the date of the data.
 */
import { goReleaseLines, supportedGoLines } from '../../server/src/core/data/go-releases';

const newest = goReleaseLines()[0];

/** The newest Go release line (`1.27`), a supported minor tag. */
export const CURRENT_GO = newest.minor;

/** The newest patch of that line (`1.27.4`). */
export const CURRENT_GO_PATCH = newest.latest;

/** The oldest supported Go release line (`1.26`), the pin for a go.mod of an older one. */
export const OLDEST_SUPPORTED_GO = supportedGoLines().at(-1)!.minor;
