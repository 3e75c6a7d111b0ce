// What a Dockerfile needs from the builder, read with the same parser the extension uses: the
// image references of FROM, COPY --from and RUN --mount=from (with the global ARG defaults
// substituted, as a build without --build-arg sees them), and the syntax buildah 1.28 cannot
// build (heredocs, COPY --exclude and friends).
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';

/**
 * The full name a builder pulls for a reference, by Docker's rules: a first component with a dot
 * or a port, or `localhost`, is a registry, otherwise the registry is docker.io and a one-part
 * name is an official image under library/; no tag means :latest.
 * Returns { name: 'docker.io/library/golang', tag: '1.22', digest, full }.
 */
export function normalizeReference(reference) {
  let rest = reference;
  let digest;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split('/');
  if (parts[0] === 'index.docker.io') parts[0] = 'docker.io';
  if (parts[0] === 'docker.io' && parts.length === 2) parts.splice(1, 0, 'library');
  if (!(parts.length > 1 && /[.:]|^localhost$/.test(parts[0]))) {
    if (parts.length === 1) parts.unshift('library');
    parts.unshift('docker.io');
  }
  const name = parts.join('/').toLowerCase();
  tag ??= digest ? undefined : 'latest';
  const full = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return { name, tag, digest, full };
}

/** Expands $VAR, ${VAR}, ${VAR:-default} and ${VAR:+alternative} from the known values. */
function expand(text, values) {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (match, braced, operator, word, bare) => {
      const name = braced ?? bare;
      const value = values.get(name);
      if (operator === '-') return value ? value : word;
      if (operator === '+') return value ? word : '';
      return value ?? match;
    },
  );
}

/** The ARGs before the first FROM with their defaults: what FROM lines can use. */
function globalArgs(dockerfile) {
  const values = new Map();
  for (const arg of dockerfile.getInitialARGs()) {
    for (const property of arg.getProperties()) {
      const value = property.getValue();
      if (value !== null) values.set(property.getName(), expand(value, values));
    }
  }
  return values;
}

/**
 * The images a Dockerfile pulls: FROM images that are not earlier stages, COPY --from and RUN
 * --mount=from that name neither a stage nor a stage index. Each entry is { reference, where,
 * unresolved } where unresolved means an ARG without default is left in it.
 */
export function imageReferences(text) {
  const dockerfile = DockerfileParser.parse(text);
  const args = globalArgs(dockerfile);
  const stages = [];
  const references = [];
  const add = (raw, where) => {
    const reference = expand(raw, args);
    references.push({ reference, where, unresolved: /\$/.test(reference) });
  };
  const isStage = (name) => /^\d+$/.test(name) || stages.includes(name.toLowerCase());
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const image = instruction.getImage();
      if (image && !isStage(image) && image.toLowerCase() !== 'scratch') {
        add(image, `FROM, line ${line}`);
      }
      const stage = instruction.getBuildStage();
      if (stage) stages.push(stage.toLowerCase());
    } else if (keyword === 'COPY' || keyword === 'ADD' || keyword === 'RUN') {
      for (const flag of instruction.getFlags?.() ?? []) {
        const value = flag.getValue() ?? '';
        let from;
        if (flag.getName() === 'from' && keyword !== 'RUN') from = value;
        if (flag.getName() === 'mount') {
          from = value
            .split(',')
            .map((option) => option.split('='))
            .find(([key]) => key === 'from')?.[1];
        }
        if (from && !isStage(from)) add(from, `${keyword} --${flag.getName()}, line ${line}`);
      }
    }
  }
  return references;
}

/** Whether an image reference is an alpine image (musl, apk): none can be made here. */
export function isAlpine(reference) {
  const { name, tag } = normalizeReference(reference);
  return name.split('/').pop() === 'alpine' || /alpine/i.test(tag ?? '');
}

/**
 * The flags buildah 1.28 accepts; it stops at any other (COPY --link, --exclude, --parents, ADD
 * --checksum, RUN --network, --security).
 */
const BUILDAH_FLAGS = { COPY: ['from', 'chown', 'chmod'], ADD: ['chown', 'chmod'], RUN: ['mount'] };

/**
 * Syntax a Dockerfile uses that buildah 1.28 does not build: heredocs (`RUN <<EOF`, which BuildKit
 * reads in any RUN, COPY or ADD) and the newer instruction flags: one { what, where } per use.
 */
export function unbuildableSyntax(text) {
  const dockerfile = DockerfileParser.parse(text);
  const found = [];
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    if (!(keyword in BUILDAH_FLAGS)) continue;
    // `<<WORD`, `<<-WORD`, `<<"WORD"`, not a `<<<` here-string.
    if (/(?<!<)<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_-]*\1/.test(instruction.getTextContent())) {
      found.push({ what: 'a heredoc', where: `${keyword}, line ${line}` });
    }
    for (const flag of instruction.getFlags()) {
      if (!BUILDAH_FLAGS[keyword].includes(flag.getName())) {
        found.push({ what: `${keyword} --${flag.getName()}`, where: `line ${line}` });
      }
    }
  }
  return found;
}

/** Syntax errors of a Dockerfile as dockerfile-utils reports them (severity 1 is an error). */
export function syntaxErrors(text) {
  const dockerfile = DockerfileParser.parse(text);
  const errors = validate(text)
    .filter((diagnostic) => diagnostic.severity === 1)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message}`);
  if (dockerfile.getFROMs().length === 0) errors.push('no FROM instruction');
  return errors;
}
