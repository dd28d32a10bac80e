# shellcheck shell=bash
# For runme.sh targets whose playbooks use this role: source it to start the simulator through the role
# (start_simulator.yml), export the connection as AWX injects it (VEEAM_EM_* only) and stop the simulator on exit.
# It sets EM_WORK (a temporary folder, removed on exit) and EM_FACTS (the simulator's facts: pass -e "@$EM_FACTS").
EM_SETUP_FILES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EM_WORK="$(mktemp -d /tmp/em-playbooks.XXXXXX)"
EM_FACTS="$EM_WORK/em.json"
export ANSIBLE_ROLES_PATH="$EM_SETUP_FILES/../.."
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python3)}"

em_stop_simulator() {
  if [ -s "$EM_FACTS" ]; then
    ansible-playbook "$EM_SETUP_FILES/stop_simulator.yml" -e "@$EM_FACTS" >/dev/null 2>&1 || true
  fi
  rm -rf "$EM_WORK"
}
trap em_stop_simulator EXIT

ansible-playbook "$EM_SETUP_FILES/start_simulator.yml" -e "em_facts_file=$EM_FACTS"
em_fact() { "$ANSIBLE_PYTHON_INTERPRETER" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$EM_FACTS" "$1"; }
VEEAM_EM_URL="$(em_fact em_url)"
VEEAM_EM_CA_PATH="$(em_fact em_ca_path)"
VEEAM_EM_USERNAME="$(em_fact em_username)"
VEEAM_EM_PASSWORD="$(em_fact em_password)"
export VEEAM_EM_URL VEEAM_EM_CA_PATH VEEAM_EM_USERNAME VEEAM_EM_PASSWORD
