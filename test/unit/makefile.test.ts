import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildModel } from '../../server/src/core';
import { makeLine, runsGo, toolGo } from '../../server/src/core/facts/build-tools';
import { expandMake, MAKE_UNKNOWN, parseMakefile } from '../../server/src/core/model/makefile';
import { parseScript } from '../../server/src/core/model/shell';
import { testContext } from '../support/context';
import { lines } from '../support/rule-tester';
import { parseBuildFile } from '../../server/src/project';

describe('parseMakefile', () => {
  test("a comment on a rule line is not a prerequisite; one after `;` is the recipe's", () => {
    const makefile = parseMakefile(
      lines(
        'deps: ## Install dependencies.',
        '\tgo mod download',
        'build: deps# no space before it',
        'hash: $(shell echo "#") \\#literal',
        'run: build ; ./app # the shell reads this',
      ),
    );
    assert.deepEqual(makefile.rules.get('deps')?.prerequisites, []);
    assert.deepEqual(makefile.rules.get('build')?.prerequisites, ['deps']);
    assert.equal(makefile.rules.get('hash')?.prerequisites.length, 2);
    assert.deepEqual(makefile.rules.get('run')?.prerequisites, ['build']);
    assert.deepEqual(
      makefile.rules.get('run')?.recipe.map((r) => r.text),
      ['./app # the shell reads this'],
    );
  });

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

  test('conditionals: evaluated on the Makefile’s own values, unknown otherwise', () => {
    const makefile = parseMakefile(
      lines(
        'CI ?= false',
        'OS := $(shell go env GOOS)',
        'BASE = distroless',
        'ifeq ($(CI),true)',
        '\tBUILD := docker buildx build --push',
        'else',
        '\tBUILD := docker build',
        'endif',
        'ifeq ($(OS),freebsd) # a comment',
        '\tBASE = freebsd-static',
        '\tONLY_BSD = yes',
        'endif',
        "ifneq '$(CI)' 'false'",
        'SKIPPED = yes',
        'else ifdef UNSET_HERE',
        'MAYBE = yes',
        'else',
        'ELSE = yes',
        'endif',
        'ifdef BASE',
        'define CHECK',
        'echo $(BASE)',
        'endef',
        'endif',
        'image:',
        'ifeq ($(CI),true)',
        '\tdocker push x',
        'endif',
        '\t$(BUILD) -t x .',
      ),
    );
    const value = (name: string) => makefile.variables.get(name);
    assert.equal(value('BUILD'), 'docker build');
    // Set in a branch that may or may not be taken: unknown, not the last branch read.
    assert.equal(value('BASE'), MAKE_UNKNOWN);
    assert.equal(value('ONLY_BSD'), MAKE_UNKNOWN);
    assert.equal(value('SKIPPED'), undefined);
    assert.equal(value('MAYBE'), MAKE_UNKNOWN);
    assert.equal(value('ELSE'), MAKE_UNKNOWN);
    // ifdef of a variable whose value is unknown: unknown too.
    assert.equal(value('CHECK'), MAKE_UNKNOWN);
    assert.deepEqual(
      makefile.rules.get('image')?.recipe.map((r) => r.text),
      ['$(BUILD) -t x .'],
    );
  });

  test('`ifndef NAME` setting NAME is `NAME ?= value`; other settings in it stay unknown', () => {
    const makefile = parseMakefile(
      lines(
        'ifndef GO_VERSION',
        'override GO_VERSION = 1.26.2',
        'OTHER = x',
        'endif',
        'ifndef TAG',
        'TAG := a',
        'else',
        'TAG := b',
        'endif',
        'ifndef LIST',
        'LIST += more',
        'endif',
        'SET = 1',
        'ifndef SET',
        'SET = 2',
        'endif',
        'ifdef DEBUG',
        'ifndef LEVEL',
        'LEVEL = 3',
        'endif',
        'endif',
      ),
    );
    const value = (name: string) => makefile.variables.get(name);
    // The value when neither the command line nor the environment sets it.
    assert.equal(value('GO_VERSION'), '1.26.2');
    assert.equal(value('OTHER'), MAKE_UNKNOWN);
    // The else branch is read when it is set from outside: then it is unknown.
    assert.equal(value('TAG'), MAKE_UNKNOWN);
    assert.equal(value('LIST'), MAKE_UNKNOWN);
    assert.equal(value('SET'), '1');
    // Inside another condition not known: unknown.
    assert.equal(value('LEVEL'), MAKE_UNKNOWN);
  });

  test('`ifeq ($(origin NAME),undefined)` is `ifndef NAME`; `ifneq` is `ifdef`', () => {
    const makefile = parseMakefile(
      lines(
        'ifeq ($(origin CONTAINER_TOOL), undefined)',
        '    CONTAINER_TOOL := $(shell command -v docker 2> /dev/null || command -v podman 2> /dev/null)',
        'endif',
        'CONTAINER_TOOL ?= docker',
        'ifeq "undefined" "$(origin REGISTRY)"',
        'REGISTRY = ghcr.io/acme',
        'endif',
        'ifneq ($(origin LEVEL),undefined)',
        'LEVEL = from-outside',
        'else ifeq ($(origin LEVEL),undefined)',
        'LEVEL = 3',
        'endif',
        'SET = 1',
        'ifeq ($(origin SET),undefined)',
        'SET = 2',
        'endif',
        'ifeq ($(origin A),file)',
        'A = 1',
        'endif',
      ),
    );
    const value = (name: string) => makefile.variables.get(name);
    // The value when neither the command line nor the environment sets it.
    assert.equal(value('CONTAINER_TOOL'), 'podman');
    assert.equal(value('REGISTRY'), 'ghcr.io/acme');
    assert.equal(value('LEVEL'), MAKE_UNKNOWN);
    assert.equal(value('SET'), '1');
    // Other origins are left to the command line and the environment: unknown.
    assert.equal(value('A'), MAKE_UNKNOWN);
  });

  test('thousands of nested conditionals are read in linear time', () => {
    const depth = 40_000;
    const text = [
      'X ?= a',
      ...Array.from({ length: depth }, () => 'ifeq ($(X),a)'),
      'DEEP = yes',
      ...Array.from({ length: depth }, () => 'endif'),
      'AFTER = yes',
    ].join('\n');
    const started = Date.now();
    const variables = parseMakefile(text).variables;
    assert.equal(variables.get('DEEP'), 'yes');
    assert.equal(variables.get('AFTER'), 'yes');
    // A hang guard, not a speed measure: a scan of every open conditional per line would grow
    // with the square of the depth.
    assert.ok(Date.now() - started < 5000);
  });

  test('a value doubled at each of many levels expands once per variable, cut and unknown', () => {
    const text = ['V0 = docker'];
    for (let i = 1; i <= 16; i++) text.push(`V${i} = $(V${i - 1})$(V${i - 1})`);
    const variables = parseMakefile(text.join('\n')).variables;
    const started = Date.now();
    for (let i = 0; i < 200; i++) {
      const value = expandMake('$(V16) build .', variables);
      assert.ok(value.endsWith(MAKE_UNKNOWN) && value.length < 70_000);
    }
    assert.equal(expandMake('$(V3)', variables), 'docker'.repeat(8));
    // A hang guard: 2^16 copies per line took 6 s for 200 recipe lines before.
    assert.ok(Date.now() - started < 5000);
  });

  test('a container tool picked by $(shell command -v …) is the fallback it names', () => {
    const variables = parseMakefile(
      lines(
        'RUNTIME := $(shell command -v podman 2> /dev/null || echo docker)',
        'OTHER := $(shell which docker || which podman)',
        'NOT_A_TOOL := $(shell command -v jq || echo cat)',
      ),
    ).variables;
    assert.equal(variables.get('RUNTIME'), 'docker');
    assert.equal(variables.get('OTHER'), 'podman');
    assert.equal(variables.get('NOT_A_TOOL'), MAKE_UNKNOWN);
  });

  test('.DEFAULT_GOAL, includes and pattern rules', () => {
    assert.equal(parseMakefile('.DEFAULT_GOAL := b\na:\nb:\n').defaultGoal, 'b');
    assert.equal(parseMakefile('.x:\nlib/%.o: %.c\nfirst:\n').defaultGoal, 'first');
    assert.equal(parseMakefile('-include local.mk\na:\n').open, true);
    assert.equal(parseMakefile('bin/%: cmd/%\n\tgo build -o $@ ./$<\n').open, true);
  });

  test('an included file gives its variables in place, not its rules or goal', () => {
    const included: Record<string, string> = {
      '.env': lines('IMAGE=app', 'TAG ?= early', 'helper:', '\tdocker build .', 'define LONG'),
      'v2.mk': 'VERSION = 2',
    };
    const makefile = parseMakefile(
      lines(
        'TAG = mine',
        'include .env',
        'V = 2',
        '-include v$(V).mk',
        'build:',
        '\techo $(IMAGE)',
      ),
      (name) => included[name],
    );
    assert.equal(makefile.variables.get('IMAGE'), 'app');
    assert.equal(makefile.variables.get('TAG'), 'mine');
    assert.equal(makefile.variables.get('VERSION'), '2');
    assert.equal(makefile.defaultGoal, 'build');
    assert.deepEqual([...makefile.rules.keys()], ['build']);
    assert.deepEqual(
      makefile.recipes.map((r) => r.line),
      [5],
    );
    assert.equal(makefile.open, true);
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

describe('builds in a Makefile', () => {
  test('a docker build behind a variable that gives the @ prefix (E := @, $(E)docker build)', () => {
    const parsed = parseBuildFile(
      'makefile',
      'Makefile',
      'E := @\nifeq ($(V),1)\n\tE =\nendif\ndev-image:\n\t$(E)docker build -t app-dev -f Dockerfile.dev .\n',
    );
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.builds.map((b) => [b.dockerfile, b.context]),
      [['Dockerfile.dev', '.']],
    );
  });
});

describe('macros: define, $(call …) and $(eval …)', () => {
  test('a call expands the macro with $(1), $2, … set to its arguments', () => {
    const makefile = parseMakefile(
      lines(
        'REGISTRY := ghcr.io/acme',
        'define image',
        '\tdocker build -f $(1)/Dockerfile --target $2 -t $(REGISTRY)/$(1) .',
        'endef',
      ),
    );
    assert.equal(
      expandMake('$(call image,svc,prod)', makefile.variables),
      '\tdocker build -f svc/Dockerfile --target prod -t ghcr.io/acme/svc .',
    );
    assert.equal(expandMake('$(call missing,x)', makefile.variables), MAKE_UNKNOWN);
  });

  test('a macro that calls itself twice stops at a bound, unknown', () => {
    const makefile = parseMakefile('f = $(call f,$(1))$(call f,$(1))\n');
    const started = Date.now();
    assert.ok(expandMake('$(call f,x)', makefile.variables).includes(MAKE_UNKNOWN));
    assert.ok(Date.now() - started < 5000);
  });

  test('builds written by a macro, through $(eval $(call …)) or in a recipe', () => {
    const parsed = parseBuildFile(
      'makefile',
      'Makefile',
      lines(
        'E := @',
        'define image_rule',
        '.PHONY: $1',
        '$1: $3',
        '\t$(E)./scripts/retry.sh -n 3 docker buildx build \\',
        '\t\t--target $2 \\',
        '\t\t-f $3 \\',
        '\t\t.',
        'endef',
        '$(eval $(call image_rule,server-image,server,Dockerfile))',
        '$(eval $(call image_rule,agent-image,agent,Dockerfile))',
        'define component',
        '\tdocker build -f ./installer/$(1)/Dockerfile .',
        'endef',
        'images:',
        '\t$(call component,scheduler)',
      ),
    );
    assert.ok(parsed.ok);
    // A rule an $(eval …) writes is placed on the line of that $(eval …).
    assert.deepEqual(
      parsed.builds.map((b) => [b.dockerfile, b.target, b.line]),
      [
        ['Dockerfile', 'server', 9],
        ['Dockerfile', 'agent', 10],
        ['./installer/scheduler/Dockerfile', undefined, 15],
      ],
    );
  });
});

describe('the make command line', () => {
  test('goals, variable overrides and the options that take a value', () => {
    const words = (script: string) => parseScript(script).commands[0].words;
    assert.deepEqual(makeLine(words('make -j 4 -C sub VERSION=1 OUT::=bin -s build test')), {
      goals: ['build', 'test'],
      overrides: [
        ['VERSION', '1'],
        ['OUT', 'bin'],
      ],
      directory: { text: 'sub', dynamic: false, glob: false },
    });
    assert.deepEqual(makeLine(words('make -f build.mk'))?.file?.text, 'build.mk');
    assert.equal(makeLine(words('make $TARGET')), undefined);
  });
});

describe('what a make target runs', () => {
  const goOf = (makefile: string, run: string) => {
    const options = {
      context: testContext(['Makefile', 'go.mod'], undefined, undefined, { Makefile: makefile }),
    };
    const model = buildModel(lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', run), options);
    const stage = model.stages[0];
    return toolGo(model, stage, stage.runs[0].commands[0], stage.runs[0].commandCwds[0]);
  };

  test('prefix characters a variable gives a recipe line (Q := @, $(Q)go build) are dropped', () => {
    const found = goOf(
      'Q := @\nGO ?= go\nbuild:\n\t$(Q)$(GO) build -o /out/app .\n',
      'RUN make build',
    );
    assert.equal(found?.unread, false);
    assert.deepEqual(
      found?.commands.map((c) => c.subcommand),
      ['build'],
    );
  });

  test('prerequisites that form a cycle are visited once', () => {
    const found = goOf('a: b\n\techo a\nb: a\n\tgo build .\n', 'RUN make a');
    assert.equal(found?.unread, false);
    assert.deepEqual(
      found?.commands.map((c) => c.subcommand),
      ['build'],
    );
  });

  test('a chain of targets longer than the bound counts as unread', () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `t${i}: t${i + 1}\n\techo ${i}`);
    const found = goOf(chain.join('\n'), 'RUN make t0');
    assert.equal(found?.unread, true);
    assert.equal(runsGo(found!), true);
  });

  test('make in another directory or with another Makefile is not followed', () => {
    for (const recipe of ['$(MAKE) -C sub all', 'make -f other.mk']) {
      const found = goOf(`all:\n\t${recipe}\n`, 'RUN make all');
      assert.equal(found?.unread, true, recipe);
    }
    assert.equal(goOf('all:\n\techo hi\n', 'RUN make all')?.unread, false);
  });

  test('a Makefile the stage did not copy from the context is not read', () => {
    const options = {
      context: testContext(['Makefile'], undefined, undefined, { Makefile: 'a:\n' }),
    };
    const model = buildModel(lines('FROM golang:1.24', 'WORKDIR /src', 'RUN make a'), options);
    const stage = model.stages[0];
    assert.equal(toolGo(model, stage, stage.runs[0].commands[0], '/src'), undefined);
  });
});
