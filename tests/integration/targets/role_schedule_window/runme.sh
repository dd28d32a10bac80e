#!/usr/bin/env bash
# Integration tests of the veeamops.em.schedule_window role against the Enterprise Manager simulator.
#
# Every step is a separate ansible-playbook run (window.yml -e step=NAME runs steps/NAME.yml), as pausing and
# resuming are in real life: the only thing that carries the state from one run to the next is the state file.
# Effects are checked out of band through the simulator's /_sim/ API: schedule states and toggle counts per job.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# The simulator, started through setup_em_simulator; the connection in VEEAM_EM_* only, as AWX injects it.
# shellcheck source=/dev/null
source "$here/../setup_em_simulator/files/playbook_env.sh"
work="$EM_WORK"
facts="$EM_FACTS"

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
