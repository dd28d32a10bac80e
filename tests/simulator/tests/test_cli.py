# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line: ``--daemon`` start, state file, ``stop``, plain HTTP, generated estates, ``--lifetime``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import requests

from conftest import ADMIN, HERE, basic
from em_simulator.measure import measure

PACKAGE_PARENT = str(HERE.parent)


def run_cli(*args, timeout=60):
    env = dict(os.environ, PYTHONPATH=PACKAGE_PARENT)
    return subprocess.run([sys.executable, '-m', 'em_simulator', *args], capture_output=True, text=True, timeout=timeout, env=env, check=False)


def test_daemon_serves_https_writes_state_and_stops(tmp_path):
    state_dir = tmp_path / 'state'
    started = run_cli('--daemon', '--state-dir', str(state_dir), '--lifetime', '120', '--casing', 'camel')
    assert started.returncode == 0, started.stderr
    state = json.loads(started.stdout)
    on_disk = json.loads((state_dir / 'state.json').read_text())
    assert state == on_disk
    port = state['port']
    assert state['url'] == f'https://127.0.0.1:{port}' and state['api_url'].endswith('/api') and state['control_url'].endswith('/_sim')
    assert state['tls'] is True and state['ca_path'] == str(state_dir / 'ca.pem') and state['casing'] == 'camel'
    assert b'PRIVATE KEY' not in (state_dir / 'ca.pem').read_bytes()
    assert not [path.name for path in state_dir.iterdir() if path.name not in ('state.json', 'ca.pem', 'simulator.log')]
    session = requests.Session()
    session.trust_env = False
    health = session.get(f"{state['control_url']}/health", verify=state['ca_path']).json()
    assert health['ok'] and health['pid'] == state['pid']
    logon = session.post(f"{state['api_url']}/sessionMngr/?v=latest", headers={'Authorization': basic(ADMIN), 'Accept': 'application/json'},
                         verify=state['ca_path'])
    assert logon.status_code == 201 and 'sessionId' in logon.json()
    again = run_cli('--daemon', '--state-dir', str(state_dir))
    assert again.returncode == 1 and 'already running' in again.stderr
    stopped = run_cli('stop', '--state-dir', str(state_dir))
    assert stopped.returncode == 0
    assert not (state_dir / 'state.json').exists() and (state_dir / 'ca.pem').exists()
    assert run_cli('stop', '--state-dir', str(state_dir)).returncode == 0  # idempotent


# every real-EM variant switch, set on the command line to a value other than its default
VARIANT_ARGS = ['--task-vanish-after-polls', '3', '--query-job-includes', 'omitted', '--include-visibility-delay', '7.5',
                '--duplicate-include', 'ignore', '--last-include-removal', 'http', '--session-collect-delay', '20',
                '--quick-backup-busy-job', 'queue', '--quick-backup-job', 'last']
VARIANT_VALUES = {'task_vanish_after_polls': 3, 'query_job_includes': 'omitted', 'include_visibility_delay': 7.5,
                  'duplicate_include': 'ignore', 'last_include_removal': 'http', 'session_collect_delay': 20.0,
                  'quick_backup_busy_job': 'queue', 'quick_backup_job': 'last'}


def _variants(config):
    return {key: config[key] for key in VARIANT_VALUES}


def test_foreground_plain_http_with_generated_estate_and_lifetime(tmp_path):
    process = subprocess.Popen([sys.executable, '-m', 'em_simulator', '--no-tls', '--port', '0', '--state-dir', str(tmp_path),
                                '--generate', 'servers=2,jobs=30,includes=80,seed=3', '--lifetime', '1.5'] + VARIANT_ARGS,
                               env=dict(os.environ, PYTHONPATH=PACKAGE_PARENT), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / 'state.json').exists():
            assert time.monotonic() < deadline and process.poll() is None, process.stderr.read()
            time.sleep(0.05)
        state = json.loads((tmp_path / 'state.json').read_text())
        assert state['tls'] is False and state['url'].startswith('http://') and state['ca_path'] is None
        health = requests.get(f"{state['control_url']}/health", timeout=5).json()
        assert health['counts']['jobs'] == 30 and health['counts']['backup_servers'] == 2
        control = state['control_url']
        assert _variants(requests.get(f'{control}/config', timeout=5).json()) == VARIANT_VALUES
        requests.post(f'{control}/config', json={'task_vanish_after_polls': 0}, timeout=5).raise_for_status()
        requests.post(f'{control}/reset', timeout=5).raise_for_status()
        assert _variants(requests.get(f'{control}/config', timeout=5).json()) == VARIANT_VALUES  # the start-up values
        assert process.wait(timeout=20) == 0  # --lifetime ends it
        assert not (tmp_path / 'state.json').exists()
    finally:
        if process.poll() is None:
            process.kill()


