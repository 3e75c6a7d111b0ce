#!/bin/sh
set -e
# The entrypoint of many real services: set up the environment, then hand over to the binary.
export GREETING="${GREETING:-Hello}"
echo "entrypoint: starting greeter"
exec /usr/local/bin/greeter "$@"
