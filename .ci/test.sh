#!/usr/bin/env bash
# Everything CI checks, stage by stage. Every stage runs even after an earlier one failed, prints one closing
# line ([PASS], [FAIL] or [SKIP], with its wall time and the stage's SKIP: or NOTE: reasons), and the run ends
# with a summary and a non-zero exit code if any stage failed.
#
#   .ci/test.sh CORE...        (make test passes the oldest and the newest supported ansible-core lines)
set -uo pipefail
export NO_COLOR=1 ANSIBLE_NOCOLOR=1
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: $0 CORE... (for example: $0 2.16 2.21)"
cores=("$@")
# INTEGRATION_CORES (default: all of them) limits the slowest stage, integration, to some ansible-core lines.
read -r -a integration_cores <<<"${INTEGRATION_CORES:-${cores[*]}}"
newest_first=()
for core in "${integration_cores[@]}"; do newest_first=("$core" "${newest_first[@]}"); done

# The newest line runs units on every Python and the whole integration suite. Older lines run units on their
# controller Python (the newest line already covers every target Python from 3.9 on) and, in integration, the
# targets whose outcome depends on ansible-core: templating and loops of the roles, the inventory plugin, argument
# handling of the first modules and the secrets checks. The targets left out there exercise the HTTP client, the
# simulator and module logic that the units run on every line (faults, benchmarks, the installed examples and the
# newer modules). Integration runs in concurrent shards. This keeps the whole run well under 30 minutes.
newest="${cores[${#cores[@]}-1]}"
same_on_every_core=faults,benchmarks_smoke,docs_examples,veeam_job_object,veeam_restore_point_info
same_on_every_core+=,veeam_session_info,veeam_vm_restore
shards=3

stages=()
for core in "${cores[@]}"; do stages+=("sanity-$core:sanity CORE=$core"); done
for core in "${cores[@]}"; do
  if [ "$core" = "$newest" ]; then
    stages+=("units-$core:units CORE=$core")
  else
    stages+=("units-$core:units CORE=$core PYTHON=$(pin_python "$REPO/.ci/pins/core-$core.txt")")
  fi
done
stages+=("simulator:simulator-tests")
for core in "${newest_first[@]}"; do
  if [ "$core" = "$newest" ]; then
    stages+=("integration-$core:integration CORE=$core INTEGRATION_SHARDS=$shards")
  else
    stages+=("integration-$core:integration CORE=$core INTEGRATION_SHARDS=$shards INTEGRATION_EXCLUDE=$same_on_every_core")
  fi
done
stages+=("eda:eda")
for core in "${cores[@]}"; do stages+=("plugin-docs-$core:plugin-docs CORE=$core"); done
stages+=(
  "docs-lint:docs-lint"
  "changelog-lint:changelog-lint"
  "ansible-lint:ansible-lint"
  "galaxy-build:build"
  "release-check:release-check"
  "ee-context:ee"
  "awx-runner:awx-runner"
  "docsite:docs"
)

# why_failed LOG: the error lines of a stage's log (pytest's short summary, ansible-test's and Ansible's fatal
# lines, failed tasks), or its last lines when it has none of them.
why_failed() {
  local lines
  lines="$(grep -E -A3 '^(FAILED|ERROR) |^E  |FATAL:|^ERROR:|^fatal: |^failed: |\[ERROR\]|ERROR! ' "$1" | tail -n 40)"
  if [ -n "$lines" ]; then printf '%s\n' "$lines"; else tail -n 25 "$1"; fi
}

mkdir -p "$BUILD/logs"
results=()
passed=0 failed=0 skipped=0
run_start=$SECONDS
for stage in "${stages[@]}"; do
  name="${stage%%:*}"
  read -r -a target <<<"${stage#*:}"
  printf '\n======== %s (make %s)\n' "$name" "${target[*]}"
  start=$SECONDS
  "${MAKE:-make}" --no-print-directory "${target[@]}" ARGS= 2>&1 | tee "$BUILD/logs/stage-$name.log"
  rc="${PIPESTATUS[0]}"
  elapsed=$((SECONDS - start))
  if [ "$rc" != 0 ]; then
    status=FAIL; failed=$((failed + 1))
  elif grep -q '^\[[^]]*\] SKIP: ' "$BUILD/logs/stage-$name.log"; then
    status=SKIP; skipped=$((skipped + 1))
  else
    status=PASS; passed=$((passed + 1))
  fi
  line="[$status] $name ($elapsed s)"
  [ "$status" = FAIL ] && line="$line: exit code $rc, log in ${BUILD#"$REPO"/}/logs/stage-$name.log"
  # What a stage left unchecked, or why it skipped, goes on its closing line.
  reasons="$(sed -n 's/^\[[^]]*\] \(NOTE\|SKIP\): //p' "$BUILD/logs/stage-$name.log" | paste -sd ';' - | sed 's/;/; /g')"
  [ -n "$reasons" ] && line="$line: $reasons"
  printf '%s\n' "$line"
  results+=("$line")
done

printf '\n======== make test summary (%s s in all)\n' "$((SECONDS - run_start))"
printf '%s\n' "${results[@]}"
printf 'summary: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
# The lines that say why each failed stage failed come last, where a CI page that shows only the end of the
# output still shows them.
for stage in "${stages[@]}"; do
  name="${stage%%:*}"
  grep -q "^\[FAIL\] $name " <(printf '%s\n' "${results[@]}") || continue
  printf '\n======== why %s failed (lines from %s)\n' "$name" "${BUILD#"$REPO"/}/logs/stage-$name.log"
  why_failed "$BUILD/logs/stage-$name.log"
done
[ "$failed" = 0 ]
