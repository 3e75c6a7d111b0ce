import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildFileKind, parseBuildFile, type BuildDeclaration } from '../../../server/src/project';
import { parseConfig } from '../../../server/src/project/config';
import { parseHcl } from '../../../server/src/project/hcl';
import { lines } from '../../support/rule-tester';

/** The builds of a file, which must parse. */
function builds(kind: Parameters<typeof parseBuildFile>[0], name: string, text: string) {
  const parsed = parseBuildFile(kind, name, text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
  return parsed.builds;
}

/** The fields that say what is built, without where. */
function what(build: BuildDeclaration) {
  return {
    context: build.context,
    dockerfile: build.dockerfile,
    target: build.target,
    platforms: build.platforms,
    args: build.args,
    output: build.output,
  };
}

describe('build files: which files are read', () => {
  test('names compose, Bake, Makefiles, scripts and CI files, nothing else', () => {
    assert.equal(buildFileKind('compose.yaml'), 'compose');
    assert.equal(buildFileKind('deploy/docker-compose.prod.yml'), 'compose');
    assert.equal(buildFileKind('docker-bake.hcl'), 'bake');
    assert.equal(buildFileKind('docker-bake.override.json'), 'bake');
    assert.equal(buildFileKind('Makefile'), 'makefile');
    assert.equal(buildFileKind('build/docker.mk'), 'makefile');
    assert.equal(buildFileKind('scripts/release.sh'), 'script');
    assert.equal(buildFileKind('.github/workflows/ci.yaml'), 'github-actions');
    assert.equal(buildFileKind('.gitlab-ci.yml'), 'gitlab-ci');
    assert.equal(buildFileKind('.github/actions/image/action.yml'), 'github-actions');
    assert.equal(buildFileKind('action.yaml'), 'github-actions');
    assert.equal(buildFileKind('Taskfile.yml'), 'taskfile');
    assert.equal(buildFileKind('deploy/taskfile.dist.yaml'), 'taskfile');
    assert.equal(buildFileKind('justfile'), 'justfile');
    assert.equal(buildFileKind('.justfile'), 'justfile');
    assert.equal(buildFileKind('tools/docker.just'), 'justfile');
    assert.equal(buildFileKind('config.yaml'), undefined);
    assert.equal(buildFileKind('docs/workflows/ci.yml'), undefined);
    assert.equal(buildFileKind('main.go'), undefined);
  });
});

describe('build files: compose', () => {
  test('reads build as a context path or as a map with target, args, platforms', () => {
    const found = builds(
      'compose',
      'compose.yaml',
      lines(
        'services:',
        '  api:',
        '    build:',
        '      context: .',
        '      dockerfile: docker/Dockerfile',
        '      target: production',
        '      args:',
        '        GO_VERSION: "1.22"',
        '        TOKEN:',
        '      platforms: [linux/amd64, linux/arm64]',
        '  web:',
        '    build: ./web',
        '  db:',
        '    image: postgres:16',
      ),
    );
    assert.deepEqual(found.map(what), [
      {
        context: '.',
        dockerfile: 'docker/Dockerfile',
        target: 'production',
        platforms: ['linux/amd64', 'linux/arm64'],
        args: [
          { name: 'GO_VERSION', value: '1.22' },
          { name: 'TOKEN', value: null },
        ],
        output: 'image',
      },
      {
        context: './web',
        dockerfile: undefined,
        target: undefined,
        platforms: undefined,
        args: [],
        output: 'image',
      },
    ]);
    // The line declaring the target, for links; else the build key's.
    assert.deepEqual(
      found.map((b) => [b.line, b.label, b.dockerfileFrom, b.base]),
      [
        [5, 'service api', 'context', 'file'],
        [11, 'service web', 'context', 'file'],
      ],
    );
  });

  test('interpolation: defaults are taken, variables without one are unknown, $$ is $', () => {
    const found = builds(
      'compose',
      'docker-compose.yml',
      lines(
        'x-build: &build',
        '  context: ${CTX:-.}',
        '  args: [ "VERSION=${VERSION}", "PRICE=$$5" ]',
        'services:',
        '  a:',
        '    build:',
        '      <<: *build',
        '      target: ${TARGET}',
      ),
    );
    assert.deepEqual(found.map(what), [
      {
        context: '.',
        dockerfile: undefined,
        target: null,
        platforms: undefined,
        args: [
          { name: 'VERSION', value: null },
          { name: 'PRICE', value: '$5' },
        ],
        output: 'image',
      },
    ]);
  });

  test('an inline Dockerfile or a Git context is no file of the repository', () => {
    const found = builds(
      'compose',
      'compose.yaml',
      lines(
        'services:',
        '  a:',
        '    build:',
        '      dockerfile_inline: FROM alpine',
        '  b:',
        '    build: https://github.com/example/repo.git',
      ),
    );
    assert.deepEqual(
      found.map((b) => b.context),
      [null],
    );
  });

  test('malformed YAML and alias bombs are skipped with a reason', () => {
    const bad = parseBuildFile('compose', 'compose.yaml', 'services: [\n');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /^not valid YAML/);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    }
    bomb.push('services: { x: { build: { args: *i } } }');
    const exploded = parseBuildFile('compose', 'compose.yaml', bomb.join('\n'));
    assert.equal(exploded.ok, false);
    assert.match(exploded.ok ? '' : exploded.reason, /too many nodes/);
    const binary = parseBuildFile('compose', 'compose.yaml', 'services:\u0000\u0001');
    assert.deepEqual(binary, { ok: false, reason: 'a binary file' });
  });
});

