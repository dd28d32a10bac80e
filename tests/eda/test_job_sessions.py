# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event source veeamops.em.job_sessions against the Enterprise Manager simulator, and the collection's retry
rulebook run by a real ansible-rulebook.

Runs end Failed, Warning or Success through the simulator's /_sim/ control API; the source must hand on exactly the
selected runs, each once, with the failed VMs' reasons, also when Enterprise Manager shows runs late
(``--session-collect-delay``) and after a forced idle expiry, and leave no logon session open when it stops.

Run with the eda virtualenv's Python (``make eda``); the simulator runs on the same Python.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import signal
import ssl
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SIMULATOR = REPO / 'tests' / 'simulator'
sys.path.insert(0, str(SIMULATOR))
from em_simulator.runs import FAILED_REASON, WARNING_REASON  # noqa: E402 pylint: disable=wrong-import-position

USERNAME = 'LAB\\svc-ansible'
PASSWORD = 'Ansible:Pa&ss=wörd'
DAILY = '47752464-8e77-407a-a936-132173ac15f5'       # Daily VM Backup (vbr01.lab.local)
DEV = '3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91'         # Dev Backup
TEST_LAB = '2c4e6a8b-0d1f-4a3c-9e5b-7f9a1c3e5d70'    # Test Lab Backup
RULEBOOK_TIMEOUT = 150


