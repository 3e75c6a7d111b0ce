import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/core/text/edits';
import { finalStageRunsAsRoot } from '../../../server/src/core/rules/final-stage-runs-as-root';
import { lines, ruleTester, runRule } from '../../support/rule-tester';

const build = [
  'FROM golang:1.24 AS build',
  'WORKDIR /src',
  'COPY . .',
  'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
];

/** A runtime stage that starts through a script copied from the context (docker/entrypoint.sh). */
const withStartScript = lines(
  ...build,
  'FROM alpine:3.20',
  'RUN adduser -D app',
  'COPY --from=build /out/app /app',
  'COPY docker/entrypoint.sh /entrypoint.sh',
  'ENTRYPOINT ["/entrypoint.sh"]',
);

/** A runtime stage holding the Go binary as /usr/bin/pam_app, started by entrypoint.sh. */
const withPamHelper = lines(
  ...build,
  'FROM alpine:3.20',
  'COPY --from=build /out/app /usr/bin/pam_app',
  'COPY entrypoint.sh /entrypoint.sh',
  'ENTRYPOINT ["/entrypoint.sh"]',
);

/** A go.mod whose require block holds `requires`. */
function dockerGoMod(...requires: string[]): string {
  return lines('module example.com/app', '', 'go 1.24', '', 'require (', ...requires, ')');
}

