/**
 * SARIF 2.1.0 output for code-scanning tools (GitHub, Azure DevOps): rule metadata (with the
 * rule page's `file:` URI where the pages are installed beside the CLI), one result per finding,
 * and the fixes as replacements.
 */
import { RULES } from '../core/rules';
import type { Diagnostic, Range, Severity } from '../core/types';
import type { RuleDocLink } from '../node/rule-docs';

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  hint: 'note',
};

function region(range: Range) {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** Forward slashes, as SARIF artifact URIs want them. */
function uriOf(file: string): string {
  return file.split('\\').join('/');
}

export function toSarif(
  results: { file: string; diagnostics: Diagnostic[] }[],
  version: string,
  ruleLink: RuleDocLink,
): object {
  const ruleIndex = new Map(RULES.map((rule, i) => [rule.meta.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'go-multistage',
            version,
            semanticVersion: version,
            rules: RULES.map((rule) => {
              const helpUri = ruleLink(rule.meta.id);
              return {
                id: rule.meta.id,
                shortDescription: { text: rule.meta.description },
                ...(helpUri !== undefined ? { helpUri } : {}),
                help: { text: rule.meta.description },
                defaultConfiguration: { level: LEVELS[rule.meta.defaultSeverity] },
                properties: { tags: ['docker', 'go'] },
              };
            }),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap(({ file, diagnostics }) =>
          diagnostics.map((d) => {
            const index = ruleIndex.get(d.rule);
            const location = { uri: uriOf(file) };
            return {
              ruleId: d.rule,
              ...(index !== undefined ? { ruleIndex: index } : {}),
              level: LEVELS[d.severity],
              // Code scanning shows one text: the message, then the reasoning behind it.
              message: { text: d.detail !== undefined ? `${d.message} ${d.detail}` : d.message },
              locations: [
                { physicalLocation: { artifactLocation: location, region: region(d.range) } },
              ],
              // The rule's message id, stable where the text is not (SARIF's own message ids
              // point into rule message strings with numbered arguments, which ours are not).
              properties: { messageId: d.messageId },
              ...(d.fixes.length > 0
                ? {
                    fixes: d.fixes.map((fix) => ({
                      description: { text: fix.title },
                      artifactChanges: [
                        {
                          artifactLocation: location,
                          replacements: fix.edits.map((edit) => ({
                            deletedRegion: region(edit.range),
                            insertedContent: { text: edit.newText },
                          })),
                        },
                      ],
                    })),
                  }
                : {}),
            };
          }),
        ),
      },
    ],
  };
}
