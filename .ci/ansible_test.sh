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
excluded_args=()

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
      excluded_args+=(--exclude "$target")
      log "NOTE: target $target left out on ansible-core $core"
    done
    ;;
esac

# run_shards TARGET...: the integration targets in INTEGRATION_SHARDS concurrent ansible-test runs, each in a tree
# of its own (most of a target's time is spent waiting on the simulator's clock, not on the CPU). Each shard's
# output is printed when it ends, then every target's run time; the exit code is non-zero if a shard failed.
run_shards() {
  local shards=() shard i pids=() rc=0 shard_rc started=$SECONDS
  mapfile -t shards < <("$venv/bin/python" "$REPO/.ci/shards.py" "$INTEGRATION_SHARDS" \
    "$REPO/.ci/integration-weights.txt" "$@")
  log "ansible-test integration ($("$venv/bin/ansible" --version | sed -n 1p)) in ${#shards[@]} shards"
  for i in "${!shards[@]}"; do
    shard="$(make_tree "tree-$core-shard$i")"
    log "shard $i: ${shards[$i]} (in $shard)"
    read -r -a names <<<"${shards[$i]}"
    (cd "$shard" && exec ansible-test integration --venv --color no "${python_args[@]}" "${names[@]}") \
      >"$BUILD/logs/ansible-test-integration-$core-shard$i.log" 2>&1 &
    pids+=("$!")
  done
  for i in "${!shards[@]}"; do
    shard_rc=0
    wait "${pids[$i]}" || shard_rc=$?
    printf '\n-------- shard %s (%s): exit code %s after %s s\n' "$i" "${shards[$i]}" "$shard_rc" "$((SECONDS - started))"
    cat "$BUILD/logs/ansible-test-integration-$core-shard$i.log"
    [ "$shard_rc" = 0 ] || rc=1
  done
  printf '\n-------- run time of each target (seconds)\n'
  for i in "${!shards[@]}"; do
    "$venv/bin/python" - "$BUILD/tree-$core-shard$i/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME" <<'PY'
import glob
import json
import os
import sys

reports = sorted(glob.glob(os.path.join(sys.argv[1], 'tests/output/data/integration-*.json')), key=os.path.getmtime)
if reports:
    with open(reports[-1], encoding='utf-8') as report:
        for target, data in sorted(json.load(report).get('targets', {}).items()):
            print(f"{target:28} {data.get('run_time_seconds')}")
PY
  done
  return "$rc"
}

if [ "$command" = integration ] && [ $# = 0 ] && [ "${INTEGRATION_SHARDS:-1}" -gt 1 ]; then
  read -r -a selected <<<"$(ansible-test integration --list-targets "${excluded_args[@]}" 2>/dev/null | paste -sd ' ' -)"
  run_shards "${selected[@]}"
  exit $?
fi

log "ansible-test $command ($("$venv/bin/ansible" --version | sed -n 1p)) in $coll"
output="$BUILD/logs/ansible-test-$command-$core.log"
mkdir -p "$(dirname "$output")"
set +e
ansible-test "$command" --venv --color no "${python_args[@]}" "${excluded_args[@]}" "$@" 2>&1 | tee "$output"
rc="${PIPESTATUS[0]}"
set -e
if [ "$rc" = 0 ] && [ "$command" = sanity ] && grep -q 'Required program "shellcheck" not found' "$output"; then
  log "shellcheck was not found, so the shellcheck sanity test checked nothing"
  rc=1
fi
exit "$rc"
