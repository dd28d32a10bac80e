#!/usr/bin/env bash
# make release-check: the collection tarball as a publisher uploads it, through galaxy-importer (the import check
# of Galaxy and Automation Hub) with Automation Hub's settings. The stage fails on any WARNING or ERROR line in the
# importer's log, because galaxy-importer exits 0 after many failures (flake8 and ansible-lint findings, a skipped
# tool are warnings; a failed ansible-test run ends "completed successfully" too). It then reads the importer's
# result: every guide in docs/*.md is a documentation file, and every plugin and role of the tarball was imported,
# the plugins with their documentation.
#
# Automation Hub's settings, set in a config file of our own (GALAXY_IMPORTER_CONFIG) and verified as in force
# before the import (option names as galaxy_importer/config.py reads them):
#   REQUIRE_V1_OR_GREATER = True   Hub refuses versions below 1.0.0. galaxy-importer's README calls this option
#                                  REQUIRE_V1_OR_LATER, a name its code never reads: the check below would catch it.
#   CHECK_REQUIRED_TAGS = True     certification needs one tag of the importer's list (application, cloud,
#                                  database, eda, infrastructure, linux, monitoring, networking, security, storage,
#                                  tools, windows, ...); Red Hat's partner certification workflow turns it on.
#   RUN_FLAKE8 = True              flake8 over every plugin file (E, F and W codes, lines up to 160 characters).
#   RUN_ANSIBLE_DOC, RUN_ANSIBLE_LINT (production profile), OFFLINE_ANSIBLE_LINT, CHECK_CHANGELOG = True:
#                                  the importer's defaults, set explicitly so that no /etc file changes them.
#   RUN_ANSIBLE_TEST = False       on Hub it runs ansible-test sanity in a container (INFRA_OSD, or podman/docker
#                                  with ANSIBLE_TEST_LOCAL_IMAGE), and no container engine is needed here:
#                                  ansible-test sanity runs in our own stages (make sanity, on every ansible-core
#                                  line we support) instead.
# Environment variables GALAXY_IMPORTER_<OPTION> would override the file; they are cleared.
#
#   .ci/release_check.sh [TARBALL]     (default: the tarball that make build makes)
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

work="$BUILD/release-check"
rm -rf "$work"
mkdir -p "$work/tmp" "$work/ansible-tmp"