def test_bad_scenario_fails_with_a_message(tmp_path):
    scenario = tmp_path / 'bad.yml'
    scenario.write_text('jobs:\n  - {name: Orphan, includes: [{root: nowhere, ref: vm-1}]}\n', encoding='utf-8')
    result = run_cli('--scenario', str(scenario), '--no-tls', '--lifetime', '1')
    assert result.returncode == 2
    assert 'jobs "Orphan"' in result.stderr
    daemon = run_cli('--daemon', '--scenario', str(scenario), '--state-dir', str(tmp_path / 'state'))
    assert daemon.returncode == 1 and 'exited with status 2' in daemon.stderr


def test_generate_command_writes_a_loadable_scenario(tmp_path):
    target = tmp_path / 'estate.json'
    result = run_cli('generate', 'servers=3,jobs=40,includes=120,seed=9', '-o', str(target))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)['jobs'] == 40
    data = json.loads(target.read_text(encoding='utf-8'))
    assert len(data['backup_servers']) == 3 and len(data['jobs']) == 40
    bad = run_cli('generate', 'servers=x', '-o', str(target))
    assert bad.returncode == 2 and 'servers=N' in bad.stderr


def test_measure_reports_every_figure(sim, tmp_path):
    state = {'url': sim.url, 'api_url': sim.api, 'control_url': f'{sim.url}/_sim', 'port': sim.server.server_address[1], 'tls': True,
             'ca_path': sim.ca_path, 'pid': os.getpid(), 'casing': 'pascal'}
    (tmp_path / 'state.json').write_text(json.dumps(state), encoding='utf-8')
    table = measure(str(tmp_path), seconds=0.05).splitlines()
    assert table[0] == '| measurement | result |' and len(table) == 16 + 6  # + VM restore point pages and latest-point queries
    assert sum('VmRestorePoint' in line or 'VM restore point' in line for line in table) == 6
    assert all(line.endswith(('req/s |', 'items/s |')) for line in table[2:])
    assert sim.control('GET', '/logon_sessions')['open'] == 0  # it logs off


def test_tls_names_choose_what_the_certificate_is_valid_for(tmp_path):
    state_dir = tmp_path / 'state'
    started = run_cli('--daemon', '--state-dir', str(state_dir), '--lifetime', '120', '--tls-names', 'em01.lab.local,10.0.0.9')
    assert started.returncode == 0, started.stderr
    state = json.loads(started.stdout)
    try:
        session = requests.Session()
        session.trust_env = False
        try:
            session.get(f"{state['control_url']}/health", verify=state['ca_path'], timeout=10)
        except requests.exceptions.SSLError as error:
            assert 'mismatch' in str(error) and "'127.0.0.1'" in str(error)
        else:
            raise AssertionError('a certificate for em01.lab.local and 10.0.0.9 was accepted for 127.0.0.1')
        assert session.get(f"{state['control_url']}/health", verify=False, timeout=10).json()['ok'] is True
    finally:
        assert run_cli('stop', '--state-dir', str(state_dir)).returncode == 0
    assert run_cli('--tls-names', ' , ').returncode == 2


def test_bad_variant_switch_fails_with_a_message():
    result = run_cli('--no-tls', '--lifetime', '1', '--task-vanish-after-polls', '-1')
    assert result.returncode == 2 and 'task_vanish_after_polls must not be negative' in result.stderr
