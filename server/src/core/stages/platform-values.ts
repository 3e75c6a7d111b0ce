/**
 * What BuildKit sets the automatic TARGET* ARGs to for the platforms the project's builds declare
 * (compose `platforms`, Bake, `docker buildx build --platform`, CI workflows), for the hover on
 * those ARGs. BuildKit normalizes a platform as containerd does: `linux/arm64/v8` is
 * `linux/arm64` (v8 is arm64's default), `linux/arm` is `linux/arm/v7`, and the common aliases
 * (`x86_64`, `aarch64`) name the Go architectures.
 */
import { describeBuild } from '../facts/builds';
import type { DockerfileModel } from '../model/model';

interface Platform {
  os: string;
  arch: string;
  variant: string;
}

const ARCH_ALIASES: Readonly<Record<string, { arch: string; variant?: string }>> = {
  x86_64: { arch: 'amd64' },
  'x86-64': { arch: 'amd64' },
  aarch64: { arch: 'arm64' },
  armhf: { arch: 'arm', variant: 'v7' },
  armel: { arch: 'arm', variant: 'v6' },
  i386: { arch: '386' },
  i686: { arch: '386' },
};

/** A platform as BuildKit normalizes it; undefined for text that is not one (`$PLATFORMS`). */
export function normalizePlatform(text: string): Platform | undefined {
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3) return undefined;
  if (parts.some((part) => !/^[a-z0-9_.-]+$/.test(part))) return undefined;
  const [os, rawArch, rawVariant = ''] = parts;
  const alias = ARCH_ALIASES[rawArch];
  const arch = alias?.arch ?? rawArch;
  let variant = rawVariant || (alias?.variant ?? '');
  if (arch === 'arm64' && variant === 'v8') variant = '';
  if (arch === 'arm' && variant === '') variant = 'v7';
  if (arch === 'amd64' && variant === 'v1') variant = '';
  return { os, arch, variant };
}

function platformText(platform: Platform): string {
  const { os, arch, variant } = platform;
  return variant ? `${os}/${arch}/${variant}` : `${os}/${arch}`;
}

const TARGET_VALUE: Readonly<Record<string, (platform: Platform) => string>> = {
  TARGETPLATFORM: platformText,
  TARGETOS: (p) => p.os,
  TARGETARCH: (p) => p.arch,
  TARGETVARIANT: (p) => p.variant,
};

/**
 * For an automatic TARGET* ARG: the values it takes in the builds the project declares, as a
 * sentence for the hover (`` `amd64` (linux/amd64) or `arm64` (linux/arm64), the platforms of
 * service api in compose.yaml:4 ``); the builder's own platform when the builds name none.
 * Undefined for another name, or when no build is declared.
 */
export function declaredTargetValues(model: DockerfileModel, name: string): string | undefined {
  const value = TARGET_VALUE[name];
  const builds = model.options.builds ?? [];
  if (!value || builds.length === 0) return undefined;
  const values = new Map<string, string[]>();
  const sources: string[] = [];
  let unsaid = 0;
  for (const build of builds) {
    const platforms = (build.platforms ?? []).map(normalizePlatform);
    if (build.platforms === undefined || build.platforms?.length === 0) unsaid++;
    if (platforms.length === 0 || platforms.some((p) => p === undefined)) continue;
    sources.push(describeBuild(build));
    for (const platform of platforms as Platform[]) {
      const shown = value(platform);
      const list = values.get(shown) ?? [];
      const text = platformText(platform);
      if (!list.includes(text)) list.push(text);
      values.set(shown, list);
    }
  }
  if (values.size === 0) {
    return unsaid === builds.length
      ? `The builds declared (${describeBuild(builds[0])}${builds.length > 1 ? ', …' : ''}) name no platform: the builder's own, unless \`--platform\` is given.`
      : undefined;
  }
  const listed = [...values]
    .map(([shown, platforms]) => `${shown ? `\`${shown}\`` : 'empty'} (${platforms.join(', ')})`)
    .join(values.size === 2 ? ' or ' : ', ');
  const from = sources.slice(0, 2).join(', ') + (sources.length > 2 ? ', …' : '');
  const others = unsaid > 0 ? `; the builder's own platform in the builds that name none` : '';
  return `In the declared builds: ${listed}, from the platforms of ${from}${others}.`;
}
