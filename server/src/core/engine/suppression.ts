/**
 * Suppression comments, applied by the engine after the rules have run:
 *
 *   # go-multistage ignore=<id>[,<id>]          the next instruction
 *   # go-multistage global ignore=<id>[,<id>]   the whole file
 *   # hadolint ignore=DL3022                    hadolint's ids for the same checks
 *   # hadolint global ignore=DL3022
 *   # check=skip=JSONArgsRecommended            BuildKit's check directive, for the same checks:
 *                                               at the top of the file for the whole file, or in
 *                                               the comments above an instruction for it alone
 */
import type { Instruction } from 'dockerfile-ast';
import type { DockerfileModel } from '../model/model';
import { insertAt } from '../edits/fixer';
import { insertAbove } from '../edits/insert-line';
import type { Diagnostic, Fix } from '../types';

/** hadolint rules that are the same check as one of ours. */
export const HADOLINT_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = {
  DL3022: ['copy-from-unknown-stage'],
  DL3006: ['golang-image-unpinned'],
  DL3007: ['golang-image-unpinned'],
  DL3025: ['shell-form-without-shell'],
  DL3002: ['final-stage-runs-as-root'],
  DL3062: ['go-install-unpinned'],
};

/** BuildKit checks (`# check=skip=…`) that are the same check as one of ours. */
export const BUILDKIT_EQUIVALENTS: Readonly<Record<string, readonly string[]>> = {
  JSONArgsRecommended: ['shell-form-without-shell'],
  UndefinedVar: ['target-arg-undeclared'],
};

const OWN = 'go-multistage';

interface Pragma {
  line: number;
  global: boolean;
  rules: string[];
}

function splitIds(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The id list at the start of `text`: ids separated by commas, blanks allowed around a comma
 * (`a, b`); a blank elsewhere ends it, so a reason written after the list is not read as an id.
 */
function idList(text: string): string {
  let end = 0;
  while (end < text.length) {
    if (text[end] !== ' ') {
      end++;
      continue;
    }
    let next = end;
    while (text[next] === ' ') next++;
    const commaBefore = text.slice(0, end).trimEnd().endsWith(',');
    if (!commaBefore && text[next] !== ',') break;
    end = next;
  }
  return text.slice(0, end);
}

/** Parses one comment line (without `#`) into the rules it suppresses, if it is a pragma. */
function parsePragma(content: string, line: number): Pragma | undefined {
  const words = content.trim().split(/\s+/);
  const tool = words[0];
  if (tool !== OWN && tool !== 'hadolint') return undefined;
  const global = words[1] === 'global';
  const spec = words.slice(global ? 2 : 1).join(' ');
  if (!spec.startsWith('ignore=')) return undefined;
  const ids = splitIds(idList(spec.slice('ignore='.length)));
  const rules = tool === OWN ? ids : ids.flatMap((id) => HADOLINT_EQUIVALENTS[id] ?? []);
  return { line, global, rules };
}

/** Rules skipped by a `# check=skip=…` parser directive. */
function checkDirectiveRules(value: string): string[] {
  const rules: string[] = [];
  for (const part of value.split(';')) {
    const [key, list] = part.split('=', 2).map((s) => s.trim());
    if (key !== 'skip' || list === undefined) continue;
    for (const id of splitIds(list)) {
      if (id === 'all') rules.push(...Object.values(BUILDKIT_EQUIVALENTS).flat());
      else rules.push(...(BUILDKIT_EQUIVALENTS[id] ?? []));
    }
  }
  return rules;
}

/** The instruction a line belongs to, by binary search over the model's instructions. */
export function instructionAt(model: DockerfileModel, line: number): Instruction | undefined {
  const list = model.instructions;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = list[mid].getRange();
    if (line < range.start.line) high = mid - 1;
    else if (line > range.end.line) low = mid + 1;
    else return list[mid];
  }
  return undefined;
}

/** Where each comment line sits: comment lines and directive lines of the document. */
function commentLines(model: DockerfileModel): number[] {
  const lines = new Set<number>();
  for (const comment of model.dockerfile.getComments()) lines.add(comment.getRange().start.line);
  for (const directive of model.dockerfile.getDirectives())
    lines.add(directive.getRange().start.line);
  return [...lines].sort((a, b) => a - b);
}

