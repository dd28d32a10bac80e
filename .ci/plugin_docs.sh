#!/usr/bin/env bash
# Render every plugin's and role's documentation with ansible-doc of one ansible-core line.
#
#   .ci/plugin_docs.sh CORE
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

[ $# -eq 1 ] || die "usage: $0 CORE"
venv="$(core_venv "$1")"
ANSIBLE_COLLECTIONS_PATH="$(collections_link collections)"
export ANSIBLE_COLLECTIONS_PATH
export PATH="$venv/bin:$PATH"
log "$(ansible-doc --version | sed -n 1p), collections path $ANSIBLE_COLLECTIONS_PATH"
exec "$venv/bin/python" "$REPO/.ci/plugin_docs.py" "$REPO"
