#!/usr/bin/env bash
# Golden-file tests of the veeamops.em.veeam_em inventory plugin against the Enterprise Manager simulator.
#
# Starts the simulator with files/estate.yml, runs `ansible-inventory --list --export` for each files/*.veeam_em.yml
# and compares the output with files/golden/<name>.json (files/compare_inventory.py). A second simulator serves
# files/hostile.yml, VMs named like groups and like localhost, read after the plain inventory files/other_source.yml
# (files/check_hostile.py checks the answer). Request counts, the cache
# (no request on a warm cache) and the open logon sessions are checked out of band through the simulator's /_sim/
# API. The simulator is stopped on every way out.
#
# To create or update the golden files after a deliberate change, run this script from the checkout with
# INVENTORY_GOLDEN_WRITE=1 and review the diff.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
files="$here/files"
# shellcheck source=/dev/null
source "$here/../setup_em_shell/files/simulator.sh"
work="$EM_WORK"

log() { em_log "$*"; }
fail() { em_fail "$*"; }
control() { em_control estate "$@"; }
json_field() { "$EM_PYTHON" -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

log "starting the simulator ($EM_SIMULATOR) with files/estate.yml"
em_start estate --scenario "$files/estate.yml"
export VEEAM_EM_URL VEEAM_EM_CA_PATH
VEEAM_EM_URL="$(em_value estate url)"
VEEAM_EM_CA_PATH="$(em_value estate ca_path)"
export VEEAM_EM_USERNAME="$EM_USERNAME"
export VEEAM_EM_PASSWORD="$EM_PASSWORD"
export ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true
export ANSIBLE_INVENTORY_CACHE_CONNECTION="$work/cache"
export ANSIBLE_NOCOLOR=true
log "simulator at $VEEAM_EM_URL"

# inventory NAME [GOLDEN]: ansible-inventory for files/NAME.veeam_em.yml, compared with files/golden/GOLDEN.json.
inventory() {
  local name="$1" golden="${2:-$1}"
  shift $(( $# > 1 ? 2 : 1 ))
  ansible-inventory -i "$files/$name.veeam_em.yml" --list --export "$@" > "$work/$name.json" 2> "$work/$name.stderr" \
    || { cat "$work/$name.stderr" >&2; fail "ansible-inventory failed for $name.veeam_em.yml"; }
  mkdir -p "$files/golden"
  "$EM_PYTHON" "$files/compare_inventory.py" "$files/golden/$golden.json" "$work/$name.json"
}

# expect_requests N WHAT: the simulator received N /api requests since the log was last cleared.
expect_requests() {
  local total
  total="$(control get requests | json_field total)"
  [ "$total" = "$1" ] || { control get requests | json_field by_route >&2; fail "$2: expected $1 requests, the simulator counted $total"; }
  log "$2: $total requests"
  control delete requests > /dev/null
}

# expect_in_stderr NAME TEXT: ansible-inventory's error output for NAME contains TEXT (ansible-core before 2.19 wraps
# warnings at 79 columns, so the lines are joined first).
expect_in_stderr() {
  tr '\n' ' ' < "$work/$1.stderr" | grep -qF -- "$2" || { cat "$work/$1.stderr" >&2; fail "$1: the output does not say: $2"; }
}

# failing NAME TEXT...: ansible-inventory must fail with every TEXT in its error output and never show the password.
failing() {
  local name="$1"
  shift
  if ansible-inventory -i "$files/default.veeam_em.yml" --list > /dev/null 2> "$work/$name.stderr"; then
    fail "$name: ansible-inventory succeeded"
  fi
  local text
  for text in "$@"; do
    expect_in_stderr "$name" "$text"
  done
  if tr '\n' ' ' < "$work/$name.stderr" | grep -qF -- 'Ansible:Pa&ss=wörd'; then
    fail "$name: the error output shows the password"
  fi
  log "$name: $(tr '\n' ' ' < "$work/$name.stderr" | grep -o 'veeam_em inventory .*' | cut -c1-240)..."
}

control delete requests > /dev/null

log "default configuration"
inventory default
expect_requests 4 "default (logon, hierarchy roots, jobs, logoff)"
expect_in_stderr default '3 different VMs would be host web01'
expect_in_stderr default '2 groups would be named veeam_job_nightly_backup,'
expect_in_stderr default '2 groups would be named veeam_job_app_backup,'
expect_in_stderr default '2 groups would be named veeam_job_type_backup,'

log "values from Enterprise Manager are never templated in a play"
ansible-playbook -i "$files/default.veeam_em.yml" "$files/unsafe.yml" > "$work/unsafe.out" 2>&1 \
  || { cat "$work/unsafe.out" >&2; fail "the play over the inventory failed"; }
grep -q 'ok=1 ' "$work/unsafe.out" || { cat "$work/unsafe.out" >&2; fail "the play did not run its assertion on one host"; }
expect_requests 4 "play"

log "no secret in verbose output"
ansible-inventory -i "$files/default.veeam_em.yml" --list -vvvv > "$work/verbose.out" 2>&1 || fail "ansible-inventory -vvvv failed"
if grep -qF -e 'Ansible:Pa&ss=wörd' -e "$(printf '%s' 'LAB\svc-ansible:Ansible:Pa&ss=wörd' | base64)" "$work/verbose.out"; then
  fail "the verbose output shows the password"
fi
expect_requests 4 "verbose"

log "host name templates, group prefix, constructed features, latest sessions"
inventory options
expect_requests 6 "options (plus one backup-session and one replica-session query)"

log "job selection"
inventory selection
expect_requests 4 "selection"

log "vault-encrypted password"
(unset VEEAM_EM_PASSWORD; inventory vault default --vault-password-file "$files/vault-password.txt")
expect_requests 4 "vault"

log "Enterprise Manager 13 (camelCase JSON with a byte order mark)"
control post config '{"casing": "camel", "bom": true}' > /dev/null
inventory default
control post config '{"casing": "pascal", "bom": false}' > /dev/null
expect_requests 4 "camelCase"

log "cache: a cold run reads Enterprise Manager, a warm run makes no request, --flush-cache (ansible-core 2.17+) reads again"
inventory cache default
expect_requests 4 "cold cache"
inventory cache default
expect_requests 0 "warm cache"
ls "$work/cache"/* > /dev/null 2>&1 || fail "the cache folder $work/cache is empty"
if grep -rqF -e 'Ansible:Pa&ss' -e 'svc-ansible' "$work/cache"; then
  fail "the cache holds credentials"
fi
if ansible-inventory --help | grep -q -- '--flush-cache'; then
  inventory cache default --flush-cache
  expect_requests 4 "flushed cache"
fi

log "with_restore_points: the VMs that container includes protect, their newest point and count"
inventory points
expect_requests 6 "points (plus one query of VM restore points and one of the restore points that hold them)"

log "the documented group of hosts whose newest restore point is older than 24 hours, before and after a run"
stale() {
  ansible-inventory -i "$files/stale.veeam_em.yml" --list > "$work/stale.json" 2> "$work/stale.stderr" \
    || { cat "$work/stale.stderr" >&2; fail "ansible-inventory failed for stale.veeam_em.yml"; }
  control get vm_restore_points > "$work/points.json"
  "$EM_PYTHON" "$files/check_points.py" "$work/stale.json" "$work/points.json" \
    || fail "stale.veeam_em.yml: the group backup_older_than_24h is not as the restore points say (problems above)"
}
stale
# Daily VM Backup
control post jobs/47752464-8e77-407a-a936-132173ac15f5/outcome '{"result": "Success", "duration": 60}' > /dev/null
control post jobs/47752464-8e77-407a-a936-132173ac15f5/run > /dev/null
control post advance '{"seconds": 120}' > /dev/null
stale
grep -q '"veeam_restore_point_count": 1' "$work/stale.json" || fail "no host has the point of the run of Daily VM Backup"
control post reset > /dev/null
control delete requests > /dev/null

log "errors"
VEEAM_EM_PASSWORD='wrong password' failing bad_password 'Logon to Enterprise Manager failed' 'returned HTTP 401' 'check username and password'
VEEAM_EM_USERNAME='LAB\portal-user' VEEAM_EM_PASSWORD='PortalUser!1' failing portal_user \
  'Enterprise Manager denied access' 'returned HTTP 403' 'Portal Administrator role'
VEEAM_EM_CA_PATH='' failing untrusted 'TLS connection to Enterprise Manager failed' 'set ca_path'
VEEAM_EM_URL="https://127.0.0.1:1" failing unreachable 'Cannot connect to Enterprise Manager' 'Connection refused'
control delete requests > /dev/null

log "hostile VM names: all, ungrouped, localhost, 127.0.0.1, ::1, a job group's name and a group of the source before"
em_start hostile --scenario "$files/hostile.yml"
hostile=(-i "$files/other_source.yml" -i "$files/default.veeam_em.yml")
(
  export VEEAM_EM_URL VEEAM_EM_CA_PATH
  VEEAM_EM_URL="$(em_value hostile url)"
  VEEAM_EM_CA_PATH="$(em_value hostile ca_path)"
  ansible-inventory "${hostile[@]}" --list > "$work/hostile.json" 2> "$work/hostile.stderr" \
    || { cat "$work/hostile.stderr" >&2; fail "ansible-inventory --list failed for hostile VM names"; }
  ansible-inventory "${hostile[@]}" --graph > "$work/hostile.graph" 2> "$work/hostile_graph.stderr" \
    || { cat "$work/hostile_graph.stderr" >&2; fail "ansible-inventory --graph failed for hostile VM names"; }
  "$EM_PYTHON" "$files/check_hostile.py" "$work/hostile.json" "$work/hostile.graph" "$work/hostile.stderr" \
    || { cat "$work/hostile.stderr" >&2; fail "hostile VM names: the inventory is not as documented (problems above)"; }
  ansible "${hostile[@]}" localhost -m ansible.builtin.debug -a '{"msg": "{{ veeam_name | default(\"the controller\") }}"}' \
    > "$work/localhost.out" 2>&1 || { cat "$work/localhost.out" >&2; fail "ansible localhost failed with hostile VM names"; }
  grep -q '"msg": "the controller"' "$work/localhost.out" || { cat "$work/localhost.out" >&2; fail "localhost is not the controller"; }
)
log "hostile VM names: every VM is a host of its own, the groups hold exactly their hosts, localhost is the controller"

em_check_closed estate
em_check_closed hostile
log "no logon session left open; all checks passed"
