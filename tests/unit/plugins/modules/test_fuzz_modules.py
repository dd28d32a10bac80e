# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Random argument sets for veeam_job_info, veeam_job, veeam_job_object, veeam_vm_backup and veeam_vm_restore.

Each gives a result or a clean failure with ``msg``, never a traceback.

The modules run in-process against the Enterprise Manager simulator (tests/simulator) without a network: the HTTP
transport hands each request straight to the simulator's application object. Simulated time runs a thousand times
faster and the waiter's pauses are cut to a few milliseconds, so runs with ``wait`` end at once. The simulator needs
Python 3.10 or newer; on older Pythons the test is skipped.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from ansible_collections.veeamops.em.plugins.module_utils import _client, _tasks
from ansible_collections.veeamops.em.plugins.modules import veeam_job, veeam_job_info, veeam_job_object, veeam_vm_backup, veeam_vm_restore
from ansible_collections.veeamops.em.tests.unit.utils.em_http import FakeResponse
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module

hypothesis = pytest.importorskip('hypothesis')
strategies = hypothesis.strategies
if sys.version_info < (3, 10):
    pytest.skip('the Enterprise Manager simulator needs Python 3.10 or newer', allow_module_level=True)

SIMULATOR = Path(__file__).resolve().parents[3] / 'simulator'
sys.path.insert(0, str(SIMULATOR))
from em_simulator.app import App  # noqa: E402 pylint: disable=wrong-import-position
from em_simulator.config import Config  # noqa: E402 pylint: disable=wrong-import-position
from em_simulator.http import Request  # noqa: E402 pylint: disable=wrong-import-position
from em_simulator.scenario import read_scenario  # noqa: E402 pylint: disable=wrong-import-position

URL = 'https://127.0.0.1:9398'
USERNAME = 'LAB\\svc-ansible'
PASSWORD = 'Ansible:Pa&ss=wörd'
JOB_NAMES = ['Daily VM Backup', 'SQL Replica', 'Offsite Copy', 'Test Lab Backup', 'Dev Backup', 'File Server Backup', 'Nightly Backup',
             'Windows Servers Backup', 'File Share Backup', 'Finance "Q4" & Payroll, Backup; Zürich']
JOB_IDS = ['47752464-8e77-407a-a936-132173ac15f5', 'e99db98b-0827-404d-9457-33d618a76497', '15e8ca67-f709-43c6-9794-e12fe1a5beb8']


class InProcessTransport:
    """The transport interface of EmClient, answered by the simulator's application object."""

    def __init__(self, app):
        self.app = app

    def request(self, method, url, params=None, data=None, headers=None, timeout=None, verify=None, allow_redirects=None, stream=False):
        prepared = requests.Request(method, url, params=params).prepare()
        parts = urlsplit(prepared.url)
        header_map = requests.structures.CaseInsensitiveDict(headers or {})
        header_map['Host'] = parts.netloc
        target = parts.path + ('?' + parts.query if parts.query else '')
        answer = self.app.handle(Request(method, target, header_map, data or b'', parts.scheme or 'https'))
        return FakeResponse(answer.status, answer.body, dict(answer.headers))

    def close(self):
        pass


@pytest.fixture(scope='module')
def em_app():
    scenario = SIMULATOR / 'scenarios' / 'lab.yml'
    return App(lambda: read_scenario(str(scenario)), Config(time_speed=1000.0, task_duration=1.0, run_duration=4.0))


@pytest.fixture
def in_process_em(em_app, monkeypatch):
    monkeypatch.setattr(_client, 'create_http_session', lambda: InProcessTransport(em_app))
    monkeypatch.setattr(_client, 'wait_before_retry', lambda seconds: None)
    monkeypatch.setattr(_tasks, 'pause', lambda seconds: time.sleep(min(seconds, 0.005)))
    return em_app


def text():
    return strategies.text(max_size=30)


