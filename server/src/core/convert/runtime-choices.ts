/**
 * The runtime images to offer when converting to multi-stage: each one the conversion accepts
 * for this Dockerfile, with what it means for a Go binary. The configured default comes first.
 */
import { DEFAULT_RUNTIME_IMAGE } from '../model/images';
import type { DockerfileModel } from '../model/model';
import { conversionOf } from './memo';
import { RUNTIME_CHOICES, type ConvertLayout } from './plan';
import { DISTROLESS_BASE } from './plan';

export { DISTROLESS_BASE };

export interface RuntimeChoice {
  /** The image to pass to the conversion. */
  image: string;
  /** Short name (`distroless static :nonroot`). */
  label: string;
  /** What the image holds, for a Go binary. */
  description: string;
  /** The conversion's own notes for this image (why it switched, what it kept). */
  notes: string[];
  /** The configured default runtime. */
  isDefault: boolean;
}

const KNOWN: { image: string; label: string; description: string }[] = [
  {
    image: RUNTIME_CHOICES.distroless,
    label: 'distroless static :nonroot',
    description: 'no shell, no libc, CA certificates and tzdata; for CGO_ENABLED=0 binaries',
  },
  {
    image: RUNTIME_CHOICES.scratch,
    label: 'scratch',
    description: 'an empty image: only the binary',
  },
  {
    image: RUNTIME_CHOICES.alpine,
    label: 'alpine',
    description: 'musl and a busybox shell, for start commands that need one',
  },
  {
    image: DISTROLESS_BASE,
    label: 'distroless base :nonroot',
    description: 'glibc without a shell, for binaries built with cgo',
  },
  // The root tags the conversion picks when the program may write where a non-root user cannot.
  {
    image: RUNTIME_CHOICES.distroless.replace(/:nonroot$/, ''),
    label: 'distroless static (root)',
    description: 'no shell, no libc; runs as root, as the original image did (see the notes)',
  },
  {
    image: DISTROLESS_BASE.replace(/:nonroot$/, ''),
    label: 'distroless base (root)',
    description:
      'glibc without a shell, for cgo; runs as root, as the original image did (see the notes)',
  },
];

/**
 * The runtimes the conversion accepts for this model, the configured one first; empty when the
 * file cannot be converted. distroless base is offered only when the build needs cgo (the
 * default conversion itself picks it then).
 */
export function runtimeChoices(
  model: DockerfileModel,
  configured: string = DEFAULT_RUNTIME_IMAGE,
  layout?: ConvertLayout,
): RuntimeChoice[] {
  const fallback = conversionOf(model, { layout });
  if (!fallback.ok) return [];
  const needsCgo = fallback.runtimeImage.startsWith(DISTROLESS_BASE.replace(/:nonroot$/, ''));
  // The choices to offer: the root tags are what the conversion itself turns to, not offered.
  const offered = KNOWN.slice(0, 4)
    .map((k) => k.image)
    .filter((image) => image !== DISTROLESS_BASE || needsCgo);
  const candidates = [configured, ...offered];
  const choices: RuntimeChoice[] = [];
  const seen = new Set<string>();
  for (const requested of candidates) {
    const result = conversionOf(model, { runtimeImage: requested, layout });
    if (!result.ok || seen.has(result.runtimeImage)) continue;
    seen.add(result.runtimeImage);
    const known = KNOWN.find((k) => k.image === result.runtimeImage);
    choices.push({
      image: result.runtimeImage,
      label: known?.label ?? result.runtimeImage,
      description:
        known?.description ??
        (result.runtimeImage === requested
          ? 'from the goMultistage.runtimeImage setting'
          : 'what this build needs instead (see the notes)'),
      notes: result.notes,
      isDefault: requested === configured,
    });
  }
  return choices;
}
