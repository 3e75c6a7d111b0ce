/**
 * The project's configuration file, `.go-multistage.json`, read by the CLI and the language
 * server alike (the nearest one at or above a Dockerfile, within the repository): the stages
 * that ship, rule severities, the runtime image and layout of Convert to multi-stage, and the
 * go.mod. Its JSON schema is schemas/go-multistage.schema.json. What is not valid is left out,
 * each with a one-line problem, and the rest applies.
 */
import { CONVERT_LAYOUTS, type ConvertLayout } from '../core/convert/plan';
import { findRule } from '../core/rules';
import { SEVERITY_SETTINGS, type SeveritySetting } from '../core/types';

export const CONFIG_FILE_NAME = '.go-multistage.json';

export interface ProjectConfig {
  /** Stages that ship, in every Dockerfile that has them. */
  targets?: string[];
  /** Severity overrides by rule id. */
  rules?: Record<string, SeveritySetting>;
  runtimeImage?: string;
  convertLayout?: ConvertLayout;
  /** The go.mod, relative to the file's folder. */
  goMod?: string;
  /** Per Dockerfile (path relative to the file's folder): the stages that ship. */
  dockerfiles?: Record<string, { targets?: string[] }>;
}

export type ParsedConfig =
  { ok: true; config: ProjectConfig; problems: string[] } | { ok: false; reason: string };

const TOP_KEYS = new Set([
  '$schema',
  'targets',
  'rules',
  'runtimeImage',
  'convertLayout',
  'goMod',
  'dockerfiles',
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stageNames(value: unknown, where: string, problems: string[]): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v.trim() !== '')) {
    problems.push(`${where} must be a list of stage names`);
    return undefined;
  }
  return value.map((v: string) => v.trim());
}

/** Parses and checks a configuration file's text. */
export function parseConfig(text: string): ParsedConfig {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, reason: `not valid JSON: ${(error as Error).message}` };
  }
  if (!isRecord(json)) return { ok: false, reason: 'not a JSON object' };
  const problems: string[] = [];
  const config: ProjectConfig = {};
  for (const key of Object.keys(json)) {
    if (!TOP_KEYS.has(key)) problems.push(`unknown setting "${key}"`);
  }
  if (json.targets !== undefined) config.targets = stageNames(json.targets, 'targets', problems);
  if (json.rules !== undefined) {
    if (!isRecord(json.rules)) problems.push('rules must map rule ids to severities');
    else {
      const rules: Record<string, SeveritySetting> = {};
      for (const [id, severity] of Object.entries(json.rules)) {
        if (!findRule(id)) problems.push(`rules: unknown rule "${id}"`);
        else if (!SEVERITY_SETTINGS.includes(severity as SeveritySetting)) {
          problems.push(`rules.${id} must be one of ${SEVERITY_SETTINGS.join(', ')}`);
        } else rules[id] = severity as SeveritySetting;
      }
      config.rules = rules;
    }
  }
  if (json.runtimeImage !== undefined) {
    if (typeof json.runtimeImage === 'string' && json.runtimeImage.trim() !== '') {
      config.runtimeImage = json.runtimeImage.trim();
    } else problems.push('runtimeImage must be an image reference');
  }
  if (json.convertLayout !== undefined) {
    if (CONVERT_LAYOUTS.includes(json.convertLayout as ConvertLayout)) {
      config.convertLayout = json.convertLayout as ConvertLayout;
    } else problems.push(`convertLayout must be one of ${CONVERT_LAYOUTS.join(', ')}`);
  }
  if (json.goMod !== undefined) {
    if (typeof json.goMod === 'string' && json.goMod.trim() !== '')
      config.goMod = json.goMod.trim();
    else problems.push('goMod must be a path');
  }
  if (json.dockerfiles !== undefined) {
    if (!isRecord(json.dockerfiles)) problems.push('dockerfiles must map paths to settings');
    else {
      const dockerfiles: Record<string, { targets?: string[] }> = {};
      for (const [path, entry] of Object.entries(json.dockerfiles)) {
        if (!isRecord(entry)) {
          problems.push(`dockerfiles["${path}"] must be an object`);
          continue;
        }
        for (const key of Object.keys(entry)) {
          if (key !== 'targets') problems.push(`dockerfiles["${path}"]: unknown setting "${key}"`);
        }
        const targets =
          entry.targets === undefined
            ? undefined
            : stageNames(entry.targets, `dockerfiles["${path}"].targets`, problems);
        dockerfiles[path.replace(/^\.\//, '')] = targets ? { targets } : {};
      }
      config.dockerfiles = dockerfiles;
    }
  }
  return { ok: true, config, problems };
}