describe('build files: command lines', () => {
  test('docker build, buildx build, podman build and buildah bud with their options', () => {
    const found = builds(
      'script',
      'build.sh',
      lines(
        '#!/bin/sh',
        'set -eu',
        'docker build -t app -f build/Dockerfile --target prod --build-arg GO=1.24 --platform linux/amd64 .',
        'docker buildx build --platform=linux/amd64,linux/arm64 --push -t x:1 ./svc',
        'sudo podman build -f Containerfile.dev .',
        'buildah bud --target=test ctx',
        'docker build -o type=local,dest=out --target binaries .',
        'docker run --rm app',
      ),
    );
    assert.deepEqual(found.map(what), [
      {
        context: '.',
        dockerfile: 'build/Dockerfile',
        target: 'prod',
        platforms: ['linux/amd64'],
        args: [{ name: 'GO', value: '1.24' }],
        output: 'image',
      },
      {
        context: './svc',
        dockerfile: undefined,
        target: undefined,
        platforms: ['linux/amd64', 'linux/arm64'],
        args: [],
        output: 'image',
      },
      {
        context: '.',
        dockerfile: 'Containerfile.dev',
        target: undefined,
        platforms: undefined,
        args: [],
        output: 'image',
      },
      {
        context: 'ctx',
        dockerfile: undefined,
        target: 'test',
        platforms: undefined,
        args: [],
        output: 'image',
      },
      {
        context: '.',
        dockerfile: undefined,
        target: 'binaries',
        platforms: undefined,
        args: [],
        output: 'export',
      },
    ]);
    assert.deepEqual(
      found.map((b) => [b.line, b.label]),
      [
        [2, 'docker build'],
        [3, 'docker buildx build'],
        [4, 'podman build'],
        [5, 'buildah bud'],
        [6, 'docker build'],
      ],
    );
  });

  test('variables the script sets are followed, others are unknown, not guessed', () => {
    const found = builds(
      'script',
      'release.sh',
      lines(
        'TARGET=release',
        'export GO_VERSION=1.23',
        'docker build \\',
        '  --target "$TARGET" \\',
        '  --build-arg GO_VERSION=${GO_VERSION} \\',
        '  --build-arg COMMIT=$(git rev-parse HEAD) \\',
        '  --build-arg TOKEN \\',
        '  -f "$DOCKERFILE" .',
        'docker build --target "${STAGE:-runtime}" .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.target, b.dockerfile, b.args]),
      [
        [
          2,
          'release',
          null,
          [
            { name: 'GO_VERSION', value: '1.23' },
            { name: 'COMMIT', value: null },
            { name: 'TOKEN', value: null },
          ],
        ],
        [8, 'runtime', undefined, []],
      ],
    );
  });

  test('cd moves the builds after it; the script folder and the repository root are marks', () => {
    const found = builds(
      'script',
      'hack/build.sh',
      lines(
        'cd "$(dirname "$0")/.."',
        'docker build .',
        'cd services/api && docker build -f Dockerfile .',
        '(cd "$SOMEWHERE" && docker build .)',
      ),
    );
    assert.deepEqual(
      found.map((b) => b.cwd),
      ['@script-dir@/..', '@script-dir@/../services/api', null],
    );
  });
});

describe('build files: commands behind prefixes, kept in variables, with sourced variables', () => {
  test('a build behind wrapper words or variable-only words is still a build', () => {
    const found = builds(
      'script',
      'release.sh',
      lines(
        'if [ -z "${DRY_RUN:-}" ]; then PREFIX=""; else PREFIX="echo"; fi',
        '$PREFIX docker buildx build --platform linux/amd64 --target alpine .',
        'sudo -u ci docker build --target a .',
        'env DOCKER_BUILDKIT=1 time -p docker build --target b .',
        'timeout 10m nice -n 5 exec docker build --target c .',
        '${SUDO} $PREFIX podman build --target d .',
        'DOCKER=podman',
        '$DOCKER build --target e .',
        '$PREFIX make release',
        'echo docker build --target no .',
        '$UNKNOWN build --target no .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.label, b.target]),
      [
        [1, 'docker buildx build', 'alpine'],
        [2, 'docker build', 'a'],
        [3, 'docker build', 'b'],
        [4, 'docker build', 'c'],
        [5, 'podman build', 'd'],
        [7, 'podman build', 'e'],
      ],
    );
  });

  test('a build command kept in a variable to be run later is read where it is written', () => {
    const found = builds(
      'script',
      'build.sh',
      lines(
        'DOCKERFILE=build/Dockerfile',
        'cmd="docker buildx build \\',
        '    --target gotenberg-cloudrun \\',
        '    ${tags_flags[*]} \\',
        '    -f $DOCKERFILE .',
        '"',
        'run_cmd "$cmd"',
        'usage="run ./build.sh to build"',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.target, b.dockerfile, b.context]),
      [[1, 'gotenberg-cloudrun', 'build/Dockerfile', '.']],
    );
  });

  test('a Dockerfile left to a variable keeps the word as its pattern; standard input its file', () => {
    const found = builds(
      'script',
      'build.sh',
      lines(
        'docker build -f "$DOCKERFILE" .',
        'docker build -f docker/${NAME}.Dockerfile .',
        'docker build -f $(ls Dockerfile*) .',
        'docker build -f - . < Dockerfile',
        'docker build -f - . <<EOF',
        'FROM scratch',
        'EOF',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.dockerfile, b.dockerfilePattern]),
      [
        [null, '${DOCKERFILE}'],
        [null, 'docker/${NAME}.Dockerfile'],
        [null, '${__command_substitution__}'],
        // The file redirected to standard input; a heredoc is no file of the repository.
        ['Dockerfile', undefined],
        [null, undefined],
      ],
    );
  });

  test('a script takes the variables of the files it sources, by their path as written', () => {
    const asked: string[] = [];
    const files: Record<string, string> = {
      '.env': lines('DOCKERFILE=build/Dockerfile', "CONTEXT='.'", 'export TARGET=app'),
      '@script-dir@/common.sh': lines('. ./nested.env', 'PLATFORM=linux/arm64'),
      // Relative to the shell's directory, not to the file that sources it, as the shell does.
      './nested.env': 'STAGE=nested',
      'sub/./local.env': 'LOCAL=yes',
    };
    const include = (path: string) => {
      asked.push(path);
      return files[path];
    };
    const parsed = parseBuildFile(
      'script',
      'ci/build.sh',
      lines(
        'source .env',
        '. "$(dirname "$0")/common.sh"',
        'docker build --target $TARGET --platform $PLATFORM -f $DOCKERFILE $CONTEXT',
        'docker build --target $STAGE .',
        'cd sub && . ./local.env && docker build --build-arg L=$LOCAL .',
        'source "$MISSING"',
        'source /etc/profile',
        'source ~/.bashrc',
      ),
      include,
    );
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.builds.map((b) => [b.line, b.target, b.dockerfile, b.context, b.platforms, b.args]),
      [
        [2, 'app', 'build/Dockerfile', '.', ['linux/arm64'], []],
        [3, 'nested', undefined, '.', undefined, []],
        [4, undefined, undefined, '.', undefined, [{ name: 'L', value: 'yes' }]],
      ],
    );
    assert.deepEqual(asked, ['.env', '@script-dir@/common.sh', './nested.env', 'sub/./local.env']);
  });

  test('sourcing a file that sources itself stops at a bounded depth', () => {
    let reads = 0;
    const parsed = parseBuildFile(
      'script',
      'build.sh',
      lines('. ./loop.sh', 'docker build --target $T .'),
      () => {
        reads++;
        return lines('T=x', '. ./loop.sh');
      },
    );
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.builds.map((b) => b.target),
      ['x'],
    );
    assert.ok(reads <= 5, `${reads} reads`);
  });

  test('a Makefile takes the variables of the files it includes, not their rules', () => {
    const asked: string[] = [];
    const files: Record<string, string> = {
      '.env': lines('DOCKERFILE=build/Dockerfile', 'TARGET=gotenberg', 'include more.mk'),
      'more.mk': lines('CONTEXT = .', 'other:', '\tdocker build --target other .'),
    };
    const parsed = parseBuildFile(
      'makefile',
      'Makefile',
      lines(
        'include .env',
        '-include $(NOT_SET).mk',
        'sinclude missing.mk',
        'build:',
        '\tdocker build --target $(TARGET) -f $(DOCKERFILE) $(CONTEXT)',
      ),
      (path) => {
        asked.push(path);
        return files[path];
      },
    );
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.builds.map((b) => [b.line, b.label, b.target, b.dockerfile, b.context]),
      [[4, 'docker build in target build', 'gotenberg', 'build/Dockerfile', '.']],
    );
    assert.deepEqual(asked, ['.env', 'more.mk', 'missing.mk']);
    // Without a reader the included variables are unknown, as before.
    assert.deepEqual(
      builds(
        'makefile',
        'Makefile',
        lines('include .env', 'b:', '\tdocker build -f $(DOCKERFILE) .'),
      ).map((b) => [b.dockerfile, b.dockerfilePattern]),
      [[null, '${__make_unknown__}']],
    );
  });
});

