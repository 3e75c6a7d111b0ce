/**
 * GitHub Actions workflow commands (`::warning file=…,line=…,col=…::message`): a workflow step
 * that runs `lint --format github` shows each finding as an annotation on the pull request's
 * diff, without code scanning. Escaped as the runner reads them: `%`, CR and LF in the message,
 * and also `:` and `,` in the properties; any other control character is written out as `\uXXXX`.
 */
import type { Diagnostic, Severity } from '../core/types';
import { escapeControls } from './terminal';

const COMMANDS: Record<Severity, 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/** A workflow command's message. */
export function escapeData(text: string): string {
  return escapeControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** A workflow command's property value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation per finding, one per line. */
export function toGithubAnnotations(
  results: { file: string; diagnostics: Diagnostic[] }[],
): string {
  let out = '';
  for (const result of results) {
    // The runner resolves the path from the workspace root, with forward slashes.
    const file = escapeProperty(result.file.split('\\').join('/'));
    for (const d of result.diagnostics) {
      const { start, end } = d.range;
      const properties = [
        `file=${file}`,
        `line=${start.line + 1}`,
        `col=${start.character + 1}`,
        `endLine=${end.line + 1}`,
        `endColumn=${end.character + 1}`,
        `title=${escapeProperty(`go-multistage ${d.rule}`)}`,
      ];
      out += `::${COMMANDS[d.severity]} ${properties.join(',')}::${escapeData(d.message)}\n`;
    }
  }
  return out;
}
