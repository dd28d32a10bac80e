#!/usr/bin/env bash
# The examples of the documentation, run as a user on a fresh machine runs them: the collection is built into a
# tarball and installed with ansible-galaxy into a temporary collections path, which is then the only one.
# files/run_examples.py runs every YAML and shell example of the installed README.md and the EXAMPLES of every
# module and inventory plugin that ansible-doc lists, each against an EM simulator of its own (lab estate) with the
# connection in the VEEAM_EM_* environment variables, as the documentation says, and prints what examples.yml
# adjusts or leaves out, with the reasons. Each example must leave no logon session open.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=/dev/null
source "$here/../setup_em_shell/files/simulator.sh"

source_tree=""
IFS=':' read -r -a collection_paths <<< "${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${collection_paths[@]}"; do
  if [ -f "$path/ansible_collections/veeamops/em/galaxy.yml" ]; then
    source_tree="$path/ansible_collections/veeamops/em"
    break
  fi
done
[ -n "$source_tree" ] || em_fail "no veeamops.em source tree with a galaxy.yml on ANSIBLE_COLLECTIONS_PATH"

ansible-galaxy collection build "$source_tree" --output-path "$EM_WORK/dist" >/dev/null
tarball="$(ls "$EM_WORK"/dist/veeamops-em-*.tar.gz)"
# From here on the temporary path is the only collections path, as on a machine that has never seen the collection
# (with the source tree still on it, ansible-galaxy would find the collection installed already).
export ANSIBLE_COLLECTIONS_PATH="$EM_WORK/collections"
ansible-galaxy collection install "$tarball" -p "$EM_WORK/collections"
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_PYTHON_INTERPRETER="$EM_PYTHON" ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
# Each example gets VEEAM_EM_URL and VEEAM_EM_CA_PATH of a simulator of its own; the account is the lab's.
export VEEAM_EM_USERNAME="$EM_USERNAME" VEEAM_EM_PASSWORD="$EM_PASSWORD"

"$EM_PYTHON" "$here/files/run_examples.py" \
  --collection "$EM_WORK/collections/ansible_collections/veeamops/em" \
  --config "$here/examples.yml" --work "$EM_WORK/examples" \
  --python "$EM_PYTHON" --simulator "$EM_SIMULATOR" --control "$here/../setup_em_shell/files/sim_control.py"