def anything():
    """Values of every type a playbook can pass: text, numbers, booleans, null, lists and mappings."""
    scalars = strategies.one_of(strategies.none(), strategies.booleans(), strategies.integers(-10 ** 6, 10 ** 6),
                                strategies.floats(allow_nan=True, allow_infinity=True), text())
    # Keys starting with __ansible are ansible-core's own markers in module arguments (2.19+ decodes {"__ansible_type": ...}
    # as a typed value and stops before the module runs); a playbook cannot pass them to a module as plain data.
    keys = text().filter(lambda key: not key.startswith('__ansible'))
    return strategies.recursive(scalars, lambda children: strategies.lists(children, max_size=3) | strategies.dictionaries(keys, children, max_size=3),
                                max_leaves=5)


def maybe(strategy):
    """Leave the option out, give a plausible value, or anything at all."""
    return strategies.one_of(strategies.just(None), strategy, anything())


def connection():
    """Mostly the simulator's own connection (so that the job options are exercised), sometimes a broken one."""
    return strategies.one_of(strategies.just({}), strategies.just({}), strategies.just({}), broken_connection())


def broken_connection():
    return strategies.fixed_dictionaries({}, optional={
        'url': strategies.one_of(strategies.just(URL + '/api'), text(), strategies.just('http://127.0.0.1:9398')),
        'password': strategies.one_of(strategies.just(PASSWORD + 'x'), text()),
        'validate_certs': anything(),
        'timeout': strategies.one_of(strategies.floats(-5, 120), anything()),
        'api_version': strategies.one_of(strategies.sampled_from(['latest', 'v1_7', 'v1_5', 'v9']), text()),
    })


def options(spec):
    """The module's options: each left out, plausible or anything; plus a random check mode."""
    optional = {name: maybe(strategy) for name, strategy in spec.items()}
    optional['_ansible_check_mode'] = strategies.booleans()
    return strategies.fixed_dictionaries({}, optional=optional)


INFO_OPTIONS = options({
    'name': strategies.one_of(strategies.sampled_from(JOB_NAMES), strategies.lists(strategies.sampled_from(JOB_NAMES), max_size=3), text()),
    'id': strategies.sampled_from(JOB_IDS + ['not-a-guid']),
    'uid': strategies.sampled_from(['urn:veeam:Job:' + JOB_IDS[0], 'urn:veeam:Job:', 'x']),
    'job_type': strategies.sampled_from(['Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy', 'backup']),
    'platform': strategies.sampled_from(['VMware', 'hyperv', 'vCloud', 'CustomPlatform', '"']),
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'VBR02.lab.local', 'nowhere']),
    'schedule_enabled': strategies.booleans(),
    'details': strategies.lists(strategies.sampled_from(['schedule', 'includes', 'last_session', 'raw', 'everything']), max_size=4),
    'query': strategies.sampled_from(['[].name', '[?schedule_enabled].{n: name}', '[', 'length(@)', '[].raw.no.such']),
})
JOB_OPTIONS = options({
    'name': strategies.one_of(strategies.sampled_from(JOB_NAMES), text()),
    'id': strategies.sampled_from(JOB_IDS + ['not-a-guid']),
    'uid': strategies.sampled_from(['urn:veeam:Job:' + JOB_IDS[0], 'urn:veeam:AgentBackupJob:' + JOB_IDS[1], 'x']),
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'vbr02.lab.local', 'nowhere']),
    'job_kind': strategies.sampled_from(['vm', 'agent', 'nas', 'VM']),
    'action': strategies.sampled_from(['start', 'stop', 'retry', 'sync', 'restart']),
    'schedule_enabled': strategies.booleans(),
    'wait': strategies.booleans(),
    'wait_timeout': strategies.integers(-5, 30),
    'poll_interval': strategies.floats(-1, 5, allow_nan=False) | strategies.sampled_from([float('nan'), float('inf')]),
    'poll_max_interval': strategies.floats(-1, 60, allow_nan=False) | strategies.sampled_from([float('nan'), float('inf')]),
    'fail_on_warning': strategies.booleans(),
})
OBJECT_REFS = ['urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1300', 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1210',
               'urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v3307', 'urn:VMware:Vm:8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03.vm-2042',
               'urn:VMware:Vm:0000.vm-1', 'urn:x', 'web01']
