/**
 * Approximate sizes of the images a Go Dockerfile builds on, from the data shipped with the
 * extension (`data/image-sizes.json`, written by `scripts/refresh-image-sizes.mjs`; nothing is fetched
 * at run time): the compressed linux/amd64 size, which is what a pull downloads. The sizes stand
 * for a family of tags (every golang Debian tag, every distroless static tag): close enough to
 * show what a multi-stage build saves, not to budget a registry.
 */
import { isOfficialGolang } from './golang-bases';
import { classifyImage, parseImageReference, type ImageReference } from '../model/images';
import data from '../data/image-sizes.json';

/** The size of one image family, as measured on one of its images. */
export interface ImageSize {
  /** `golang`, `golang-alpine`, `distroless-static`, ... */
  key: string;
  /** The image that was measured (`golang:1.26.5-trixie`). */
  image: string;
  /** Compressed size in bytes. */
  bytes: number;
  /** Where the figure comes from (a registry and a date, or `estimate`). */
  from: string;
}

/** When the size data was built, what it measures, and from what. */
export const IMAGE_SIZE_DATA: { date: string; measure: string; source: string } = {
  date: data.date,
  measure: data.measure,
  source: data.source,
};

const SIZES: ReadonlyMap<string, ImageSize> = new Map(
  (data.images as unknown[])
    .filter(
      (entry): entry is ImageSize =>
        typeof entry === 'object' &&
        entry !== null &&
        typeof (entry as ImageSize).key === 'string' &&
        typeof (entry as ImageSize).image === 'string' &&
        typeof (entry as ImageSize).bytes === 'number' &&
        typeof (entry as ImageSize).from === 'string',
    )
    .map((entry) => [entry.key, entry]),
);

/** The size of an image family by key. */
export function imageSizeByKey(key: string): ImageSize | undefined {
  return SIZES.get(key);
}

/** The family an image belongs to for its size, when the data covers it. */
function sizeKey(reference: ImageReference): string | undefined {
  const facts = classifyImage(reference);
  const tag = (reference.tag ?? 'latest').toLowerCase();
  switch (facts.family) {
    case 'scratch':
      return 'scratch';
    case 'golang': {
      if (!isOfficialGolang(reference)) return undefined;
      const variant = (facts.variant ?? '').toLowerCase();
      // Windows images are gigabytes: no figure rather than a wrong one.
      if (variant.includes('windowsservercore') || variant.includes('nanoserver')) return undefined;
      return variant.startsWith('alpine') ? 'golang-alpine' : 'golang';
    }
    case 'distroless':
      if (facts.distrolessFlavor === 'static') return 'distroless-static';
      if (facts.distrolessFlavor === 'base') return 'distroless-base';
      return undefined;
    case 'alpine':
      return 'alpine';
    case 'debian-like':
      return reference.repository === 'debian' && tag.includes('slim') ? 'debian-slim' : undefined;
    default:
      return undefined;
  }
}

/** The approximate size of an image (a reference or its text), when the data covers it. */
export function imageSizeOf(image: ImageReference | string): ImageSize | undefined {
  const reference = typeof image === 'string' ? parseImageReference(image) : image;
  const key = sizeKey(reference);
  return key === undefined ? undefined : SIZES.get(key);
}

/**
 * A size for people: `≈ 310 MB`, `≈ 4 MB`, `< 1 MB`, `0 MB` (decimal megabytes, as registries
 * show them), rounded to two significant digits at most.
 */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 MB';
  const mb = bytes / 1_000_000;
  if (mb < 0.5) return '< 1 MB';
  if (mb < 10) return `≈ ${Math.round(mb)} MB`;
  const step = 10 ** (Math.floor(Math.log10(mb)) - 1);
  return `≈ ${Math.round(mb / step) * step} MB`;
}

// Short names of the size families, for hovers and lens titles.
const LABELS: Readonly<Record<string, string>> = {
  golang: 'golang',
  'golang-alpine': 'golang alpine',
  'debian-slim': 'debian slim',
  'distroless-base': 'distroless base',
  'distroless-static': 'distroless static',
  alpine: 'alpine',
  scratch: 'scratch',
};

/** A short name for an image's size family (`distroless static`). */
export function sizeLabel(size: ImageSize): string {
  return LABELS[size.key] ?? size.key;
}

/**
 * The size change from one image to another, `≈ 310 MB → ≈ 1 MB`, when the data covers both
 * (the program's own binary comes on top of the second).
 */
export function sizeChange(
  from: ImageReference | string | undefined,
  to: ImageReference | string | undefined,
): string | undefined {
  const before = from === undefined ? undefined : imageSizeOf(from);
  const after = to === undefined ? undefined : imageSizeOf(to);
  if (!before || !after) return undefined;
  return `${formatSize(before.bytes)} → ${formatSize(after.bytes)}`;
}