describe('build files: Makefiles', () => {
  test("make's own folder ($(CURDIR), $(shell pwd)) is the Makefile's, wherever the recipe moves", () => {
    const found = builds(
      'makefile',
      'Makefile',
      lines(
        'BASE ?= golang:1.26',
        'ROOT := $(shell pwd)',
        'image:',
        '\tdocker build --build-arg "BASE=$(BASE)" $(shell pwd)',
        'other:',
        '\tdocker build -f ${CURDIR}/build/Dockerfile $(CURDIR)/build',
        'kept:',
        '\tdocker build -f $(ROOT)/Dockerfile.dev $(ROOT)',
        'moved:',
        '\tcd deploy && docker build $(ROOT)',
        'DOCKERFILE ?= hack/build-image/Dockerfile',
        'REAL := $(shell realpath $(DOCKERFILE))',
        'builder:',
        '\tcd hack/build-image && docker build -f $(REAL) .',
        'absolute:',
        '\tdocker build -f $(abspath ./build/Dockerfile) build',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.cwd, b.context, b.dockerfile, b.args]),
      [
        [3, '.', '.', undefined, [{ name: 'BASE', value: 'golang:1.26' }]],
        [5, '.', './build', './build/Dockerfile', []],
        [7, '.', '.', './Dockerfile.dev', []],
        // The Makefile's folder, which `cd` does not move.
        [9, 'deploy', '@script-dir@', undefined, []],
        [13, 'hack/build-image', '.', '@script-dir@/hack/build-image/Dockerfile', []],
        [15, '.', 'build', './build/Dockerfile', []],
      ],
    );
  });

  test("the Makefile's folder from MAKEFILE_LIST, and the repository root from git", () => {
    const found = builds(
      'makefile',
      'tests/Makefile',
      lines(
        'HERE := $(dir $(realpath $(lastword $(MAKEFILE_LIST))))',
        'THERE := $(shell dirname $(abspath $(firstword $(MAKEFILE_LIST))))',
        'REPOSITORY_ROOT := $(shell git rev-parse --show-toplevel)',
        'client:',
        '\tdocker build --file $(HERE)/client/Dockerfile $(REPOSITORY_ROOT)',
        'server:',
        '\tcd server && docker build -f $(THERE)/server/Dockerfile .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.cwd, b.context, b.dockerfile]),
      [
        [4, '.', '@repo-root@', './/client/Dockerfile'],
        [6, 'server', '.', '@script-dir@/server/Dockerfile'],
      ],
    );
  });

  test('the classic builder: DOCKER_BUILDKIT=0 on the command, through env, or exported', () => {
    const classic = (kind: 'makefile' | 'script', text: string) =>
      builds(kind, kind === 'makefile' ? 'Makefile' : 'build.sh', text).map(
        (b) => b.classic ?? false,
      );
    assert.deepEqual(
      classic(
        'makefile',
        lines(
          'image:',
          '\tDOCKER_BUILDKIT=0 docker build -t app .',
          '\tDOCKER_BUILDKIT=1 docker build -t app .',
          '\tenv DOCKER_BUILDKIT=0 docker build -t app .',
          '\tDOCKER_BUILDKIT=0 docker buildx build -t app .',
          '\tdocker build -t app .',
        ),
      ),
      [true, false, true, false, false],
    );
    assert.deepEqual(
      classic('script', lines('export DOCKER_BUILDKIT=0', 'docker build -t app .')),
      [true],
    );
  });

  test("an included file that sets a variable to make's folder, included through it", () => {
    const asked: string[] = [];
    const parsed = parseBuildFile(
      'makefile',
      'Makefile',
      lines('include $(CURDIR)/paths.mk', 'image:', '\tdocker build -f $(DOCKERFILE) $(ROOT)'),
      (path) => {
        asked.push(path);
        return path === 'paths.mk'
          ? lines('ROOT := $(shell pwd)', 'DOCKERFILE = $(ROOT)/build/Dockerfile')
          : undefined;
      },
    );
    assert.ok(parsed.ok);
    assert.deepEqual(asked, ['paths.mk']);
    assert.deepEqual(
      parsed.builds.map((b) => [b.context, b.dockerfile]),
      [['.', './build/Dockerfile']],
    );
  });

  test('recipes with the Makefile’s variables; cd reaches only its own line', () => {
    const found = builds(
      'makefile',
      'Makefile',
      lines(
        'IMAGE ?= example/app',
        'VERSION := 1.0',
        'PLATFORMS = linux/amd64,linux/arm64',
        '',
        '.PHONY: binaries image',
        'binaries:',
        '\tdocker buildx build --output ./bin --target binary .',
        '',
        'image: binaries',
        '\t@cd deploy && docker build -t $(IMAGE):$(VERSION) \\',
        '\t\t-f ../Dockerfile --build-arg VERSION=$(VERSION) --platform $(PLATFORMS) ..',
        '\tdocker build --target $(TARGET) .',
        'echo: ; docker build --target $$STAGE .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.label, b.cwd, b.target, b.output, b.platforms, b.args]),
      [
        [6, 'docker buildx build in target binaries', '.', 'binary', 'export', undefined, []],
        [
          9,
          'docker build in target image',
          'deploy',
          undefined,
          'image',
          ['linux/amd64', 'linux/arm64'],
          [{ name: 'VERSION', value: '1.0' }],
        ],
        [11, 'docker build in target image', '.', null, 'image', undefined, []],
        [12, 'docker build in target echo', '.', null, 'image', undefined, []],
      ],
    );
  });

  test('a build program in a variable or a define is read; an image only exported from is an export', () => {
    const found = builds(
      'makefile',
      'Makefile',
      lines(
        'MULTIARCH ?= false',
        'ifeq ($(MULTIARCH),true)',
        '\tOCI_BUILD := docker buildx build --platform=linux/amd64,linux/arm64',
        'else',
        '\tOCI_BUILD := docker build',
        'endif',
        'define build-rootfs',
        '\trm -rf plugin/rootfs',
        '\t$(OCI_BUILD) -t rootfsimage -f plugin/Dockerfile .',
        '\tID=$$(docker create rootfsimage true) && \\',
        '\t(docker export $$ID | tar -x -C plugin/rootfs) && docker rm -vf $$ID',
        'endef',
        'plugin:',
        '\t$(build-rootfs)',
        '\tdocker plugin create example/plugin plugin',
        'binaries:',
        '\t$(OCI_BUILD) -t builder -f build/Dockerfile .',
        '\tdocker create --name tmp builder',
        '\tdocker cp tmp:/out/app ./bin/app',
        'image:',
        '\t$(OCI_BUILD) -t example/app .',
        '\tdocker create example/app && docker cp x:/a b',
        '\tdocker push example/app',
        'logs:',
        '\techo $(OCI_BUILD_ARGS) && docker logs x',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.label, b.dockerfile, b.output]),
      [
        // At the recipe line that expands the define, not a line of the define.
        [13, 'docker build in target plugin', 'plugin/Dockerfile', 'export'],
        [16, 'docker build in target binaries', 'build/Dockerfile', 'export'],
        [20, 'docker build in target image', undefined, 'image'],
      ],
    );
  });

  test('a Makefile of thousands of lines is read in linear time', () => {
    const big = ['X = a'];
    for (let i = 0; i < 20000; i++) big.push(`t${i}:`, `\techo $(X) ${i}`);
    big.push('last:', '\tdocker build --target last .');
    const started = Date.now();
    const found = builds('makefile', 'Makefile', big.join('\n'));
    assert.equal(found.length, 1);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('build files: Bake', () => {
  test('HCL targets with inherits, variables, groups and outputs', () => {
    const found = builds(
      'bake',
      'docker-bake.hcl',
      lines(
        'variable "GO_VERSION" {',
        '  default = "1.22"',
        '}',
        '# parents',
        'target "_common" {',
        '  args = { GO_VERSION = "${GO_VERSION}", CGO_ENABLED = 0 }',
        '}',
        'target "docker-metadata-action" {}',
        'group "default" { targets = ["image", "binaries"] }',
        'target "image" {',
        '  inherits = ["_common", "docker-metadata-action"]',
        '  target = "runtime"',
        '  platforms = ["linux/amd64", "linux/arm64"]',
        '  tags = [for t in ["a"] : upper(t)]',
        '}',
        'target "binaries" {',
        '  inherits = ["_common"]',
        '  target = "binary"',
        '  output = ["type=local,dest=./out"]',
        '  platforms = split(",", PLATFORMS)',
        '}',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.label, b.line, b.target, b.platforms, b.args, b.output, b.context]),
      [
        [
          'target image',
          9,
          'runtime',
          ['linux/amd64', 'linux/arm64'],
          [
            { name: 'GO_VERSION', value: '1.22' },
            { name: 'CGO_ENABLED', value: '0' },
          ],
          'image',
          '.',
        ],
        [
          'target binaries',
          15,
          'binary',
          null,
          [
            { name: 'GO_VERSION', value: '1.22' },
            { name: 'CGO_ENABLED', value: '0' },
          ],
          'export',
          '.',
        ],
      ],
    );
  });

  test('docker-bake.json', () => {
    const found = builds(
      'bake',
      'docker-bake.json',
      JSON.stringify(
        {
          variable: { TAG: { default: 'v1' } },
          target: {
            app: { dockerfile: 'build/Dockerfile', target: 'rt', platforms: ['linux/arm64'] },
          },
        },
        null,
        2,
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.label, b.line, b.dockerfile, b.target, b.platforms]),
      [['target app', 7, 'build/Dockerfile', 'rt', ['linux/arm64']]],
    );
  });

  test('what the subset cannot read is unknown; broken HCL is skipped', () => {
    const found = builds(
      'bake',
      'docker-bake.hcl',
      lines(
        'target "a" {',
        '  target = TARGET != "" ? TARGET : "prod"',
        '  dockerfile = <<EOT',
        'Dockerfile',
        'EOT',
        '  context = "${CTX}/x"',
        '}',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.target, b.dockerfile, b.context]),
      [[null, null, null]],
    );
    const broken = parseBuildFile('bake', 'docker-bake.hcl', 'target "a" {\n  target = "x"\n');
    assert.deepEqual(broken, { ok: false, reason: 'not read as HCL: a block is not closed' });
    const deep = parseBuildFile('bake', 'docker-bake.hcl', `a = ${'['.repeat(5000)}`);
    assert.equal(deep.ok, false);
    assert.throws(() => parseHcl('target "x" { = }'));
  });

  test("Bake: the file's own functions are evaluated; an output not evaluated is unknown", () => {
    const found = builds(
      'bake',
      'docker-bake.hcl',
      lines(
        'variable "BIN" { default = "./bin" }',
        'variable "UNSET" { default = null }',
        'function "bindir" {',
        '  params = [d]',
        '  result = "${BIN}/${d}"',
        '}',
        'function "local" {',
        '  params = [d]',
        '  result = "type=local,dest=${bindir(d)}"',
        '}',
        'function "image" {',
        '  params = []',
        '  result = "type=image,name=app"',
        '}',
        'function "many" {',
        '  params = [d]',
        '  variadic_params = more',
        '  result = d',
        '}',
        'target "a" {',
        '  output = [bindir("build")]',
        '  args = { A = UNSET, B = bindir("x") }',
        '}',
        'target "b" { output = [local("cov")] }',
        'target "c" { output = [image()] }',
        'target "d" { output = [upper("./bin")] }',
        'target "e" { output = [many("./bin")] }',
        'target "f" { output = OUTPUTS }',
        'target "g" { output = ["type=registry", upper("x")] }',
        'target "h" { output = ["./out", bindir(1, 2)] }',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.label, b.output]),
      [
        ['target a', 'export'],
        ['target b', 'export'],
        ['target c', 'image'],
        ['target d', 'unknown'],
        ['target e', 'unknown'],
        ['target f', 'unknown'],
        ['target g', 'image'],
        ['target h', 'unknown'],
      ],
    );
    // A variable whose default is null leaves the argument unset (the Dockerfile's default).
    assert.deepEqual(found[0].args, [{ name: 'B', value: './bin/x' }]);
  });

  test('Bake: a function calling itself, or too many calls, stops with an unknown value', () => {
    const found = builds(
      'bake',
      'docker-bake.hcl',
      lines(
        'function "loop" {',
        '  params = [d]',
        '  result = loop(d)',
        '}',
        'function "twice" {',
        '  params = [d]',
        '  result = "${d}${d}"',
        '}',
        'function "grow" {',
        '  params = [d]',
        '  result = twice(twice(twice(twice(d))))',
        '}',
        'target "a" { output = [loop("x")] }',
        'target "b" { output = ["${loop("x")}"] }',
        'target "c" { output = [grow(grow(grow(grow(grow("0123456789")))))] }',
        'target "d" { output = [grow("./b")] }',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.label, b.output]),
      [
        ['target a', 'unknown'],
        ['target b', 'unknown'],
        ['target c', 'unknown'],
        ['target d', 'export'],
      ],
    );
  });

  test('command lines and CI: an output left to a variable is unknown, not an image', () => {
    const found = builds(
      'script',
      'build.sh',
      lines(
        'docker buildx build -o "$OUT" --target bin .',
        'docker buildx build -o "$OUT" --push --target img .',
        'docker buildx build -o type=local,dest=out -o "$OUT" --target both .',
        'docker buildx build -o type=registry -o "$OUT" --target reg .',
        'docker buildx build -o "type=docker$SUFFIX" --target docker .',
        'docker buildx build -o "type=local,dest=$D" --target local .',
        'docker buildx build -o "type=loc$AL" --target partial .',
        'docker buildx build -o "type=$T" --target type .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.target, b.output]),
      [
        ['bin', 'unknown'],
        ['img', 'image'],
        ['both', 'unknown'],
        ['reg', 'image'],
        // The type is known when the literal text before the first variable names one whole.
        ['docker', 'image'],
        ['local', 'export'],
        ['partial', 'unknown'],
        ['type', 'unknown'],
      ],
    );
  });
});

