#!/usr/bin/env bash
# Run a command with one of the project's virtualenvs first on PATH, creating the virtualenv if needed.
#
#   .ci/with.sh tools|core-X.Y COMMAND [ARGUMENTS...]
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 tools|core-X.Y COMMAND [ARGUMENTS...]"
case "$1" in
  tools) venv="$(tools_venv)" ;;
  core-*) venv="$(core_venv "${1#core-}")" ;;
  *) die "unknown virtualenv '$1' (expected tools or core-X.Y)" ;;
esac
shift
export PATH="$venv/bin:$PATH"
export VIRTUAL_ENV="$venv"
exec "$@"
