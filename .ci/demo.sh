#!/usr/bin/env bash
# make demo: build and install the collection, start the Enterprise Manager simulator with the lab estate, run
# examples/demo.yml and `ansible-inventory --graph` with examples/demo.veeam_em.yml against it, stop the simulator
# (also when something fails). Credentials reach Ansible only through the VEEAM_EM_* environment variables.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

start=$SECONDS
core="${CORE:-2.21}"
scenario="$REPO/tests/simulator/scenarios/lab.yml"
[ -f "$REPO/tests/simulator/em_simulator/__main__.py" ] || die "the EM simulator (tests/simulator/em_simulator) is not in this checkout yet"
[ -f "$scenario" ] || die "the lab scenario $scenario is not in this checkout yet"

venv="$(core_venv "$core")"
export PATH="$venv/bin:$PATH"
demo="$BUILD/demo"
rm -rf "$demo"
mkdir -p "$demo/collections"

log "building and installing the collection"
tarball="$("$REPO/.ci/build.sh" | tail -n 1)"
export ANSIBLE_COLLECTIONS_PATH="$demo/collections" ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false
ansible-galaxy collection install "$tarball" -p "$demo/collections" --force >/dev/null

log "starting the EM simulator (lab estate)"
state_dir="$demo/simulator"
stop_simulator() {
  PYTHONPATH="$REPO/tests/simulator" python -m em_simulator stop --state-dir "$state_dir" >/dev/null 2>&1 || true
}
trap stop_simulator EXIT
PYTHONPATH="$REPO/tests/simulator" python -m em_simulator --scenario "$scenario" --port 0 --tls \
  --state-dir "$state_dir" --daemon --lifetime 600 >/dev/null
for _ in $(seq 1 100); do
  [ -s "$state_dir/state.json" ] && break
  sleep 0.2
done
[ -s "$state_dir/state.json" ] || die "the simulator wrote no $state_dir/state.json within 20 s"

state_value() { python -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$state_dir/state.json" "$1"; }
VEEAM_EM_URL="$(state_value url)"
VEEAM_EM_CA_PATH="$(state_value ca_path)"
export VEEAM_EM_URL VEEAM_EM_CA_PATH
export VEEAM_EM_USERNAME='LAB\svc-ansible'
export VEEAM_EM_PASSWORD='Ansible:Pa&ss=wörd'
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_CALLBACK_RESULT_FORMAT=yaml ANSIBLE_PYTHON_INTERPRETER="$venv/bin/python"
log "simulator at $VEEAM_EM_URL (CA $VEEAM_EM_CA_PATH)"

cd "$REPO"
printf '\n$ ansible-playbook examples/demo.yml\n'
ansible-playbook examples/demo.yml
printf '\n$ ansible-inventory -i examples/demo.veeam_em.yml --graph\n'
ANSIBLE_INVENTORY_UNPARSED_FAILED=true ansible-inventory -i examples/demo.veeam_em.yml --graph
printf '\ndemo finished in %d s\n' "$((SECONDS - start))"