class Simulator:
    """One simulator daemon of the lab scenario, and its /_sim/ control API."""

    def __init__(self, folder: Path, *options: str):
        self.folder = folder
        command = [sys.executable, '-m', 'em_simulator', '--daemon', '--state-dir', str(folder), '--lifetime', '600', *options]
        subprocess.run(command, check=True, env=dict(os.environ, PYTHONPATH=str(SIMULATOR)), capture_output=True)
        self.state = json.loads((folder / 'state.json').read_text(encoding='utf-8'))
        self.context = ssl.create_default_context(cafile=self.state['ca_path'])

    def control(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(self.state['control_url'] + '/' + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, context=self.context, timeout=30) as answer:  # nosec: loopback simulator
            text = answer.read().decode('utf-8')
        return json.loads(text) if text.strip() else None

    def run(self, job: str, result: str, duration: int = 60):
        """A run of ``job`` that ends with ``result`` after ``duration`` simulated seconds."""
        self.control('POST', f'jobs/{job}/outcome', {'result': result, 'duration': duration})
        self.control('POST', f'jobs/{job}/run')

    def open_logons(self) -> int:
        return self.control('GET', 'logon_sessions')['open']

    def connection(self) -> dict:
        return {'url': self.state['url'], 'username': USERNAME, 'password': PASSWORD, 'ca_path': self.state['ca_path']}

    def stop(self):
        subprocess.run([sys.executable, '-m', 'em_simulator', 'stop', '--state-dir', str(self.folder)],
                       env=dict(os.environ, PYTHONPATH=str(SIMULATOR)), capture_output=True, check=False)


@pytest.fixture
def collection(tmp_path):
    """A collections path that holds this checkout as veeamops.em, as ansible-rulebook finds collections."""
    root = tmp_path / 'collections'
    (root / 'ansible_collections' / 'veeamops').mkdir(parents=True)
    (root / 'ansible_collections' / 'veeamops' / 'em').symlink_to(REPO)
    return root


@pytest.fixture
def source(collection):
    """The event source module, loaded by its path as ansible-rulebook loads it."""
    path = collection / 'ansible_collections' / 'veeamops' / 'em' / 'extensions' / 'eda' / 'plugins' / 'event_source' / 'job_sessions.py'
    spec = importlib.util.spec_from_file_location('job_sessions_under_test', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def simulator(tmp_path, *options):
    sim = Simulator(tmp_path / ('sim' + str(len(list(tmp_path.glob('sim*'))))), *options)
    return sim


async def collect(source, args, step, until, timeout=60.0):
    """Run the source until ``until(events)`` holds (then two more polls, to see that nothing repeats) or ``timeout``;
    ``step(polls)`` runs between polls. Returns the events. Stopping cancels the source, as ansible-rulebook does."""
    queue = asyncio.Queue()
    task = asyncio.create_task(source.main(queue, args))
    events, started, extra = [], time.monotonic(), None
    try:
        polls = 0
        while time.monotonic() - started < timeout:
            await asyncio.sleep(float(args['interval']))
            polls += 1
            while not queue.empty():
                events.append(queue.get_nowait())
            if task.done():
                task.result()
            if extra is None and until(events):
                extra = polls + 2
            if extra is not None and polls >= extra:
                break
            step(polls)
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
    return events


def by_job(events):
    return {event['veeam_em']['job']['name']: event['veeam_em'] for event in events}


@pytest.mark.parametrize('collect_delay', ['0', '120'])
def test_selected_runs_once_each_with_failed_vms(tmp_path, source, collect_delay):
    sim = simulator(tmp_path, '--session-collect-delay', collect_delay)
    try:
        def step(polls):
            if polls == 1:
                sim.run(DAILY, 'Failed')
                sim.run(DEV, 'Warning')
                sim.run(TEST_LAB, 'Success')
            elif polls in (2, 3, 4):
                sim.control('POST', 'advance', {'seconds': 100})

        args = dict(sim.connection(), interval=0.3)
        events = asyncio.run(collect(source, args, step, lambda found: len(found) >= 2))
        jobs = by_job(events)
        assert len(events) == 2 and sorted(jobs) == ['Daily VM Backup', 'Dev Backup'], events
        daily, dev = jobs['Daily VM Backup'], jobs['Dev Backup']
        newest = sim.control('GET', f'jobs/{DAILY}')['sessions'][0]
        assert daily['session']['id'] == newest['id'] and daily['session']['result'] == 'Failed'
        assert daily['session']['state'] == 'Stopped' and daily['session']['end_time']
        assert daily['job'] == {'name': 'Daily VM Backup', 'id': DAILY, 'type': 'Backup'}
        assert daily['backup_server'] == 'vbr01.lab.local'
        # The simulator marks the last VM of a failed or warning run with its reason.
        assert daily['failed_vms'] == [{'name': newest['vms'][-1], 'result': 'Failed', 'reason': FAILED_REASON}]
        assert dev['session']['result'] == 'Warning'
        assert [(vm['result'], vm['reason']) for vm in dev['failed_vms']] == [('Warning', WARNING_REASON)]
        assert sim.open_logons() == 0
    finally:
        sim.stop()


def test_replays_history_and_survives_an_idle_expiry(tmp_path, source):
    sim = simulator(tmp_path)
    try:
        sim.run(DAILY, 'Failed', duration=10)
        sim.control('POST', 'advance', {'seconds': 60})

        def step(polls):
            if polls == 2:
                assert sim.control('POST', 'expire_sessions', {})['expired'] == 1
                sim.run(DEV, 'Failed', duration=10)
                sim.control('POST', 'advance', {'seconds': 60})

        args = dict(sim.connection(), interval=0.3, start_at='1h', results=['Failed'], task_sessions=False)
        events = asyncio.run(collect(source, args, step, lambda found: len(found) >= 2))
        assert [event['veeam_em']['job']['name'] for event in events] == ['Daily VM Backup', 'Dev Backup'], events
        assert all(event['veeam_em']['failed_vms'] is None for event in events)
        assert sim.open_logons() == 0
    finally:
        sim.stop()


def test_server_errors_are_warnings_and_the_run_is_still_handed_on(tmp_path, source, caplog):
    sim = simulator(tmp_path)
    try:
        def step(polls):
            if polls == 1:
                sim.control('POST', 'faults', {'error_rate': 1.0, 'error_status': 500})
                sim.run(DAILY, 'Failed', duration=10)  # it ends while every request fails
                sim.control('POST', 'advance', {'seconds': 60})
            elif polls == 6:
                sim.control('DELETE', 'faults')

        args = dict(sim.connection(), interval=0.3, task_sessions=False)
        events = asyncio.run(collect(source, args, step, lambda found: len(found) >= 1))
        assert [event['veeam_em']['job']['name'] for event in events] == ['Daily VM Backup'], events
        assert caplog.text.count('the poll failed and is tried again') >= 3, caplog.text
        assert 'HTTP 500' in caplog.text and PASSWORD not in caplog.text
        assert sim.open_logons() == 0
    finally:
        sim.stop()


def test_an_untrusted_certificate_stops_the_source(tmp_path, source):
    sim = simulator(tmp_path)
    try:
        args = dict(sim.connection(), ca_path=None, interval=0.3)
        with pytest.raises(Exception) as error:
            asyncio.run(collect(source, args, lambda polls: None, lambda found: False, timeout=20))
        assert 'TLS connection to Enterprise Manager failed' in str(error.value)
    finally:
        sim.stop()


def test_bad_credentials_stop_the_source_with_the_reason(tmp_path, source):
    sim = simulator(tmp_path)
    try:
        args = dict(sim.connection(), password='wrong password', interval=0.3)
        with pytest.raises(Exception) as error:
            asyncio.run(collect(source, args, lambda polls: None, lambda found: False, timeout=20))
        assert 'Logon to Enterprise Manager failed' in str(error.value) and 'wrong password' not in str(error.value)
        assert sim.open_logons() == 0
    finally:
        sim.stop()


INVENTORY = '''
all:
  hosts:
    localhost:
      ansible_connection: local
      ansible_python_interpreter: "{{ ansible_playbook_python }}"
'''


def test_the_retry_rulebook_retries_a_failed_job_once(tmp_path, collection):
    """ansible-rulebook runs extensions/eda/rulebooks/retry_failed_job.yml as shipped: the failed run of Daily VM
    Backup reaches the playbook, which retries the job in the simulator."""
    sim = simulator(tmp_path)
    try:
        (tmp_path / 'inventory.yml').write_text(textwrap.dedent(INVENTORY).lstrip(), encoding='utf-8')
        bin_dir = str(Path(sys.executable).parent)
        (tmp_path / 'tmp').mkdir()
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get('PATH', ''), ANSIBLE_COLLECTIONS_PATH=str(collection),
                   ANSIBLE_HOME=str(tmp_path / 'ansible-home'), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / 'ansible-tmp'), TMPDIR=str(tmp_path / 'tmp'), NO_COLOR='1',
                   ANSIBLE_NOCOLOR='1', PYTHONUNBUFFERED='1', VEEAM_EM_URL=sim.state['url'], VEEAM_EM_USERNAME=USERNAME,
                   VEEAM_EM_PASSWORD=PASSWORD, VEEAM_EM_CA_PATH=sim.state['ca_path'],
                   # The rules engine's JVM would end the process on SIGINT before the source can log off.
                   JAVA_TOOL_OPTIONS='-Xrs')
        # The shipped rulebook polls every 60 s: start the source an hour back so that its first poll finds the run.
        rulebook = (REPO / 'extensions' / 'eda' / 'rulebooks' / 'retry_failed_job.yml').read_text(encoding='utf-8')
        assert 'interval: 60' in rulebook
        sim.run(DAILY, 'Failed', duration=10)
        sim.control('POST', 'advance', {'seconds': 60})
        sim.control('POST', f'jobs/{DAILY}/outcome', {'result': 'Success', 'duration': 10})
        (tmp_path / 'retry.yml').write_text(rulebook.replace('interval: 60', 'interval: 1\n        start_at: 1h'), encoding='utf-8')
        log = tmp_path / 'rulebook.log'
        with open(log, 'wb') as stream:
            process = subprocess.Popen([bin_dir + '/ansible-rulebook', '--rulebook', 'retry.yml', '--inventory', 'inventory.yml',
                                        '--print-events'], cwd=tmp_path, env=env, stdout=stream, stderr=subprocess.STDOUT)
        retries, started = 0, time.monotonic()
        # Until the playbook has retried the job and followed the new run to its end (its play recap).
        while time.monotonic() - started < RULEBOOK_TIMEOUT and process.poll() is None:
            retries = sim.control('GET', f'jobs/{DAILY}')['counts']['retry']
            if retries and b'PLAY RECAP' in log.read_bytes():
                break
            time.sleep(1)
        time.sleep(3)  # two more polls of the source: a second retry, if the rulebook wrongly made one, would show
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output = log.read_bytes()
        text = output.decode('utf-8', 'replace')
        assert retries == 1 and sim.control('GET', f'jobs/{DAILY}')['counts']['retry'] == 1, text
        assert PASSWORD not in text, 'the output shows the password'
        assert sim.open_logons() == 0, 'the source did not log off when ansible-rulebook stopped\n' + text
    finally:
        sim.stop()