describe('build files: CI', () => {
  test('GitHub Actions: build-push-action inputs and run steps', () => {
    const found = builds(
      'github-actions',
      'ci.yml',
      lines(
        'on: push',
        'jobs:',
        '  image:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - name: Build',
        '        uses: docker/build-push-action@v6',
        '        with:',
        '          context: .',
        '          file: ./docker/Dockerfile',
        '          target: release',
        '          platforms: linux/amd64,linux/arm64',
        '          build-args: |',
        '            GO_VERSION=1.22',
        '            SHA=${{ github.sha }}',
        '          push: true',
        '      - name: Binaries',
        '        uses: docker/build-push-action@v6',
        '        with:',
        '          target: ${{ matrix.target }}',
        '          outputs: type=local,dest=dist',
        '      - name: Somewhere',
        '        uses: docker/build-push-action@v6',
        '        with:',
        '          outputs: ${{ inputs.output }}',
        '      - run: |',
        '          echo building',
        '          docker build --target test -f Dockerfile .',
        '        working-directory: services/api',
        '      - name: Named by an expression',
        '        uses: docker/build-push-action@v6',
        '        with:',
        '          outputs: type=image,name=ghcr.io/${{ env.REPO }},push-by-digest=true',
        '      - name: Exported where an expression says',
        '        uses: docker/build-push-action@v6',
        '        with:',
        '          outputs: type=local,dest=${{ runner.temp }}/out',
      ),
    );
    assert.deepEqual(
      found.map((b) => [
        b.line,
        b.label,
        b.cwd,
        b.dockerfile,
        b.dockerfileFrom,
        b.target,
        b.output,
      ]),
      [
        [11, 'job image, Build', '.', './docker/Dockerfile', 'cwd', 'release', 'image'],
        [20, 'job image, Binaries', '.', undefined, 'cwd', null, 'export'],
        [22, 'job image, Somewhere', '.', undefined, 'cwd', undefined, 'unknown'],
        [
          28,
          'job image, step 5: docker build',
          'services/api',
          'Dockerfile',
          'cwd',
          'test',
          'image',
        ],
        [30, 'job image, Named by an expression', '.', undefined, 'cwd', undefined, 'image'],
        [
          34,
          'job image, Exported where an expression says',
          '.',
          undefined,
          'cwd',
          undefined,
          'export',
        ],
      ],
    );
    assert.deepEqual(found[0].args, [
      { name: 'GO_VERSION', value: '1.22' },
      { name: 'SHA', value: null },
    ]);
    assert.deepEqual(found[0].platforms, ['linux/amd64', 'linux/arm64']);
  });

  test('GitHub Actions: the steps of a composite action, from the repository root', () => {
    const found = builds(
      'github-actions',
      'action.yml',
      lines(
        'name: Build image',
        'inputs:',
        '  target:',
        '    required: true',
        'runs:',
        '  using: composite',
        '  steps:',
        '    - name: Binaries',
        '      shell: bash',
        '      env:',
        '        DOCKERFILE: build/Dockerfile',
        '      run: docker build -f "$DOCKERFILE" --target bin --output type=local,dest=out .',
        '    - name: Image',
        '      uses: docker/build-push-action@v6',
        '      with:',
        '        target: ${{ inputs.target }}',
        '        push: true',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.label, b.cwd, b.dockerfile, b.target, b.output]),
      [
        ['composite action, Binaries: docker build', '.', 'build/Dockerfile', 'bin', 'export'],
        ['composite action, Image', '.', undefined, null, 'image'],
      ],
    );
    // A JavaScript or Docker action, or any other YAML named action.yml, declares no build.
    assert.deepEqual(
      builds('github-actions', 'action.yml', lines('runs:', '  using: node20', '  main: a.js')),
      [],
    );
  });

  test('GitHub Actions: a Windows runner builds Windows images unless a platform is named', () => {
    const workflow = (runsOn: string) =>
      builds(
        'github-actions',
        'ci.yml',
        lines(
          'jobs:',
          '  image:',
          `    runs-on: ${runsOn}`,
          '    steps:',
          '      - run: docker build -t app .',
          '      - uses: docker/build-push-action@v6',
          '      - uses: docker/build-push-action@v6',
          '        with:',
          '          platforms: linux/amd64',
        ),
      ).map((b) => b.platforms);
    assert.deepEqual(workflow('windows-2022'), [
      ['windows/amd64'],
      ['windows/amd64'],
      ['linux/amd64'],
    ]);
    assert.deepEqual(workflow('[self-hosted, Windows]'), [
      ['windows/amd64'],
      ['windows/amd64'],
      ['linux/amd64'],
    ]);
    assert.deepEqual(workflow('ubuntu-latest'), [undefined, undefined, ['linux/amd64']]);
    // A runner chosen by an expression says nothing.
    assert.deepEqual(workflow('${{ matrix.os }}'), [undefined, undefined, ['linux/amd64']]);
  });

  test('GitHub Actions: ${{ env.NAME }} from the env maps in force', () => {
    const found = builds(
      'github-actions',
      'ci.yml',
      lines(
        'env:',
        '  PLATFORMS: linux/amd64,linux/arm64',
        '  SECRET: ${{ secrets.X }}',
        'jobs:',
        '  image:',
        '    runs-on: ubuntu-latest',
        '    env:',
        '      TARGET: production',
        '    steps:',
        '      - uses: docker/build-push-action@v6',
        '        with:',
        '          target: ${{ env.TARGET }}',
        '          platforms: ${{ env.PLATFORMS }}',
        '      - run: docker buildx build --platform ${{ env.PLATFORMS }} --target ${{ env.SECRET }} .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.target, b.platforms]),
      [
        ['production', ['linux/amd64', 'linux/arm64']],
        [null, ['linux/amd64', 'linux/arm64']],
      ],
    );
  });

  test('GitHub Actions: a matrix listing its values makes one build per value', () => {
    const workflow = (matrix: string[]) =>
      builds(
        'github-actions',
        'ci.yml',
        lines(
          'jobs:',
          '  image:',
          '    strategy:',
          '      matrix:',
          ...matrix,
          '    runs-on: ubuntu-latest',
          '    steps:',
          '      - uses: docker/build-push-action@v6',
          '        with:',
          '          target: ${{ matrix.target }}',
          '          platforms: ${{ matrix.platform }}',
        ),
      );
    assert.deepEqual(
      workflow([
        '        target: [api, worker]',
        '        platform: [linux/amd64, linux/arm64]',
      ]).map((b) => [b.label, b.target, b.platforms]),
      [
        ['job image, step 1 (matrix target=api, platform=linux/amd64)', 'api', ['linux/amd64']],
        ['job image, step 1 (matrix target=api, platform=linux/arm64)', 'api', ['linux/arm64']],
        [
          'job image, step 1 (matrix target=worker, platform=linux/amd64)',
          'worker',
          ['linux/amd64'],
        ],
        [
          'job image, step 1 (matrix target=worker, platform=linux/arm64)',
          'worker',
          ['linux/arm64'],
        ],
      ],
    );
    // include adds its values to the combinations it matches, or makes one of its own; exclude
    // takes combinations out (syncthing's `pkg` list with one Dockerfile per package).
    assert.deepEqual(
      workflow([
        '        target: [api, worker, cli]',
        '        exclude:',
        '          - target: cli',
        '        include:',
        '          - target: api',
        '            platform: linux/arm64',
        '          - target: x',
        '            platform: linux/amd64',
      ]).map((b) => [b.target, b.platforms]),
      [
        ['api', ['linux/arm64']],
        ['worker', null],
        ['x', ['linux/amd64']],
      ],
    );
    // An include alone is the list of combinations.
    assert.deepEqual(
      workflow([
        '        include:',
        '          - { target: api, platform: linux/amd64 }',
        '          - { target: worker, platform: linux/arm64 }',
      ]).map((b) => [b.target, b.platforms]),
      [
        ['api', ['linux/amd64']],
        ['worker', ['linux/arm64']],
      ],
    );
    // A variable the step does not read may be an expression: the others still expand.
    assert.deepEqual(
      workflow([
        '        go: ${{ fromJSON(needs.setup.outputs.versions) }}',
        '        target: [api, worker]',
        '        platform: [linux/amd64]',
        '        exclude:',
        '          - go: "1.22"',
        '            target: api',
      ]).map((b) => [b.target, b.platforms]),
      [
        ['api', ['linux/amd64']],
        ['worker', ['linux/amd64']],
      ],
    );
    // A value that is not a plain list, or an entry that is not plain data: unknown.
    for (const matrix of [
      ['        target: ${{ fromJson(inputs.targets) }}'],
      ['        target: [api]', '        include: ${{ fromJson(inputs.extra) }}'],
    ]) {
      assert.deepEqual(
        workflow(matrix).map((b) => [b.target, b.platforms]),
        [[null, null]],
      );
    }
  });

  test('scripts and CI jobs: an image made only to copy files out of is an export', () => {
    const script = builds(
      'script',
      'build.sh',
      lines(
        'IMAGE=example/builder',
        'docker build -t "$IMAGE" -f build/Dockerfile .',
        'id=$(docker create "$IMAGE")',
        'docker cp "$id:/out/app" ./dist/app',
        'docker build -t example/app --push .',
        'docker build -t example/other .',
      ),
    );
    assert.deepEqual(
      script.map((b) => [b.line, b.output]),
      [
        [1, 'export'],
        [4, 'image'],
        [5, 'image'],
      ],
    );
    const job = builds(
      'gitlab-ci',
      '.gitlab-ci.yml',
      lines(
        'binaries:',
        '  script:',
        '    - docker build -t builder .',
        '    - docker container create --name b builder',
        '    - docker container cp b:/app ./app',
      ),
    );
    assert.deepEqual(
      job.map((b) => [b.line, b.output]),
      [[2, 'export']],
    );
  });

  test('GitLab CI: job scripts share one shell; variables are followed', () => {
    const found = builds(
      'gitlab-ci',
      '.gitlab-ci.yml',
      lines(
        'variables:',
        '  DOCKERFILE: build/Dockerfile',
        '.docker: &docker',
        '  before_script:',
        '    - cd $CI_PROJECT_DIR/app',
        'release:',
        '  <<: *docker',
        '  script:',
        '    - docker build -f $DOCKERFILE --target prod .',
        '    - docker push example/app',
      ),
    );
    assert.deepEqual(
      found.map((b) => [b.line, b.label, b.cwd, b.dockerfile, b.target]),
      [[8, 'job release: docker build', '@repo-root@/app', 'build/Dockerfile', 'prod']],
    );
  });
});

