// The core's parse (server/src/core/model/parse.ts) keeps dockerfile-ast's argument scan per
// instruction and cuts plain instructions itself: both must give exactly what dockerfile-ast gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Argument, From, Instruction, Variable } from 'dockerfile-ast';
import { Parser } from 'dockerfile-ast/lib/parser';
import {
  argumentScans,
  parseDockerfile,
  parseMakingEveryInstruction,
} from '../../server/src/core/model/parse';
import { instructionVariables } from '../../server/src/core/model/instruction-text';
import { LineIndex } from '../../server/src/core/text/line-index';
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
    const plain = argumentScans.quick(instruction);
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

/** Everything the model reads of a parse: each instruction's kind, ranges, arguments, flags, heredocs. */
function parseShape(parse: (text: string) => { getInstructions(): Instruction[] }, text: string) {
  const read = (instruction: Instruction): unknown => {
    const flags = (
      instruction as { getFlags?: () => { getName(): string; getValue(): string | null }[] }
    )
      .getFlags?.()
      .map((f) => [f.getName(), f.getValue()]);
    const heredocs = (
      instruction as unknown as {
        getHeredocs?: () => {
          getName(): string;
          getContentRange(): unknown;
          getDelimiterRange(): unknown;
        }[];
      }
    )
      .getHeredocs?.()
      .map((h) => [h.getName(), h.getContentRange(), h.getDelimiterRange()]);
    const trigger = (
      instruction as { getTriggerInstruction?: () => Instruction | null }
    ).getTriggerInstruction?.();
    return {
      kind: instruction.constructor.name,
      keyword: instruction.getKeyword(),
      range: instruction.getRange(),
      arguments: shape(instruction.getArguments()),
      flags,
      heredocs,
      trigger: trigger ? read(trigger) : undefined,
    };
  };
  return parse(text).getInstructions().map(read);
}

describe('the parse', () => {
  test('makes each instruction once and gives what a parse making it twice gives', () => {
    const text = [
      'FROM golang:1.24 AS build',
      'RUN --mount=type=cache,target=/go/pkg/mod go build -o /out/app .',
      'COPY <<EOF /etc/conf',
      'a  b',
      'EOF',
      'RUN <<-SCRIPT bash',
      '\techo one',
      'SCRIPT',
      'CMD ["/app", "--flag"]',
      'ONBUILD RUN echo hi',
      'RUN',
      'RUN echo a \\',
      '  b',
      'USER 10001',
    ].join('\n');
    assert.deepEqual(
      parseShape(parseDockerfile, text),
      parseShape(parseMakingEveryInstruction, text),
    );
    assert.equal(parseDockerfile(text).getInstructions().length, 9);
    // Made once: the parser's calls return no more distinct instructions than the file has,
    // apart from the first try of each instruction a heredoc extends.
    const prototype = Parser.prototype as unknown as {
      createInstruction: (...args: unknown[]) => Instruction;
    };
    const own = prototype.createInstruction;
    const made = new Set<Instruction>();
    prototype.createInstruction = function (...args: unknown[]) {
      const instruction = own.apply(this, args);
      made.add(instruction);
      return instruction;
    };
    try {
      parseDockerfile(text);
    } finally {
      prototype.createInstruction = own;
    }
    assert.equal(made.size, 9 + 2);
    fc.assert(
      fc.property(
        fc.oneof(dockerfile, mutated(dockerfile), syntaxSoup, fc.string({ unit: 'binary' })),
        (generated) => {
          assert.deepEqual(
            parseShape(parseDockerfile, generated),
            parseShape(parseMakingEveryInstruction, generated),
          );
        },
      ),
      { numRuns: 300, seed: 20_261_204 },
    );
    for (const fixture of dockerfileFixtures()) {
      assert.deepEqual(
        parseShape(parseDockerfile, fixture.text),
        parseShape(parseMakingEveryInstruction, fixture.text),
        fixture.name,
      );
    }
  });

  test('scans plain and continued instructions as dockerfile-ast does', () => {
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
      // Continuations: joined words, a broken word, spaces after the escape, comment lines.
      'RUN go build \\',
      '    -o /out/app\\',
      '  ./cmd/app && ec\\',
      'ho done \\  \t',
      '# a comment line',
      '  # an indented one',
      '  && true \\',
      '',
      'USER 10001:10001',
    ].join('\n');
    const all = instructionsOf(text);
    assert.equal(all.filter((i) => argumentScans.quick(i) === undefined).length, 0);
    assert.equal(agreement(text), all.length);
  });

  test('leaves escaped characters, carriage returns and escapes in comments to dockerfile-ast', () => {
    const left = [
      'RUN echo \\$HOME',
      'RUN echo \\"quoted\\"',
      'RUN echo a \\\r\n  b',
      'RUN echo a \\\n# a comment \\\n  b',
      'RUN echo a \\  ',
      'RUN echo the end \\',
      '# escape=`\nRUN echo a `$x',
    ];
    for (const text of left) {
      const [instruction] = instructionsOf(text).filter((i) => i.getKeyword() === 'RUN');
      assert.equal(argumentScans.quick(instruction), undefined, text);
    }
    // With the backtick as escape character, `C:\dir` is plain text and the backtick continues.
    const backtick = '# escape=`\nFROM alpine\nRUN echo a `\n  b\nRUN echo C:\\dir\n';
    assert.equal(agreement(backtick), 3);
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

  test('one kept parser: nothing of a document carries over to the next', () => {
    const backtick = '# escape=`\nFROM golang:1.24\nRUN go build `\n  -o /app .\n';
    const plain = 'FROM golang:1.24\nRUN go build \\\n  -o /app .\nRUN echo `date`\n';
    const words = (text: string) =>
      parseDockerfile(text)
        .getInstructions()
        .map((i) => [i.getKeyword(), i.getArguments().map((a) => a.getValue())]);
    const fresh = (text: string) =>
      new Parser()
        .parse(text)
        .getInstructions()
        .map((i) => [i.getKeyword(), i.getArguments().map((a) => a.getValue())]);
    for (const text of [backtick, plain, backtick, '', plain]) {
      assert.deepEqual(words(text), fresh(text));
      assert.equal(
        parseDockerfile(text).getEscapeCharacter(),
        new Parser().parse(text).getEscapeCharacter(),
      );
    }
    assert.deepEqual(words(plain)[1], ['RUN', ['go', 'build', '-o', '/app', '.']]);
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

  test('reads the variables of an instruction as dockerfile-ast does, without resolving them', () => {
    const variablesAgree = (text: string) => {
      const index = new LineIndex(text);
      let count = 0;
      for (const instruction of instructionsOf(text)) {
        const show = (v: Variable) => ({
          name: v.getName(),
          range: v.getRange(),
          modifier: v.getModifier(),
          parameter: v.getSubstitutionParameter(),
        });
        const expected = instruction.getVariables().map(show);
        assert.deepEqual(instructionVariables(instruction, index).map(show), expected, text);
        count += expected.length;
      }
      return count;
    };
    const label =
      'FROM alpine\nLABEL a=\'$NOT\' b="$YES"\nRUN echo ${A:-x} $B ${C:+y} \\\n  ${D}\n';
    assert.equal(variablesAgree(label), 5);
    let count = 0;
    for (const fixture of dockerfileFixtures()) count += variablesAgree(fixture.text);
    fc.assert(
      fc.property(fc.oneof(dockerfile, mutated(dockerfile), syntaxSoup), (text) => {
        count += variablesAgree(text);
      }),
      { numRuns: 200, seed: 20_261_204 },
    );
    assert.ok(count > 100, `only ${count} variables`);
  });
});
