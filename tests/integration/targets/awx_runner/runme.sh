#!/usr/bin/env bash
# AWX / Automation Controller test: a playbook and an inventory update run through ansible-runner, with the
# credential of docs/awx/credential_type.yml injected as environment variables only, against the Enterprise
# Manager simulator. Run it with `make awx-runner`, which passes the collection tarball to install.
#
#   runme.sh COLLECTION_TARBALL
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 COLLECTION_TARBALL (make awx-runner builds it)" >&2; exit 2; }
exec python "$here/awx_runner.py" --tarball "$1"
