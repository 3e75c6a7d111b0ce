/**
 * Why an image's program runs as root, as far as the Dockerfile shows it: the facts that both
 * final-stage-runs-as-root and the conversion's choice of user read, so that the rule never asks
 * for a `USER` that the conversion would refuse to write.
 *
 * - By design (`rootByDesign`): the image installs or carries tools that only root can use
 *   (iptables, iproute2, wireguard-tools, dmsetup, lvm2, kmod, …), reads the host through
 *   mounts (`/host/proc`, `HOST_PROC`, `/rootfs`), opens the Docker daemon's socket (or carries
 *   a Docker client: the CLI, a client module its go.mod requires), runs a root-only tool or
 *   `sysctl -w` in its start script, is built on `docker:dind`,
 *   or its comments and labels say to run it with `--privileged`, `--cap-add`, `NET_ADMIN`. A
 *   non-root user cannot do the job at all.
 * - By choice (`privilegedPorts`): the program listens on a port below 1024, which only root
 *   may bind outside Docker's default network; moving it to a higher port lifts the need.
 *
 * Cached per model and stage: each stage's own needs and the document's comment lines.
 */
import type { Instruction } from 'dockerfile-ast';
import { logicalArguments } from '../model/instruction-text';
import type { DockerfileModel, Stage } from '../model/model';
import { packageCommand, packageName } from '../model/package-commands';
import { parseScript, programName, SHELLS } from '../model/shell';
import { stageChain } from './start';
import { startScript } from './start-script';
import { basename, isWithin } from '../text/posix-path';
import {
  DOCKER_CLIENT_PACKAGES,
  dockerClientRequire,
  rootNetworkRequire,
  dockerSocketIn,
  HOST_VARIABLES,
  hostPathIn,
  privilegeMention,
  programClass,
  ROOT_PACKAGES,
  TOOL_CLASS_TEXT,
} from './root-tools';
import { oneBasedLine } from '../text/line-index';
import { keywordOf } from '../model/instruction-view';
import { KeyedCache } from '../keyed-cache';
import { goRuntime } from './go-runtime';
import { buildsOf } from './builds';
import { runtimeTalksToDocker } from './program-writes';

/** Why the image's program must run as root. */
export interface RootNeed {
  kind: 'system-tool' | 'host-access' | 'privileged' | 'docker-socket' | 'private-files';
  /** A clause that completes "the image runs as root because …" (`it installs iptables (line 3), …`). */
  why: string;
}

/** The instruction's arguments as one line (continuations joined). */
function argumentText(model: DockerfileModel, instruction: Instruction): string {
  return logicalArguments(instruction, model.index, model.escapeChar)?.text ?? '';
}

interface CommentLine {
  /** One-based line. */
  line: number;
  text: string;
  /** The index of the stage whose lines hold it, -1 above the first FROM. */
  stage: number;
}

const commentsPerModel = new KeyedCache<DockerfileModel, CommentLine[]>();

/** Every comment line of the document (also inside continuations), found once per model. */
function commentsOf(model: DockerfileModel): CommentLine[] {
  const known = commentsPerModel.get(model);
  if (known) return known;
  const comments: CommentLine[] = [];
  const starts = model.stages.map((s) => s.from.getRange().start.line);
  let stage = -1;
  // The comments right above a FROM (blank lines between allowed) introduce that stage.
  let block: CommentLine[] = [];
  const lines = model.text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let next = stage;
    while (next + 1 < starts.length && starts[next + 1] <= i) next++;
    if (next !== stage) {
      if (stage >= 0) for (const comment of block) comment.stage = next;
      stage = next;
    }
    const trimmed = lines[i].trimStart();
    if (trimmed.startsWith('#')) {
      const comment = { line: i + 1, text: trimmed, stage };
      comments.push(comment);
      block.push(comment);
    } else if (trimmed !== '') {
      block = [];
    }
  }
  commentsPerModel.set(model, comments);
  return comments;
}

/** Root-only tools and Docker clients the stage installs with a package manager. */
function packageNeeds(stage: Stage, needs: RootNeed[]) {
  for (const run of stage.runs) {
    for (const command of run.commands) {
      const install = packageCommand(command);
      if (install?.action !== 'install') continue;
      for (const word of install.names) {
        const name = packageName(word.text);
        const toolClass = ROOT_PACKAGES.get(name);
        if (toolClass) {
          needs.push({
            kind: 'system-tool',
            why: `it installs ${name} (line ${oneBasedLine(run.instruction)}), ${TOOL_CLASS_TEXT[toolClass]}`,
          });
        } else if (DOCKER_CLIENT_PACKAGES.has(name)) {
          needs.push({
            kind: 'docker-socket',
            why: `it installs the Docker client ${name} (line ${oneBasedLine(run.instruction)}), which talks to the Docker daemon through a socket only root or the docker group may open`,
          });
        }
      }
    }
  }
}

