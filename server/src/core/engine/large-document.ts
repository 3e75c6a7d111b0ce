/**
 * Documents too large to analyse whole. Parsing and modelling a Dockerfile of megabytes takes
 * seconds in one piece (5 MB: 3 s to parse, 9 s to model), and the language server answers
 * nothing else meanwhile. Above LARGE_DOCUMENT_LENGTH a document is cut, between stages, into
 * slices of about SLICE_LENGTH, each parsed with the instructions before the first FROM (the
 * global ARGs and parser directives) and checked by the rules whose findings about a stage
 * depend on that stage alone (`meta.scope: 'stage'`); a caller may pause between slices. The
 * other rules need the whole file (which stages are used, what one copies from another) and are
 * skipped, which a note says.
 */
import { byPosition, checkRules, isGoDockerfile } from './engine';
import { buildModel, type DockerfileModel, type Stage } from '../model/model';
import { expand } from '../model/variables';
import { RULES } from '../rules';
import { globalPragmaRules, Suppressions } from './suppression';
import { LineIndex } from '../text/line-index';
import type { AnalyzeOptions, Diagnostic, DocumentAnalysis, Fix, Range } from '../types';

/** Past this length (in UTF-16 code units, about bytes) a document is analysed in slices. */
export const LARGE_DOCUMENT_LENGTH = 256 * 1024;
/** The stages of one slice add up to about this much text. */
export const SLICE_LENGTH = 8 * 1024;
/** A single stage longer than this is not checked at all. */
export const MAX_STAGE_LENGTH = 32 * 1024;

/** Whether a document is analysed in slices rather than whole. */
export function isLargeDocument(text: string): boolean {
  return text.length > LARGE_DOCUMENT_LENGTH;
}

