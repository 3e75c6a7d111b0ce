import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expandMake, MAKE_UNKNOWN, parseMakefile } from '../../server/src/core/model/makefile';
import { lines } from '../support/rule-tester';

describe('parseMakefile', () => {
  test('rules, prerequisites as make reads them, recipes expanded when they run', () => {
    const makefile = parseMakefile(
      lines(
        'OUT = bin',
        '.PHONY: all',
        'all: $(OUT)/app | dirs',
        'NAME = late',
        '$(OUT)/app: main.go ; go build -o $@ .',
        'check::',
        '\tgo vet ./...',
        'check::',
        '\t@-echo $(NAME)',
        'objs := a.o b.o',
        '$(objs): %.o: %.c',
        'docs: PAGES = site',
        '\tthis line belongs to no rule',
        'define RECIPE',
        '\tgo build ./... (a variable, not a recipe)',
        'endef',
      ),
    );
    assert.deepEqual(makefile.rules.get('all')?.prerequisites, ['bin/app', 'dirs']);
    assert.deepEqual(
      makefile.rules.get('bin/app')?.recipe.map((r) => r.text),
      ['go build -o $@ .'],
    );
    assert.deepEqual(
      makefile.rules.get('check')?.recipe.map((r) => [r.line, r.text]),
      [
        [6, 'go vet ./...'],
        [8, 'echo $(NAME)'],
      ],
    );
    assert.equal(expandMake('echo $(NAME)', makefile.variables), 'echo late');
    assert.deepEqual(makefile.rules.get('a.o')?.prerequisites, ['%.c']);
    assert.equal(makefile.rules.has('docs'), false);
    assert.equal(makefile.recipes.length, 3);
    assert.match(makefile.variables.get('RECIPE') ?? '', /go build/);
    assert.equal(makefile.defaultGoal, 'all');
    assert.equal(makefile.open, false);
  });

  test('.DEFAULT_GOAL, includes and pattern rules', () => {
    assert.equal(parseMakefile('.DEFAULT_GOAL := b\na:\nb:\n').defaultGoal, 'b');
    assert.equal(parseMakefile('.x:\nlib/%.o: %.c\nfirst:\n').defaultGoal, 'first');
    assert.equal(parseMakefile('-include local.mk\na:\n').open, true);
    assert.equal(parseMakefile('bin/%: cmd/%\n\tgo build -o $@ ./$<\n').open, true);
  });

  test('unknown references expand to the marker; bad input never throws', () => {
    assert.equal(
      expandMake('$(GO) build $(shell date) $@', new Map()),
      [MAKE_UNKNOWN, 'build', MAKE_UNKNOWN, MAKE_UNKNOWN].join(' '),
    );
    for (const text of [
      '$(',
      ':\n\t$(x',
      'a: $(b\n',
      '\\',
      'define X\n',
      '::::\n\t\t',
      'endef\n\t',
    ]) {
      const makefile = parseMakefile(text);
      for (const recipe of makefile.recipes) expandMake(recipe.text, makefile.variables);
    }
  });
});
