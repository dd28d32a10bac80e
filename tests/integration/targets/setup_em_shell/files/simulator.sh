# shellcheck shell=bash
# Shell functions for runme.sh targets that run against the Enterprise Manager simulator (see ../README.md).
# Source it; it sets EM_WORK, EM_PYTHON, EM_SIMULATOR, EM_USERNAME and EM_PASSWORD and stops every simulator on exit.

EM_SHELL_FILES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EM_PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python3 || command -v python)}"
EM_WORK="$(mktemp -d /tmp/em-target.XXXXXX)"
EM_USERNAME='LAB\svc-ansible'
EM_PASSWORD='Ansible:Pa&ss=wörd'
EM_STARTED=()

em_fail() { printf '[%s] FAILED: %s\n' "$(basename "$PWD")" "$*" >&2; exit 1; }
em_log() { printf '[%s] %s\n' "$(basename "$PWD")" "$*"; }

# The simulator package: EM_SIMULATOR_DIR, else tests/simulator of the collection on ANSIBLE_COLLECTIONS_PATH (ansible-test
# sets it to the tree it tests), else of the checkout this file belongs to.
em_find_simulator() {
  local candidates=("${EM_SIMULATOR_DIR:-}") path paths
  IFS=':' read -r -a paths <<< "${ANSIBLE_COLLECTIONS_PATH:-}"
  for path in "${paths[@]}"; do
    candidates+=("$path/ansible_collections/veeamops/em/tests/simulator")
  done
  candidates+=("$EM_SHELL_FILES/../../../../simulator")
  for path in "${candidates[@]}"; do
    if [ -n "$path" ] && [ -f "$path/em_simulator/__main__.py" ]; then
      (cd "$path" && pwd)
      return 0
    fi
  done
  return 1
}
EM_SIMULATOR="$(em_find_simulator)" || em_fail "the EM simulator (tests/simulator/em_simulator) was not found; set EM_SIMULATOR_DIR"

em_stop_all() {
  local name
  for name in "${EM_STARTED[@]}"; do
    PYTHONPATH="$EM_SIMULATOR" "$EM_PYTHON" -m em_simulator stop --state-dir "$EM_WORK/$name" >/dev/null 2>&1 || true
  done
  rm -rf "$EM_WORK"
}
trap em_stop_all EXIT

em_start() {
  local name="$1"
  shift
  EM_STARTED+=("$name")
  PYTHONPATH="$EM_SIMULATOR" "$EM_PYTHON" -m em_simulator --daemon --state-dir "$EM_WORK/$name" --lifetime 1200 "$@" >/dev/null \
    || em_fail "the simulator $name did not start (see $EM_WORK/$name/simulator.log)"
}

em_value() { "$EM_PYTHON" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$EM_WORK/$1/state.json" "$2"; }

em_control() {
  local name="$1"
  shift
  "$EM_PYTHON" "$EM_SHELL_FILES/sim_control.py" "$EM_WORK/$name/state.json" "$@"
}

em_vars() {
  "$EM_PYTHON" - "$EM_WORK/$1/state.json" "$2" "$EM_USERNAME" "$EM_PASSWORD" <<'PY'
import json
import sys

state = json.load(open(sys.argv[1]))
facts = {'em_url': state['url'], 'em_ca_path': state['ca_path'], 'em_control_url': state['control_url'],
         'em_username': sys.argv[3], 'em_password': sys.argv[4]}
with open(sys.argv[2], 'w', encoding='utf-8') as stream:
    json.dump(facts, stream)
PY
}

em_check_closed() {
  local open
  open="$(em_control "$1" get logon_sessions | "$EM_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["open"])')"
  [ "$open" = 0 ] || { em_control "$1" get logon_sessions >&2; em_fail "$open logon session(s) still open on simulator $1"; }
}
