#!/usr/bin/env bash
# No password, Basic credentials or session token in anything the modules and the inventory write: stdout and
# stderr at -vvvv, the log file (ANSIBLE_LOG_PATH) and the inventory cache (jsonfile), after runs that succeed and
# runs that fail. The simulator lists every token it issued (GET /_sim/issued_tokens); each is searched for.
set -euo pipefail
# shellcheck source=/dev/null
source ../setup_em_shell/files/simulator.sh

em_start main --time-speed 10
em_vars main "$EM_WORK/em.json"
out="$EM_WORK/out"
mkdir -p "$out"
export ANSIBLE_NOCOLOR=true ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ANSIBLE_LOG_PATH="$out/ansible.log"
export ANSIBLE_INVENTORY_CACHE_CONNECTION="$out/cache"

inventory() {
  local name="$1"
  shift
  VEEAM_EM_URL="$(em_value main url)" VEEAM_EM_CA_PATH="$(em_value main ca_path)" VEEAM_EM_USERNAME="$EM_USERNAME" \
    VEEAM_EM_PASSWORD="${PASSWORD_OVERRIDE:-$EM_PASSWORD}" \
    ansible-inventory -i files/cached.veeam_em.yml --list -vvvv "$@" > "$out/inventory-$name.out" 2> "$out/inventory-$name.err"
}

em_log "inventory: a cold cache, a warm cache, a flushed cache, a wrong password"
inventory cold || { cat "$out/inventory-cold.err" >&2; em_fail "the inventory failed"; }
inventory warm || em_fail "the inventory failed with a warm cache"
inventory_logons=1
if ansible-inventory --help | grep -q -- '--flush-cache'; then  # ansible-core 2.16 has no --flush-cache here
  inventory flushed --flush-cache || em_fail "the inventory failed with --flush-cache"
  inventory_logons=2
fi
# A cache folder of its own, so that the wrong password really reaches Enterprise Manager on every ansible-core line.
if ANSIBLE_INVENTORY_CACHE_CONNECTION="$out/cache-wrong-password" PASSWORD_OVERRIDE='wrong password' inventory wrong_password; then
  em_fail "the inventory succeeded with a wrong password"
fi
grep -q 'Logon to Enterprise Manager failed' "$out/inventory-wrong_password.err" || em_fail "the wrong password did not fail the logon"
ls "$out/cache"/* > /dev/null 2>&1 || em_fail "the inventory cache is empty"

em_log "modules: successful runs, a logon session that expires during a wait, failures"
ansible-playbook -i localhost, -c local secrets.yml -vvvv -e @"$EM_WORK/em.json" -e "ansible_python_interpreter=$EM_PYTHON" \
  > "$out/playbook.out" 2> "$out/playbook.err" || { tail -50 "$out/playbook.out" >&2; em_fail "the playbook failed"; }
grep -q 'failed=0' "$out/playbook.out" || em_fail "the playbook reported failures"

em_control main get issued_tokens > "$EM_WORK/tokens.json"
count="$("$EM_PYTHON" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["tokens"]))' "$EM_WORK/tokens.json")"
# Logons that got a token: the inventory's cold and flushed runs, and 5 module runs (info, job twice, missing job,
# failed action); the wrong passwords and the untrusted certificate get none.
[ "$count" -ge $((inventory_logons + 5)) ] || em_fail "the simulator issued only $count tokens; the runs did not log on as expected"
[ -s "$out/ansible.log" ] || em_fail "ANSIBLE_LOG_PATH wrote nothing"
grep -q 'veeam_job' "$out/ansible.log" || em_fail "the log file does not show the module runs"

"$EM_PYTHON" files/find_secrets.py "$EM_WORK/tokens.json" "$EM_USERNAME" "$EM_PASSWORD" "$out" || em_fail "a secret leaked (see above)"
em_check_closed main
em_log "no secret in $(find "$out" -type f | wc -l) files; no logon session left open"
