/**
 * Completion: in an empty Dockerfile, the whole-file templates (the snippets marked
 * `isFileTemplate`), with the golang image version taken from the module's go.mod so the
 * inserted file builds that module as it is. In a Dockerfile with content, stage-aware
 * completions (`stageEditingCompletions`).
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import snippets from '../../../snippets/go-dockerfile.json';
import {
  fileTemplates,
  templateInsertions,
  type SnippetFile,
  type TemplateInsertion,
} from '../core/stages/templates';
import { stageCompletions, type EditCompletion } from '../core/stages/completion';
import type { Analysis } from './analysis';
import type { ProjectFiles } from './project-files';

const TEMPLATES = fileTemplates(snippets as SnippetFile);

function toItem(template: TemplateInsertion, index: number): CompletionItem {
  const version = !template.fromGoMod
    ? `golang ${template.goVersion}`
    : template.raisedFrom !== undefined
      ? `golang ${template.goVersion} (go.mod's ${template.raisedFrom} is out of support)`
      : `golang ${template.goVersion} (go.mod)`;
  return {
    label: template.prefix,
    labelDetails: { description: version },
    kind: CompletionItemKind.Snippet,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range: template.range, newText: template.snippet },
    ...(template.additionalEdits.length > 0
      ? { additionalTextEdits: template.additionalEdits }
      : {}),
    filterText: template.prefix,
    // The snippet file's order, most wanted first (go-ms-distroless before go-ms-dev for
    // `go-ms-d`), and before the fragments an editor contributes itself (VS Code sorts those
    // after every language server item).
    sortText: String(index).padStart(3, '0'),
    detail: `Whole Dockerfile, ${version}`,
    documentation: template.description,
  };
}

/**
 * The templates to offer at the request's position, or none once the file has instructions.
 * Offered to every editor, VS Code included (its extension contributes the templates without a
 * prefix, for "Fill File with Snippet" only): here they come in the snippet file's order, most
 * wanted first, and pinned to go.mod's Go version when there is one.
 */
export function templateCompletions(
  params: CompletionParams,
  documents: TextDocuments<TextDocument>,
  project: ProjectFiles,
  options: { goModSetting?: string } = {},
): CompletionItem[] {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const goMod = project.goModFor(document.uri, options.goModSetting);
  return templateInsertions(document.getText(), params.position, TEMPLATES, goMod?.text).map(
    toItem,
  );
}

const EDIT_KINDS: Readonly<Record<EditCompletion['kind'], CompletionItemKind>> = {
  stage: CompletionItemKind.Reference,
  mount: CompletionItemKind.Value,
  platform: CompletionItemKind.Variable,
  image: CompletionItemKind.Value,
  variable: CompletionItemKind.Variable,
  package: CompletionItemKind.Module,
};

/**
 * Stage-aware completions at the request's position: earlier stages after `--from=` and in FROM,
 * Go cache mounts after `RUN --mount=`, `--platform=$BUILDPLATFORM`, and the golang tags of
 * go.mod's Go version after `FROM golang:`.
 */
export function stageEditingCompletions(
  params: CompletionParams,
  analysis: Analysis,
): CompletionItem[] {
  return stageCompletions(analysis.model, params.position, analysis.options.goMod).map((item) => ({
    label: item.label,
    kind: EDIT_KINDS[item.kind],
    detail: item.detail,
    ...(item.documentation
      ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } }
      : {}),
    textEdit: { range: item.range, newText: item.newText },
    sortText: item.sortText,
    ...(item.filterText ? { filterText: item.filterText } : {}),
  }));
}