OBJECT_ITEMS = strategies.one_of(
    strategies.sampled_from(OBJECT_REFS),
    strategies.fixed_dictionaries({'name': strategies.one_of(strategies.sampled_from(['new01', 'test01', 'Production', 'Backup-Gold', 'Gold', 'web01',
                                                                                     'tenant-app', 'nothing']), text()),
                                   'type': strategies.sampled_from(['vm', 'tag', 'folder', 'resource_pool', 'vapp', 'host', 'VM'])},
                                  optional={'hierarchy_root': strategies.sampled_from(['vc01.lab.local', 'vc02.lab.local', 'hv01.lab.local', 'x'])}),
    anything())
OBJECT_OPTIONS = options({
    'name': strategies.one_of(strategies.sampled_from(JOB_NAMES), text()),
    'id': strategies.sampled_from(JOB_IDS + ['not-a-guid']),
    'uid': strategies.sampled_from(['urn:veeam:Job:' + JOB_IDS[0], 'x']),
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'vbr02.lab.local', 'nowhere']),
    'objects': strategies.lists(OBJECT_ITEMS, max_size=3),
    'state': strategies.sampled_from(['present', 'absent', 'gone']),
    'exclusive': strategies.booleans(),
    'wait_timeout': strategies.integers(-5, 30),
    'poll_interval': strategies.floats(-1, 5, allow_nan=False) | strategies.sampled_from([float('nan'), float('inf')]),
    'poll_max_interval': strategies.floats(-1, 60, allow_nan=False) | strategies.sampled_from([float('nan'), float('inf')]),
})
VM_ITEMS = strategies.one_of(
    strategies.sampled_from(['web01', 'db01', 'app01', 'test01', 'web01-hv', 'tenant-web01', 'dr-db01', 'no-such-vm', 'WEB01',
                             'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042', 'urn:VMware:Vm:0000.vm-1',
                             'urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v3307', 'urn:x']),
    text())
WAIT_OPTIONS = {
    'wait': strategies.booleans(),
    'wait_timeout': strategies.integers(-5, 30),
    'poll_interval': strategies.floats(-1, 5, allow_nan=False) | strategies.sampled_from([float('nan'), float('inf')]),
    'poll_max_interval': strategies.floats(-1, 60, allow_nan=False) | strategies.sampled_from([float('nan'), float('inf')]),
}
VM_BACKUP_OPTIONS = options(dict(WAIT_OPTIONS, **{
    'vms': strategies.lists(VM_ITEMS, max_size=4),
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'vbr02.lab.local', 'nowhere']),
    'max_age_minutes': strategies.integers(-10, 10 ** 7),
    'fail_on_warning': strategies.booleans(),
}))
VM_RESTORE_OPTIONS = options(dict(WAIT_OPTIONS, **{
    'vm': VM_ITEMS,
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'vbr02.lab.local', 'nowhere']),
    'restore_point': strategies.sampled_from(['d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35', 'urn:veeam:VmRestorePoint:d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35',
                                              'urn:veeam:VmRestorePoint:', 'not-a-point']),
    'point_in_time': strategies.sampled_from(['24h', '90m', '7d', '2026-03-01T23:00:00Z', '2026-13-40T00:00:00Z', 'yesterday', '99999999d']),
    'power_on': strategies.booleans(),
    'quick_rollback': strategies.booleans(),
    'confirm': strategies.booleans(),
}))
# The gating run is repeatable: the same 120 examples on every run (derandomize), so a failure is reproducible and
# never depends on the luck of a CI run. VEEAM_EM_FUZZ=explore draws new examples every run, many more of them:
#   VEEAM_EM_FUZZ=explore python -m pytest tests/unit/plugins/modules/test_fuzz_modules.py --hypothesis-seed=N
hypothesis.settings.register_profile('veeam_em_repeatable', max_examples=120, derandomize=True, database=None, deadline=None,
                                     suppress_health_check=list(hypothesis.HealthCheck))
