/**
 * One analysis per document version and settings: the model is built once and shared by
 * diagnostics and code actions, never rebuilt for the same text.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { runRules } from '../core/engine';
import { buildModel, type DockerfileModel } from '../core/model/model';
import type { ConvertResult } from '../core/fixes/convert';
import type { AnalyzeOptions, Diagnostic } from '../core/types';
import type { ProjectFiles } from './project-files';
import type { Settings } from './settings';

export interface Analysis {
  uri: string;
  version: number;
  model: DockerfileModel;
  diagnostics: Diagnostic[];
  options: AnalyzeOptions;
  /** "Convert to multi-stage" for this version, computed on the first code action request. */
  conversion?: ConvertResult;
}

export class Analyses {
  private readonly cache = new Map<string, { key: string; analysis: Analysis }>();

  constructor(private readonly project: ProjectFiles) {}

  get(document: TextDocument, settings: Settings): Analysis {
    const project = this.project.forDocument(document.uri, document.getText(), settings.goMod);
    const options: AnalyzeOptions = {
      goMod: project.goMod?.text,
      context: project.context,
      rules: settings.rules,
      runtimeImage: settings.runtimeImage,
      convertLayout: settings.convertLayout,
    };
    const key = JSON.stringify([
      document.version,
      settings.rules,
      settings.runtimeImage,
      settings.convertLayout,
      project.goMod?.text ?? null,
      project.context?.files.length ?? null,
    ]);
    const cached = this.cache.get(document.uri);
    if (cached && cached.key === key && cached.analysis.version === document.version) {
      return cached.analysis;
    }
    const text = document.getText();
    let model: DockerfileModel;
    let diagnostics: Diagnostic[];
    try {
      model = buildModel(text, options);
      diagnostics = settings.enable ? runRules(model, options) : [];
    } catch {
      model = buildModel('', options);
      diagnostics = [];
    }
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      model,
      diagnostics,
      options,
    };
    this.cache.set(document.uri, { key, analysis });
    return analysis;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
