#!/usr/bin/env bash
# Integration tests of the veeamops.em.rollback_change role and of examples/patch_with_rollback.yml against the
# Enterprise Manager simulator.
#
# setup_em_simulator/files/playbook_env.sh starts the simulator with setup_em_simulator and saves its facts. role.yml
# runs the role in real plays over a static inventory (files/hosts.yml) whose hosts are never connected to; the
# example then runs as a user would run it, with a change (files/failing_change.yml) that fails on purpose on one
# host. Every effect is checked out of band through the simulator's /_sim/ API.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=/dev/null
source "$here/../setup_em_simulator/files/playbook_env.sh"
work="$EM_WORK"
facts="$EM_FACTS"
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ANSIBLE_HOST_KEY_CHECKING=false

ansible-playbook -i "$here/files/hosts.yml" "$here/role.yml" -e "@$facts" "$@"

# The example, from the collection that ansible-test installed (or from this checkout).
example=""
IFS=':' read -r -a roots <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
for root in "${roots[@]}" "$here/../../../../../.."; do
  for candidate in "$root/ansible_collections/veeamops/em/examples/patch_with_rollback.yml" "$root/examples/patch_with_rollback.yml"; do
    if [ -z "$example" ] && [ -f "$candidate" ]; then
      example="$candidate"
    fi
  done
done
[ -n "$example" ] || { echo "examples/patch_with_rollback.yml not found" >&2; exit 1; }

ansible-playbook -i localhost, "$here/example_prepare.yml" -e "@$facts" -e "inventory_file=$work/example_hosts.yml" "$@"
# file01's change fails on purpose, so the run ends with a failed host. The check runs as the last play of the same
# playbook (the hosts' facts are gone after the run) and writes the file when the outcome is the expected one.
cat >"$work/example_run.yml" <<PLAYBOOK
- name: The example as users run it
  ansible.builtin.import_playbook: $example
- name: Its outcome
  ansible.builtin.import_playbook: $here/example_check.yml
PLAYBOOK
ansible-playbook -i "$work/example_hosts.yml" "$work/example_run.yml" -e "@$facts" \
  -e "patch_hosts=linux_vms" -e "patch_change=$here/files/failing_change.yml" -e '{"change_fails_on": ["file01"]}' \
  -e "backup_before_change_poll_interval=1" -e "rollback_change_poll_interval=1" \
  -e "checked_file=$work/example.checked" "$@" || true
[ -f "$work/example.checked" ] || { echo "patch_with_rollback.yml: the outcome was not the expected one" >&2; exit 1; }
