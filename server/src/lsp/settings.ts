/**
 * The user's `goMultistage.*` settings, asked per document (settings can differ per folder) and
 * cached until the client says they changed.
 */
import type { Connection } from 'vscode-languageserver';
import { DEFAULT_RUNTIME_IMAGE } from '../core/model/images';
import { SEVERITY_SETTINGS, type SeveritySetting } from '../core/types';

export interface Settings {
  enable: boolean;
  rules: Record<string, SeveritySetting>;
  runtimeImage: string;
  /** A go.mod to use instead of the nearest one (absolute, or relative to the workspace folder). */
  goMod: string;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  runtimeImage: DEFAULT_RUNTIME_IMAGE,
  goMod: '',
};

/** Keeps what is valid of a settings object sent by a client. */
export function normalizeSettings(raw: unknown): Settings {
  const value = (raw ?? {}) as Partial<Record<keyof Settings, unknown>>;
  const rules: Record<string, SeveritySetting> = {};
  if (value.rules && typeof value.rules === 'object') {
    for (const [id, severity] of Object.entries(value.rules as Record<string, unknown>)) {
      if (SEVERITY_SETTINGS.includes(severity as SeveritySetting)) {
        rules[id] = severity as SeveritySetting;
      }
    }
  }
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    rules,
    runtimeImage:
      typeof value.runtimeImage === 'string' && value.runtimeImage.trim() !== ''
        ? value.runtimeImage.trim()
        : DEFAULT_SETTINGS.runtimeImage,
    goMod: typeof value.goMod === 'string' ? value.goMod.trim() : '',
  };
}

export class SettingsStore {
  private readonly perDocument = new Map<string, Promise<Settings>>();
  private global: Settings = DEFAULT_SETTINGS;

  constructor(
    private readonly connection: Connection,
    private readonly pullsConfiguration: boolean,
  ) {}

  /** Settings for a document: asked from the client when it supports it, else the pushed ones. */
  get(uri: string): Promise<Settings> {
    if (!this.pullsConfiguration) return Promise.resolve(this.global);
    let settings = this.perDocument.get(uri);
    if (!settings) {
      settings = this.connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'goMultistage' })
        .then(normalizeSettings, () => DEFAULT_SETTINGS);
      this.perDocument.set(uri, settings);
    }
    return settings;
  }

  /** The client reported a change: forget cached settings (and take pushed ones, if any). */
  changed(pushed: unknown): void {
    this.perDocument.clear();
    const section = (pushed as { goMultistage?: unknown } | undefined)?.goMultistage;
    if (section !== undefined) this.global = normalizeSettings(section);
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }
}
