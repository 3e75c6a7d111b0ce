/**
 * Whole-Dockerfile templates for an empty Dockerfile: where one may be inserted, and its text set
 * to the Go version of the module it builds. The templates are the extension's snippets (the
 * `isFileTemplate` entries of snippets/go-dockerfile.json); callers pass them in, so this module
 * stays free of any file.
 */
import { parseDockerfile } from '../model/parse';
import { parseGoMod, compareGoVersions } from '../model/gomod';
import { goPinFor, type GoPin } from '../edits/golang-tag';
import type { Position, Range, TextEdit } from '../types';

/** One entry of a VS Code snippet file. */
export interface SnippetDefinition {
  prefix: string | readonly string[];
  body: string | readonly string[];
  description?: string;
  /** Marks a snippet that makes a whole file (VS Code offers these for new files too). */
  isFileTemplate?: boolean;
}

/** A VS Code snippet file: snippets by name. */
export type SnippetFile = Readonly<Record<string, SnippetDefinition>>;

/** A template ready to insert at a position of a document. */
export interface TemplateInsertion {
  /** The snippet's (first) prefix. */
  prefix: string;
  description: string;
  /** Snippet text (VS Code snippet syntax) that replaces `range`. */
  snippet: string;
  /** The word typed so far on the cursor's line (empty at a bare cursor). */
  range: Range;
  /** Edits elsewhere in the document: the syntax directive at the top, when it must move there. */
  additionalEdits: TextEdit[];
  /** The Go version the template's golang image uses. */
  goVersion: string;
  /** Whether that version came from go.mod (else it is the template's default). */
  fromGoMod: boolean;
  /** go.mod's release when it is out of support: goVersion is then the oldest supported one. */
  raisedFrom?: string;
}

// Where a template declares its Go version: `ARG GO_VERSION=${1:1.26}`.
const GO_VERSION_PLACEHOLDER = /(ARG GO_VERSION=\$\{\d+:)([^}]*)(\})/;
// A Go version that is also a golang image tag: 1.22, 1.22.3, 1.23rc1.
const GO_IMAGE_VERSION = /^\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?$/;
// The line a template puts first when it uses RUN --mount.
const SYNTAX_LINE = /^# *syntax *=.*$/i;

function bodyText(body: string | readonly string[]): string {
  return typeof body === 'string' ? body : body.join('\n');
}

function firstPrefix(prefix: string | readonly string[]): string {
  return typeof prefix === 'string' ? prefix : (prefix[0] ?? '');
}

/** The whole-file templates of a snippet file, in file order. */
export function fileTemplates(snippets: SnippetFile): SnippetDefinition[] {
  return Object.values(snippets).filter((s) => s.isFileTemplate === true);
}

/** The Go version a template's `ARG GO_VERSION=${n:…}` placeholder defaults to. */
export function templateGoVersion(body: string | readonly string[]): string | undefined {
  return GO_VERSION_PLACEHOLDER.exec(bodyText(body))?.[2];
}

/**
 * The golang image version that builds a module: the minor release of the higher of go.mod's
 * `go` and `toolchain` lines (`1.25.0` → `1.25`, whose tag follows the patch releases), or the
 * oldest supported release when that one is out of support (goPinFor: golang-image-outdated
 * would report an inserted image of it at once, and any newer Go builds the module). Official
 * golang images set GOTOOLCHAIN=local, so an older image than go.mod asks for fails the build.
 * Undefined when go.mod names no usable version.
 */
export function goModImagePin(goModText: string | undefined): GoPin | undefined {
  if (goModText === undefined) return undefined;
  const goMod = parseGoMod(goModText);
  const candidates = [goMod.go, goMod.toolchain].filter(
    (v): v is string => v !== undefined && GO_IMAGE_VERSION.test(v),
  );
  if (candidates.length === 0) return undefined;
  return goPinFor(candidates.reduce((a, b) => (compareGoVersions(b, a) > 0 ? b : a)));
}

