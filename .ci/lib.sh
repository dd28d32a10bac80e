# shellcheck shell=bash
# Functions shared by the scripts in .ci/ (sourced, not run).
#
#   REPO   the collection checkout (the repository root is the collection root)
#   BUILD  the folder for virtualenvs, the ansible-test trees, logs and artifacts (ignored by git)

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD:-$REPO/build}"
COLLECTION_NAMESPACE=veeamops
COLLECTION_NAME=em
export PIP_DISABLE_PIP_VERSION_CHECK=1

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# pin_python FILE: the "# python: X.Y" line of a pin file.
pin_python() {
  sed -n 's/^# python: *\([0-9.]*\).*/\1/p' "$1" | head -n 1
}

# make_pybin: a folder of real interpreters (python3.X -> the binary itself, never a pyenv shim), so that
# ansible-test finds every Python of the machine. Prints the folder.
make_pybin() {
  local pybin="$BUILD/pybin" root candidate version
  mkdir -p "$pybin"
  root="${PYENV_ROOT:-}"
  if [ -z "$root" ] && command -v pyenv >/dev/null 2>&1; then
    root="$(cd "$(dirname "$(command -v pyenv)")/.." && pwd)"
  fi
  for version in 2.7 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13 3.14; do
    for candidate in "$root"/versions/"$version".*/bin/python"$version" /usr/bin/python"$version" /usr/local/bin/python"$version"; do
      if [ -x "$candidate" ] && "$candidate" -c 'pass' >/dev/null 2>&1; then
        ln -sfn "$candidate" "$pybin/python$version"
        break
      fi
    done
  done
  printf '%s\n' "$pybin"
}

# ensure_venv NAME PINFILE [REQUIREMENTS_FILE...]: a virtualenv at $BUILD/venv/NAME on the Python the pin file
# names, with the pins and the extra requirement files installed. It is rebuilt only when the Python, the pins
# or the requirement files change (the stamp holds their hash). Prints the virtualenv's folder.
ensure_venv() {
  local name="$1" pins="$2"; shift 2
  local venv="$BUILD/venv/$name" python pybin key files
  python="$(pin_python "$pins")"
  [ -n "$python" ] || die "$pins has no '# python: X.Y' line"
  pybin="$(make_pybin)"
  [ -x "$pybin/python$python" ] || die "Python $python is not installed (needed by $pins); install it with pyenv or the OS packages"
  files=("$pins" "$@")
  key="$( { "$pybin/python$python" -VV; cat "${files[@]}"; } | sha256sum | cut -c1-16)"
  if [ -f "$venv/.stamp-$key" ] && [ -x "$venv/bin/python" ]; then
    printf '%s\n' "$venv"
    return 0
  fi
  log "creating virtualenv $name (Python $python) from ${files[*]#"$REPO"/}"
  rm -rf "$venv"
  "$pybin/python$python" -m venv "$venv" >&2 || die "cannot create the virtualenv $venv"
  local reqs=() file
  for file in "${files[@]}"; do reqs+=(-r "$file"); done
  "$venv/bin/python" -m pip install -qq "${reqs[@]}" >&2 || { rm -rf "$venv"; die "pip install into $venv failed"; }
  touch "$venv/.stamp-$key"
  printf '%s\n' "$venv"
}

# core_venv CORE: the virtualenv of one ansible-core line (pins from .ci/pins/core-CORE.txt), which also holds
# what the modules need (requirements.txt) and what the simulator needs (tests/simulator/requirements.txt).
core_venv() {
  local pins="$REPO/.ci/pins/core-$1.txt" extra=("$REPO/requirements.txt")
  [ -f "$pins" ] || die "no pin file for ansible-core $1 ($pins); pin files: $(cd "$REPO/.ci/pins" && echo core-*.txt)"
  [ -f "$REPO/tests/simulator/requirements.txt" ] && extra+=("$REPO/tests/simulator/requirements.txt")
  ensure_venv "core-$1" "$pins" "${extra[@]}"
}

tools_venv() {
  ensure_venv tools "$REPO/.ci/pins/tools.txt"
}

# install_get_pip VENV: ansible-test bootstraps pip in its virtualenvs with a get-pip script it downloads from a
# host that is not reachable here; it uses a cached copy when one exists. Put the offline stand-in in that cache
# under every pip version the installed ansible-test knows.
install_get_pip() {
  local venv="$1" cache="$HOME/.ansible/test/cache" version
  mkdir -p "$cache"
  for version in $("$venv/bin/python" - <<'PY'
import re
import ansible_test._internal.python_requirements as reqs
with open(reqs.__file__, encoding='utf-8') as source:
    print(' '.join(sorted(set(re.findall(r"pip='([0-9.]+)'", source.read())))))
PY
  ); do
    cp "$REPO/.ci/get_pip_offline.py" "$cache/get_pip_${version//./_}.py"
  done
}

# make_tree NAME: a real copy of the checkout at $BUILD/NAME/ansible_collections/<ns>/<name> (tracked files,
# untracked files that git does not ignore, and .git), as ansible-test needs. tests/output is kept between runs
# because ansible-test keeps its delegation virtualenv there. Prints the collection folder.
make_tree() {
  local coll="$BUILD/$1/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME"
  mkdir -p "$coll/tests"
  find "$coll" -mindepth 1 -maxdepth 1 ! -name tests -exec rm -rf {} +
  find "$coll/tests" -mindepth 1 -maxdepth 1 ! -name output -exec rm -rf {} +
  (cd "$REPO" && { git ls-files -z --cached --others --exclude-standard; printf '.git\0'; } \
    | tar --null --ignore-failed-read -T - -cf - 2>/dev/null) | tar -xf - -C "$coll"
  printf '%s\n' "$coll"
}

# collections_link NAME: $BUILD/NAME/ansible_collections/<ns>/<name> as a symlink to the checkout, which is enough
# for ansible, ansible-doc and antsibull-docs (not for ansible-test). Prints the collections path.
collections_link() {
  local root="$BUILD/$1"
  mkdir -p "$root/ansible_collections/$COLLECTION_NAMESPACE"
  ln -sfn "$REPO" "$root/ansible_collections/$COLLECTION_NAMESPACE/$COLLECTION_NAME"
  printf '%s\n' "$root"
}

# note_home_mismatch: ansible-core's async_status reads async results under the account's home directory (from the
# password database) while the async wrapper writes them under $HOME. When the two differ (HOME=$(mktemp -d) make test),
# async tasks that keep the default ansible_async_dir end with "could not find job". Say so on the stage's line.
note_home_mismatch() {
  local account_home
  account_home="$(getent passwd "$(id -u)" | cut -d: -f6)"
  if [ -n "$account_home" ] && [ "$(cd "$HOME" && pwd -P)" != "$(cd "$account_home" 2>/dev/null && pwd -P)" ]; then
    log "NOTE: HOME=$HOME is not the account's home $account_home, so async tasks with a relative ansible_async_dir fail with 'could not find job'"
  fi
}

# skip REASON: end a stage that has nothing to check yet (the code it would check does not exist). It exits 0;
# .ci/test.sh recognises the "SKIP:" line and counts the stage as skipped, not passed.
skip() { log "SKIP: $*"; exit 0; }
