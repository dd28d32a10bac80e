#!/usr/bin/env bash
# Build the collection tarball into build/dist and check that no build or test output went into it.
#
#   .ci/build.sh          prints the path of the tarball on its last line
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

venv="$(core_venv "${CORE:-2.21}")"
dist="$BUILD/dist"
rm -rf "$dist"
mkdir -p "$dist"
cd "$REPO"
"$venv/bin/ansible-galaxy" collection build --output-path "$dist" --force >&2
tarball="$(ls "$dist"/"$COLLECTION_NAMESPACE"-"$COLLECTION_NAME"-*.tar.gz)"
# Anything that is a build or test output, a cache, or CI-only must stay out of the published artifact.
leaked="$(tar -tzf "$tarball" | grep -E '(^|/)(build|tests/output|\.git|\.ci|\.ansible|\.venv|collections|__pycache__|\.pytest_cache)(/|$)|\.tar\.gz$|^Makefile$' || true)"
if [ -n "$leaked" ]; then
  printf '%s\n' "$leaked" >&2
  die "$(printf '%s\n' "$leaked" | wc -l) unwanted file(s) in $tarball; add them to build_ignore in galaxy.yml"
fi
for required in MANIFEST.json FILES.json README.md meta/runtime.yml requirements.txt bindep.txt meta/execution-environment.yml; do
  tar -tzf "$tarball" "$required" >/dev/null 2>&1 || die "$required is missing from $tarball"
done
log "$(tar -tzf "$tarball" | wc -l) entries in $tarball"
printf '%s\n' "$tarball"