/** The version of goModImagePin alone. */
export function goModImageVersion(goModText: string | undefined): string | undefined {
  return goModImagePin(goModText)?.pin;
}

/** A template body with its Go version placeholder defaulting to `version`. */
export function withGoVersion(body: string | readonly string[], version: string): string {
  return bodyText(body).replace(
    GO_VERSION_PLACEHOLDER,
    (_, head: string, _old: string, tail: string) => head + version + tail,
  );
}

/**
 * Where a whole-file template may go: the document holds no instruction, only comments, parser
 * directives and blank lines, apart from the word being typed at the cursor. Returns the range
 * of that word, or undefined when the document already has content.
 */
export function templateRange(text: string, position: Position): Range | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[position.line];
  if (line === undefined) return undefined;
  const before = line.slice(0, position.character);
  const after = line.slice(position.character);
  // Only a prefix being typed (`go-ms`), alone on its line, may stand at the cursor.
  if (!/^\s*[\w-]*$/.test(before) || after.trim() !== '') return undefined;
  // Cheap test first (this runs as the user types): every other line is blank or a comment.
  if (lines.some((l, i) => i !== position.line && !/^\s*(#|$)/.test(l))) return undefined;
  lines[position.line] = '';
  const dockerfile = parseDockerfile(lines.join('\n'));
  if (dockerfile.getInstructions().length > 0) return undefined;
  // The templates continue lines with a backslash: not where `# escape=` chose another character.
  if (dockerfile.getEscapeCharacter() !== '\\') return undefined;
  const start = before.length - before.trimStart().length;
  return {
    start: { line: position.line, character: start },
    end: { line: position.line, character: position.character },
  };
}

/** Whether the text before the cursor's line is only parser directives (none if empty). */
function directiveBlockReaches(text: string, line: number): boolean {
  const lines = text.split(/\r\n|\r|\n/).slice(0, line);
  return lines.every((l) => /^\s*#\s*[A-Za-z]+\s*=/.test(l));
}

/**
 * The whole-file templates to offer at a position, with the Go version taken from go.mod when
 * one is given and names a version. None when the document already holds an instruction.
 */
export function templateInsertions(
  text: string,
  position: Position,
  templates: readonly SnippetDefinition[],
  goModText?: string,
): TemplateInsertion[] {
  const range = templateRange(text, position);
  if (!range) return [];
  const dockerfile = parseDockerfile(text);
  const hasSyntax = dockerfile.getDirectives().some((d) => d.getName().toLowerCase() === 'syntax');
  // A parser directive counts only in the block of directives at the very top of the file.
  const cursorInDirectiveBlock = directiveBlockReaches(text, position.line);
  const modulePin = goModImagePin(goModText);
  const moduleVersion = modulePin?.pin;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return templates.map((template) => {
    const defaultVersion = templateGoVersion(template.body);
    const goVersion = moduleVersion ?? defaultVersion ?? '';
    let lines = (
      moduleVersion ? withGoVersion(template.body, moduleVersion) : bodyText(template.body)
    ).split('\n');
    const additionalEdits: TextEdit[] = [];
    if (lines.length > 0 && SYNTAX_LINE.test(lines[0])) {
      const syntaxLine = lines[0];
      if (hasSyntax || !cursorInDirectiveBlock) lines = lines.slice(1);
      // Below a comment the line would be a plain comment: put it at the top of the file.
      if (!hasSyntax && !cursorInDirectiveBlock) {
        const origin = { line: 0, character: 0 };
        additionalEdits.push({ range: { start: origin, end: origin }, newText: syntaxLine + eol });
      }
    }
    return {
      prefix: firstPrefix(template.prefix),
      description: template.description ?? '',
      snippet: lines.join(eol),
      range,
      additionalEdits,
      goVersion,
      fromGoMod: moduleVersion !== undefined,
      ...(modulePin?.raisedFrom !== undefined ? { raisedFrom: modulePin.raisedFrom } : {}),
    };
  });
}