describe('project configuration file', () => {
  test('keeps what is valid and says what is not', () => {
    const parsed = parseConfig(
      JSON.stringify({
        targets: ['production'],
        rules: { 'unreachable-stage': 'off', 'no-such-rule': 'error', 'cgo-libc-mismatch': 'loud' },
        runtimeImage: 'alpine:3.24',
        convertLayout: 'sideways',
        goMod: 'go.mod',
        dockerfiles: { './docker/Dockerfile.api': { targets: ['api'], extra: 1 } },
        colour: 'blue',
      }),
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.config, {
      targets: ['production'],
      rules: { 'unreachable-stage': 'off' },
      runtimeImage: 'alpine:3.24',
      goMod: 'go.mod',
      dockerfiles: { 'docker/Dockerfile.api': { targets: ['api'] } },
    });
    assert.deepEqual(parsed.problems, [
      'unknown setting "colour"',
      'rules: unknown rule "no-such-rule"',
      'rules.cgo-libc-mismatch must be one of off, hint, info, warning, error',
      'convertLayout must be one of two-stage, dev-build-runtime',
      'dockerfiles["./docker/Dockerfile.api"]: unknown setting "extra"',
    ]);
    assert.deepEqual(parseConfig('{ targets: [] }').ok, false);
    assert.deepEqual(parseConfig('[]'), { ok: false, reason: 'not a JSON object' });
  });
});

