import { goWorkspaceNotCopied } from '../../../server/src/core/rules/go-workspace-not-copied';
import { lines, ruleTester } from '../../support/rule-tester';

const WORK = 'go 1.24\n\nuse (\n\t./api\n\t./lib\n)\n';
const API = 'module example.com/api\n\ngo 1.24\n\nrequire example.com/lib v0.0.0\n';
const LIB = 'module example.com/lib\n\ngo 1.24\n';
const MAIN = 'package main\n\nfunc main() {}\n';

/** A workspace of two modules: api requires lib, which only go.work points at ./lib. */
function workspace(
  overrides: Record<string, string> = {},
  without?: string,
): Record<string, string> {
  const tree: Record<string, string> = {
    'go.work': WORK,
    'api/go.mod': API,
    'api/main.go': MAIN,
    'lib/go.mod': LIB,
    'lib/lib.go': 'package lib\n',
    ...overrides,
  };
  if (without !== undefined) delete tree[without];
  return tree;
}

const API_ONLY = lines(
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY api/ ./',
  'RUN go build -o /out/api .',
);

ruleTester(goWorkspaceNotCopied, {
  valid: [
    {
      name: 'the go.work is copied above the module with the folders it uses',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY go.work ./',
        'COPY api/ ./api/',
        'COPY lib/ ./lib/',
        'WORKDIR /src/api',
        'RUN go build -o /out/api .',
      ),
      files: workspace(),
    },
    {
      name: 'the whole context is copied: go.work comes along',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'WORKDIR /src/api',
        'RUN go build -o /out/api .',
      ),
      files: workspace(),
    },
    {
      name: "a tool another project publishes, at the version go.mod requires: not the workspace's code",
      code: API_ONLY.replace(
        'RUN go build -o /out/api .',
        'RUN go install github.com/gohugoio/hugo github.com/spf13/cobra/...',
      ),
      files: workspace(),
    },
    {
      name: 'GOWORK=off: the build is meant to use the published module',
      code: API_ONLY.replace('RUN go build', 'RUN GOWORK=off go build'),
      files: workspace(),
    },
    {
      name: 'go.mod replaces the sibling itself',
      code: API_ONLY,
      files: workspace({ 'api/go.mod': API + '\nreplace example.com/lib => ../lib\n' }),
    },
    {
      name: 'the module requires no other module of the workspace',
      code: API_ONLY,
      files: workspace({ 'api/go.mod': 'module example.com/api\n\ngo 1.24\n' }),
    },
    {
      name: 'the go.work does not use this module',
      code: API_ONLY,
      files: workspace({ 'go.work': 'go 1.24\n\nuse ./lib\n' }),
    },
    {
      name: 'no go.work in the context',
      code: API_ONLY,
      files: workspace({}, 'go.work'),
    },
    {
      name: 'the build context is not known',
      code: API_ONLY,
    },
  ],
  invalid: [
    {
      name: 'the module folder alone is copied: the build resolves example.com/lib without go.work',
      code: API_ONLY,
      files: workspace(),
      findings: [{ line: 4, data: { file: 'go.work', modules: 'example.com/lib' } }],
      output: null,
    },
    {
      name: "packages of the module or of the workspace's other modules, by import path",
      code: API_ONLY.replace(
        'RUN go build -o /out/api .',
        'RUN go install example.com/api/cmd/... example.com/lib/tool github.com/gohugoio/hugo',
      ),
      files: workspace(),
      findings: [{ line: 4, data: { file: 'go.work', modules: 'example.com/lib' } }],
      output: null,
    },
    {
      name: 'the folders are copied but not the go.work (use written on one line each)',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY api/ ./api/',
        'COPY lib/ ./lib/',
        'RUN cd api && go build -o /out/api .',
      ),
      files: workspace({ 'go.work': 'go 1.24\nuse ./api\nuse ./lib\n' }),
      findings: [{ line: 5, data: { modules: 'example.com/lib' } }],
      output: null,
    },
    {
      name: 'a go.work in a subfolder of the context, above the module',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY services/api/ ./',
        'RUN go install .',
      ),
      files: {
        'services/go.work': WORK,
        'services/api/go.mod': API,
        'services/api/main.go': MAIN,
        'services/lib/go.mod': LIB,
      },
      findings: [{ line: 4, data: { file: 'services/go.work' } }],
      output: null,
    },
  ],
});