/** The rules that `global ignore` pragmas among some comment lines turn off. */
export function globalPragmaRules(comments: Iterable<string>): Set<string> {
  const rules = new Set<string>();
  for (const comment of comments) {
    const text = comment.trim();
    if (!text.startsWith('#')) continue;
    const pragma = parsePragma(text.slice(1), 0);
    if (pragma?.global) for (const rule of pragma.rules) rules.add(rule);
  }
  return rules;
}

export class Suppressions {
  private readonly global = new Set<string>();
  /** Rules suppressed per instruction (by its first line). */
  private readonly byInstruction = new Map<number, Set<string>>();

  constructor(private readonly model: DockerfileModel) {
    for (const directive of model.dockerfile.getDirectives()) {
      if (directive.getName().toLowerCase() === 'check') {
        for (const rule of checkDirectiveRules(directive.getValue())) this.global.add(rule);
      }
    }
    // Most files hold neither kind of comment: no need to read their comment lines.
    if (/check/i.test(model.text)) this.checkComments();
    if (!model.text.includes('ignore=')) return;
    for (const line of commentLines(model)) {
      const text = model.index.lineText(line).trim();
      if (!text.startsWith('#')) continue;
      const pragma = parsePragma(text.slice(1), line);
      if (!pragma) continue;
      if (pragma.global) {
        for (const rule of pragma.rules) this.global.add(rule);
        continue;
      }
      const next = this.instructionAfterComments(line);
      if (next === undefined) continue;
      const set = this.byInstruction.get(next) ?? new Set<string>();
      for (const rule of pragma.rules) set.add(rule);
      this.byInstruction.set(next, set);
    }
  }

  /**
   * BuildKit's per-instruction form: a `# check=skip=…` among the comments above an instruction
   * skips those checks on it alone. As BuildKit reads them, blank lines do not end the comments,
   * an empty `#` line does, and the first `check=` comment counts.
   */
  private checkComments(): void {
    const { index } = this.model;
    for (const instruction of this.model.instructions) {
      const start = instruction.getRange().start.line;
      let found: string | undefined;
      for (let l = start - 1; l >= 0; l--) {
        const text = index.lineText(l).trim();
        if (text === '') continue;
        if (!text.startsWith('#') || text.slice(1).trim() === '') break;
        const directive = /^#\s*check\s*=\s*(\S+)/i.exec(text);
        // The comments are read top down: the first check= above wins, so keep the highest.
        if (directive) found = directive[1];
      }
      if (found === undefined) continue;
      const rules = checkDirectiveRules(found);
      if (rules.length === 0) continue;
      const set = this.byInstruction.get(start) ?? new Set<string>();
      for (const rule of rules) set.add(rule);
      this.byInstruction.set(start, set);
    }
  }

  /** First line of the instruction that follows a block of comment lines, if any. */
  private instructionAfterComments(line: number): number | undefined {
    for (let l = line + 1; l < this.model.index.lineCount; l++) {
      const text = this.model.index.lineText(l).trim();
      if (text.startsWith('#')) continue;
      if (text === '') return undefined;
      return instructionAt(this.model, l)?.getRange().start.line;
    }
    return undefined;
  }

  isSuppressed(diagnostic: Pick<Diagnostic, 'rule' | 'range'>): boolean {
    if (this.global.has(diagnostic.rule)) return true;
    const instruction = instructionAt(this.model, diagnostic.range.start.line);
    if (!instruction) return false;
    return this.byInstruction.get(instruction.getRange().start.line)?.has(diagnostic.rule) ?? false;
  }
}

/**
 * A fix that silences one finding with `# go-multistage ignore=<id>` above its instruction,
 * extending a pragma already there.
 */
export function suppressionFix(model: DockerfileModel, diagnostic: Diagnostic): Fix | undefined {
  const instruction = instructionAt(model, diagnostic.range.start.line);
  if (!instruction) return undefined;
  const start = instruction.getRange().start;
  const title = `Disable ${diagnostic.rule} for this instruction`;
  if (start.line > 0) {
    const above = model.index.lineText(start.line - 1);
    const pragma = parsePragma(above.trim().replace(/^#/, ''), start.line - 1);
    if (pragma && !pragma.global && above.trim().startsWith(`# ${OWN} ignore=`)) {
      const end = { line: start.line - 1, character: above.trimEnd().length };
      return {
        title,
        kind: 'quickfix',
        edits: [insertAt(end, `,${diagnostic.rule}`)],
      };
    }
  }
  return {
    title,
    kind: 'quickfix',
    edits: [insertAbove(model, instruction, [`# ${OWN} ignore=${diagnostic.rule}`])],
  };
}
