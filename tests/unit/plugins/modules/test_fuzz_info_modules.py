# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Random argument sets for veeam_session_info and veeam_restore_point_info: a result or a clean failure with ``msg``, never a
traceback, and no logon session left open. The modules run in-process against the simulator's lab estate, as in
test_fuzz_modules.py (whose transport, fixtures and strategies these tests use)."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.modules import veeam_restore_point_info, veeam_session_info
from ansible_collections.veeamops.em.tests.unit.plugins.modules.test_fuzz_modules import (  # pylint: disable=unused-import
    FUZZ,
    connection,
    em_app,
    hypothesis,
    in_process_em,
    options,
    run_clean,
    strategies,
    text,
)

VM_ITEMS = ['db01', 'app01', 'web01', 'DB01', 'gold01', 'no-such-vm', 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042',
            'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-9999', 'urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v2101',
            'urn:broken', '']
JOB_NAMES = ['Daily VM Backup', 'File Server Backup', 'SQL Replica', 'Offsite Copy', 'Windows Servers Backup', 'Nope',
             'Finance "Q4" & Payroll, Backup; Zürich']
SINCE = strategies.sampled_from(['24h', '7d', '30m', '2w', '1.5d', '2026-03-01T21:00:00Z', '2026-03-01', 'yesterday', '0s', '-1d', '99999999d'])
NAMES = strategies.one_of(strategies.sampled_from(JOB_NAMES), strategies.lists(strategies.sampled_from(JOB_NAMES), max_size=3), text())
VMS = strategies.one_of(strategies.lists(strategies.sampled_from(VM_ITEMS), max_size=3), strategies.sampled_from(VM_ITEMS), text())
SESSION_OPTIONS = options({
    'jobs': NAMES,
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'VBR02.lab.local', 'nowhere']),
    'result': strategies.lists(strategies.sampled_from(['Success', 'Warning', 'Failed', 'None', 'failed']), max_size=3),
    'state': strategies.lists(strategies.sampled_from(['Starting', 'Working', 'Stopped', 'Idle']), max_size=2),
    'since': SINCE,
    'latest_per_job': strategies.booleans(),
    'vms': VMS,
    'limit': strategies.integers(-2, 5),
    'task_sessions': strategies.booleans(),
    'query': strategies.sampled_from(['[].job.name', "[?result=='Failed']", '[', 'length(@)', '[].task_sessions[].reason']),
})
POINT_OPTIONS = options({
    'vms': VMS,
    'jobs': NAMES,
    'backup_server': strategies.sampled_from(['vbr01.lab.local', 'VBR02.lab.local', 'nowhere']),
    'since': SINCE,
    'latest_only': strategies.booleans(),
    'query': strategies.sampled_from(['[].vm_name', "[?point_type=='Full']", '[', 'length(@)', '[].job.id']),
})


@FUZZ
@hypothesis.given(module_args=SESSION_OPTIONS, connection_args=connection())
def test_veeam_session_info_never_fails_with_a_traceback(in_process_em, module_args, connection_args):  # pylint: disable=redefined-outer-name
    result = run_clean(veeam_session_info.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('sessions'), list)


@FUZZ
@hypothesis.given(module_args=POINT_OPTIONS, connection_args=connection())
def test_veeam_restore_point_info_never_fails_with_a_traceback(in_process_em, module_args, connection_args):  # pylint: disable=redefined-outer-name
    result = run_clean(veeam_restore_point_info.main, in_process_em, module_args, connection_args)
    assert result.get('failed') or isinstance(result.get('restore_points'), list)


@pytest.mark.parametrize('main, args, key', [
    (veeam_session_info.main, {'jobs': 'File Server Backup', 'task_sessions': True}, 'sessions'),
    (veeam_restore_point_info.main, {'vms': ['db01', 'gold01']}, 'vms'),
])
def test_the_lab_answers_through_the_fake_transport(in_process_em, main, args, key):  # pylint: disable=redefined-outer-name
    result = run_clean(main, in_process_em, args, {})
    assert 'failed' not in result and len(result[key]) >= 2, result