if [ $# -ge 1 ]; then
  tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
  tarball="$("$REPO/.ci/build.sh" | tail -n 1)"
fi
[ -f "$tarball" ] || die "no collection tarball at $tarball"
venv="$(ensure_venv galaxy-importer "$REPO/.ci/pins/galaxy-importer.txt")"

cat >"$work/galaxy-importer.cfg" <<EOF
[galaxy-importer]
REQUIRE_V1_OR_GREATER = True
CHECK_REQUIRED_TAGS = True
RUN_FLAKE8 = True
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
CHECK_CHANGELOG = True
RUN_ANSIBLE_TEST = False
ANSIBLE_TEST_LOCAL_IMAGE = False
LOCAL_IMAGE_DOCKER = False
INFRA_OSD = False
LOG_LEVEL_MAIN = INFO
TMP_ROOT_DIR = $work/tmp
ANSIBLE_LOCAL_TMP = $work/ansible-tmp
EOF
while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(GALAXY_IMPORTER_[A-Z0-9_]*\)=.*/\1/p')
export GALAXY_IMPORTER_CONFIG="$work/galaxy-importer.cfg"
export PATH="$venv/bin:$PATH" ANSIBLE_NOCOLOR=1 NO_COLOR=1

# The settings galaxy-importer will use are the ones above (a misspelt option would be silently ignored).
"$venv/bin/python" - <<'PY' || die "galaxy-importer does not use the settings of $GALAXY_IMPORTER_CONFIG"
import configparser
import os
import sys

from galaxy_importer import config

wanted = configparser.ConfigParser()
wanted.read(os.environ['GALAXY_IMPORTER_CONFIG'])
in_force = config.Config(config_data=config.ConfigFile.load())
wrong = []
for key, value in wanted['galaxy-importer'].items():
    if key not in config.Config.DEFAULTS:
        wrong.append(f'{key} is not an option of galaxy-importer')
    elif str(getattr(in_force, key)) != value:
        wrong.append(f'{key} is {getattr(in_force, key)!r}, not {value}')
for line in wrong:
    print(f'[release_check.sh] ERROR: {line}', file=sys.stderr)
sys.exit(1 if wrong else 0)
PY

log "galaxy-importer $("$venv/bin/python" -c 'import galaxy_importer; print(galaxy_importer.__version__)') on ${tarball#"$REPO"/} with Automation Hub's settings"
rc=0
(cd "$work" && python -m galaxy_importer.main "$tarball") >"$work/importer.log" 2>&1 || rc=$?
cat "$work/importer.log"

problems=()
[ "$rc" = 0 ] || problems+=("galaxy-importer exited with $rc")
findings="$(grep -cE '^(WARNING|ERROR|CRITICAL)\b|Traceback' "$work/importer.log" || true)"
[ "$findings" = 0 ] || problems+=("$findings WARNING/ERROR line(s) in the importer's log")
grep -q '^Importer processing completed successfully' "$work/importer.log" \
  || problems+=("the importer did not complete")

# What the importer made of the tarball: documentation files, and every plugin and role with its documentation.
summary="$(python - "$tarball" "$work/importer_result.json" "$REPO/galaxy.yml" <<'PY'
import json
import os
import sys
import tarfile

import yaml

tarball, result_path, galaxy_path = sys.argv[1:4]
with tarfile.open(tarball) as archive:
    names = archive.getnames()
if not os.path.exists(result_path):
    print('ERROR: the importer wrote no importer_result.json')
    sys.exit(0)
with open(result_path, encoding='utf-8') as stream:
    result = json.load(stream)
docs = result['docs_blob']
problems = []
# Galaxy shows the .md files at the top of docs/ (not those of sub-folders) as the collection's documentation.
guides = sorted(name[len('docs/'):] for name in names if name.startswith('docs/') and name.count('/') == 1
                and name.endswith('.md'))
shown = sorted(doc['name'] for doc in docs['documentation_files'] if doc.get('html'))
if not guides:
    problems.append('the tarball has no docs/*.md: Galaxy and Automation Hub would show no guide')
if shown != guides:
    problems.append(f'documentation files shown: {shown}, expected every docs/*.md: {guides}')
if not (docs.get('collection_readme') or {}).get('html'):
    problems.append('the README was not rendered')
# Every plugin file (not module_utils, plugin_utils or doc fragments) and every role is content with documentation.
expected = set()
for name in names:
    parts = name.split('/')
    if len(parts) == 3 and parts[0] == 'plugins' and parts[2].endswith('.py') and parts[2] != '__init__.py' \
            and parts[1] not in ('module_utils', 'plugin_utils', 'doc_fragments'):
        expected.add(('module' if parts[1] == 'modules' else parts[1], parts[2][:-3]))
    if len(parts) >= 3 and parts[0] == 'roles' and parts[2] == 'meta':
        expected.add(('role', parts[1]))
found = {(item['content_type'], item['content_name']): item for item in docs['contents']}
for kind, name in sorted(expected):
    if (kind, name) not in found:
        problems.append(f'{kind} {name} is missing from the imported contents')
    elif kind != 'role' and not found[(kind, name)].get('doc_strings'):
        problems.append(f'{kind} {name} was imported without its documentation (ansible-doc found none)')
# Our own rule: an Event-Driven Ansible event source makes the collection one Hub lists under the tag eda.
with open(galaxy_path, encoding='utf-8') as stream:
    tags = yaml.safe_load(stream).get('tags') or []
if any(name.startswith('extensions/eda/plugins/event_source/') and name.endswith('.py') for name in names) \
        and 'eda' not in tags:
    problems.append('the collection has an event source in extensions/eda but galaxy.yml has no tag eda')
for problem in problems:
    print('ERROR: ' + problem)
roles = sum(1 for kind, _name in expected if kind == 'role')
print(f'OK: version {result["metadata"]["version"]}, {len(shown)} documentation files, '
      f'{len(expected) - roles} plugins and {roles} roles imported with their documentation')
PY
)"
printf '%s\n' "$summary"
while read -r line; do
  case "$line" in ERROR:*) problems+=("${line#ERROR: }") ;; esac
done <<<"$summary"

if [ "${#problems[@]}" -gt 0 ]; then
  for problem in "${problems[@]}"; do log "ERROR: $problem"; done
  die "the collection would not import cleanly into Automation Hub (log: ${work#"$REPO"/}/importer.log)"
fi
log "galaxy-importer: no warning and no error; $(sed -n 's/^OK: //p' <<<"$summary")"
