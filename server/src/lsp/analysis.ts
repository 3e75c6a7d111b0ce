/**
 * One analysis per document version and settings: the model is built once and shared by
 * diagnostics and code actions, never rebuilt for the same text.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { attachConversions } from '../core/engine/conversion-fix';
import { runRules } from '../core/engine/engine';
import { analyzeInSlices, isLargeDocument } from '../core/engine/large-document';
import { buildModel, type DockerfileModel } from '../core/model/model';
import type { AnalyzeOptions, Diagnostic, DocumentAnalysis } from '../core/types';
import type { ProjectFiles } from './project-files';
import { DEFAULT_SETTINGS, type Settings } from './settings';

/** A slice-by-slice analysis stopped because its document changed or closed meanwhile. */
export class Superseded extends Error {}

/** Lets the event loop run: requests queued meanwhile (on other documents too) are answered. */
function pause(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export interface Analysis {
  uri: string;
  version: number;
  model: DockerfileModel;
  diagnostics: Diagnostic[];
  options: AnalyzeOptions;
  /**
   * The findings with "Convert to multi-stage" attached to the one it resolves: computed on the
   * first code action or hover, never for the diagnostics alone (see findingsWithConversion).
   */
  converted?: Diagnostic[];
}

/**
 * The findings of an analysis with "Convert to multi-stage" attached (its quick fix, or why it
 * is not offered in the detail), from the conversion computed once per document version and
 * settings.
 */
export function findingsWithConversion(analysis: Analysis): Diagnostic[] {
  analysis.converted ??= attachConversions(analysis.diagnostics);
  return analysis.converted;
}

export class Analyses {
  private readonly cache = new Map<string, { key: string; analysis: Analysis }>();
  /** Analyses of large documents, done or under way, one per document. */
  private readonly large = new Map<
    string,
    { key: string; result: Promise<DocumentAnalysis>; dropped: boolean }
  >();

  constructor(private readonly project: ProjectFiles) {}

  /**
   * Whether a document is too large to analyse whole: it gets only the findings of the
   * stage-scoped rules (see `findings`), and no model for navigation, hover or code actions.
   */
  isLarge(document: TextDocument): boolean {
    return isLargeDocument(document.getText());
  }

  /**
   * The findings of a document's current version. A large document is analysed slice by slice,
   * pausing between slices so that the server answers other requests meanwhile; the result
   * carries a note on what was skipped. Rejects with Superseded when the document changes or
   * closes before the end.
   */
  findings(document: TextDocument, settings: Settings): Promise<DocumentAnalysis> {
    if (!this.isLarge(document)) {
      return Promise.resolve({ diagnostics: this.get(document, settings).diagnostics });
    }
    const key = JSON.stringify([document.version, settings.enable, settings.rules, settings.goMod]);
    const known = this.large.get(document.uri);
    if (known && known.key === key && !known.dropped) return known.result;
    if (known) known.dropped = true;
    const entry = {
      key,
      result: Promise.resolve<DocumentAnalysis>({ diagnostics: [] }),
      dropped: false,
    };
    if (settings.enable) {
      const options: AnalyzeOptions = {
        goMod: this.project.goModFor(document.uri, settings.goMod)?.text,
        rules: { ...this.project.configFor(document.uri)?.rules, ...settings.rules },
      };
      entry.result = this.inSlices(document, options, () => entry.dropped);
      // A failed run is not kept: the next request starts again.
      entry.result.catch(() => {
        if (this.large.get(document.uri) === entry) this.large.delete(document.uri);
      });
    }
    this.large.set(document.uri, entry);
    return entry.result;
  }

  private async inSlices(
    document: TextDocument,
    options: AnalyzeOptions,
    dropped: () => boolean,
  ): Promise<DocumentAnalysis> {
    const version = document.version;
    const analysis = analyzeInSlices(document.getText(), options);
    for (;;) {
      const step = analysis.next();
      if (step.done) return step.value;
      await pause();
      if (document.version !== version || dropped()) throw new Superseded();
    }
  }

  get(document: TextDocument, settings: Settings): Analysis {
    const project = this.project.forDocument(
      document.uri,
      document.getText(),
      settings.goMod,
      settings.targets,
    );
    const config = project.config?.config;
    // A setting the user changed wins over the project's configuration file, which wins over
    // the default; severities merge rule by rule.
    const options: AnalyzeOptions = {
      goMod: project.goMod?.text,
      context: project.context,
      rules: { ...config?.rules, ...settings.rules },
      runtimeImage:
        settings.runtimeImage !== DEFAULT_SETTINGS.runtimeImage
          ? settings.runtimeImage
          : (config?.runtimeImage ?? settings.runtimeImage),
      convertLayout:
        settings.convertLayout !== DEFAULT_SETTINGS.convertLayout
          ? settings.convertLayout
          : (config?.convertLayout ?? settings.convertLayout),
      ...(project.builds ? { builds: project.builds } : {}),
      ...(project.possibleBuilds ? { possibleBuilds: project.possibleBuilds } : {}),
      ...(project.targets ? { targets: project.targets } : {}),
    };
    const key = JSON.stringify([
      document.version,
      options.rules,
      options.runtimeImage,
      options.convertLayout,
      project.goMod?.text ?? null,
      project.context?.files.length ?? null,
      options.builds ?? null,
      options.possibleBuilds ?? null,
      options.targets ?? null,
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
    const large = this.large.get(uri);
    if (large) large.dropped = true;
    this.large.delete(uri);
  }

  clear(): void {
    this.cache.clear();
    for (const large of this.large.values()) large.dropped = true;
    this.large.clear();
  }
}
