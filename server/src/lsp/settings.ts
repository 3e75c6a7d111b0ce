/**
 * The user's `goMultistage.*` settings, asked per document (settings can differ per folder) and
 * cached until the client says they changed.
 */
import type { Connection } from 'vscode-languageserver';
import { CONVERT_LAYOUTS, type ConvertLayout } from '../core/convert';
import { DEFAULT_RUNTIME_IMAGE } from '../core/model/images';
import { SEVERITY_SETTINGS, type SeveritySetting } from '../core/types';

export interface Settings {
  enable: boolean;
  rules: Record<string, SeveritySetting>;
  runtimeImage: string;
  /** A go.mod to use instead of the nearest one (absolute, or relative to the workspace folder). */
  goMod: string;
  /** Show the "Convert to multi-stage" CodeLens above the first FROM of a convertible file. */
  codeLens: { enable: boolean };
  /** The stage layout Convert to multi-stage produces. */
  convertLayout: ConvertLayout;
  /** The stages that ship (empty: the project's configuration file, then its build files). */
  targets: string[];
  /** Show inlay hints (resolved images, what each build writes, the final user). Off by default. */
  inlayHints: { enable: boolean };
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  runtimeImage: DEFAULT_RUNTIME_IMAGE,
  goMod: '',
  codeLens: { enable: true },
  convertLayout: 'two-stage',
  targets: [],
  inlayHints: { enable: false },
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
  const codeLensEnable = (value.codeLens as { enable?: unknown } | undefined)?.enable;
  const inlayHintsEnable = (value.inlayHints as { enable?: unknown } | undefined)?.enable;
  return {
    enable: typeof value.enable === 'boolean' ? value.enable : DEFAULT_SETTINGS.enable,
    rules,
    runtimeImage:
      typeof value.runtimeImage === 'string' && value.runtimeImage.trim() !== ''
        ? value.runtimeImage.trim()
        : DEFAULT_SETTINGS.runtimeImage,
    goMod: typeof value.goMod === 'string' ? value.goMod.trim() : '',
    codeLens: {
      enable:
        typeof codeLensEnable === 'boolean' ? codeLensEnable : DEFAULT_SETTINGS.codeLens.enable,
    },
    convertLayout: CONVERT_LAYOUTS.includes(value.convertLayout as ConvertLayout)
      ? (value.convertLayout as ConvertLayout)
      : DEFAULT_SETTINGS.convertLayout,
    targets: Array.isArray(value.targets)
      ? value.targets
          .filter((t): t is string => typeof t === 'string' && t.trim() !== '')
          .map((t) => t.trim())
      : [],
    inlayHints: { enable: inlayHintsEnable === true },
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
