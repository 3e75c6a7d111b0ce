/**
 * Table tests for rules, in the manner of ESLint's RuleTester: valid cases must draw nothing from
 * the rule; invalid cases list the findings expected (line, column, severity, message id and data)
 * and the text after applying the fixes. Every fix is also checked to resolve its finding, and
 * every message to have its placeholders filled.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attachConversions, buildModel, runRules } from '../../server/src/core';
import type { Rule } from '../../server/src/core/rules/rule';
import { applyEdits } from '../../server/src/core/text/edits';
import { testContext } from './context';
import type { AnalyzeOptions, Diagnostic, Severity } from '../../server/src/core/types';

export interface Case {
  name: string;
  code: string;
  goMod?: string;
  context?: string[];
  /** The text of some of the context's files, for rules that read them. */
  readFile?: Record<string, string>;
  /** Text of context files (listed in the context too), for rules that read Go sources. */
  files?: Record<string, string>;
  /** The context's `.dockerignore`. */
  dockerignore?: string;
  runtimeImage?: string;
}

export interface ExpectedFinding<MessageIds extends string = string> {
  /** One-based line. */
  line: number;
  /** One-based column, when it matters. */
  column?: number;
  severity?: Severity;
  /**
   * Which of the rule's messages: the case that fired. Required when the rule has more than one
   * message; a rule of one message has only one to check.
   */
  messageId?: MessageIds;
  /** Some of the message's data (each value given must match). */
  data?: Record<string, string | number>;
  /**
   * Matched against the rendered message, the detail, or the message followed by the detail:
   * for the few cases where the wording itself is the point.
   */
  message?: RegExp;
}

export interface InvalidCase<MessageIds extends string = string> extends Case {
  findings: ExpectedFinding<MessageIds>[];
  /**
   * The text after applying, for each finding, its fix titled `fix` (or its first fix); `null`
   * when no finding may offer a fix.
   */
  output?: string | null;
  fix?: string | RegExp;
}

function optionsOf(c: Case): AnalyzeOptions {
  return {
    goMod: c.goMod,
    context: testContext(c.context, c.files, c.dockerignore, c.readFile),
    runtimeImage: c.runtimeImage,
  };
}

/** Runs one rule (strictly: its exceptions fail the test) over a text. */
export function runRule(rule: Rule, code: string, options: AnalyzeOptions = {}): Diagnostic[] {
  const found = runRules(buildModel(code, options), options, { strict: true, rules: [rule] });
  return attachConversions(found, true);
}

function chooseFix(diagnostic: Diagnostic, wanted: string | RegExp | undefined) {
  if (wanted === undefined) return diagnostic.fixes[0];
  return diagnostic.fixes.find((f) =>
    typeof wanted === 'string' ? f.title === wanted : wanted.test(f.title),
  );
}

/** Leftover `{{name}}` placeholders: data the finding did not give. */
const UNFILLED = /\{\{\s*[A-Za-z_$][\w$]*\s*\}\}/;

export function ruleTester<MessageIds extends string>(
  rule: Rule<MessageIds>,
  cases: { valid: Case[]; invalid: InvalidCase<MessageIds>[] },
): void {
  describe(rule.meta.id, () => {
    for (const c of cases.valid) {
      test(`stays silent: ${c.name}`, () => {
        const found = runRule(rule, c.code, optionsOf(c));
        assert.deepEqual(
          found.map((d) => `${d.range.start.line + 1}: ${d.message}`),
          [],
          'expected no finding',
        );
      });
    }
    for (const c of cases.invalid) {
      test(`reports: ${c.name}`, () => {
        const options = optionsOf(c);
        const found = runRule(rule, c.code, options);
        assert.equal(
          found.length,
          c.findings.length,
          `expected ${c.findings.length} finding(s), got:\n${found.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('\n')}`,
        );
        c.findings.forEach((expected, i) => {
          const actual = found[i];
          assert.equal(actual.rule, rule.meta.id);
          assert.equal(actual.range.start.line + 1, expected.line, `line of finding ${i}`);
          if (expected.column !== undefined) {
            assert.equal(
              actual.range.start.character + 1,
              expected.column,
              `column of finding ${i}`,
            );
          }
          assert.equal(actual.severity, expected.severity ?? rule.meta.defaultSeverity);
          if (expected.messageId !== undefined || Object.keys(rule.meta.messages).length > 1) {
            assert.equal(actual.messageId, expected.messageId, `message id of finding ${i}`);
          }
          for (const [key, value] of Object.entries(expected.data ?? {})) {
            assert.equal(actual.data?.[key], String(value), `data.${key} of finding ${i}`);
          }
          for (const text of [actual.message, actual.detail ?? '']) {
            assert.doesNotMatch(text, UNFILLED, `a placeholder of finding ${i} has no data`);
          }
          // What the finding says: its one-sentence message, then its detail (the hover's).
          if (expected.message) {
            const said = actual.detail ? `${actual.message} ${actual.detail}` : actual.message;
            const inPart = [actual.message, actual.detail ?? ''].some((t) =>
              expected.message!.test(t),
            );
            if (!inPart) assert.match(said, expected.message);
          }
        });
        if (c.output === undefined) return;
        if (c.output === null) {
          assert.deepEqual(
            found.flatMap((d) => d.fixes.map((f) => f.title)),
            [],
            'expected no fix',
          );
          return;
        }
        const edits = found.flatMap((d) => {
          const fix = chooseFix(d, c.fix);
          assert.ok(fix, `finding on line ${d.range.start.line + 1} offers no matching fix`);
          return fix.edits;
        });
        const output = applyEdits(c.code, edits);
        assert.equal(output, c.output);
        // The fixed text re-parses and no longer draws the findings that were fixed.
        const again = runRule(rule, output, options);
        assert.ok(
          again.length < found.length,
          `the fix did not resolve the finding:\n${again.map((d) => d.message).join('\n')}`,
        );
      });
    }
  });
}

/** Joins lines with `\n` and a final newline: keeps Dockerfile fixtures readable in tables. */
export function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}
