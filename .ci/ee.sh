#!/usr/bin/env bash
# make ee: create an execution environment build context from meta/execution-environment.yml with ansible-builder
# (no container engine needed) in build/ee, and check that ansible-builder's introspection finds the
# collection's Python and system requirements once the collection is installed.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

venv="$(tools_venv)"
ee="$BUILD/ee"
rm -rf "$ee"
mkdir -p "$ee"
# The definition resolves requirements.txt and bindep.txt relative to itself (see the file's header).
cp "$REPO/meta/execution-environment.yml" "$REPO/requirements.txt" "$REPO/bindep.txt" "$ee/"
"$venv/bin/ansible-builder" create --file "$ee/execution-environment.yml" --context "$ee/context" --output-filename Containerfile -v 2
[ -s "$ee/context/Containerfile" ] || die "ansible-builder wrote no $ee/context/Containerfile"
cmp -s "$REPO/requirements.txt" "$ee/context/_build/requirements.txt" || die "the build context does not carry requirements.txt"
cmp -s "$REPO/bindep.txt" "$ee/context/_build/bindep.txt" || die "the build context does not carry bindep.txt"

# The collection as ansible-builder sees it when an execution environment installs it.
"$venv/bin/ansible-galaxy" collection install "$REPO" -p "$ee/collections" --force >/dev/null 2>&1 \
  || die "ansible-galaxy collection install $REPO failed"
"$venv/bin/ansible-builder" introspect --sanitize "$ee/collections" >"$ee/introspect.yml" \
  || die "ansible-builder introspect failed on the installed collection"
cat "$ee/introspect.yml"
"$venv/bin/python" - "$ee/introspect.yml" "$REPO/requirements.txt" "$REPO/bindep.txt" <<'PY'
import re
import sys

import yaml


def entries(path):
    with open(path, encoding='utf-8') as handle:
        return [line.split('#')[0].strip() for line in handle if line.split('#')[0].strip()]


found = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))
python_found = {re.split(r'[<>=!~ ;\[]', line, maxsplit=1)[0].lower() for line in found.get('python') or []}
system_found = ' '.join(found.get('system') or [])
missing = [req for req in entries(sys.argv[2]) if re.split(r'[<>=!~ ;\[]', req, maxsplit=1)[0].lower() not in python_found]
missing += [req for req in entries(sys.argv[3]) if req not in system_found]
if missing:
    sys.exit('ansible-builder introspection of the installed collection misses: ' + ', '.join(missing))
print('introspection finds every requirement of requirements.txt and bindep.txt')
PY
log "execution environment build context: $ee/context ($(wc -l <"$ee/context/Containerfile") Containerfile lines)"