hypothesis.settings.register_profile('veeam_em_explore', max_examples=1500, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
FUZZ = hypothesis.settings.get_profile('veeam_em_' + ('explore' if os.environ.get('VEEAM_EM_FUZZ') == 'explore' else 'repeatable'))


def run_clean(main, app, module_args, connection_args):
    """Run the module once from a restored lab; the result must be a success or a clean failure."""
    app.reset()
    app.logons.expire()
    args = {'url': URL, 'username': USERNAME, 'password': PASSWORD}
    args.update({key: value for key, value in module_args.items() if value is not None})
    args.update(connection_args)
    result = run_module(main, args)
    output = json.dumps(result, ensure_ascii=False)  # the password has a non-ASCII letter: \u escapes would hide it
    assert PASSWORD not in output and 'Traceback' not in output, output
    if result.get('failed'):
        assert isinstance(result.get('msg'), str) and result['msg'].strip(), result
        assert result.get('error_kind') != 'unexpected', result
    assert app.logons.open_sessions() == [], 'the module left a logon session open: %s' % output
    return result


@FUZZ
@hypothesis.given(module_args=INFO_OPTIONS, connection_args=connection())
def test_veeam_job_info_never_fails_with_a_traceback(in_process_em, module_args, connection_args):
    result = run_clean(veeam_job_info.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('jobs'), list)


@FUZZ
@hypothesis.given(module_args=JOB_OPTIONS, connection_args=connection())
def test_veeam_job_never_fails_with_a_traceback(in_process_em, module_args, connection_args):
    result = run_clean(veeam_job.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('changed'), bool)


@FUZZ
@hypothesis.given(module_args=OBJECT_OPTIONS, connection_args=connection())
def test_veeam_job_object_never_fails_with_a_traceback(in_process_em, module_args, connection_args):
    result = run_clean(veeam_job_object.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('objects'), list)


@FUZZ
@hypothesis.given(module_args=VM_BACKUP_OPTIONS, connection_args=connection())
def test_veeam_vm_backup_never_fails_with_a_traceback(in_process_em, module_args, connection_args):
    result = run_clean(veeam_vm_backup.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('vms'), list)
    if isinstance(result.get('vms'), list) and isinstance(module_args.get('vms'), list):
        assert len(result['vms']) in (0, len(module_args['vms'])), result


@FUZZ
@hypothesis.given(module_args=VM_RESTORE_OPTIONS, connection_args=connection())
def test_veeam_vm_restore_never_fails_with_a_traceback(in_process_em, module_args, connection_args):
    result = run_clean(veeam_vm_restore.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('changed'), bool)
    if not module_args.get('confirm') is True and not module_args.get('_ansible_check_mode'):
        assert result.get('changed') is not True, result


def test_veeam_job_object_reaches_the_simulator(in_process_em):
    args = {'name': 'Dev Backup', 'objects': [{'name': 'new01', 'type': 'vm'}], 'exclusive': True, 'poll_interval': 0.01, 'poll_max_interval': 0.01}
    result = run_clean(veeam_job_object.main, in_process_em, args, {})
    assert result['changed'] is True and [item['name'] for item in result['objects']] == ['new01'] and result['objects'][0]['id']
    assert [item['name'] for item in result['removed']] == ['test01']


def test_veeam_vm_backup_and_restore_reach_the_simulator(in_process_em):
    waits = {'poll_interval': 0.01, 'poll_max_interval': 0.01}
    backup = run_clean(veeam_vm_backup.main, in_process_em, dict(waits, vms=['db01']), {})
    assert backup['changed'] is True and [vm['result'] for vm in backup['vms']] == ['Success'], backup
    planned = run_clean(veeam_vm_restore.main, in_process_em, dict(waits, vm='db01', _ansible_check_mode=True), {})
    assert planned['changed'] is True and planned['restore_point']['uid'], planned
    refused = run_clean(veeam_vm_restore.main, in_process_em, dict(waits, vm='db01'), {})
    assert refused['failed'] is True and 'confirm' in refused['msg'], refused


def test_the_fake_transport_reaches_the_simulator(in_process_em):
    result = run_clean(veeam_job.main, in_process_em, {'name': 'Daily VM Backup', 'action': 'start', 'wait': True,
                                                       'poll_interval': 0.01, 'poll_max_interval': 0.01}, {})
    assert result['changed'] is True and result['session']['result'] == 'Success'


def test_intervals_that_are_not_numbers_are_clean_failures(in_process_em):
    for interval in (float('nan'), float('inf')):
        result = run_clean(veeam_job.main, in_process_em, {'name': 'Daily VM Backup', 'action': 'start', 'wait': True, 'poll_interval': interval}, {})
        assert result['failed'] is True and result['error_kind'] == 'input' and 'finite' in result['msg']
