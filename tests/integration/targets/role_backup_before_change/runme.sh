#!/usr/bin/env bash
# Integration tests of the veeamops.em.backup_before_change role against the Enterprise Manager simulator.
#
# start_simulator.yml starts the simulator with setup_em_simulator and saves its facts. The role then runs in
# real plays over real inventories: inventory_source.yml over the hosts of the veeamops.em.veeam_em inventory
# plugin (files/lab.veeam_em.yml), lookup_source.yml over a static inventory (files/hosts.yml), and
# module_defaults.yml with the connection in module_defaults instead of the environment. The hosts are never
# connected to (their names do not resolve), which also proves that the role only talks to Enterprise Manager
# from the controller. Every effect is checked out of band through the simulator's /_sim/ API.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d /tmp/role_backup_before_change.XXXXXX)"
facts="$work/em.json"
export ANSIBLE_ROLES_PATH="$here/.."
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ANSIBLE_HOST_KEY_CHECKING=false
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

# The connection as AWX injects it: environment variables only.
VEEAM_EM_URL="$(fact em_url)"
VEEAM_EM_CA_PATH="$(fact em_ca_path)"
VEEAM_EM_USERNAME="$(fact em_username)"
VEEAM_EM_PASSWORD="$(fact em_password)"
export VEEAM_EM_URL VEEAM_EM_CA_PATH VEEAM_EM_USERNAME VEEAM_EM_PASSWORD

ansible-playbook -i "$here/files/lab.veeam_em.yml" "$here/inventory_source.yml" -e "@$facts" "$@"
ansible-playbook -i "$here/files/hosts.yml" "$here/lookup_source.yml" -e "@$facts" "$@"
# Every host fails on purpose; the playbook's last play checks why and writes the file.
ansible-playbook -i "$here/files/hosts.yml" "$here/unreachable.yml" -e "@$facts" -e "checked_file=$work/unreachable.checked" "$@" || true
[ -f "$work/unreachable.checked" ] || { echo "unreachable.yml: the failures were not the expected ones" >&2; exit 1; }
env -u VEEAM_EM_URL -u VEEAM_EM_CA_PATH -u VEEAM_EM_USERNAME -u VEEAM_EM_PASSWORD \
  ansible-playbook -i "$here/files/hosts.yml" "$here/module_defaults.yml" -e "@$facts" "$@"
