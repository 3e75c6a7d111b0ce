/**
 * Completion: in an empty Dockerfile, the whole-file templates (the snippets marked
 * `isFileTemplate`), with the golang image version taken from the module's go.mod so the
 * inserted file builds that module as it is.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
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
} from '../core/templates';
import type { ProjectFiles } from './project-files';

const TEMPLATES = fileTemplates(snippets as SnippetFile);

function toItem(template: TemplateInsertion, index: number): CompletionItem {
  const version = template.fromGoMod
    ? `golang ${template.goVersion} (go.mod)`
    : `golang ${template.goVersion}`;
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
    // Keep the snippet file's order: the most common layout first.
    sortText: String(index).padStart(3, '0'),
    detail: `Whole Dockerfile, ${version}`,
    documentation: template.description,
  };
}

/**
 * The templates to offer at the request's position, or none once the file has instructions.
 * When the editor already contributes the snippets itself (VS Code), the server's templates are
 * offered only where they add something: a go.mod whose Go version they carry.
 */
export function templateCompletions(
  params: CompletionParams,
  documents: TextDocuments<TextDocument>,
  project: ProjectFiles,
  options: { goModSetting?: string; editorHasSnippets?: boolean } = {},
): CompletionItem[] {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const goMod = project.forDocument(document.uri, options.goModSetting).goMod;
  if (options.editorHasSnippets && !goMod) return [];
  return templateInsertions(document.getText(), params.position, TEMPLATES, goMod?.text).map(
    toItem,
  );
}
