import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import * as vscode from 'vscode';
import {
  CONVERT_TITLE,
  codeActionsAt,
  fixtureUri,
  openFixture,
  ourDiagnostics,
  ruleOf,
  restoreWorkspace,
  setSetting,
  waitFor,
  waitForDiagnostics,
  waitForRule,
} from './helpers';

const RULE = 'go-toolchain-in-final-stage';

describe('settings', () => {
  const uri = fixtureUri('single-stage/Dockerfile');

  afterEach(async () => {
    // Remove the settings now (the root hook would too) and wait for the defaults to be back.
    await restoreWorkspace();
    await waitForDiagnostics(
      uri,
      (all) =>
        all.some((d) => ruleOf(d) === RULE && d.severity === vscode.DiagnosticSeverity.Warning),
      'the default warning back',
    );
  });

  it('turns a rule off and on again live through goMultistage.rules', async () => {
    await openFixture('single-stage/Dockerfile');
    await waitForRule(uri, RULE);
    await setSetting('rules', { [RULE]: 'off' });
    await waitForDiagnostics(
      uri,
      (all) => !all.some((d) => ruleOf(d) === RULE),
      `${RULE} to be turned off`,
    );
    await setSetting('rules', {});
    await waitForRule(uri, RULE);
  });

  it('raises a rule to error live through goMultistage.rules', async () => {
    await openFixture('single-stage/Dockerfile');
    await waitForRule(uri, RULE);
    await setSetting('rules', { [RULE]: 'error' });
    const [diagnostic] = await waitForDiagnostics(
      uri,
      (all) =>
        all.some((d) => ruleOf(d) === RULE && d.severity === vscode.DiagnosticSeverity.Error),
      `${RULE} as an error`,
    );
    assert.equal(ruleOf(diagnostic), RULE);
    // Only that rule changed: the others keep their default severity.
    assert.deepEqual(
      ourDiagnostics(uri)
        .filter((d) => ruleOf(d) !== RULE)
        .map((d) => d.severity),
      [vscode.DiagnosticSeverity.Hint],
    );
  });

  it('stops checking when goMultistage.enable is false', async () => {
    await openFixture('single-stage/Dockerfile');
    await waitForRule(uri, RULE);
    await setSetting('enable', false);
    await waitForDiagnostics(uri, (all) => all.length === 0, 'no diagnostics while disabled');
  });

  it('uses goMultistage.runtimeImage in the conversion', async () => {
    await openFixture('single-stage/Dockerfile');
    const diagnostic = await waitForRule(uri, RULE);
    const image = 'gcr.io/distroless/base-debian12:nonroot';
    await setSetting('runtimeImage', image);
    // The setting reaches the server asynchronously: ask again until the edit uses it.
    const converted = await waitFor(
      async () => {
        const actions = await codeActionsAt(
          uri,
          diagnostic.range,
          vscode.CodeActionKind.RefactorRewrite,
        );
        const edit = actions.find((a) => a.title === CONVERT_TITLE)?.edit;
        const text = edit
          ?.entries()
          .flatMap(([, edits]) => edits.map((e) => e.newText))
          .join('');
        return text?.includes(`FROM ${image}\n`) ? text : undefined;
      },
      { what: `a conversion to ${image}` },
    );
    assert.match(converted, /COPY --from=build \/src\/server \/src\/server/);
  });
});
