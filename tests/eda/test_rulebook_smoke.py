# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Event-Driven Ansible toolchain end to end: a real ansible-rulebook (with its Java rules engine) loads a
rulebook and an event source from a collection's extensions/eda/ folders, matches one event, and runs a playbook
through ansible-runner that records the event. Uses a throwaway collection in a temporary folder.

Run with the eda virtualenv's Python (``make eda``); JAVA_HOME names a Java runtime 17 or newer.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

# ansible-rulebook takes 5 to 20 s here (JVM start, the playbook); the rulebook's shutdown action ends it.
TIMEOUT = 120

# Emits numbered events that carry the token it is given, then waits like a polling source that has nothing
# new: only the rulebook's shutdown action ends the run.
SOURCE = '''
import asyncio


async def main(queue, args):
    for number in range(int(args['count'])):
        await queue.put({'number': number, 'token': args['token']})
    await asyncio.Event().wait()
'''

RULEBOOK = '''
- name: Smoke
  hosts: all
  sources:
    - smoke.eda.numbers:
        count: 5
        token: "{{ token }}"
  rules:
    - name: Third event
      condition: event.number == 2
      actions:
        - run_playbook:
            name: smoke.eda.record
            extra_vars:
              trace: "{{ trace }}"
        - debug:
            msg: "matched {{ event.number }} {{ event.token }}"
        - shutdown:
            delay: 0
'''

PLAYBOOK = '''
- name: Record the event that matched
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Append the event to the trace file
      ansible.builtin.lineinfile:
        path: "{{ trace }}"
        line: "number={{ ansible_eda.event.number }} token={{ ansible_eda.event.token }}"
        create: true
        mode: "0600"
'''

INVENTORY = '''
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "{{ ansible_playbook_python }}"
'''


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding='utf-8')


def as_text(output: bytes | str | None) -> str:
    return output.decode('utf-8', 'replace') if isinstance(output, bytes) else output or ''


def make_collection(root: Path) -> None:
    collection = root / 'ansible_collections' / 'smoke' / 'eda'
    write(collection / 'galaxy.yml', 'namespace: smoke\nname: eda\nversion: 1.0.0\nreadme: README.md\n'
                                     'authors: [smoke]\n')
    write(collection / 'extensions' / 'eda' / 'plugins' / 'event_source' / 'numbers.py', SOURCE)
    write(collection / 'extensions' / 'eda' / 'rulebooks' / 'smoke.yml', RULEBOOK)
    write(collection / 'playbooks' / 'record.yml', PLAYBOOK)


def rulebook_env(tmp_path: Path) -> dict:
    bin_dir = str(Path(sys.executable).parent)  # ansible-rulebook runs ansible-galaxy and ansible-playbook from PATH
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get('PATH', ''))
    (tmp_path / 'tmp').mkdir(exist_ok=True)  # ansible-runner's and the JVM's temporary files stay in the test's folder
    env.update(ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_HOME=str(tmp_path / 'ansible-home'),
               ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false', ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'),
               TMPDIR=str(tmp_path / 'tmp'), NO_COLOR='1', ANSIBLE_NOCOLOR='1',
               PYTHONUNBUFFERED='1')  # unbuffered: the output up to a time-out is kept
    return env


def run_rulebook(tmp_path: Path, *arguments: str) -> tuple[int | None, str]:
    """Run ansible-rulebook in TMP_PATH; its exit code (None when it ran past TIMEOUT) and its output."""
    command = [str(Path(sys.executable).parent / 'ansible-rulebook'), *arguments, '--print-events']
    try:
        done = subprocess.run(command, cwd=tmp_path, env=rulebook_env(tmp_path), capture_output=True, timeout=TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired as error:
        return None, as_text(error.stdout) + as_text(error.stderr)
    return done.returncode, as_text(done.stdout) + as_text(done.stderr)


def test_rulebook_from_collection_runs_playbook(tmp_path):
    make_collection(tmp_path / 'collections')
    token = secrets.token_hex(8)
    trace = tmp_path / 'trace.txt'
    write(tmp_path / 'vars.yml', f'token: "{token}"\ntrace: "{trace}"\n')
    write(tmp_path / 'inventory.yml', INVENTORY)
    code, output = run_rulebook(tmp_path, '--rulebook', 'smoke.eda.smoke', '--vars', 'vars.yml',
                                '--inventory', 'inventory.yml')
    assert code is not None, f'ansible-rulebook did not end within {TIMEOUT} s (no rule fired?)\n{output}'
    assert code == 0, output
    assert trace.exists(), f'the playbook did not write {trace}\n{output}'
    assert trace.read_text(encoding='utf-8').splitlines() == [f'number=2 token={token}'], output
    assert f'matched 2 {token}' in output, output
