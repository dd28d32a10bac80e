#!/usr/bin/env bash
# Fault suite: the inventory plugin and both modules against the simulator's fault injection (/_sim/faults).
#
#   1. 20 % HTTP 503 and 5 % connection resets on every GET: 20 of 20 inventory runs and 20 of 20 veeam_job_info
#      runs succeed with the same data as without faults (transient.yml and below).
#   2. 5xx, resets, a cut-off answer and a timeout on the start POST: never a second start, and an error that says
#      whether Enterprise Manager may have accepted it (actions.yml).
#   3. The logon session expiring during a wait: the run is still followed to its end (expiry.yml).
#   4. Malformed and cut-off JSON: a clean one-line error, or recovery where a retry is allowed (bodies.yml).
#   5. Wrong password, wrong port, HTTP on the HTTPS port, an untrusted certificate and a certificate for another
#      host name: one actionable message each, from both modules and the inventory (connection.yml and below).
#   6. No logon session left open on either simulator.
#   7. A hostile server (links elsewhere, redirects echoing credentials, wrong shapes, deep nesting, huge or dripping
#      answers, endless paging) and Enterprise Manager's unconfirmed variations (job entities without includes, a
#      task that vanishes while polled, runs collected late): clean errors or the same results (hostile.yml,
#      variations.yml, and the inventory below).
#
# The faults are drawn at random on every run (no seed): the retry policy makes a failure of the 40 runs of step 1
# unlikely by design (about 1.5e-5; see the retry policy in plugins/module_utils/_client.py).
set -euo pipefail
# shellcheck source=/dev/null
source ../setup_em_shell/files/simulator.sh

em_start main --time-speed 10
em_start other_name --tls-names em01.lab.local
em_start elsewhere --no-tls
em_vars main "$EM_WORK/em.json"
export ANSIBLE_NOCOLOR=true ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED=true ANSIBLE_LOCALHOST_WARNING=false
export VEEAM_EM_URL VEEAM_EM_CA_PATH VEEAM_EM_USERNAME="$EM_USERNAME" VEEAM_EM_PASSWORD="$EM_PASSWORD"
VEEAM_EM_URL="$(em_value main url)"
VEEAM_EM_CA_PATH="$(em_value main ca_path)"
port="$(em_value main port)"
closed_port="$("$EM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

json_get() { "$EM_PYTHON" -c 'import json, sys; data = json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": data}))' "$1"; }  # noqa: eval of a test-written expression

# --- 1. inventory: 20 runs (20 sources, each parsed with its own logon session) under transient faults ----------
inventory_runs=()
for run in $(seq -w 1 20); do
  cp files/lab.veeam_em.yml "$EM_WORK/run$run.veeam_em.yml"
  inventory_runs+=(-i "$EM_WORK/run$run.veeam_em.yml")
done
ansible-inventory -i files/lab.veeam_em.yml --list > "$EM_WORK/clean.json" 2> "$EM_WORK/clean.err" \
  || { cat "$EM_WORK/clean.err" >&2; em_fail "the inventory failed without faults"; }
em_control main delete requests > /dev/null
em_control main post faults '{"error_rate": 0.2, "reset_rate": 0.05, "methods": ["GET"]}' > /dev/null
em_log "inventory: 20 runs with 20 % HTTP 503 and 5 % resets on GET"
ansible-inventory "${inventory_runs[@]}" --list > "$EM_WORK/faulty.json" 2> "$EM_WORK/faulty.err" \
  || { cat "$EM_WORK/faulty.err" >&2; em_fail "an inventory run failed under transient faults"; }
injected="$(em_control main get faults | json_get 'd["injected"]')"
em_control main delete faults > /dev/null
"$EM_PYTHON" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$EM_WORK/clean.json" "$EM_WORK/faulty.json" \
  || em_fail "the inventory under faults differs from the inventory without faults"
requests="$(em_control main get requests)"
logons="$(json_get 'sum(1 for e in d["log"] if e["route"] == "POST /api/sessionMngr" and e["status"] == 201)' <<< "$requests")"
logoffs="$(json_get 'sum(1 for e in d["log"] if e["route"] == "DELETE /api/logonSessions/{id}" and e["status"] == 204)' <<< "$requests")"
reads="$(json_get 'sum(1 for e in d["log"] if e["route"] == "GET /api/query" and e["status"] == 200)' <<< "$requests")"
[ "$logons/$logoffs/$reads" = "20/20/40" ] || em_fail "expected 20 logons, 20 logoffs and 40 answered queries, got $logons/$logoffs/$reads"
em_log "inventory: 20 of 20 runs succeeded; $injected faults injected into $(json_get 'd["total"]' <<< "$requests") requests"
echo "$injected" > "$EM_WORK/inventory_injected"

