/**
 * The start script fact: the shell script a stage's start command runs, read from the build
 * context, also when it reached the stage through `COPY --from` of a stage that copied it in.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../server/src/core';
import { startScript } from '../../server/src/core/facts/start-script';
import { testContext } from '../support/context';
import { lines } from '../support/rule-tester';

const SCRIPT = '#!/bin/bash\nset -e\nstart() { exec /app "$@"; }\nstart\n';

function scriptOf(code: string, files: Record<string, string>) {
  const model = buildModel(code, { context: testContext(undefined, files) });
  return startScript(model, model.finalStage!);
}

describe('the start script', () => {
  test('copied from the context: path, interpreter, commands and functions', () => {
    const script = scriptOf(
      lines('FROM alpine:3.20', 'COPY start.sh /usr/local/bin/', 'CMD ["start.sh"]'),
      { 'start.sh': SCRIPT },
    );
    assert.equal(script, undefined, 'a bare name is looked up in PATH, not read');
    const read = scriptOf(
      lines('FROM alpine:3.20', 'COPY start.sh /usr/local/bin/', 'CMD ["/usr/local/bin/start.sh"]'),
      { 'start.sh': SCRIPT },
    );
    assert.equal(read?.path, '/usr/local/bin/start.sh');
    assert.equal(read?.shell, 'bash');
    assert.ok(read?.functions.has('start'));
    assert.ok(read?.commands.some((c) => c.words[0]?.text === 'set'));
  });

  test('through COPY --from of stages that copied it from the context', () => {
    const script = scriptOf(
      lines(
        'FROM alpine:3.20 AS sources',
        'WORKDIR /src',
        'COPY . .',
        'FROM alpine:3.20 AS middle',
        'COPY --from=sources /src/deploy /opt/deploy',
        'FROM alpine:3.20',
        'COPY --from=middle /opt/deploy/run.sh /run.sh',
        'ENTRYPOINT ["sh", "/run.sh"]',
      ),
      { 'deploy/run.sh': 'exec /app\n', 'main.go': 'package main\n' },
    );
    assert.equal(script?.path, '/run.sh');
    assert.equal(script?.shell, 'sh');
  });

  test('many copies of / from stage to stage: the search stops, bounded', () => {
    const chain = (length: number) =>
      lines(
        'FROM alpine:3.20 AS s0',
        'COPY . /',
        ...Array.from({ length }, (_, i) => [
          `FROM alpine:3.20 AS s${i + 1}`,
          ...Array.from({ length: 6 }, () => `COPY --from=s${i} / /`),
        ]).flat(),
        'ENTRYPOINT ["/entrypoint.sh"]',
      );
    const files = { 'entrypoint.sh': 'exec /app\n' };
    assert.equal(scriptOf(chain(3), files)?.path, '/entrypoint.sh');
    // Past the hop bound (and 6^12 paths without the lookup bound): not found, and no hang.
    assert.equal(scriptOf(chain(12), files), undefined);
  });
});
