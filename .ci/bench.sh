#!/usr/bin/env bash
# make bench: run the benchmarks in benchmarks/ (they start the EM simulator themselves).
#
# benchmarks/run.py is run when it exists, otherwise every benchmarks/bench_*.py in name order, each with the
# newest ansible-core virtualenv's Python, PYTHONPATH=tests/simulator, ANSIBLE_COLLECTIONS_PATH pointing at the
# checkout and BENCH_RESULTS=benchmarks/results (ignored by git). Extra arguments go to each script.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

cd "$REPO"
scripts=()
if [ -f benchmarks/run.py ]; then
  scripts=(benchmarks/run.py)
else
  for script in benchmarks/bench_*.py; do
    [ -f "$script" ] && scripts+=("$script")
  done
fi
[ "${#scripts[@]}" -gt 0 ] || skip "no benchmarks yet (benchmarks/run.py or benchmarks/bench_*.py)"

venv="$(core_venv "${CORE:-2.21}")"
ANSIBLE_COLLECTIONS_PATH="$(collections_link collections)"
export ANSIBLE_COLLECTIONS_PATH PYTHONPATH="$REPO/tests/simulator" BENCH_RESULTS="$REPO/benchmarks/results"
export PATH="$venv/bin:$PATH"
mkdir -p "$BENCH_RESULTS"
log "machine: $(nproc) cores, $(python --version), $(ansible --version | sed -n 1p), $(date -u +%Y-%m-%d)"
for script in "${scripts[@]}"; do
  log "running $script"
  python "$script" "$@"
done
