# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Background operation: the state file, ``--daemon`` start and ``stop``.

``DIR/state.json`` is written once the server listens and removed when it stops. ``--daemon``
starts the same command in a new session (output to ``DIR/simulator.log``) and returns 0 only
when the state file names that process and its port accepts connections.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

STATE_FILE = 'state.json'
LOG_FILE = 'simulator.log'
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def write_state(state_dir: Path, state: dict) -> None:
    temporary = state_dir / f'.{STATE_FILE}.{os.getpid()}'
    temporary.write_text(json.dumps(state, indent=2) + '\n', encoding='utf-8')
    os.replace(temporary, state_dir / STATE_FILE)


def read_state(state_dir: Path):
    try:
        return json.loads((state_dir / STATE_FILE).read_text(encoding='utf-8'))
    except (OSError, ValueError):
        return None


def remove_state(state_dir: Path, pid: int) -> None:
    """Remove the state file if it still describes process ``pid``."""
    state = read_state(state_dir)
    if state and state.get('pid') == pid:
        try:
            (state_dir / STATE_FILE).unlink()
        except OSError:
            pass


def is_simulator(pid: int) -> bool:
    """True when ``pid`` is alive and (where /proc tells) runs this simulator."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    cmdline = Path(f'/proc/{pid}/cmdline')
    if cmdline.exists():
        try:
            return b'em_simulator' in cmdline.read_bytes()
        except OSError:
            return False
    return True


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1):
            return True
    except OSError:
        return False


def start_daemon(argv: list, state_dir: Path) -> int:
    """Run ``python -m em_simulator <argv>`` detached; wait until it serves. Returns the exit status."""
    state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    old = read_state(state_dir)
    if old and is_simulator(int(old.get('pid', 0))):
        print(f"a simulator is already running from {state_dir} (pid {old['pid']}, {old.get('url')}); stop it first", file=sys.stderr)
        return 1
    if old:
        (state_dir / STATE_FILE).unlink()
    package_parent = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_parent, os.environ.get('PYTHONPATH')])))
    with open(state_dir / LOG_FILE, 'ab') as log:
        child = subprocess.Popen([sys.executable, '-m', 'em_simulator'] + argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                 env=env, start_new_session=True, close_fds=True)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            print(f'the simulator exited with status {child.returncode} before it was ready:\n{_log_tail(state_dir)}', file=sys.stderr)
            return 1
        state = read_state(state_dir)
        if state and state.get('pid') == child.pid and port_open(int(state['port'])):
            print(json.dumps(state))
            return 0
        time.sleep(0.05)
    child.kill()
    print(f'the simulator was not ready within {READY_TIMEOUT:.0f} s:\n{_log_tail(state_dir)}', file=sys.stderr)
    return 1


def _log_tail(state_dir: Path, lines: int = 20) -> str:
    try:
        return '\n'.join((state_dir / LOG_FILE).read_text(encoding='utf-8', errors='replace').splitlines()[-lines:])
    except OSError:
        return '(no log)'


def stop_daemon(state_dir: Path) -> int:
    """Stop the simulator described by ``state_dir/state.json``; nothing else in the folder is removed."""
    state = read_state(state_dir)
    if not state:
        print(f'no simulator state in {state_dir}; nothing to stop')
        return 0
    pid = int(state.get('pid', 0))
    if not is_simulator(pid):
        print(f'the simulator of {state_dir} (pid {pid}) is not running; removing its stale state file')
        remove_state(state_dir, pid)
        return 0
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline and is_simulator(pid):
        time.sleep(0.05)
    if is_simulator(pid):
        os.kill(pid, signal.SIGKILL)
    remove_state(state_dir, pid)
    print(f'stopped the simulator (pid {pid})')
    return 0
