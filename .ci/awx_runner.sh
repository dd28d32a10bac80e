#!/usr/bin/env bash
# make awx-runner: run a playbook and an inventory update through ansible-runner the way AWX and Automation
# Controller do, with the credential of docs/awx/credential_type.yml injected as environment variables only,
# against the Enterprise Manager simulator (tests/integration/targets/awx_runner/runme.sh does the work).
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

start=$SECONDS
venv="$(ensure_venv runner "$REPO/.ci/pins/runner.txt" "$REPO/requirements.txt")"
log "building the collection, as an execution environment would install it"
tarball="$("$REPO/.ci/build.sh" | tail -n 1)"
export PATH="$venv/bin:$PATH"
log "$("$venv/bin/ansible-runner" --version | head -n 1) with $("$venv/bin/ansible" --version | head -n 1)"
"$REPO/tests/integration/targets/awx_runner/runme.sh" "$tarball"
log "AWX runner test passed in $((SECONDS - start)) s"
