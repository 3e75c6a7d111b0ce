/**
 * textDocument/documentLink: package arguments, COPY sources and `-ldflags -X` symbols to the
 * files of the build context; a build's `-o` path and the start program to the lines that carry
 * them on. Links into the context need it on disk (a virtual workspace gets the in-file ones).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentLink } from 'vscode-languageserver';
import { documentLinks as linksOf } from '../core/stages/links';
import type { Analysis } from './analysis';

export function documentLinks(uri: string, analysis: Analysis): DocumentLink[] {
  const root = analysis.options.context?.root;
  const links: DocumentLink[] = [];
  for (const link of linksOf(analysis.model)) {
    let target: string;
    if ('documentLine' in link.target) {
      const hash = uri.indexOf('#');
      target = `${hash < 0 ? uri : uri.slice(0, hash)}#L${link.target.documentLine + 1}`;
    } else {
      if (root === undefined) continue;
      target = pathToFileURL(join(root, link.target.contextPath)).href;
      if (link.target.line !== undefined) target += `#L${link.target.line + 1}`;
    }
    links.push({ range: link.range, target, tooltip: link.tooltip });
  }
  return links;
}
