#!/usr/bin/env bash
# make eda: Event-Driven Ansible. Provides a Java runtime 17 or newer (ansible-rulebook's rules engine runs in a
# JVM that the drools-jpy bridge loads from $JAVA_HOME/lib/server/libjvm.so), installing the OS package when the
# machine has none, and ansible-rulebook in its own virtualenv (.ci/pins/eda.txt), then runs the tests in
# tests/eda with a real ansible-rulebook.
#
#   .ci/eda.sh [pytest arguments...]
set -euo pipefail
# shellcheck source=.ci/lib.sh
source "$(dirname "$0")/lib.sh"

# The oldest Java that ansible-rulebook accepts (it refuses to start on an older one).
JAVA_MIN=17
# Debian and Ubuntu packages that provide it, first choice first (a headless runtime is enough: no JDK tools).
JAVA_PACKAGES=(openjdk-17-jre-headless openjdk-21-jre-headless default-jre-headless)

# java_props JAVA: "MAJOR VERSION HOME" of a java executable, as ansible-rulebook reads them (MAJOR is 8 for
# 1.8.x), or nothing when it does not run.
java_props() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '
    $1 ~ /^ *java\.home$/ { home = $2 }
    $1 ~ /^ *java\.version$/ {
      version = $2; split(version, v, "."); major = (v[1] == "1") ? v[2] : v[1]; sub(/[^0-9].*/, "", major)
    }
    END { if (major != "" && home != "") print major, version, home }'
}

# find_java: the home of the first usable Java runtime (JAVA_MIN or newer, with libjvm.so where jpy looks for it)
# among $JAVA_HOME, the java on PATH and the runtimes under /usr/lib/jvm. Prints the home; says why it skips one.
find_java() {
  local candidates=() candidate major version home
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  candidate="$(command -v java || true)"
  [ -n "$candidate" ] && candidates+=("$candidate")
  for candidate in /usr/lib/jvm/*/bin/java; do [ -x "$candidate" ] && candidates+=("$candidate"); done
  for candidate in "${candidates[@]}"; do
    read -r major version home < <(java_props "$candidate") || true
    if [ -z "${major:-}" ]; then
      log "$candidate does not run"
    elif [ "$major" -lt "$JAVA_MIN" ]; then
      log "$candidate is Java $version; ansible-rulebook needs $JAVA_MIN or newer"
    elif [ ! -f "$home/lib/server/libjvm.so" ]; then
      log "$candidate (Java $version) has no $home/lib/server/libjvm.so, which drools-jpy loads"
    else
      printf '%s\n' "$home"
      return 0
    fi
  done
  return 1
}

# install_java: install the first of JAVA_PACKAGES that the OS package lists offer, non-interactively; the
# output goes to build/logs/eda-java-install.log. Fails with the reason when it cannot.
install_java() {
  local install_log="$BUILD/logs/eda-java-install.log" sudo=() package candidate chosen=''
  # Wait for another apt or dpkg run (an unattended upgrade at boot) rather than fail at once.
  local apt_options=(-o DPkg::Lock::Timeout=300)
  mkdir -p "$BUILD/logs"
  command -v apt-get >/dev/null 2>&1 \
    || die "no Java runtime $JAVA_MIN or newer, and no apt-get to install one: install one and set JAVA_HOME to it"
  if [ "$(id -u)" != 0 ]; then
    sudo -n true 2>/dev/null \
      || die "no Java runtime $JAVA_MIN or newer, and installing ${JAVA_PACKAGES[0]} needs root (no password-less sudo)"
    sudo=(sudo -n)
  fi
  log "no Java runtime $JAVA_MIN or newer: installing one from the OS packages (log in ${install_log#"$REPO"/})"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q "${apt_options[@]}" >"$install_log" 2>&1 \
    || { tail -n 20 "$install_log" >&2; die "apt-get update failed, so no Java runtime could be installed"; }
  for package in "${JAVA_PACKAGES[@]}"; do
    candidate="$(apt-cache policy "$package" 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
    if [ -n "$candidate" ] && [ "$candidate" != '(none)' ]; then chosen="$package"; break; fi
  done
  [ -n "$chosen" ] || die "the OS package lists offer none of ${JAVA_PACKAGES[*]}"
  # Minimal Debian images leave out the man page folders, and the Java packages' install scripts fail without them.
  "${sudo[@]}" mkdir -p /usr/share/man/man1
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q "${apt_options[@]}" --no-install-recommends "$chosen" >>"$install_log" 2>&1 \
    || { tail -n 20 "$install_log" >&2; die "apt-get install $chosen failed"; }
  log "installed $chosen $(dpkg-query -W -f='${Version}' "$chosen" 2>/dev/null || true)"
}

start=$SECONDS
if ! java_home="$(find_java)"; then
  install_java
  java_home="$(find_java)" || die "installed a Java runtime but found none that ansible-rulebook can use (see above)"
fi
# ansible-rulebook and jpy both read JAVA_HOME (jpy after its own variables, unset here); naming it keeps them on
# the runtime checked here.
export JAVA_HOME="$java_home"
unset JPY_JVM_DLL JPY_JAVA_HOME JPY_JDK_HOME JPY_JRE_HOME
# requirements.txt: the event source runs in ansible-rulebook's Python and needs what the modules need.
venv="$(ensure_venv eda "$REPO/.ci/pins/eda.txt" "$REPO/requirements.txt")"
export PATH="$venv/bin:$PATH"
versions="$("$venv/bin/python" - <<'PY'
import platform
from importlib.metadata import version
names = ('ansible-rulebook', 'drools-jpy', 'jpy', 'ansible-core', 'ansible-runner')
print(', '.join(f'{name} {version(name)}' for name in names) + f' on Python {platform.python_version()}')
PY
)"
log "$versions; Java $(java_props "$JAVA_HOME/bin/java" | cut -d' ' -f2) at $JAVA_HOME"

cd "$REPO"
"$venv/bin/python" -m pytest -q -p no:cacheprovider --basetemp "$BUILD/eda" tests/eda "$@"
log "EDA tests passed in $((SECONDS - start)) s"
