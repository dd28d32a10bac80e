#!/usr/bin/env bash
# Smoke run of the benchmarks (benchmarks/run.py --smoke): a 20-job estate, one 5 s run and a quick backup of 3 VMs against the simulator.
# The full benchmarks run with `make bench`; this only checks that the scripts still work and count requests sanely.
set -euo pipefail
python="${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python3 || command -v python)}"
script=""
IFS=':' read -r -a paths <<< "${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${paths[@]}" "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." 2>/dev/null && pwd)"; do
  for candidate in "$path/ansible_collections/veeamops/em/benchmarks/run.py" "$path/benchmarks/run.py"; do
    if [ -z "$script" ] && [ -f "$candidate" ]; then
      script="$candidate"
    fi
  done
done
[ -n "$script" ] || { echo "[benchmarks_smoke] FAILED: benchmarks/run.py not found" >&2; exit 1; }
results="$(mktemp -d /tmp/bench-smoke.XXXXXX)"
trap 'rm -rf "$results"' EXIT
BENCH_RESULTS="$results" "$python" "$script" --smoke
[ -s "$results/smoke.json" ] || { echo "[benchmarks_smoke] FAILED: no results written" >&2; exit 1; }
