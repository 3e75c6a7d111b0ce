// Catches a scratch final stage that ships a Go binary but no CA certificates: scratch is empty,
// so every outbound TLS connection fails with "x509: certificate signed by unknown authority".
import { insertAfter, instructionLine } from '../edits/insert-line';
import { goRuntime, runtimeBuildCalls } from '../facts/go-runtime';
import { EMBEDDED_ROOTS_MODULES, requiresModule } from '../model/gomod';
import type { DockerfileModel, GoCall } from '../model/model';
import { baseImageText } from '../facts/start';
import {
  CA_BUNDLE,
  CA_PATHS,
  holdsCaBundle,
  sourceStageFor,
  stageRef,
} from '../facts/system-files';
import type { Fix } from '../types';
import { programsBuilt } from '../facts/program-sources';
import { standardLibraryImports } from '../facts/program-needs';
import { type Report, type Rule, shortImage } from './rule';

// Standard packages through which a program can open a TLS connection or check a certificate, or
// run another program that may.
const TLS_CAPABLE = ['crypto/tls', 'crypto/x509', 'net/http', 'net/smtp', 'os/exec'];

/**
 * The shipped programs, read whole, use the standard library alone and none of its TLS clients:
 * a CA bundle would change nothing for them.
 */
function makesNoTlsConnections(model: DockerfileModel, calls: readonly GoCall[]): boolean {
  const programs = programsBuilt(model, calls);
  const imports = programs && standardLibraryImports(programs);
  if (!imports) return false;
  return ![...imports].some((path) =>
    TLS_CAPABLE.some((p) => path === p || path.startsWith(p + '/')),
  );
}

type MessageId = 'noCaCertificates';

export const scratchMissingCaCertificates: Rule<MessageId> = {
  meta: {
    id: 'scratch-missing-ca-certificates',
    description: 'A scratch final stage ships a Go binary without CA certificates.',
    defaultSeverity: 'info',
    fixable: true,
    perShippedStage: true,
    messages: {
      noCaCertificates:
        'This {{image}} image has no CA certificates: outgoing TLS connections would fail.',
    },
    details: {
      noCaCertificates:
        '{{fullImage}} is empty and this stage copies in no CA certificates: if the Go program makes TLS connections (HTTPS APIs, cloud SDKs, TLS databases), they fail with "x509: certificate signed by unknown authority". Add `{{copy}}`. If the program makes no outbound TLS connections, or embeds its roots (golang.org/x/crypto/x509roots/fallback), ignore this.',
    },
  },
  check(model: DockerfileModel, report: Report<MessageId>) {
    const runtime = goRuntime(model);
    if (!runtime || runtime.stage.facts.family !== 'scratch') return;
    const stage = runtime.stage;
    // Go's crypto/x509 also honours SSL_CERT_FILE and SSL_CERT_DIR.
    if (stage.envAtEnd.has('SSL_CERT_FILE') || stage.envAtEnd.has('SSL_CERT_DIR')) return;
    if (CA_PATHS.some((path) => stage.fs.lookup(path).presence !== 'no')) return;
    // A module that embeds root certificates makes the system bundle unnecessary.
    if (EMBEDDED_ROOTS_MODULES.some((m) => requiresModule(model.goMod, m))) return;
    const calls = runtimeBuildCalls(runtime);
    if (calls.length > 0 && makesNoTlsConnections(model, calls)) return;

    const source = sourceStageFor(model.stages, stage, runtime.builders, holdsCaBundle);
    const copy = source
      ? `COPY --from=${stageRef(source)} ${CA_BUNDLE} /etc/ssl/certs/`
      : `COPY --from=<a stage with ca-certificates> ${CA_BUNDLE} /etc/ssl/certs/`;
    const insertion = source
      ? insertAfter(model, stage.from, [instructionLine(model, 'COPY', copy.slice('COPY '.length))])
      : undefined;
    const fixes: Fix[] =
      source && insertion
        ? [
            {
              title: `Copy the CA certificates from stage ${stageRef(source)}`,
              kind: 'quickfix',
              isPreferred: true,
              // Adding the bundle changes nothing but which TLS peers the program can verify.
              safe: true,
              edits: [insertion],
            },
          ]
        : [];
    report({
      range: stage.baseRange ?? stage.from.getRange(),
      messageId: 'noCaCertificates',
      data: {
        image: shortImage(baseImageText(stage), 30),
        fullImage: baseImageText(stage),
        copy,
      },
      fixes,
    });
  },
};