describe('build files: Taskfiles and justfiles', () => {
  test('Taskfile: cmds of each task, with literal vars, env, dir and the Taskfile folder', () => {
    const found = builds(
      'taskfile',
      'Taskfile.yml',
      lines(
        "version: '3'",
        'vars:',
        '  IMAGE: ghcr.io/acme/api',
        '  VERSION:',
        '    sh: git describe --tags',
        'env:',
        '  DOCKER_BUILDKIT: "1"',
        'tasks:',
        '  image:',
        '    cmds:',
        '      - docker build -t {{.IMAGE}}:{{.VERSION}} --target production .',
        '      - cmd: docker build -f {{.TASKFILE_DIR}}/deploy/Dockerfile .',
        '  tools:',
        '    dir: tools',
        '    vars:',
        '      TARGET: dev',
        '    cmds:',
        '      - docker buildx build --target {{.TARGET}} --build-arg GO={{.GO}} .',
        '  short: docker build -f build/Dockerfile build',
      ),
    );
    assert.deepEqual(
      found.map((b) => [
        b.kind,
        b.line,
        b.label.split(':')[0],
        b.cwd,
        b.context,
        b.dockerfile,
        b.target,
        b.args,
      ]),
      [
        ['taskfile', 10, 'task image', '.', '.', undefined, 'production', []],
        ['taskfile', 11, 'task image', '.', '.', '@script-dir@/deploy/Dockerfile', undefined, []],
        [
          'taskfile',
          17,
          'task tools',
          'tools',
          '.',
          undefined,
          'dev',
          [{ name: 'GO', value: null }],
        ],
        ['taskfile', 18, 'task short', '.', 'build', 'build/Dockerfile', undefined, []],
      ],
    );
  });

  test('justfile: recipe lines, variables, parameter defaults, each line its own shell', () => {
    const found = builds(
      'justfile',
      'justfile',
      lines(
        'image := "ghcr.io/acme/api"',
        'dockerfile := justfile_directory() / "build" / "Dockerfile"',
        'version := `git describe --tags`',
        'set shell := ["bash", "-c"]',
        'alias b := build',
        '',
        '# Build the image',
        'build target="production":',
        '    @docker build -t {{image}}:{{version}} --target {{target}} .',
        '    cd deploy',
        '    docker build -f {{dockerfile}} .',
        '',
        'dev tag:',
        '  -docker build --target dev -t {{tag}} tools',
        '',
        'release:',
        '    #!/usr/bin/env bash',
        '    cd deploy',
        '    docker build .',
      ),
    );
    assert.deepEqual(
      found.map((b) => [
        b.kind,
        b.line,
        b.label.split(':')[0],
        b.cwd,
        b.context,
        b.dockerfile,
        b.target,
      ]),
      [
        ['justfile', 8, 'recipe build', '.', '.', undefined, 'production'],
        // The `cd deploy` of the line before ran in another shell.
        ['justfile', 10, 'recipe build', '.', '.', '@script-dir@/build/Dockerfile', undefined],
        ['justfile', 13, 'recipe dev', '.', 'tools', undefined, 'dev'],
        // A shebang recipe is one script: the `cd` carries on.
        ['justfile', 18, 'recipe release', 'deploy', '.', undefined, undefined],
      ],
    );
  });
});
