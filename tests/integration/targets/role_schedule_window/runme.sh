#!/usr/bin/env bash
# Integration tests of the veeamops.em.schedule_window role against the Enterprise Manager simulator.
#
# Every step is a separate ansible-playbook run (window.yml -e step=NAME runs steps/NAME.yml), as pausing and
# resuming are in real life: the only thing that carries the state from one run to the next is the state file.
# Effects are checked out of band through the simulator's /_sim/ API: schedule states and toggle counts per job.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/role_schedule_window.XXXXXX)"
facts="$work/em.json"
export ANSIBLE_ROLES_PATH="$here/.."
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_PYTHON_INTERPRETER="${ANSIBLE_TEST_PYTHON_INTERPRETER:-$(command -v python3)}"

stop_simulator() {
  if [ -s "$facts" ]; then
    ansible-playbook "$here/stop_simulator.yml" -e "@$facts" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap stop_simulator EXIT

ansible-playbook "$here/start_simulator.yml" -e "em_facts_file=$facts"
fact() { "$ANSIBLE_PYTHON_INTERPRETER" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$facts" "$1"; }
VEEAM_EM_URL="$(fact em_url)"
VEEAM_EM_CA_PATH="$(fact em_ca_path)"
VEEAM_EM_USERNAME="$(fact em_username)"
VEEAM_EM_PASSWORD="$(fact em_password)"
export VEEAM_EM_URL VEEAM_EM_CA_PATH VEEAM_EM_USERNAME VEEAM_EM_PASSWORD

step() {
  printf '\n######## step %s\n' "$1"
  ansible-playbook "$here/window.yml" -e "@$facts" -e "step=$1" -e "work=$work" --diff "${@:2}"
}
step start
step pause_check_mode
step pause_unknown_job
step pause_interrupted
step pause
step pause_again
step resume_check_mode
step resume_interrupted
step resume
step resume_again
