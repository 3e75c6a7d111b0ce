/**
 * The findings of `lint`, written out: as text (coloured on a terminal), JSON, SARIF or GitHub
 * annotations.
 */
import type { Diagnostic, Severity } from '../core/types';
import type { RuleDocLink } from '../node/rule-docs';
import { VERSION } from '../core/version';
import { toGithubAnnotations } from './github';
import { toSarif } from './sarif';
import { escapeControls } from './terminal';

/** What the report writes to and how. */
export interface Output {
  stdout: (text: string) => void;
  /** Whether stdout is a terminal (colours are used only then). */
  color: boolean;
  /** Where a rule's page is (SARIF's `helpUri`); none when not given. */
  ruleLink?: RuleDocLink;
}

const COLORS: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '90' };

function paint(io: Pick<Output, 'color'>, code: string, text: string): string {
  return io.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function summary(results: { diagnostics: Diagnostic[] }[]): string {
  const count = (s: Severity) =>
    results.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === s).length, 0);
  const total = results.reduce((n, r) => n + r.diagnostics.length, 0);
  const files = plural(results.length, 'file');
  if (total === 0) return `no problems in ${files}`;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning')];
  if (count('info') > 0) parts.push(plural(count('info'), 'info'));
  if (count('hint') > 0) parts.push(plural(count('hint'), 'hint'));
  return `${plural(total, 'problem')} (${parts.join(', ')}) in ${files}`;
}

/** Writes the findings in `format`; the text format also says what --fix fixed. */
export function report(
  format: string,
  results: { file: string; diagnostics: Diagnostic[] }[],
  io: Output,
  fixed: { files: number; problems: number } | undefined,
): void {
  if (format === 'json') {
    const json = results.map((r) => ({
      file: r.file,
      diagnostics: r.diagnostics.map((d) => ({
        rule: d.rule,
        messageId: d.messageId,
        ...(d.data !== undefined ? { data: d.data } : {}),
        severity: d.severity,
        message: d.message,
        ...(d.detail !== undefined ? { detail: d.detail } : {}),
        range: d.range,
        fixes: d.fixes.map((f) => ({ title: f.title, edits: f.edits })),
      })),
    }));
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else if (format === 'sarif') {
    io.stdout(
      JSON.stringify(toSarif(results, VERSION, io.ruleLink ?? (() => undefined)), null, 2) + '\n',
    );
  } else if (format === 'github') {
    io.stdout(toGithubAnnotations(results));
  } else {
    for (const r of results) {
      // The file name and the message quote the repository: escaped, so that nothing in them
      // can move the cursor, clear the screen or forge a line of output.
      const file = escapeControls(r.file);
      for (const d of r.diagnostics) {
        const where = `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
        const message = escapeControls(d.message);
        io.stdout(`${where} ${paint(io, COLORS[d.severity], d.severity)} ${d.rule} ${message}\n`);
      }
    }
    if (fixed && fixed.problems > 0) {
      io.stdout(`fixed ${plural(fixed.problems, 'problem')} in ${plural(fixed.files, 'file')}\n`);
    }
    io.stdout(summary(results) + '\n');
  }
}
