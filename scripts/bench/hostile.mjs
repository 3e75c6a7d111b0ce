// Hostile inputs for the benchmark: a chain of stages each built on the one before (which was
// quadratic), and a document of megabytes edited while requests on a small document keep coming
// (which used to wait seconds behind its analysis).
import { performance } from 'node:perf_hooks';
import { manyStages } from './shapes.mjs';

/** `FROM sN AS sN+1` `count` times after a Go build stage. */
export function stageChain(count) {
  const lines = ['FROM golang:1.22 AS s0', 'RUN go build -o /app .'];
  for (let i = 0; i < count; i++) lines.push(`FROM s${i} AS s${i + 1}`);
  lines.push('CMD ["/app"]');
  return lines.join('\n') + '\n';
}

/** A Go Dockerfile of about `bytes` characters: many build and runtime stages. */
export function largeDocument(bytes) {
  const text = manyStages(Math.ceil(bytes / 30));
  return text.slice(0, text.lastIndexOf('\nFROM ', bytes) + 1);
}

/**
 * Hover latencies on a small document while the server analyses a large one: the large document
 * is opened and its diagnostics pulled, then changed (its whole text, as a paste would) and
 * pulled again; hovers go to the small document back to back until each pull answers.
 */
export async function hoverWhileLarge(server, smallUri, largeUri, largeText) {
  const hover = () =>
    server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: smallUri },
      position: { line: 0, character: 6 },
    });
  const idle = [];
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    await hover();
    idle.push(performance.now() - started);
  }
  const during = [];
  const pulls = [];
  const phase = async (send) => {
    const started = performance.now();
    await send();
    let done = false;
    let note = false;
    const pulled = server.pull(largeUri).then((report) => {
      pulls.push(performance.now() - started);
      note = report.items.some((d) => d.code === undefined);
      done = true;
    });
    while (!done) {
      const begun = performance.now();
      await hover();
      during.push(performance.now() - begun);
    }
    await pulled;
    return note;
  };
  const noted = await phase(() => server.open(largeUri, largeText));
  await phase(() => server.change(largeUri, [{ text: largeText.replace('FROM ', 'FROM  ') }]));
  return { idle, during, pulls, noted };
}