const HEREDOC = /<<(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

interface Heredoc {
  word: string;
  /** `<<-WORD`: the closing line may be indented with tabs. */
  stripTabs: boolean;
}

/**
 * Finds the FROM lines of a document, line by line and only as far as asked, with the few rules
 * that decide where an instruction starts: the escape character of the parser directives, line
 * continuations, comments, and heredoc bodies (which may hold lines that look like instructions).
 */
class StageScanner {
  /** Comment lines seen so far (outside heredocs), for `global ignore` pragmas. */
  readonly commentLines: number[] = [];
  private next = 0;
  private escape = '\\';
  private continued = false;
  private heredocsAllowed = false;
  private markers: Heredoc[] = [];
  private bodies: Heredoc[] = [];

  constructor(private readonly index: LineIndex) {
    // Parser directives: `# name=value` lines at the very top.
    for (let n = 0; n < index.lineCount; n++) {
      const directive = /^#[ \t]*([A-Za-z]+)[ \t]*=[ \t]*(\S+)[ \t]*$/.exec(index.lineText(n));
      if (!directive) break;
      if (directive[1].toLowerCase() === 'escape' && directive[2].length === 1) {
        this.escape = directive[2];
      }
    }
  }

  /** The line of the next FROM instruction, or the line count when there is none. */
  nextStage(): number {
    const index = this.index;
    while (this.next < index.lineCount) {
      const n = this.next++;
      const text = index.lineText(n);
      if (this.bodies.length > 0) {
        const body = this.bodies[0];
        if ((body.stripTabs ? text.replace(/^\t+/, '') : text) === body.word) this.bodies.shift();
        continue;
      }
      const trimmed = text.trimStart();
      // Comments (also between continued lines) and blank lines belong to no instruction.
      if (trimmed.startsWith('#')) {
        if (!this.continued) this.commentLines.push(n);
        continue;
      }
      if (trimmed === '') continue;
      let from = false;
      if (!this.continued) {
        const keyword = (/^\S+/.exec(trimmed)?.[0] ?? '').toUpperCase();
        from = keyword === 'FROM';
        this.heredocsAllowed = HEREDOC_KEYWORDS.has(keyword);
        this.markers = [];
      }
      if (this.heredocsAllowed) {
        for (const marker of trimmed.matchAll(HEREDOC)) {
          this.markers.push({ word: marker[3], stripTabs: marker[1] === '-' });
        }
      }
      this.continued = text.trimEnd().endsWith(this.escape);
      // At the end of the instruction, its heredoc bodies follow, in order.
      if (!this.continued) this.bodies = this.markers;
      if (from) return n;
    }
    return index.lineCount;
  }
}

/** The stage-scoped rules: what still runs on a large document. */
export function stageScopedRules() {
  return RULES.filter((rule) => rule.meta.scope === 'stage');
}

/** Moves a range of a slice's text to the document: preamble lines stay, stage lines shift. */
function mapRange(range: Range, preambleLines: number, shift: number): Range {
  const line = (l: number) => (l < preambleLines ? l : l + shift);
  return {
    start: { line: line(range.start.line), character: range.start.character },
    end: { line: line(range.end.line), character: range.end.character },
  };
}

/**
 * The stages of a slice built on a stage of an earlier slice: their FROM names one (the first
 * stage of a name is the one FROM means, even when the slice has another of that name), or the
 * stage they are built on is such a stage. What the rules would say of them is not known.
 */
function orphans(model: DockerfileModel, earlierNames: ReadonlySet<string>): Set<Stage> {
  const found = new Set<Stage>();
  for (const stage of model.stages) {
    const base =
      stage.baseText === undefined
        ? undefined
        : expand(stage.baseText, model.globalScope).value.toLowerCase();
    if ((base !== undefined && earlierNames.has(base)) || (stage.parent && found.has(stage.parent)))
      found.add(stage);
  }
  return found;
}

/** The stage a line of the model's text is in (undefined before the first FROM). */
function stageAt(model: DockerfileModel, line: number): Stage | undefined {
  let found: Stage | undefined;
  for (const stage of model.stages) {
    if (stage.from.getRange().start.line > line) break;
    found = stage;
  }
  return found;
}

/** What the check of one slice needs of the document and of the slices before it. */
interface SliceContext {
  /** The instructions before the first FROM, which every slice starts with. */
  preamble: string;
  preambleLines: number;
  options: AnalyzeOptions;
  rules: ReturnType<typeof stageScopedRules>;
  /** The names of the stages of earlier slices (and of the stages skipped), in lower case. */
  stageNames: Set<string>;
}

/**
 * The findings of one slice (its stages start at line `start` of the document), moved to their
 * place in the document; undefined when the slice cannot be modelled.
 */
function checkSlice(context: SliceContext, stages: string, start: number, first: boolean) {
  const { preamble, preambleLines, options, rules, stageNames } = context;
  let model: DockerfileModel;
  try {
    model = buildModel(preamble + stages, options);
  } catch {
    return undefined;
  }
  const shift = start - preambleLines;
  const left = orphans(model, stageNames);
  for (const stage of model.stages) {
    if (stage.name !== undefined) stageNames.add(stage.name.toLowerCase());
  }
  const suppressions = new Suppressions(model);
  const found: Diagnostic[] = [];
  for (const finding of checkRules(model, options, rules)) {
    if (suppressions.isSuppressed(finding)) continue;
    const line = finding.range.start.line;
    // The instructions before the first FROM are in every slice: reported from the first.
    if (line < preambleLines && !first) continue;
    const stage = left.size > 0 ? stageAt(model, line) : undefined;
    if (stage && left.has(stage)) continue;
    found.push({
      ...finding,
      range: mapRange(finding.range, preambleLines, shift),
      fixes: finding.fixes
        // An edit before the first FROM would change stages this slice does not see.
        .filter((fix) => fix.edits.every((e) => e.range.start.line >= preambleLines))
        .map((fix): Fix => ({
          ...fix,
          edits: fix.edits.map((e) => ({
            ...e,
            range: mapRange(e.range, preambleLines, shift),
          })),
        })),
    });
  }
  return { goDockerfile: isGoDockerfile(model), diagnostics: found };
}

/** The note on a large document: which rules ran, which were skipped, what was not checked. */
function largeDocumentNote(
  textLength: number,
  context: SliceContext,
  skippedStages: number,
): string {
  const { preamble, rules } = context;
  const kib = (length: number) => `${Math.round(length / 1024)} KiB`;
  const unchecked =
    preamble.length > SLICE_LENGTH
      ? ` Nothing was checked: the instructions before the first FROM alone exceed ${kib(SLICE_LENGTH)}.`
      : skippedStages > 0
        ? ` ${skippedStages} stage${skippedStages === 1 ? '' : 's'} longer than ${kib(MAX_STAGE_LENGTH)} ${skippedStages === 1 ? 'was' : 'were'} not checked.`
        : '';
  return (
    `This Dockerfile is larger than ${kib(LARGE_DOCUMENT_LENGTH)} (${kib(textLength)}): it was ` +
    `checked a few stages at a time, by the ${rules.length} rules that look at one stage alone ` +
    `(${rules.map((r) => r.meta.id).join(', ')}); the other ${RULES.length - rules.length} ` +
    `rules need the whole file and were skipped.${unchecked}`
  );
}

/**
 * Analyses a large document slice by slice: yields after each slice (a caller may pause there),
 * returns the findings of the stage-scoped rules and a note on what was skipped.
 */
export function* analyzeInSlices(
  text: string,
  options: AnalyzeOptions = {},
): Generator<void, DocumentAnalysis, undefined> {
  const index = new LineIndex(text);
  const offsetOf = (line: number) => (line < index.lineCount ? index.lineStart(line) : text.length);
  const scanner = new StageScanner(index);
  const preambleLines = scanner.nextStage();
  const context: SliceContext = {
    preamble: text.slice(0, offsetOf(preambleLines)),
    preambleLines,
    // The build context is listed for a whole document; the stage-scoped rules do not need it.
    options: { ...options, context: undefined },
    rules: stageScopedRules(),
    stageNames: new Set<string>(),
  };
  const diagnostics: Diagnostic[] = [];
  let goDockerfile = false;
  let skippedStages = 0;
  let first = true;
  // The stage the next slice starts with, and the one after it.
  let start = preambleLines;
  let next = start < index.lineCount ? scanner.nextStage() : start;
  yield;
  while (context.preamble.length <= SLICE_LENGTH && start < index.lineCount) {
    if (offsetOf(next) - offsetOf(start) > MAX_STAGE_LENGTH) {
      skippedStages++;
      // Not checked, but FROM may name it later: that stage is then left out too.
      const name = /\sAS\s+(\S+)\s*$/i.exec(index.lineText(start))?.[1];
      if (name !== undefined) context.stageNames.add(name.toLowerCase());
      start = next;
      next = start < index.lineCount ? scanner.nextStage() : start;
      continue;
    }
    // Whole stages, up to about SLICE_LENGTH (a stage too long to join others stands alone).
    let end = next;
    while (end < index.lineCount) {
      const after = scanner.nextStage();
      if (offsetOf(after) - offsetOf(start) > SLICE_LENGTH) {
        next = after;
        break;
      }
      end = after;
      next = after;
    }
    const found = checkSlice(context, text.slice(offsetOf(start), offsetOf(end)), start, first);
    if (found) {
      goDockerfile ||= found.goDockerfile;
      diagnostics.push(...found.diagnostics);
    }
    first = false;
    start = end;
    if (next === end) next = start < index.lineCount ? scanner.nextStage() : start;
    yield;
  }
  while (scanner.nextStage() < index.lineCount) {
    // Read to the end for the pragmas of the stages skipped.
  }
  if (!goDockerfile) return { diagnostics: [] };
  const ignored = globalPragmaRules(scanner.commentLines.map((n) => index.lineText(n)));
  return {
    diagnostics: diagnostics.filter((d) => !ignored.has(d.rule)).sort(byPosition),
    note: largeDocumentNote(text.length, context, skippedStages),
  };
}

/** Runs a slice-by-slice analysis to its end without pausing. */
export function finish(analysis: Generator<void, DocumentAnalysis, undefined>): DocumentAnalysis {
  for (;;) {
    const step = analysis.next();
    if (step.done) return step.value;
  }
}
