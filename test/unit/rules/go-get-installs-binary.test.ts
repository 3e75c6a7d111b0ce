import { goGetInstallsBinary } from '../../../server/src/core/rules/go-get-installs-binary';
import { lines, ruleTester } from '../../support/rule-tester';

const outside = /runs outside a module \(no go\.mod in \/go or above\)/;

ruleTester(goGetInstallsBinary, {
  valid: [
    {
      name: 'go install of a tool',
      code: lines('FROM golang:1.24', 'RUN go install github.com/swaggo/swag/cmd/swag@v1.16.4'),
    },
    {
      name: 'GOPATH mode keeps the old go get',
      code: lines(
        'FROM golang:1.24',
        'ENV GO111MODULE=off',
        'RUN go get github.com/golang/dep/cmd/dep',
      ),
    },
    {
      name: 'GO111MODULE=auto outside a module is GOPATH mode',
      code: lines('FROM golang:1.24', 'RUN GO111MODULE=auto go get github.com/golang/dep/cmd/dep'),
    },
    {
      name: 'Go 1.17 still installed with go get',
      code: lines('FROM golang:1.17-alpine', 'RUN go get github.com/golang/mock/mockgen@v1.6.0'),
    },
    {
      name: 'adding a requirement inside a module is what go get is for',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN go get github.com/antithesishq/antithesis-sdk-go@v0.7.2',
        'RUN go mod tidy && go build -o /out/app .',
      ),
    },
    {
      name: 'a module created with go mod init first',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /work',
        'RUN go mod init example.com/work && go get golang.org/x/text@v0.21.0',
      ),
    },
    {
      name: 'a checked-out repository may hold a go.mod',
      code: lines(
        'FROM golang:1.24',
        'RUN git clone https://github.com/example/tool /tool',
        'WORKDIR /tool',
        'RUN go get golang.org/x/text@v0.21.0',
      ),
    },
    {
      name: 'go mod download',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go mod download'),
    },
  ],
  invalid: [
    {
      name: 'a tool with a version outside a module: go install, without -u',
      code: lines('FROM golang:1.24', 'RUN go get -u github.com/swaggo/swag/cmd/swag@v1.16.4'),
      findings: [
        { messageId: 'outsideModule', line: 2, column: 5, severity: 'warning', message: outside },
      ],
      output: lines('FROM golang:1.24', 'RUN go install github.com/swaggo/swag/cmd/swag@v1.16.4'),
    },
    {
      name: 'a tool without a version outside a module: no fix',
      code: lines('FROM golang:1.24', 'RUN go get github.com/golang/dep/cmd/dep'),
      findings: [
        {
          messageId: 'outsideModule',
          line: 2,
          message: /`go install github\.com\/golang\/dep\/cmd\/dep@<version>`/,
        },
      ],
      output: null,
    },
    {
      name: 'a library a later build of local sources uses: a go.mod, not go install, and no fix',
      code: lines(
        'FROM golang:1.24',
        'RUN go get github.com/gorilla/mux@v1.8.1',
        'ADD main.go /',
        'RUN go build -o /app /main.go',
      ),
      findings: [
        {
          messageId: 'outsideModule',
          line: 2,
          message:
            /Fetch the dependencies through a go\.mod: copy the project's go\.mod and go\.sum and run `go mod download`/,
        },
      ],
      output: null,
    },
    {
      name: 'go get of the local package outside a module: a go.mod too',
      code: lines('FROM golang:1.24', 'COPY main.go .', 'RUN go get ./ && go build -o /app .'),
      findings: [{ messageId: 'outsideModule', line: 3, message: /Fetch the dependencies/ }],
      output: null,
    },
    {
      name: 'go get -d -v ./... becomes go mod download',
      code: lines(
        'FROM golang',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go get -d -v ./...',
        'RUN go build -o /go/bin/app -v ./...',
      ),
      findings: [{ messageId: 'gopathWay', line: 4, column: 5 }],
      output: lines(
        'FROM golang',
        'WORKDIR /go/src/app',
        'COPY . .',
        'RUN go mod download',
        'RUN go build -o /go/bin/app -v ./...',
      ),
    },
    {
      name: 'go get -x ./... keeps -x; exec form',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "get", "-d", "-x", "./..."]',
      ),
      findings: [{ messageId: 'gopathWay', line: 4, column: 6 }],
      output: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN ["go", "mod", "download", "-x"]',
      ),
    },
    {
      name: 'inside sh -c, after an && chain',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN apk add git && sh -c "go get ./..."',
      ),
      findings: [{ messageId: 'gopathWay', line: 4, column: 27 }],
      output: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN apk add git && sh -c "go mod download"',
      ),
    },
    {
      name: 'go get -u ./... upgrades: no fix',
      code: lines('FROM golang:1.24', 'WORKDIR /src', 'COPY . .', 'RUN go get -u ./...'),
      findings: [
        {
          messageId: 'gopathWay',
          line: 4,
          message: /-u upgrades every dependency.*No automatic fix/,
        },
      ],
      output: null,
    },
    {
      name: 'a remote tool that a later command runs, across a continuation, lowercase',
      code: lines(
        'from golang:1.24',
        'workdir /src',
        'copy . .',
        'run go get github.com/swaggo/swag/cmd/swag@v1.16.4 && \\',
        '    swag init',
      ),
      findings: [
        {
          messageId: 'notInstalled',
          line: 4,
          column: 5,
          data: { name: 'swag', line: 4 },
        },
      ],
      output: lines(
        'from golang:1.24',
        'workdir /src',
        'copy . .',
        'run go install github.com/swaggo/swag/cmd/swag@v1.16.4 && \\',
        '    swag init',
      ),
    },
    {
      name: 'a remote tool that the ENTRYPOINT of a later stage runs, in a heredoc',
      code: lines(
        'FROM golang:1.24 AS tools',
        'WORKDIR /src',
        'COPY . .',
        'RUN <<EOF',
        'go get -d github.com/pressly/goose/v3/cmd/goose@v3.24.1',
        'EOF',
        'FROM tools',
        'ENTRYPOINT ["goose"]',
      ),
      findings: [
        {
          messageId: 'notInstalled',
          line: 5,
          column: 1,
          message: /does not install `goose`.*line 8 runs/,
        },
      ],
      output: null,
    },
    {
      name: 'with a backtick escape and a continuation',
      code: lines(
        '# escape=`',
        'FROM golang:1.24',
        'RUN go get `',
        '      -v github.com/go-delve/delve/cmd/dlv@v1.24.0',
      ),
      findings: [{ messageId: 'outsideModule', line: 3, column: 5, message: outside }],
      output: lines(
        '# escape=`',
        'FROM golang:1.24',
        'RUN go install `',
        '      -v github.com/go-delve/delve/cmd/dlv@v1.24.0',
      ),
    },
  ],
});
