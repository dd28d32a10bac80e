#!/usr/bin/env bash
# Run ansible-test of one ansible-core line against a copy of the checkout.
#
#   .ci/ansible_test.sh CORE sanity|units|integration [ansible-test arguments...]
#
# PYTHON=X.Y limits the run to one Python (default: sanity and units on every Python of that ansible-core
# line found on the machine, integration on the Python of the pin file).
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

[ $# -ge 2 ] || die "usage: $0 CORE sanity|units|integration [ansible-test arguments...]"
core="$1" command="$2"
shift 2

venv="$(core_venv "$core")"
pybin="$(make_pybin)"
install_get_pip "$venv"
coll="$(make_tree "tree-$core")"
export PATH="$pybin:$venv/bin:$PATH"

python_args=()
if [ -n "${PYTHON:-}" ]; then
  python_args=(--python "$PYTHON")
elif [ "$command" = integration ]; then
  python_args=(--python "$(pin_python "$REPO/.ci/pins/core-$core.txt")")
fi

cd "$coll"
case "$command" in
  units)
    if ! find tests/unit -name 'test_*.py' -print -quit 2>/dev/null | grep -q .; then
      skip "no unit tests under tests/unit"
    fi
    ;;
  integration)
    targets="$(ansible-test integration --list-targets "$@" 2>/dev/null || true)"
    if [ -z "$targets" ]; then
      skip "no integration targets to run under tests/integration/targets"
    fi
    note_home_mismatch
    # INTEGRATION_EXCLUDE=a,b leaves targets out (make test does so for suites that do not depend on ansible-core).
    IFS=',' read -r -a excluded <<<"${INTEGRATION_EXCLUDE:-}"
    for target in "${excluded[@]}"; do
      set -- "$@" --exclude "$target"
      log "NOTE: target $target left out on ansible-core $core"
    done
    ;;
esac

log "ansible-test $command ($("$venv/bin/ansible" --version | sed -n 1p)) in $coll"
output="$BUILD/logs/ansible-test-$command-$core.log"
mkdir -p "$(dirname "$output")"
set +e
ansible-test "$command" --venv --color no "${python_args[@]}" "$@" 2>&1 | tee "$output"
rc="${PIPESTATUS[0]}"
set -e
if [ "$rc" = 0 ] && [ "$command" = sanity ] && grep -q 'Required program "shellcheck" not found' "$output"; then
  log "shellcheck was not found, so the shellcheck sanity test checked nothing"
  rc=1
fi
exit "$rc"