ruleTester(finalStageRunsAsRoot, {
  valid: [
    {
      name: 'a scratch image of a file a Go tool rendered: it ships no Go program',
      code: lines(
        'FROM golang:1.26 AS build',
        'RUN go install github.com/a8m/envsubst/cmd/envsubst@v1.4.3',
        'COPY compose.yml.template /compose.yml.template',
        'RUN envsubst < /compose.yml.template > /compose.yml',
        'FROM scratch',
        'COPY --from=build /compose.yml /compose.yml',
      ),
    },
    {
      name: 'a Go program kept out of PATH in an image that starts nothing: a payload (rpmbuild)',
      code: lines(
        ...build,
        'FROM rockylinux:9',
        'RUN dnf install -y rpm-build && mkdir -p /root/rpmbuild/SOURCES',
        'COPY --from=build /out/app /root/rpmbuild/SOURCES/app',
      ),
    },
    {
      name: 'distroless :nonroot already runs as uid 65532',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'distroless :debug-nonroot',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/base-debian12:debug-nonroot',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'Chainguard static runs as 65532',
      code: lines(
        ...build,
        'FROM cgr.dev/chainguard/static:latest',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'scratch with a numeric USER',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'alpine with a named user the stage creates (lowercase instructions)',
      code: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from alpine:3.20',
        'run adduser -D -H -u 10001 app',
        'copy --from=build /out/app /app',
        'user app',
        'entrypoint ["/app"]',
      ),
    },
    {
      name: 'a USER inherited from the parent stage',
      code: lines(
        ...build,
        'FROM scratch AS runtime',
        'USER 10001:10001',
        'FROM runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a non-root user in the root group (OpenShift style)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER 1001:0',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a USER set through a variable',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ARG APP_UID',
        'COPY --from=build /out/app /app',
        'USER ${APP_UID}',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a USER set through an ARG with a default',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ARG APP_UID=10001',
        'COPY --from=build /out/app /app',
        'USER ${APP_UID}',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'an unknown base: its default user is not known',
      code: lines(
        ...build,
        'FROM registry.example.com/base/runtime:1',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a Node image is not a Go image',
      code: lines(
        'FROM node:20 AS build',
        'RUN npm ci && npm run build',
        'FROM alpine:3.20',
        'COPY --from=build /app/dist /srv',
        'CMD ["node", "/srv/index.js"]',
      ),
    },
    {
      name: 'a Go project that only copies a prebuilt binary',
      code: lines(
        'FROM golang:1.24 AS test',
        'COPY . .',
        'RUN go test ./...',
        'FROM alpine:3.20',
        'COPY dist/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'an entrypoint that drops privileges with su-exec',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache su-exec',
        'COPY --from=build /out/app /app',
        'COPY entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
    },
    {
      // The start script, read from the build context, fixes ownership as root and then runs the
      // program as its user with the su every image has.
      name: 'a start script that runs the program with su USER -c',
      code: withStartScript,
      files: {
        'docker/entrypoint.sh':
          '#!/bin/sh\nexport USER=app\nchown -R "$USER:$USER" /data\nexec su $USER -c "/app serve"\n',
      },
    },
    {
      // sshd starts the container and runs the Go program as a PAM helper: sshd's user, not Go's.
      name: 'the start command runs a program of the packages, not the Go binary',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache openssh-server-pam',
        'COPY --from=build /out/app /usr/bin/pam_app',
        'EXPOSE 2222',
        'ENTRYPOINT ["/usr/sbin/sshd.pam", "-D", "-e"]',
      ),
    },
    {
      name: 'a packaging image: rpmbuild packs the binary it never runs',
      code: lines(
        ...build,
        'FROM rockylinux:9',
        'COPY --from=build /out/app /root/rpmbuild/SOURCES/app',
        'CMD rpmbuild -bb /root/rpmbuild/SPECS/app.spec',
      ),
    },
    {
      name: 'a start script that runs another program and never names the Go binary',
      code: withPamHelper,
      files: { 'entrypoint.sh': '#!/bin/sh\nset -e\nssh-keygen -A\nexec /usr/sbin/sshd -D -e\n' },
    },
    {
      name: 'a start script copied from the build stage, which has it from the context',
      code: lines(
        'FROM golang:1.24 AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM alpine:3.20',
        'RUN adduser -D app',
        'WORKDIR /srv',
        'COPY --from=build /out/app /app',
        'COPY --from=build /src/docker ./docker',
        'ENTRYPOINT ["./docker/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh': '#!/bin/sh\nexec su app -c /app\n',
        'main.go': 'package main\n\nfunc main() {}\n',
      },
    },
    {
      name: 'a start script that runs the program with runuser -u',
      code: withStartScript,
      files: {
        'docker/entrypoint.sh': '#!/bin/bash\nset -e\nexec runuser -u app -- /app "$@"\n',
      },
    },
    {
      name: 'a start script that runs the program with setpriv, through sh',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'COPY --from=build /out/app /app',
        'COPY start.sh /start.sh',
        'CMD ["sh", "/start.sh"]',
      ),
      files: {
        'start.sh': 'setpriv --reuid=1000 --regid=1000 --clear-groups /app\n',
      },
    },
    {
      name: 'gosu copied from another stage',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim AS tools',
        'RUN apt-get update && apt-get install -y gosu',
        'FROM busybox:stable-glibc',
        'COPY --from=tools /usr/sbin/gosu /sbin/gosu',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/start.sh"]',
      ),
    },
    {
      name: 'a systemd system container',
      code: lines(
        ...build,
        'FROM ubuntu:24.04',
        'RUN apt-get update && apt-get install -y systemd systemd-sysv',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["/sbin/init"]',
      ),
    },
    {
      name: 's6-overlay behind /init',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/init"]',
      ),
    },
    {
      name: 'supervisord behind tini',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/sbin/tini", "--", "supervisord", "-c", "/etc/supervisord.conf"]',
      ),
    },
    {
      name: 'a delve debug image',
      code: lines(
        ...build,
        'RUN go install github.com/go-delve/delve/cmd/dlv@latest',
        'FROM debian:bookworm-slim',
        'COPY --from=build /go/bin/dlv /usr/local/bin/dlv',
        'COPY --from=build /out/app /app',
        'CMD ["dlv", "exec", "/app", "--headless", "--listen=:40000"]',
      ),
    },
    {
      name: 'a single-stage build on golang: go-toolchain-in-final-stage reports it',
      code: lines(
        'FROM golang:1.24',
        'WORKDIR /src',
        'COPY . .',
        'RUN go build -o /bin/app .',
        'CMD ["/bin/app"]',
      ),
    },
    {
      name: 'a development image that runs go run',
      code: lines('FROM golang:1.24-alpine', 'WORKDIR /src', 'ENTRYPOINT ["go", "run", "."]'),
    },
    {
      name: 'a TLS key moved into /etc/ssl/private, which only root and ssl-cert may enter',
      code: lines(
        ...build,
        'FROM debian:12',
        'RUN apt-get update && apt-get install -y ssl-cert',
        'COPY --from=build /out/app /usr/local/bin/app',
        'COPY app.key /etc/ssl/private/app.key',
        'ENTRYPOINT ["app"]',
      ),
    },
    {
      name: 'a network agent that installs iptables (apk)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache ca-certificates iptables ip6tables',
        'COPY --from=build /out/app /usr/local/bin/agent',
        'ENTRYPOINT ["agent"]',
      ),
    },
    {
      name: 'a VPN client that installs iproute2 and wireguard-tools (apt)',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'RUN apt-get update && apt-get install -y --no-install-recommends iproute2 wireguard-tools',
        'COPY --from=build /out/app /app',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'a storage plugin that installs e2fsprogs and util-linux, in a parent stage',
      code: lines(
        ...build,
        'FROM alpine:3.20 AS base',
        'RUN apk add --no-cache e2fsprogs xfsprogs util-linux',
        'FROM base',
        'COPY --from=build /out/app /csi-driver',
        'ENTRYPOINT ["/csi-driver"]',
      ),
    },
    {
      name: 'a container monitor that installs dmsetup with dnf',
      code: lines(
        ...build,
        'FROM fedora:40',
        'RUN dnf install -y device-mapper dmsetup',
        'COPY --from=build /out/app /usr/bin/monitor',
        'ENTRYPOINT ["/usr/bin/monitor"]',
      ),
    },
    {
      name: 'kmod copied in, and an explicit USER root',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'COPY --from=busybox:1.36 /bin/modprobe /sbin/modprobe',
        'USER root',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a disk monitor that carries smartctl, copied from the stage that installed it',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim AS smart',
        'RUN apt-get update && apt-get install -y smartmontools',
        'FROM gcr.io/distroless/base-debian12',
        'COPY --from=build /out/app /agent',
        'COPY --from=smart /usr/sbin/smartctl /usr/sbin/smartctl',
        'ENTRYPOINT ["/agent"]',
      ),
    },
    {
      name: 'a start command that sets firewall rules before the program',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'CMD iptables -t nat -A POSTROUTING -j MASQUERADE && exec /app',
      ),
    },
    {
      name: 'a node exporter that reads the host through /host mounts',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /exporter',
        'ENV HOST_PROC=/host/proc HOST_SYS=/host/sys',
        'ENTRYPOINT ["/exporter"]',
      ),
    },
    {
      name: 'host paths in the start arguments',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /exporter',
        'ENTRYPOINT ["/exporter", "--path.procfs=/host/proc", "--path.rootfs=/rootfs"]',
      ),
    },
    {
      name: 'the Docker socket as a VOLUME',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'VOLUME /var/run/docker.sock',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a comment above the stages that says to run it with --privileged',
      code: lines(
        '# Usage: docker run -d --privileged --net=host example/agent',
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a comment that says to mount the Docker socket',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        '# docker run -v /var/run/docker.sock:/var/run/docker.sock example/watcher',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a comment that says to mount the host’s /proc',
      code: lines(
        '# docker run -d --net=host -v /proc:/host/proc:ro example/stats',
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a comment right above the final FROM',
      code: lines(
        ...build,
        '',
        '# Runtime: needs --cap-add NET_ADMIN for the tunnel',
        '',
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a comment in the final stage that names NET_ADMIN',
      code: lines(
        ...build,
        'FROM scratch',
        '# needs --cap-add=NET_ADMIN to manage the tunnel device',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a LABEL with the run command (Atomic style)',
      code: lines(
        ...build,
        'FROM debian:bookworm-slim',
        'LABEL RUN="docker run -d --privileged --pid=host IMAGE"',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'built on docker:dind',
      code: lines(
        ...build,
        'FROM docker:27-dind',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
    },
    {
      name: 'a program whose go.mod requires the Docker Engine client (watchtower, wings)',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      goMod: dockerGoMod('\tgithub.com/docker/docker v25.0.4+incompatible'),
    },
    {
      name: 'a Docker client the program itself imports (its sources read)',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      files: {
        'go.mod': dockerGoMod('\tgithub.com/docker/docker v28.5.2+incompatible'),
        'cmd/app/main.go':
          'package main\n\nimport "github.com/docker/docker/client"\n\nfunc main() { client.NewClientWithOpts() }\n',
      },
      goMod: dockerGoMod('\tgithub.com/docker/docker v28.5.2+incompatible'),
    },
    {
      name: 'the moby client module, in a require line of its own',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian13',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      goMod: lines(
        'module example.com/app',
        'go 1.24',
        'require github.com/moby/moby/client v0.5.1',
      ),
    },
    {
      name: 'a VPN daemon whose start script sets kernel parameters (sysctl -w) or runs ip',
      code: lines(
        ...build,
        'FROM alpine:3.22',
        'COPY --from=build /out/app /usr/bin/app',
        'COPY entrypoint.sh /usr/bin/entrypoint.sh',
        'ENTRYPOINT ["/usr/bin/entrypoint.sh"]',
      ),
      files: {
        'entrypoint.sh':
          '#!/bin/sh\nif [ -n "$FORWARD" ]; then\n  sysctl -w net.ipv6.conf.all.forwarding=1\nfi\nexec app\n',
      },
    },
    {
      name: 'a program whose go.mod requires a raw-socket module (an ARP responder, metallb)',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      goMod: lines('module example.com/app', 'go 1.24', 'require github.com/mdlayher/arp v0.0.0'),
    },
    {
      name: 'go-dockerclient required directly',
      code: lines(...build, 'FROM alpine:3.22', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      goMod: dockerGoMod('\tgithub.com/fsouza/go-dockerclient v1.12.0'),
    },
    {
      name: 'the Docker CLI built in another stage and copied into a bin directory (lazydocker)',
      code: lines(
        ...build,
        'FROM golang:1.24 AS docker-builder',
        'RUN ./scripts/build/binary',
        'FROM scratch',
        'ENTRYPOINT ["/bin/app"]',
        'COPY --from=docker-builder /go/src/github.com/docker/cli/build/docker /bin/docker',
        'COPY --from=build /out/app /bin/app',
      ),
    },
    {
      name: 'the Docker CLI copied out of the docker image into a directory',
      code: lines(
        ...build,
        'FROM alpine:3.22',
        'COPY --from=docker:27-cli /usr/local/bin/docker /usr/local/bin/',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
  ],
  invalid: [
    {
      name: 'an ONBUILD RUN would run as the new user in the images built on this one: no USER line',
      code: lines(
        ...build,
        'FROM alpine:3.22',
        'RUN adduser -D -H app',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ONBUILD RUN apk add --no-cache chromium',
        'CMD ["app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message: /ONBUILD RUN \(line 8\) runs in the images built on this one as that user/,
        },
      ],
      output: null,
    },
    {
      name: 'a start script whose su stays root',
      code: withStartScript,
      files: {
        'docker/entrypoint.sh': '#!/bin/sh\nsu root -c "chown -R app /data"\nexec /app\n',
      },
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      name: 'a start script that runs the Go binary by its name on the PATH',
      code: withPamHelper,
      files: { 'entrypoint.sh': '#!/bin/sh\nset -e\nexec pam_app serve\n' },
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      name: 'sh -c whose script runs the Go binary after a prelude',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/bin/app',
        'CMD ["sh", "-c", "cd /srv && exec app --port 8080"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      name: 'a program of the base image that starts the Go binary named in its arguments',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/bin/app',
        'ENTRYPOINT ["nice", "-n", "5", "/usr/bin/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      // What the start command runs may be a Go build the analysis could not follow.
      name: 'a start program the Dockerfile copied in, not known to be the Go binary',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/bin/app',
        'COPY bin/server /usr/bin/server',
        'ENTRYPOINT ["/usr/bin/server"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      name: 'a start program from the packages, when the COPY from the build names no file',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/ /usr/local/bin/',
        'ENTRYPOINT ["lighttpd", "-D", "-f", "/etc/lighttpd.conf"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      name: 'a start script the context does not hold: the start command alone is read',
      code: withStartScript,
      context: ['docker/other.sh'],
      findings: [{ messageId: 'noUser', line: 5 }],
    },
    {
      name: 'a port below 1024: information, and no USER offered',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'EXPOSE 80',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noUserForPort',
          line: 5,
          column: 6,
          severity: 'info',
          message:
            /runs as root, which it needs to listen on port 80 \(EXPOSE\) outside Docker's default network\. To run it as non-root, move it to a port above 1023/,
        },
      ],
      output: null,
    },
    {
      name: 'USER root and a port set by ENV below 1024: information',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENV HTTP_PORT=443',
        'USER root',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'rootUserForPort',
          line: 8,
          column: 6,
          severity: 'info',
          message:
            /`USER root` \(line 8\) makes the Go program run as root, which it needs to listen on port 443 \(ENV HTTP_PORT\)/,
        },
      ],
      output: null,
    },
    {
      name: 'a port below 1024 with the bind capability given by setcap: a warning again',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache libcap',
        'COPY --from=build /out/app /app',
        "RUN setcap 'cap_net_bind_service=+ep' /app",
        'EXPOSE 80',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6, message: /Add `USER 65532:65532`/ }],
    },
    {
      name: 'the VOLUMEs and the HOME the program writes to are named: root owns them',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ENV HOME=/data',
        'VOLUME ["/data", "/music"]',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          // HOME is set: nothing about the HOME a uid without an account gets.
          message:
            /root owns `\/data`, `\/music` \(a VOLUME, the HOME or a WORKDIR it makes\), set up for the program: if it writes there, create them owned by 65532:65532, or it cannot\.[^`]*$/,
        },
      ],
    },
    {
      name: 'set-up kept in root’s home is named; an ENV path there: no USER line alone',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache git && rm -rf /root/.cache',
        "RUN git config --global --add safe.directory '*'",
        'ENV APP_CONFIG=/root/.app/config.yml',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /This image keeps set-up in root's home, which 65532:65532 cannot read: `git config --global` \(line 7\), `ENV APP_CONFIG=\/root\/.app\/config.yml`\. Redo it/,
        },
      ],
      // The ENV gives the program a path 65532:65532 cannot enter: no USER line alone.
      output: null,
    },
    {
      name: 'a PATH that lists a folder of root’s home is no such path: the USER line is offered',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ENV PATH=/root/go/bin:/usr/local/bin:/usr/bin:/bin',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'ENV PATH=/root/go/bin:/usr/local/bin:/usr/bin:/bin',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a WORKDIR the image makes with mkdir is named; clean-up of root’s home is no set-up',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN mkdir -p /data && rm -rf /root/.cache',
        'WORKDIR /data',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /root owns `\/data` \(a VOLUME, the HOME or a WORKDIR it makes\)(?!.*root's home)/,
        },
      ],
    },
    {
      name: 'a program started from root’s home: no USER line alone, the advice says to move it',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'WORKDIR /root/',
        'COPY --from=build /out/app .',
        'CMD ["./app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /The program starts from root's home \(\/root\), which other users cannot enter: move it and the WORKDIR out of \/root before switching user\./,
        },
      ],
      output: null,
    },
    {
      name: 'scratch that starts nothing: the program is run by a command given to the container',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /opt/app/app'),
      findings: [{ messageId: 'noUser', line: 5 }],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /opt/app/app',
        'USER 65532:65532',
      ),
    },
    {
      name: 'an image that starts nothing, with the Go program on PATH: run as root by `docker run`',
      code: lines(...build, 'FROM alpine:3.20', 'COPY --from=build /out/app /usr/local/bin/app'),
      findings: [{ messageId: 'noUser', line: 5 }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/local/bin/app',
        'USER 65532:65532',
      ),
    },
    {
      name: 'a program whose sources write files: no USER line alone, the advice says where',
      code: lines(
        ...build,
        'FROM debian:12',
        'COPY --from=build /out/app /server',
        'ENTRYPOINT ["/server"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'cmd/app/main.go':
          'package main\n\nimport "os"\n\nfunc main() {\n\tos.MkdirAll("logs", 0o755)\n\tos.WriteFile(os.Args[1], nil, 0o644)\n}\n',
      },
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /The program writes logs \(cmd\/app\/main\.go:6\), outside its working directory: as 65532:65532 it can write only in folders that user owns, so hand them over/,
        },
      ],
      output: null,
    },
    {
      name: "a program `make` builds: its build stage's sources are read, and a write withholds the USER line",
      code: lines(
        'FROM golang:1.26-alpine AS build',
        'WORKDIR /src',
        'COPY . .',
        'RUN apk add --no-cache make && make build',
        'FROM alpine:3.23',
        'COPY --from=build /src/execs/app /bin/app',
        'ENTRYPOINT ["/bin/app"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        Makefile: 'build:\n\tCGO_ENABLED=0 go build -o execs/app .\n',
        'main.go':
          'package main\n\nimport "os"\n\nfunc main() {\n\tos.MkdirAll(os.Args[1], 0o755)\n}\n',
      },
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message: /writes to a path computed at run time \(os\.MkdirAll in main\.go:6\)/,
        },
      ],
      output: null,
    },
    {
      name: 'EXPOSE naming only high ports wins over a low port in the sources (a fallback)',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'EXPOSE 1025 8025',
        'CMD ["/app"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'cmd/app/main.go':
          'package main\n\nimport "net"\n\nfunc listen(addr string) {\n\tif addr == "" {\n\t\taddr = ":25"\n\t}\n\tnet.Listen("tcp", addr)\n}\n\nfunc main() { listen(":1025") }\n',
      },
      findings: [{ messageId: 'noUser', line: 5 }],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'EXPOSE 1025 8025',
        'USER 65532:65532',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'a port below 1024 its sources listen on (no EXPOSE): the information, without a fix',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'cmd/app/main.go':
          'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":80", nil)\n}\n',
      },
      findings: [
        {
          messageId: 'noUserForPort',
          line: 5,
          severity: 'info',
          message: /port 80 \(cmd\/app\/main\.go:6\)/,
        },
      ],
      output: null,
    },
    {
      name: 'distroless whose program writes: neither the USER line nor the nonroot tag',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /server',
        'ENTRYPOINT ["/server"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'cmd/app/main.go':
          'package main\n\nimport "os"\n\nfunc main() {\n\tos.WriteFile(os.Args[1], nil, 0o644)\n}\n',
      },
      findings: [
        { messageId: 'noUser', line: 5, message: /writes to a path computed at run time/ },
      ],
      output: null,
    },
    {
      name: 'a program whose sources write only temporary files: the USER line is offered',
      code: lines(
        ...build,
        'FROM debian:12',
        'COPY --from=build /out/app /server',
        'ENTRYPOINT ["/server"]',
      ),
      files: {
        'go.mod': 'module example.com/app\n\ngo 1.24\n',
        'cmd/app/main.go':
          'package main\n\nimport "os"\n\nfunc main() {\n\tos.CreateTemp("", "x")\n}\n',
      },
      findings: [{ messageId: 'noUser', line: 5, message: /^(?!.*can write only)/ }],
      output: lines(
        ...build,
        'FROM debian:12',
        'COPY --from=build /out/app /server',
        'USER 65532:65532',
        'ENTRYPOINT ["/server"]',
      ),
    },
    {
      name: 'a path in root’s home given by the start command: no USER line alone',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
        'CMD ["--kubeconfig=/root/.kube/config"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /Its CMD gives the program a path in root's home \(`--kubeconfig=\/root\/\.kube\/config`\), which other users cannot enter: move what it names out of \/root/,
        },
      ],
      output: null,
    },
    {
      name: 'a path in root’s home given by the start script: no USER line alone',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh':
          '#!/bin/sh\nrm -rf /root/.cache\nexec /app --config /root/app.yaml\n',
      },
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /The start script \/entrypoint\.sh gives the program a path in root's home \(`\/root\/app\.yaml`\)/,
        },
      ],
      output: null,
    },
    {
      name: 'a start script giving an option a path in its user’s home: HOME advised',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh': '#!/bin/sh\nexec /app --kubeconfig=$HOME/.kube/config\n',
      },
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message: /uses its user's home \(`\/app … --kubeconfig=\$\{HOME\}\/\.kube\/config`\)/,
        },
      ],
      output: null,
    },
    {
      name: 'clean-up of root’s home in the start script is no use of it: the USER is offered',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh': '#!/bin/sh\nrm -rf /root/.cache\nexec /app\n',
      },
      findings: [{ messageId: 'noUser', line: 5, message: /^(?!.*root's home)/ }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'USER 65532:65532',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
    },
    {
      name: 'a start script that writes its user’s home: no numeric USER alone, HOME advised',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN apk add --no-cache git',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh':
          '#!/bin/sh\nset -e\ngit config --global --add safe.directory "*"\nexec /app "$@"\n',
      },
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /The start script \/entrypoint\.sh uses its user's home \(`git config --global`\): as 65532:65532 with no account that is `\/`, which it cannot write and where the image keeps nothing for it, so set `ENV HOME` to a folder 65532:65532 owns along with the USER line\./,
        },
      ],
      output: null,
    },
    {
      name: 'the same through $HOME, with USER root: the root USER is not replaced',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'USER root',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh': '#!/bin/sh\nmkdir -p $HOME/.config/app\nexec /app\n',
      },
      findings: [
        {
          messageId: 'rootUser',
          line: 8,
          message: /uses its user's home \(`mkdir … \$\{HOME\}\/\.config\/app`\)/,
        },
      ],
      output: null,
    },
    {
      name: 'a start script that writes its user’s home, with ENV HOME set: the USER is offered',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'ENV HOME=/tmp',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
      files: {
        'docker/entrypoint.sh': '#!/bin/sh\ngit config --global user.name ci\nexec /app\n',
      },
      findings: [{ messageId: 'noUser', line: 5, message: /^(?!.*start script)/ }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'ENV HOME=/tmp',
        'COPY --from=build /out/app /app',
        'COPY docker/entrypoint.sh /entrypoint.sh',
        'USER 65532:65532',
        'ENTRYPOINT ["/entrypoint.sh"]',
      ),
    },
    {
      name: 'a VOLUME the Dockerfile hands over (chown) is not named',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN mkdir -p /data && chown 65532:65532 /data',
        'VOLUME /data',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          // No folder named; HOME is not set, so the HOME of a uid without an account is.
          message:
            /are owned by that user \(COPY --chown=65532:65532\)\. Where the image has no account for that uid, its HOME is `\/`/,
        },
      ],
    },
    {
      name: 'comments about unprivileged users and privileged ports say nothing about the image',
      code: lines(
        '# The binary gets the capability to bind to privileged ports,',
        '# so it runs as an unprivileged user.',
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        { messageId: 'noUser', line: 7, column: 6, message: /no USER\. alpine:3\.20 runs as root/ },
      ],
    },
    {
      name: 'a comment of another stage that says --privileged does not count',
      code: lines(
        'FROM golang:1.24 AS build',
        '# tests run with --privileged in CI',
        'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app',
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 4, column: 6 }],
    },
    {
      name: 'a host-like path in a comment that is not a mount does not count',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        '# reads its settings from /host/config when present',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a comment right above another stage’s FROM does not count',
      code: lines(
        ...build,
        '# The e2e stage runs with --privileged',
        'FROM build AS e2e',
        'RUN go test ./e2e/...',
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 8, column: 6 }],
    },
    {
      name: 'a base image from an ARG default is named by its value, not the variable',
      code: lines(
        'ARG BASE_IMAGE=gcr.io/distroless/static-debian12',
        ...build,
        'FROM $BASE_IMAGE',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 6,
          message: /^[^$]*gcr\.io\/distroless\/static-debian12 runs as root by default/,
        },
      ],
    },
    {
      name: 'a Docker client go.mod requires, which only a test helper imports, not the program',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      files: {
        'go.mod': dockerGoMod('\tgithub.com/docker/docker v28.5.2+incompatible'),
        'cmd/app/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println() }\n',
        'testutil/docker.go':
          'package testutil\n\nimport "github.com/docker/docker/client"\n\nvar _ = client.NewClientWithOpts\n',
      },
      goMod: dockerGoMod('\tgithub.com/docker/docker v28.5.2+incompatible'),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a Docker client that go.mod requires only indirectly (a dependency’s)',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      goMod: dockerGoMod('\tgithub.com/docker/docker v28.5.2+incompatible // indirect'),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a Docker client beside a container test framework may be for the tests alone',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      goMod: dockerGoMod(
        '\tgithub.com/moby/moby/client v0.4.1',
        '\tgithub.com/ory/dockertest/v4 v4.0.0',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a start script that only reads kernel parameters (sysctl -n) needs no root',
      code: lines(
        ...build,
        'FROM alpine:3.22',
        'COPY --from=build /out/app /usr/bin/app',
        'COPY entrypoint.sh /usr/bin/entrypoint.sh',
        'ENTRYPOINT ["/usr/bin/entrypoint.sh"]',
      ),
      files: { 'entrypoint.sh': '#!/bin/sh\nsysctl -n net.core.somaxconn\nexec app\n' },
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'docker/cli alone is the config file and credentials library, not a daemon client',
      code: lines(...build, 'FROM scratch', 'COPY --from=build /out/app /app', 'CMD ["/app"]'),
      goMod: dockerGoMod('\tgithub.com/docker/cli v29.5.3+incompatible'),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a docker configuration directory is not the Docker CLI',
      code: lines(
        ...build,
        'FROM alpine:3.22',
        'COPY --from=build /etc/docker /etc/docker',
        'COPY docker /root/.docker',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a directory of the sources named like a tool is not the tool',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY mount /srv/mount',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a heredoc never closed at the end of the file: no USER line it would swallow',
      code: 'FROM alpine:3.20\nRUN cat <<EOF > /etc/x && go build -o /app .\n',
      findings: [
        { messageId: 'noUser', line: 1, column: 6, message: /no USER\. alpine:3\.20 runs as root/ },
      ],
      output: null,
    },
    {
      name: 'a continuation left open before a comment at the end: no USER line it would join',
      code: 'FROM debian:bookworm-slim\nRUN go build -o /bin/server . \\\n# the end\n',
      findings: [
        {
          messageId: 'noUser',
          line: 1,
          column: 6,
          message: /no USER\. debian:bookworm-slim runs as root/,
        },
      ],
      output: null,
    },
    {
      name: 'scratch without USER: USER goes before ENTRYPOINT',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          column: 6,
          message: /no USER\. scratch runs as root by default.*Add `USER 65532:65532`/,
        },
      ],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'distroless without :nonroot, fixed with a USER',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'CMD ["/app"]',
      ),
      findings: [
        { messageId: 'noUser', line: 5, column: 6, message: /or use the `:nonroot` variant/ },
      ],
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'distroless without :nonroot, fixed with the nonroot tag',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12',
        'COPY --from=build /out/app /app',
        'CMD ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
      fix: /^Use /,
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'distroless :debug becomes :debug-nonroot',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:debug AS runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
      fix: /^Use /,
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:debug-nonroot AS runtime',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'distroless :debug with a RUN of its own: no nonroot tag (the RUN would run as nonroot)',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:debug',
        'COPY --from=build /out/app /usr/bin/app',
        'RUN ["/busybox/ln", "-s", "/busybox/sh", "/bin/sh"]',
        'ENTRYPOINT ["/usr/bin/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5 }],
      fix: /^Run as /,
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:debug',
        'COPY --from=build /out/app /usr/bin/app',
        'RUN ["/busybox/ln", "-s", "/busybox/sh", "/bin/sh"]',
        'USER 65532:65532',
        'ENTRYPOINT ["/usr/bin/app"]',
      ),
    },
    {
      name: 'USER root on a :nonroot base',
      code: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'USER root',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'rootUser',
          line: 7,
          column: 6,
          data: { user: 'root', line: 7 },
        },
      ],
      output: lines(
        ...build,
        'FROM gcr.io/distroless/static-debian12:nonroot',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'USER 0',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER 0',
        'CMD ["/app"]',
      ),
      findings: [{ messageId: 'rootUser', line: 7, column: 6, data: { user: 0, line: 7 } }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'CMD ["/app"]',
      ),
    },
    {
      name: 'USER root:root',
      code: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'USER root:root',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'rootUser', line: 7, column: 6 }],
      output: lines(
        ...build,
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'USER 0:0 inherited from the parent stage: a USER is added to the final stage',
      code: lines(
        ...build,
        'FROM alpine:3.20 AS base',
        'USER 0:0',
        'FROM base',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [
        {
          messageId: 'rootUser',
          line: 6,
          column: 6,
          message: /`USER 0:0` \(line 6\) makes .* The user \(inherited from stage base\) is root/,
        },
      ],
      output: lines(
        ...build,
        'FROM alpine:3.20 AS base',
        'USER 0:0',
        'FROM base',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'USER root needed by a later RUN: the USER goes after it',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'USER root',
        'RUN apk add --no-cache ca-certificates',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
      ),
      findings: [{ messageId: 'rootUser', line: 6, column: 6 }],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'USER root',
        'RUN apk add --no-cache ca-certificates',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
      ),
    },
    {
      name: 'a user the image creates but never switches to',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN addgroup -g 1009 app && adduser -u 1009 -D -G app app',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
        'WORKDIR /data',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message: /creates the user app \(line 6\) but never switches to it\. Add `USER 1009`/,
        },
      ],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN addgroup -g 1009 app && adduser -u 1009 -D -G app app',
        'COPY --from=build /out/app /usr/local/bin/app',
        'USER 1009',
        'ENTRYPOINT ["app"]',
        'WORKDIR /data',
      ),
    },
    {
      name: 'a user whose name an ARG gives (ARG USER=athens, adduser $USER)',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ARG USER=athens',
        'RUN adduser -D -h /home/$USER $USER',
        'ENTRYPOINT ["app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message:
            /creates the user athens \(line 8\) but never switches to it\. Add `USER athens`/,
        },
      ],
      output: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ARG USER=athens',
        'RUN adduser -D -h /home/$USER $USER',
        'USER athens',
        'ENTRYPOINT ["app"]',
      ),
    },
    {
      name: 'clustered adduser options: -Ds takes /bin/sh as the shell, not as the user name',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'RUN addgroup -g 1009 rclone && adduser -u1009 -Ds /bin/sh -G rclone rclone',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
      findings: [
        {
          messageId: 'noUser',
          line: 5,
          message: /creates the user rclone \(line 6\).*Add `USER 1009`/,
        },
      ],
    },
    {
      name: 'lowercase instructions get a lowercase USER, above the comment of the ENTRYPOINT',
      code: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from alpine:3.20',
        'copy --from=build /out/app /app',
        '# start the server',
        'entrypoint ["/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 3, column: 6 }],
      output: lines(
        'from golang:1.24 as build',
        'run CGO_ENABLED=0 go build -o /out/app .',
        'from alpine:3.20',
        'copy --from=build /out/app /app',
        'user 65532:65532',
        '# start the server',
        'entrypoint ["/app"]',
      ),
    },
    {
      name: 'CRLF line endings are kept',
      code: [
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\r\n'),
      findings: [{ messageId: 'noUser', line: 3 }],
      output: [
        'FROM golang:1.24 AS build',
        'RUN CGO_ENABLED=0 go build -o /out/app .',
        'FROM scratch',
        'COPY --from=build /out/app /app',
        'USER 65532:65532',
        'ENTRYPOINT ["/app"]',
        '',
      ].join('\r\n'),
    },
    {
      name: 'a final FROM built on a scratch stage, with the ENTRYPOINT in the parent',
      code:
        lines(...build, 'FROM scratch AS runtime', 'ENTRYPOINT ["/app"]', 'FROM runtime') +
        'COPY --from=build /out/app /app',
      findings: [
        { messageId: 'noUser', line: 7, column: 6, message: /no USER\. scratch runs as root/ },
      ],
      output:
        lines(...build, 'FROM scratch AS runtime', 'ENTRYPOINT ["/app"]', 'FROM runtime') +
        lines('COPY --from=build /out/app /app', 'USER 65532:65532'),
    },
    {
      name: 'a program subcommand named init is not an init system',
      code: lines(
        ...build,
        'FROM alpine:3.20',
        'COPY --from=build /out/app /app',
        'CMD ["/app", "init"]',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6 }],
    },
    {
      name: 'a make-built binary copied from a Go build stage',
      code: lines(
        'FROM golang:1.24 AS build',
        'COPY . .',
        'RUN make build',
        'FROM debian:bookworm-slim',
        'COPY --from=build /go/bin/app /usr/local/bin/app',
        'ENTRYPOINT ["app"]',
      ),
      findings: [
        { messageId: 'noUser', line: 4, column: 6, message: /debian:bookworm-slim runs as root/ },
      ],
    },
    {
      name: 'a golang final stage that runs a Go binary copied from the build stage',
      code: lines(
        ...build,
        'FROM golang:1.24',
        'COPY --from=build /out/app /usr/local/bin/app',
        'ENTRYPOINT ["/usr/local/bin/app"]',
      ),
      findings: [{ messageId: 'noUser', line: 5, column: 6, message: /golang:1\.24 runs as root/ }],
      output: lines(
        ...build,
        'FROM golang:1.24',
        'COPY --from=build /out/app /usr/local/bin/app',
        'USER 65532:65532',
        'ENTRYPOINT ["/usr/local/bin/app"]',
      ),
    },
  ],
});

test('final-stage-runs-as-root: a stage built on the shipped one keeps running as root', () => {
  const code = lines(
    ...build,
    'FROM golang:1.24 AS deploy',
    'COPY --from=build /out/app /usr/local/bin/app',
    'ENTRYPOINT ["/usr/local/bin/app"]',
    'FROM deploy AS debug',
    'RUN go install github.com/go-delve/delve/cmd/dlv@v1.22.1',
    'ENTRYPOINT ["dlv", "exec", "/usr/local/bin/app"]',
    'FROM deploy AS other',
    'USER 1000',
    'CMD ["/usr/local/bin/app", "--other"]',
  );
  const found = runRule(finalStageRunsAsRoot, code, {
    targets: { names: ['deploy'], source: '--target' },
  });
  assert.equal(found.length, 1);
  const [fix] = found[0].fixes;
  // The USER given to deploy would be debug's too, whose RUN go install needs a writable HOME;
  // other sets its own user first.
  assert.equal(fix.title, 'Run as 65532:65532 (USER 65532:65532); stage debug keeps root');
  assert.equal(
    applyEdits(code, fix.edits),
    lines(
      ...build,
      'FROM golang:1.24 AS deploy',
      'COPY --from=build /out/app /usr/local/bin/app',
      'USER 65532:65532',
      'ENTRYPOINT ["/usr/local/bin/app"]',
      'FROM deploy AS debug',
      'USER root',
      'RUN go install github.com/go-delve/delve/cmd/dlv@v1.22.1',
      'ENTRYPOINT ["dlv", "exec", "/usr/local/bin/app"]',
      'FROM deploy AS other',
      'USER 1000',
      'CMD ["/usr/local/bin/app", "--other"]',
    ),
  );
});

test('no nonroot tag where the stage runs RUNs of its own, which would run as nonroot', () => {
  const titles = (runtime: string[]) =>
    runRule(
      finalStageRunsAsRoot,
      lines(...build, 'FROM gcr.io/distroless/static-debian12:debug', ...runtime),
    ).flatMap((f) => (f.fixes ?? []).map((x) => x.title));
  const copy = 'COPY --from=build /out/app /usr/bin/app';
  const start = 'ENTRYPOINT ["/usr/bin/app"]';
  assert.ok(titles([copy, start]).some((t) => t.startsWith('Use ')));
  const run = 'RUN ["/busybox/ln", "-s", "/busybox/sh", "/bin/sh"]';
  assert.ok(!titles([copy, run, start]).some((t) => t.startsWith('Use ')));
});
