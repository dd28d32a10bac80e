#!/usr/bin/env bash
# Create an execution environment build context from meta/execution-environment.yml with ansible-builder (no
# container engine needed), check that it carries the collection's Python and system requirements, and check
# that ansible-builder's introspection finds the same requirements in the installed collection.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

venv="$(tools_venv)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$REPO"
"$venv/bin/ansible-builder" create --file meta/execution-environment.yml --context "$work/context" --output-filename Containerfile -v 2
containerfile="$work/context/Containerfile"
[ -s "$containerfile" ] || die "ansible-builder wrote no $containerfile"
python_reqs="$(find "$work/context" -name requirements.txt -path '*_build*' | head -n 1)"
[ -n "$python_reqs" ] || die "the build context has no Python requirements file"
while read -r requirement; do
  name="$(printf '%s' "$requirement" | sed 's/[<>=!~ ;].*//')"
  grep -qi "^$name" "$python_reqs" || die "$name (requirements.txt) is missing from the context's $python_reqs"
done < <(grep -vE '^\s*(#|$)' requirements.txt)

# The collection as ansible-builder sees it once installed in an image.
collections="$work/collections"
"$venv/bin/ansible-galaxy" collection install "$REPO" -p "$collections" --force >/dev/null
"$venv/bin/ansible-builder" introspect --sanitize "$collections" | tee "$work/introspect.yml"
"$venv/bin/python" - "$work/introspect.yml" "$REPO/requirements.txt" "$REPO/bindep.txt" <<'PY'
import sys
import yaml

found = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
wanted_python = [line.split('#')[0].strip() for line in open(sys.argv[2], encoding='utf-8') if line.split('#')[0].strip()]
wanted_system = [line.split('#')[0].strip() for line in open(sys.argv[3], encoding='utf-8') if line.split('#')[0].strip()]
python_found = ' '.join(found.get('python') or [])
system_found = ' '.join(found.get('system') or [])
missing = [req for req in wanted_python if req.replace(' ', '') not in python_found.replace(' ', '')]
missing += [req for req in wanted_system if req not in system_found]
if missing:
    sys.exit('ansible-builder introspection of the installed collection misses: ' + ', '.join(missing))
print(f'introspection finds {len(wanted_python)} Python and {len(wanted_system)} system requirement(s)')
PY
log "execution environment context created ($(wc -l <"$containerfile") Containerfile lines)"
