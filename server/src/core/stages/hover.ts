/**
 * Hover text: on a stage name or reference, what the stage is built on, which Go binaries it
 * builds and which stages use it; on a go-multistage finding, what the editor does not already
 * show of it (the reasoning behind it and the way to the rule's page).
 */
import { buildsOf, describeBuild, shippedStages } from '../facts/builds';
import type { DockerfileModel, Stage } from '../model/model';
import { outputPaths } from '../model/go-invocation';
import type { Diagnostic, Position, ProjectBuild, Range } from '../types';
import { sitesOfStage, stageSiteAt, touches, type StageSite } from './sites';
import { oneBasedLine } from '../text/line-index';

export interface HoverContent {
  /** Markdown. */
  markdown: string;
  range: Range;
}

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${text}${ticks}`;
}

function stageRef(stage: Stage): string {
  return stage.name !== undefined ? `stage ${code(stage.name)}` : `stage ${stage.index}`;
}

/** What a stage builds: the paths its go build / go install calls write. */
export function builtPaths(stage: Stage): string[] {
  return [...new Set(stage.goCalls.flatMap((call) => outputPaths(call.output)))];
}

const HOW: Record<Exclude<StageSite['kind'], 'declaration'>, string> = {
  from: 'builds on it',
  copy: 'copies from it',
  mount: 'mounts it',
};

function stageMarkdown(model: DockerfileModel, stage: Stage): string {
  const total = model.stages.length;
  const lines: string[] = [];
  const title =
    stage.name !== undefined
      ? `**Stage ${code(stage.name)}** (stage ${stage.index} of ${total})`
      : `**Stage ${stage.index}** (unnamed, of ${total})`;
  lines.push(title + (stage === model.finalStage ? ' — the final stage' : ''));
  if (stage.parent) {
    let root = stage.parent;
    while (root.parent) root = root.parent;
    lines.push(
      `Built on ${stageRef(stage.parent)}` +
        (root.baseText !== undefined ? `, from the image ${code(root.baseText)}` : ''),
    );
  } else if (stage.baseText !== undefined && stage.baseText !== '') {
    const resolved = stage.base?.text;
    lines.push(
      `Base image: ${code(stage.baseText)}` +
        (resolved !== undefined && resolved !== stage.baseText ? ` (${code(resolved)})` : ''),
    );
  }
  if (stage.platform) lines.push(`Platform: ${code(stage.platform.text)}`);
  const built = builtPaths(stage);
  if (built.length > 0) lines.push(`Builds: ${built.map(code).join(', ')}`);
  else if (stage.goCalls.some((c) => c.output.kind === 'unknown')) {
    lines.push('Builds Go binaries at paths that cannot be known here');
  }
  const users = sitesOfStage(model, stage).filter((s) => s.kind !== 'declaration');
  if (users.length > 0) {
    const list = users.map((site) => {
      const how = HOW[site.kind as Exclude<StageSite['kind'], 'declaration'>];
      return `- ${stageRef(site.user)} ${how} (line ${oneBasedLine(site.range)})`;
    });
    lines.push(['Used by:', ...list].join('\n'));
  }
  const builds = buildsOf(model, stage);
  if (builds.length > 0) {
    lines.push(
      ['Built by:', ...builds.map((b) => `- ${buildLink(b)}${buildDetails(b)}`)].join('\n'),
    );
  }
  const explicit = shippedStages(model).find((s) => s.stage === stage && s.reason === 'explicit');
  if (explicit) lines.push(`Ships: named in ${code(model.options.targets?.source ?? '')}`);
  else if (users.length === 0 && builds.length === 0 && stage !== model.finalStage) {
    lines.push('No other stage uses it.');
  }
  return lines.join('\n\n');
}

/** A build as a Markdown link to the line that declares it. */
function buildLink(build: ProjectBuild): string {
  const text = describeBuild(build).replace(/[[\]\\]/g, '\\$&');
  return build.source.uri ? `[${text}](${build.source.uri}#L${build.source.line + 1})` : text;
}

/** What a build makes of the stage: an image or exported files, for which platforms. */
function buildDetails(build: ProjectBuild): string {
  const parts = [
    build.output === 'export'
      ? 'exported as files'
      : build.output === 'unknown'
        ? 'output unknown'
        : 'an image',
  ];
  if (build.target === null) parts.push('target unknown');
  if (build.platforms) parts.push(`for ${build.platforms.map(code).join(', ')}`);
  return ` — ${parts.join(', ')}`;
}

export interface HoverOptions {
  /** The address of a rule's page, where the caller has one to give. */
  ruleLink?: (rule: string) => string | undefined;
}

/**
 * The part of a finding the editor does not show already. Editors show a finding's message and
 * rule id (VS Code with the id linked to the page) beside any hover: repeating them here would
 * say everything twice. What is added is the reasoning (`detail`), with the page's link after it;
 * a finding whose message says it all adds nothing.
 */
function findingMarkdown(diagnostic: Diagnostic, options: HoverOptions): string | undefined {
  if (diagnostic.detail === undefined) return undefined;
  const href = options.ruleLink?.(diagnostic.rule);
  return diagnostic.detail + (href !== undefined ? ` [More…](${href})` : '');
}

/** Hover content at a position: the stage named there and the findings that cover it. */
export function hoverAt(
  model: DockerfileModel,
  diagnostics: readonly Diagnostic[],
  position: Position,
  options: HoverOptions = {},
): HoverContent | undefined {
  const parts: string[] = [];
  let range: Range | undefined;
  const site = stageSiteAt(model, position);
  if (site) {
    parts.push(stageMarkdown(model, site.stage));
    range = site.range;
  }
  const seen = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (!touches(diagnostic.range, position) || seen.has(diagnostic.rule)) continue;
    seen.add(diagnostic.rule);
    const part = findingMarkdown(diagnostic, options);
    if (part === undefined) continue;
    parts.push(part);
    range ??= diagnostic.range;
  }
  if (!range) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), range };
}