# --- 1 (modules), 2, 3, 4, 5: the playbook ---------------------------------------------------------------------
env -u VEEAM_EM_URL -u VEEAM_EM_CA_PATH -u VEEAM_EM_USERNAME -u VEEAM_EM_PASSWORD \
  ansible-playbook -i localhost, -c local faults.yml -e @"$EM_WORK/em.json" -e "inventory_injected=$injected" \
  -e "em_other_name_url=$(em_value other_name url) em_other_name_ca_path=$(em_value other_name ca_path) em_closed_port=$closed_port" \
  -e "em_elsewhere_url=$(em_value elsewhere url)" \
  -e "ansible_python_interpreter=$EM_PYTHON"

# --- 5 (inventory): one actionable line per connection mistake ---------------------------------------------------
# inventory_error NAME: ansible-inventory must fail with every text of the expected array, on one line, without the password.
inventory_error() {
  local name="$1"
  local text
  if ansible-inventory -i files/lab.veeam_em.yml --list > /dev/null 2> "$EM_WORK/$name.err"; then
    em_fail "inventory $name: ansible-inventory succeeded"
  fi
  tr '\n' ' ' < "$EM_WORK/$name.err" > "$EM_WORK/$name.line"
  for text in "${expected[@]}"; do
    grep -qF -- "$text" "$EM_WORK/$name.line" || { cat "$EM_WORK/$name.err" >&2; em_fail "inventory $name: the error does not say: $text"; }
  done
  ! grep -qF -e "$EM_PASSWORD" -e 'Traceback' "$EM_WORK/$name.line" || em_fail "inventory $name: a password or a traceback in the output"
  em_log "inventory $name: $(grep -o 'veeam_em inventory .*' "$EM_WORK/$name.line" | cut -c1-200)..."
}
expected=('Logon to Enterprise Manager failed' 'HTTP 401' 'check username and password')
VEEAM_EM_PASSWORD='wrong-Pässword' inventory_error wrong_password
expected=('Cannot connect to Enterprise Manager' 'Connection refused' 'check the host name and port in url')
VEEAM_EM_URL="https://127.0.0.1:$closed_port" inventory_error wrong_port
expected=('Cannot connect to Enterprise Manager' 'use an https:// URL')
VEEAM_EM_URL="http://127.0.0.1:$port" inventory_error plain_http
expected=('TLS connection to Enterprise Manager failed' 'CERTIFICATE_VERIFY_FAILED' 'ca_path')
VEEAM_EM_CA_PATH='' inventory_error untrusted
expected=('TLS connection to Enterprise Manager failed' 'mismatch' 'host name that the server certificate names')
VEEAM_EM_URL="$(em_value other_name url)" VEEAM_EM_CA_PATH="$(em_value other_name ca_path)" inventory_error other_name

# --- 4 (inventory): a malformed answer is a clean error -----------------------------------------------------------
em_control main post faults '{"malformed_rate": 1, "count": 1, "methods": ["GET"], "path_regex": "^/api/query$"}' > /dev/null
expected=('Unusable response from Enterprise Manager' 'returned HTTP 200 (the ')
inventory_error malformed

# --- 7 (inventory): a hostile answer is a clean error; job entities without includes give the same inventory ------
em_control main post faults '{"mangle": {"mode": "uid_wrong_type", "value": 7}, "count": 1, "methods": ["GET"], "path_regex": "^/api/query$"}' > /dev/null
expected=('Enterprise Manager answered something this collection cannot read' '/api/query?type=' 'uid: expected a ' 'got a number')
inventory_error mangled
for variant in omitted empty null; do
  em_control main post config "{\"query_job_includes\": \"$variant\"}" > /dev/null
  em_control main delete requests > /dev/null
  ansible-inventory -i files/lab.veeam_em.yml --list > "$EM_WORK/$variant.json" 2> "$EM_WORK/$variant.err" \
    || { cat "$EM_WORK/$variant.err" >&2; em_fail "inventory with includes $variant failed"; }
  "$EM_PYTHON" -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$EM_WORK/clean.json" "$EM_WORK/$variant.json" \
    || em_fail "inventory with includes $variant differs from the inventory with embedded includes"
  total="$(em_control main get requests | json_get 'd["total"]')"
  [ "$total" = 5 ] || em_fail "inventory with includes $variant: expected 5 requests (4 + one ObjectInJob page), got $total"
  em_log "inventory with includes $variant: the same hosts and groups, $total requests"
done
em_control main post config '{"query_job_includes": "embedded"}' > /dev/null

# --- 6 --------------------------------------------------------------------------------------------------------------
em_check_closed main
em_check_closed other_name
[ "$(em_control elsewhere get requests | json_get 'd["total"]')" = 0 ] || em_fail "a request reached the server that hostile links pointed at"
em_log "no logon session left open; all fault checks passed"
