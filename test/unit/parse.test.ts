// The core's parse (server/src/core/model/parse.ts) keeps dockerfile-ast's argument scan per
// instruction and cuts plain instructions itself: both must give exactly what dockerfile-ast gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Argument, From, Instruction } from 'dockerfile-ast';
import { argumentScans, parseDockerfile } from '../../server/src/core/model/parse';
import { dockerfile, mutated, syntaxSoup } from '../support/arbitraries';
import { dockerfileFixtures } from '../support/fixtures';

const shape = (args: Argument[]) => args.map((a) => ({ value: a.getValue(), range: a.getRange() }));

/** Every instruction of `text`, including those inside ONBUILD. */
function instructionsOf(text: string): Instruction[] {
  const all: Instruction[] = [];
  for (const instruction of parseDockerfile(text).getInstructions()) {
    all.push(instruction);
    const trigger = (
      instruction as { getTriggerInstruction?: () => Instruction | null }
    ).getTriggerInstruction?.();
    if (trigger) all.push(trigger);
  }
  return all;
}

/** Whether the plain scan agrees with dockerfile-ast's wherever it answers; how many it answered. */
function agreement(text: string): number {
  let answered = 0;
  for (const instruction of instructionsOf(text)) {
    const plain = argumentScans.plain(instruction);
    const own = argumentScans.dockerfileAst(instruction);
    if (plain === undefined) continue;
    answered++;
    assert.deepEqual(
      shape(plain),
      shape(own),
      `instruction ${JSON.stringify(instruction.getTextContent())}`,
    );
  }
  return answered;
}

describe('the parse', () => {
  test('cuts plain instructions as dockerfile-ast does: spaces, tabs, heredoc lines, CRLF', () => {
    const text = [
      'FROM golang:1.24 AS build',
      'RUN\tgo  build -o /out/app ./cmd/app  ',
      'COPY <<EOF /etc/conf',
      'a  b',
      'EOF',
      'ENV A=1 B="two words"',
      'CMD ["/app", "--flag"]',
      'ONBUILD RUN echo hi',
      'RUN',
      'LABEL x=y\r\nUSER 10001:10001\r',
    ].join('\n');
    assert.ok(agreement(text) >= 9);
  });

  test('leaves instructions with the escape character (either one) to dockerfile-ast', () => {
    const backslash = 'FROM alpine\nRUN echo a \\\n  b # not a comment\nRUN echo \\$HOME\n';
    const backtick = '# escape=`\nFROM alpine\nRUN echo a `\n  b\nRUN echo C:\\dir\n';
    // With the backtick as escape character, `C:\dir` is plain text.
    for (const [text, escaped] of [
      [backslash, 2],
      [backtick, 1],
    ] as const) {
      const skipped = instructionsOf(text).filter((i) => argumentScans.plain(i) === undefined);
      assert.equal(skipped.length, escaped, text);
      agreement(text);
    }
  });

  test('agrees with dockerfile-ast on fixtures and generated Dockerfiles', () => {
    let answered = 0;
    for (const fixture of dockerfileFixtures()) answered += agreement(fixture.text);
    assert.ok(answered > 40, `only ${answered} plain instructions in the fixtures`);
    answered = 0;
    const texts = fc.oneof(
      dockerfile,
      mutated(dockerfile),
      syntaxSoup,
      fc.string({ unit: 'binary' }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        answered += agreement(text);
      }),
      { numRuns: 300, seed: 20_261_203 },
    );
    assert.ok(answered > 300, `only ${answered} plain instructions generated`);
  });

  test('gives each caller its own array, and a FROM its own ranges', () => {
    const [from, run] = parseDockerfile(
      'FROM registry.example/team/golang:1.24 AS build\nRUN --mount=type=cache,target=/root/.cache go build .\n',
    ).getInstructions();
    // ModifiableInstruction.getArguments shifts the flags off the array it gets.
    assert.deepEqual(
      run.getArguments().map((a) => a.getValue()),
      ['go', 'build', '.'],
    );
    assert.deepEqual(
      run.getArguments().map((a) => a.getValue()),
      ['go', 'build', '.'],
    );
    // getImageNameRange moves the ends of the first argument's range.
    const before = JSON.stringify(from.getArguments()[0].getRange());
    (from as From).getImageNameRange();
    (from as From).getRegistryRange();
    assert.equal(JSON.stringify(from.getArguments()[0].getRange()), before);
    assert.equal((from as From).getImageName(), 'team/golang');
  });
});
