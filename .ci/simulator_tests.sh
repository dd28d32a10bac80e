#!/usr/bin/env bash
# The Enterprise Manager simulator's own tests (plain pytest, on the newest ansible-core virtualenv).
#
#   .ci/simulator_tests.sh [pytest arguments...]
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

cd "$REPO"
if ! find tests/simulator/tests -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
  skip "no simulator tests under tests/simulator/tests"
fi
venv="$(core_venv "${CORE:-2.21}")"
PYTHONPATH="$REPO/tests/simulator" exec "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/simulator/tests "$@"
