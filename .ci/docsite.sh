#!/usr/bin/env bash
# Build the HTML docsite (plugin docs from the docstrings plus docs/docsite/rst) with antsibull-docs and Sphinx,
# offline: no intersphinx inventories are fetched, and references into the Ansible docsite stay unresolved.
# Warnings are errors. The result is build/docsite/build/html/index.html.
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

venv="$(tools_venv)"
ANSIBLE_COLLECTIONS_PATH="$(collections_link collections)"
export ANSIBLE_COLLECTIONS_PATH
export PATH="$venv/bin:$PATH"
dest="$BUILD/docsite"
rm -rf "$dest"
mkdir -p "$dest"
chmod 0755 "$dest"
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$dest" "$COLLECTION_NAMESPACE.$COLLECTION_NAME"
cat >>"$dest/conf.py" <<'PY'

# Offline build: no intersphinx inventories, and references into the Ansible docsite cannot be resolved here.
# The generated index globs plugin indexes, which do not exist while the collection has no plugins.
intersphinx_mapping = {}
suppress_warnings = ['ref.ref', 'ref.envvar', 'toc.empty_glob']
PY
(cd "$dest" && ./build.sh)
[ -s "$dest/build/html/index.html" ] || die "the docsite build wrote no index.html"
log "docsite: $dest/build/html/index.html ($(find "$dest/build/html" -name '*.html' | wc -l) pages)"
