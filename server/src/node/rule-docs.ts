/**
 * Where the rule pages are on this machine. The build copies each rule's page
 * (`server/src/core/rules/<id>.md`) to `rules/` beside the bundles (`server/dist/rules/`), and the
 * `.vsix` ships that folder: a finding's link and SARIF's `helpUri` point at that file, which is
 * there wherever the server or the CLI runs, offline, and never at a web address nobody serves.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The address of a rule's page, or undefined when there is none to point at. */
export type RuleDocLink = (id: string) => string | undefined;

/** The folder the build puts the rule pages in, beside the running bundle. */
export function bundledRuleDocsDirectory(): string {
  return join(__dirname, 'rules');
}

/**
 * `file:` URIs of the pages in `directory`; undefined for a rule whose page is not there (the
 * CLI's file copied alone into a repository has no pages beside it: then no link at all).
 */
export function fileRuleDocs(directory: string): RuleDocLink {
  const known = new Map<string, string | undefined>();
  return (id) => {
    if (!/^[a-z0-9-]+$/.test(id)) return undefined;
    if (!known.has(id)) {
      const path = join(directory, `${id}.md`);
      known.set(id, existsSync(path) ? pathToFileURL(path).href : undefined);
    }
    return known.get(id);
  };
}

/**
 * A `command:` URI that runs `command` with the rule id, for an editor that opens the page
 * itself (the VS Code extension shows it in the Markdown preview).
 */
export function commandRuleDocs(command: string, pages: RuleDocLink): RuleDocLink {
  return (id) =>
    pages(id) === undefined
      ? undefined
      : `command:${command}?${encodeURIComponent(JSON.stringify([id]))}`;
}