const BIN_DIRECTORY = /\/s?bin(\/|$)/;

/** Root-only programs and the Docker CLI copied in (from another stage or the context). */
function copyNeeds(stage: Stage, needs: RootNeed[]) {
  for (const copy of stage.copies) {
    for (const source of copy.sources) {
      if (source.text.includes('$')) continue;
      const name = basename(source.text);
      const toolClass = programClass(name);
      // From the context, only into a bin directory: `COPY mount ./mount` is more likely a
      // directory of the sources.
      const intoBin = BIN_DIRECTORY.test(copy.destination?.path ?? '');
      if (toolClass && (copy.from || intoBin)) {
        needs.push({
          kind: 'system-tool',
          why: `it copies in ${name} (line ${oneBasedLine(copy.instruction)}), ${TOOL_CLASS_TEXT[toolClass]}`,
        });
      } else if (name === 'docker' && (intoBin || BIN_DIRECTORY.test(source.text))) {
        // A program, not /etc/docker or ~/.docker: it comes from or goes to a bin directory.
        needs.push({
          kind: 'docker-socket',
          why: `it copies in the Docker CLI (line ${oneBasedLine(copy.instruction)}), which talks to the Docker daemon through a socket only root or the docker group may open`,
        });
      }
    }
  }
}

/** Host paths and the Docker socket in ENV and VOLUME, privileges a LABEL mentions. */
function instructionNeeds(model: DockerfileModel, stage: Stage, needs: RootNeed[]) {
  for (const instruction of stage.instructions) {
    const keyword = keywordOf(instruction);
    if (keyword === 'ENV' || keyword === 'VOLUME') {
      const text = argumentText(model, instruction);
      for (const word of text.split(/[\s[\],"]+/)) {
        const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(word)?.[1];
        const socket = dockerSocketIn(word);
        if (socket) {
          needs.push({
            kind: 'docker-socket',
            why: `it uses the Docker daemon's socket ${socket} (${keyword}, line ${oneBasedLine(instruction)}), which only root or the docker group may open`,
          });
          continue;
        }
        const host = hostPathIn(word);
        if (host || (name && HOST_VARIABLES.has(name))) {
          needs.push({
            kind: 'host-access',
            why: `it reads the host through ${host ?? name} (${keyword}, line ${oneBasedLine(instruction)})`,
          });
        }
      }
    } else if (keyword === 'LABEL') {
      const mention = privilegeMention(argumentText(model, instruction));
      if (mention) {
        needs.push({
          kind: 'privileged',
          why: `its LABEL (line ${oneBasedLine(instruction)}) says to run it with ${mention}`,
        });
      }
    }
  }
}

/** The start command: the programs it runs, the host paths it names. */
function startCommandNeeds(stage: Stage, needs: RootNeed[]) {
  for (const command of [stage.entrypoint, stage.cmd]) {
    if (!command) continue;
    const where = `${command.keyword}, line ${oneBasedLine(command.instruction)}`;
    const words = command.exec ? command.exec.map((w) => w.text) : [];
    const scripts = command.exec ? [] : [command.shell ?? ''];
    // `["sh", "-c", "iptables … && exec /agent"]`: the script's commands count too.
    if (command.exec && SHELLS.has(basename(words[0] ?? '')) && words[1] === '-c') {
      scripts.push(words[2] ?? '');
    }
    const programs = command.exec ? [basename(words[0] ?? '')] : [];
    for (const script of scripts) {
      for (const c of parseScript(script).commands) {
        programs.push(programName(c.words[0]) ?? '');
        words.push(...c.words.map((w) => w.text));
      }
    }
    const tool = programs.find((p) => programClass(p) !== undefined);
    if (tool) {
      needs.push({
        kind: 'system-tool',
        why: `its start command runs ${tool} (${where}), ${TOOL_CLASS_TEXT[programClass(tool)!]}`,
      });
    }
    for (const word of words) {
      const socket = dockerSocketIn(word);
      if (socket) {
        needs.push({
          kind: 'docker-socket',
          why: `it uses the Docker daemon's socket ${socket} (${where}), which only root or the docker group may open`,
        });
        break;
      }
      const host = hostPathIn(word);
      if (host) {
        needs.push({ kind: 'host-access', why: `it reads the host through ${host} (${where})` });
        break;
      }
    }
  }
}

/** Where Debian's ssl-cert keeps private keys, readable by root and the ssl-cert group only. */
export const PRIVATE_KEYS = '/etc/ssl/private';

/**
 * Files the stage puts in /etc/ssl/private (`mv app.key /etc/ssl/private/`, a COPY there): Debian
 * keeps that folder to root and the ssl-cert group (0710), so another user cannot read a key there.
 */
function privateKeyNeeds(stage: Stage, needs: RootNeed[]) {
  const entry = stage.fs.entries.find(
    (e) => isWithin(e.path, PRIVATE_KEYS) && stage.instructions.includes(e.instruction),
  );
  if (entry) {
    needs.push({
      kind: 'private-files',
      why: `it puts ${entry.path === PRIVATE_KEYS ? 'files' : entry.path} in ${PRIVATE_KEYS} (line ${oneBasedLine(entry.instruction)}), a folder only root and the ssl-cert group may enter`,
    });
  }
}

/** The needs one stage's own instructions show (not its parents'). */
function ownNeeds(model: DockerfileModel, stage: Stage): RootNeed[] {
  const needs: RootNeed[] = [];
  packageNeeds(stage, needs);
  copyNeeds(stage, needs);
  privateKeyNeeds(stage, needs);
  instructionNeeds(model, stage, needs);
  startCommandNeeds(stage, needs);
  return needs;
}

// A Map per model, not a KeyedCache: a KeyedCache is made once, when the module loads (each one
// takes a slot on every object it keys; see keyed-cache.ts).
const perModel = new KeyedCache<DockerfileModel, Map<Stage, RootNeed[]>>();

function needsOf(model: DockerfileModel, stage: Stage): RootNeed[] {
  let known = perModel.get(model);
  if (!known) perModel.set(model, (known = new Map()));
  let needs = known.get(stage);
  if (!needs) known.set(stage, (needs = ownNeeds(model, stage)));
  return needs;
}

/**
 * The Docker client the module's go.mod requires, when it says the program talks to the daemon;
 * or a module that opens raw sockets or changes the firewall.
 */
function moduleNeed(model: DockerfileModel): RootNeed | undefined {
  const client = dockerClientRequire(model.goMod);
  // The module requires a Docker client, but the program's own sources, all read, import none
  // (a test helper package does): the program does not talk to the daemon.
  const runtime = client ? goRuntime(model) : undefined;
  if (client && !(runtime && runtimeTalksToDocker(model, runtime) === false)) {
    return {
      kind: 'docker-socket',
      why: `its go.mod requires the Docker client ${client.path} (line ${client.line + 1}), which talks to the Docker daemon through a socket only root or the docker group may open`,
    };
  }
  const network = rootNetworkRequire(model.goMod);
  if (network) {
    return {
      kind: 'system-tool',
      why: `its go.mod requires ${network.path} (line ${network.line + 1}), which opens raw sockets, changes the firewall or loads eBPF programs: that takes root's capabilities`,
    };
  }
  return undefined;
}

/**
 * A command of the start script that only root can run: a root-only tool (`iptables`, `ip`,
 * `modprobe`), or `sysctl` setting a kernel parameter (`sysctl -w net.ipv6.conf.all.forwarding=1`).
 */
function startScriptNeed(model: DockerfileModel, stage: Stage): RootNeed | undefined {
  const script = startScript(model, stage);
  if (!script) return undefined;
  for (const command of script.commands) {
    const name = programName(command.words[0]) ?? '';
    const args = command.words.slice(1).map((w) => w.text);
    const tool = programClass(name);
    if (tool) {
      return {
        kind: 'system-tool',
        why: `its start script ${script.path} runs ${name}, ${TOOL_CLASS_TEXT[tool]}`,
      };
    }
    if (name === 'sysctl' && args.some((a) => a === '-w' || /^[a-z0-9_.]+=/.test(a))) {
      return {
        kind: 'system-tool',
        why: `its start script ${script.path} sets kernel parameters with sysctl, as only root may`,
      };
    }
  }
  return undefined;
}

/**
 * Why the stage's program must run as root by design, from the stage, the stages it is built on,
 * the module's go.mod and the comments above it; undefined when nothing says so. Nearest stage
 * first.
 */
export function rootByDesign(model: DockerfileModel, stage: Stage): RootNeed | undefined {
  const action = buildsOf(model, stage).find((b) => b.runner === 'github-docker-action');
  if (action) {
    return {
      kind: 'privileged',
      why: `GitHub runs it as a Docker container action (${action.source.file}:${action.source.line + 1}), which must run as the default user, root: another user cannot write the workspace the runner mounts`,
    };
  }
  for (const s of stageChain(stage)) {
    const [need] = needsOf(model, s);
    if (need) return need;
  }
  const module = moduleNeed(model);
  if (module) return module;
  const script = startScriptNeed(model, stage);
  if (script) return script;
  const root = stageChain(stage).pop()!;
  const base = root.base;
  if (base && /(^|\/)docker$/.test(base.repository) && /dind/.test(base.tag ?? '')) {
    return {
      kind: 'privileged',
      why: `it is built on ${root.baseText ?? 'docker:dind'}, a Docker daemon that runs with --privileged`,
    };
  }
  // The comments above the first FROM (usage notes) and in the stages of the chain.
  const chain = new Set(stageChain(stage).map((s) => s.index));
  for (const comment of commentsOf(model)) {
    if (comment.stage >= 0 && !chain.has(comment.stage)) continue;
    const mention = privilegeMention(comment.text);
    if (mention) {
      return {
        kind: 'privileged',
        why: `its comments say to run it with ${mention} (line ${comment.line})`,
      };
    }
    // `docker run -v /var/run/docker.sock:/var/run/docker.sock …`, `-v /proc:/host/proc:ro`.
    const words = comment.text.split(/\s+/);
    const socket = words.map(dockerSocketIn).find((w) => w !== undefined);
    if (socket) {
      return {
        kind: 'docker-socket',
        why: `its comments say to mount the Docker daemon's socket ${socket} (line ${comment.line}), which only root or the docker group may open`,
      };
    }
    const mounts = /(^|\s)(-v|--volume|--mount)[= ]/.test(comment.text);
    const host = mounts ? words.map(hostPathIn).find((w) => w !== undefined) : undefined;
    if (host) {
      return {
        kind: 'host-access',
        why: `its comments say to mount the host at ${host} (line ${comment.line})`,
      };
    }
  }
  return undefined;
}

/** A port below 1024 that the program listens on, and where that is said. */
export interface PrivilegedPort {
  port: number;
  /** `EXPOSE`, `ENV PORT`, a place in the sources (`main.go:12`). */
  where: string;
}

/** `setcap cap_net_bind_service=+ep <binary>`: the binary may bind low ports without root. */
function grantsBindCapability(stage: Stage): boolean {
  return stageChain(stage).some((s) =>
    s.runs.some((run) =>
      run.commands.some(
        (c) =>
          programName(c.words[0]) === 'setcap' &&
          c.words.some((w) => /cap_net_bind_service/i.test(w.text)),
      ),
    ),
  );
}

/**
 * The ports below 1024 the stage's program listens on, from EXPOSE (in the stage or those it is
 * built on), the container ports of the compose services that run the image, the ports its ENV
 * sets (`PORT=80`, `HTTP_PORT=443`) and the addresses its sources listen on (`listens`): binding
 * them takes root outside Docker's default network. None when a RUN gives a binary
 * `cap_net_bind_service` with setcap.
 */
export function privilegedPorts(
  model: DockerfileModel,
  stage: Stage,
  listens: readonly { port: number; where: string }[] = [],
): PrivilegedPort[] {
  if (grantsBindCapability(stage)) return [];
  const ports: PrivilegedPort[] = [];
  const add = (port: number, where: string) => {
    if (!Number.isInteger(port) || port <= 0 || port >= 1024) return;
    // Each port once, where it is first seen (EXPOSE, compose, the sources, then ENV).
    if (!ports.some((p) => p.port === port)) ports.push({ port, where });
  };
  const declared: number[] = [];
  for (const s of stageChain(stage).reverse()) {
    for (const instruction of s.instructions) {
      if (keywordOf(instruction) !== 'EXPOSE') continue;
      for (const arg of instruction.getArguments()) {
        declared.push(Number(arg.getValue().split('/')[0]));
        add(declared[declared.length - 1], 'EXPOSE');
      }
    }
  }
  for (const build of buildsOf(model, stage)) {
    for (const service of build.ports ?? []) {
      const where = `${service.file ?? 'compose'}:${service.line + 1}, ${service.label}`;
      for (const port of service.ports) {
        declared.push(port);
        add(port, where);
      }
    }
  }
  // EXPOSE or compose services naming only unprivileged ports say where the program listens as
  // the image runs: a `":25"` in its sources is then a default it is not given (a library's
  // fallback, replaced from the service's environment).
  const high = declared.length > 0 && declared.every((p) => Number.isInteger(p) && p >= 1024);
  if (!high) for (const listen of listens) add(listen.port, listen.where);
  for (const [name, value] of stage.envAtEnd) {
    if (typeof value === 'string' && /(^|_)PORT$/.test(name) && /^\d+$/.test(value)) {
      add(Number(value), `ENV ${name}`);
    }
  }
  return ports;
}
