#!/usr/bin/env bash
# Integration tests of the veeamops.em.backup_before_change role against the Enterprise Manager simulator.
#
# setup_em_simulator/files/playbook_env.sh starts the simulator with setup_em_simulator and saves its facts.
# The role then runs in real plays over real inventories. With the method quick_backup: quick_inventory.yml over the
# hosts of the veeamops.em.veeam_em inventory plugin (files/lab.veeam_em.yml) and quick_lookup.yml over a static
# inventory (files/hosts.yml). With the method job (-e backup_before_change_method=job): inventory_source.yml over the
# inventory plugin's hosts, lookup_source.yml over the static inventory, unreachable.yml, and module_defaults.yml with
# the connection in module_defaults instead of the environment. The hosts are never
# connected to (their names do not resolve), which also proves that the role only talks to Enterprise Manager
# from the controller. Every effect is checked out of band through the simulator's /_sim/ API.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The simulator, started through setup_em_simulator; the connection in VEEAM_EM_* only, as AWX injects it.
# shellcheck source=/dev/null
source "$here/../setup_em_simulator/files/playbook_env.sh"
work="$EM_WORK"
facts="$EM_FACTS"
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ANSIBLE_HOST_KEY_CHECKING=false

started=$SECONDS
# The method quick_backup (the default): one quick backup per VM of the play's hosts.
ansible-playbook -i "$here/files/lab.veeam_em.yml" "$here/quick_inventory.yml" -e "@$facts" "$@"
ansible-playbook -i "$here/files/hosts.yml" "$here/quick_lookup.yml" -e "@$facts" "$@"
echo "role_backup_before_change: quick_backup playbooks took $((SECONDS - started)) s"

# The method job: each protecting job runs once per play.
job=(-e backup_before_change_method=job)
ansible-playbook -i "$here/files/lab.veeam_em.yml" "$here/inventory_source.yml" -e "@$facts" "${job[@]}" "$@"
ansible-playbook -i "$here/files/hosts.yml" "$here/lookup_source.yml" -e "@$facts" "${job[@]}" "$@"
# Every host fails on purpose; the playbook's last play checks why and writes the file.
ansible-playbook -i "$here/files/hosts.yml" "$here/unreachable.yml" -e "@$facts" -e "checked_file=$work/unreachable.checked" \
  "${job[@]}" "$@" || true
[ -f "$work/unreachable.checked" ] || { echo "unreachable.yml: the failures were not the expected ones" >&2; exit 1; }
env -u VEEAM_EM_URL -u VEEAM_EM_CA_PATH -u VEEAM_EM_USERNAME -u VEEAM_EM_PASSWORD \
  ansible-playbook -i "$here/files/hosts.yml" "$here/module_defaults.yml" -e "@$facts" "${job[@]}" "$@"
echo "role_backup_before_change: all playbooks took $((SECONDS - started)) s"
