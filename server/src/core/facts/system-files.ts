/**
 * System files a static Go binary looks for at run time (the CA bundle, the zoneinfo database),
 * where Go looks for them, and which stages of a Dockerfile are known to hold them, so that a
 * fix can copy them from a stage where the copy will not fail.
 * Computed on each call.
 */
import type { Stage } from '../model/model';
import { stageChain } from './start';
import { rootStage } from './stage-tree';

/**
 * Files and directories crypto/x509 reads on Linux for the system roots (root_linux.go), in
 * addition to `$SSL_CERT_FILE` and `$SSL_CERT_DIR`.
 */
export const CA_PATHS: readonly string[] = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
  '/etc/ssl/certs',
  '/etc/pki/tls/certs',
];

/** The CA bundle path Debian, Ubuntu and Alpine share, the one fixes copy. */
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Where the time package looks for the zoneinfo database on Unix (zoneinfo_unix.go's
 * platformZoneSources, which is also all `TZ` is resolved against), and the copy in GOROOT.
 */
export const ZONEINFO_PATHS: readonly string[] = [
  '/usr/share/zoneinfo',
  '/usr/share/lib/zoneinfo',
  '/usr/lib/locale/TZ',
  '/etc/zoneinfo',
  '/usr/local/go/lib/time/zoneinfo.zip',
];

export const ZONEINFO_DIR = '/usr/share/zoneinfo';

function installed(stage: Stage, name: string): boolean {
  return stage.packages.has(name);
}

/** Whether a stage is known to hold the CA bundle at /etc/ssl/certs/ca-certificates.crt. */
export function holdsCaBundle(stage: Stage): boolean {
  const facts = stage.facts;
  if (stage.fs.lookup(CA_BUNDLE).presence === 'yes') return true;
  // The golang images install ca-certificates (Debian variants through buildpack-deps, alpine
  // variants explicitly); alpine ships ca-certificates-bundle; distroless ships the bundle.
  if (facts.family === 'golang' && facts.libc !== undefined) return true;
  if (facts.family === 'alpine' || facts.family === 'distroless') return true;
  return installed(stage, 'ca-certificates');
}

/** Whether a stage is known to hold /usr/share/zoneinfo. */
export function holdsZoneinfo(stage: Stage): boolean {
  const facts = stage.facts;
  if (stage.fs.lookup(ZONEINFO_DIR).presence === 'yes') return true;
  if (installed(stage, 'tzdata')) return true;
  // Debian's base images carry tzdata, and so the Debian-based golang images; the alpine ones
  // do not (docker-library/golang#477), nor do Ubuntu's.
  if (facts.family === 'golang') return facts.libc === 'glibc';
  if (facts.family === 'distroless') return true;
  return facts.family === 'debian-like' && rootStage(stage).base?.repository === 'debian';
}

/** How `COPY --from` names a stage: its name, else its index. */
export function stageRef(stage: Stage): string {
  return stage.name ?? String(stage.index);
}

/**
 * The stage a runtime stage should copy a system file from: the first of `preferred` (the
 * stages that built its binaries) that holds it, else the nearest earlier stage that does.
 */
export function sourceStageFor(
  stages: readonly Stage[],
  runtime: Stage,
  preferred: readonly Stage[],
  holds: (stage: Stage) => boolean,
): Stage | undefined {
  const runtimeChain = new Set(stageChain(runtime));
  const candidates = [...preferred, ...stages.slice(0, runtime.index).reverse()].filter(
    (s) => s.index < runtime.index && !runtimeChain.has(s),
  );
  return candidates.find(holds);
}
