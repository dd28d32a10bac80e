# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_vm_restore: every branch over scripted HTTP, with a fake clock; every test checks the logoff (em_http fixture)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

try:
    from ansible.module_utils import _internal as ansible_internal
except ImportError:  # ansible-core < 2.19
    ansible_internal = None

from ansible_collections.veeamops.em.plugins.module_utils import _times, _vm_restore
from ansible_collections.veeamops.em.plugins.modules import veeam_vm_restore
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, TOKEN, USERNAME, error_response, json_response, read_timeout
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import query_page
from ansible_collections.veeamops.em.tests.unit.utils.em_restores import (
    P1,
    P2,
    P3,
    PARENTS,
    RP1,
    RP3,
    SESSION_ID,
    SESSION_PATH,
    SQL_HV01,
    TENANT_WEB01,
    VCD,
    parent,
    restore_session,
    restore_task,
    script_parents,
    script_points,
    web01_points,
)
from ansible_collections.veeamops.em.tests.unit.utils.em_restores import ROOTS as ALL_ROOTS
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import SESSION_ID2, TOKEN2, expect_relogon, expired, install_fake_clock
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module, warning_texts

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD, 'vm': estate.WEB01, 'poll_interval': 2, 'poll_max_interval': 10}
NOW = datetime(2026, 3, 2, 11, 5, 30, tzinfo=timezone.utc)
SPEC = {'VmRestoreSpec': {'PowerOnAfterRestore': False, 'QuickRollback': False}}
POINT_TEXT = ('restore point "web01@2026-03-01 21:02:05" (created 2026-03-01T21:02:05.283Z, job "Daily VM Backup", '
              'backup server vbr01.lab.local)')
LABEL = 'VM "web01" (%s)' % estate.WEB01


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(_vm_restore, 'utc_now', lambda: NOW)
    monkeypatch.setattr(_times, 'utc_now', lambda: NOW)
    # ansible-core 2.19+ sends module warnings to the controller's display once controller code ran in this process.
    if ansible_internal is not None:
        monkeypatch.setattr(ansible_internal, 'is_controller', False, raising=False)


def run(args, check_mode=False):
    return run_module(veeam_vm_restore.main, dict(ARGS, **args), check_mode=check_mode)


def resolve_and_choose(http, points=None, chosen=P3, parents=None, server=None):
    """Logon, the resolution of web01 by reference (a job includes it), its points, and the chosen point's restore point."""
    http.expect_logon()
    estate.script_resolution(http)
    script_points(http, web01_points() if points is None else points, server=server)
    if chosen is not None:
        script_parents(http, [PARENTS[chosen]], [parent(chosen)] if parents is None else parents)


def post(http, point_id=P3, body=None, answer=None, raises=None):
    http.expect('POST', '/api/vmRestorePoints/' + point_id, {'action': 'restore'}, headers={'Content-Type': 'application/json'},
                body=SPEC if body is None else body, response=None if raises else json_response(answer or restore_task(state='Running'), 202),
                raises=raises)


def poll(http, path, answer, token=TOKEN, params=None):
    http.expect_get(path, json_response(answer) if isinstance(answer, dict) else answer, token=token,
                    **({} if params is None else {'params': params}))


def session_poll(http, answer, token=TOKEN):
    poll(http, SESSION_PATH, answer, token, {'format': 'Entity'})


def posts(http):
    return [call for call in http.calls if call.method == 'POST' and 'sessionMngr' not in call.path]


# --- confirm and check mode --------------------------------------------------------------------------

def test_without_confirm_nothing_is_sent(em_http):
    result = run({})
    assert result['failed'] is True and result['error_kind'] == 'confirm_required' and em_http.calls == []
    assert result['msg'].startswith('Refusing to restore VM "%s" without confirm: true; nothing was sent' % estate.WEB01)
    assert 'add confirm: true to the task; run it in check mode first' in result['msg']


@pytest.mark.parametrize('confirm', [False, True])
def test_check_mode_reports_the_point_and_never_posts(em_http, confirm):
    resolve_and_choose(em_http)
    em_http.expect_logoff()
    result = run({'confirm': confirm}, check_mode=True)
    assert 'failed' not in result and result['changed'] is True and posts(em_http) == []
    assert result['task'] is None and result['restore_session'] is None
    expected = '%s would be restored to its original location from %s, its newest.' % (LABEL, POINT_TEXT)
    assert result['msg'] == expected + ('' if confirm else ' Add confirm: true to restore it.')
    point = result['restore_point']
    assert point['id'] == P3 and point['uid'] == 'urn:veeam:VmRestorePoint:' + P3 and point['creation_time'] == '2026-03-01T21:02:05.283Z'
    assert point['job'] == {'name': 'Daily VM Backup', 'id': estate.DAILY_ID} and point['backup_server'] == 'vbr01.lab.local'
    assert point['backup'] == {'name': 'Daily VM Backup', 'id': '5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'}
    assert result['vm'] == {'name': 'web01', 'ref': estate.WEB01, 'platform': 'VMware', 'hierarchy_root': 'vc01.lab.local',
                            'hierarchy_root_id': estate.VC01, 'backup_server': 'vbr01.lab.local'}
    assert len(em_http.calls) == 6  # logon, roots, jobs, points, restore point, logoff


# --- restoring ---------------------------------------------------------------------------------------

def test_restore_the_newest_point_and_follow_the_session(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http)
    poll(em_http, '/api/tasks/task-1', restore_task())
    session_poll(em_http, restore_session('Working', progress=40))
    session_poll(em_http, restore_session('Working', progress=80))
    session_poll(em_http, restore_session())
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert 'failed' not in result and result['changed'] is True and len(posts(em_http)) == 1
    assert result['task'] == {'id': 'task-1', 'operation': 'StartVMRestore', 'state': 'Finished', 'success': True, 'message': 'Ok',
                              'href': EM + '/api/tasks/task-1'}
    session = result['restore_session']
    assert session['id'] == SESSION_ID and session['state'] == 'Stopped' and session['result'] == 'Success' and session['running'] is False
    assert session['creation_time'] == '2026-03-02T11:05:31.87Z' and session['end_time'] == '2026-03-02T11:23:48.327Z'
    assert session['restored_ref'] == 'urn:VMware:Vm:%s.vm-1203' % estate.VC01 and session['restore_point_id'] == P3
    assert result['msg'] == ('%s was restored from %s: restore session "web01@2026-03-02 11:05:31" ended with Success after %d s. '
                             'The restored VM has a new reference, urn:VMware:Vm:%s.vm-1203: use it (or the VM name) from now on.'
                             % (LABEL, POINT_TEXT, round(sum(clock.sleeps)), estate.VC01))
    assert clock.sleeps == [2, 2, 3]


def test_power_on_and_quick_rollback_go_into_the_spec(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, body={'VmRestoreSpec': {'PowerOnAfterRestore': True, 'QuickRollback': True}}, answer=restore_task())
    session_poll(em_http, restore_session())
    em_http.expect_logoff()
    result = run({'confirm': True, 'power_on': True, 'quick_rollback': True})
    assert 'failed' not in result and result['restore_session']['result'] == 'Success'


def test_without_wait_the_session_is_read_once(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http)
    poll(em_http, '/api/tasks/task-1', restore_task())
    session_poll(em_http, restore_session('Starting', progress=0))
    em_http.expect_logoff()
    result = run({'confirm': True, 'wait': False})
    assert 'failed' not in result and result['changed'] is True and result['restore_session']['state'] == 'Starting'
    assert result['restore_session']['result'] is None and result['restore_session']['running'] is True
    assert result['msg'] == 'Restore of %s from %s started: restore session "web01@2026-03-02 11:05:31" is Starting.' % (LABEL, POINT_TEXT)


def test_a_warning_does_not_fail(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, answer=restore_task())
    session_poll(em_http, dict(restore_session(result='Warning'), RestoredObjRef=estate.WEB01.replace('VMware:Vm', 'vmware:vm')))
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert 'failed' not in result and 'ended with Warning' in result['msg'] and 'was restored' in result['msg']
    assert 'new reference' not in result['msg']


# --- choosing the point ------------------------------------------------------------------------------

@pytest.mark.parametrize('when, chosen', [
    ('2026-03-01T21:02:05Z', P3),          # at the point's second
    ('2026-03-01T21:02:04Z', P2),          # one second before it
    ('2026-03-01 10:00+01:00', P2),        # another zone
    ('2026-02-28', P1),                    # a date alone is its midnight, UTC
    ('2d', P1),                            # an age: NOW - 2 days = 2026-02-28T11:05:30Z
])
def test_point_in_time_takes_the_newest_point_at_or_before(em_http, when, chosen):
    resolve_and_choose(em_http, chosen=chosen)
    em_http.expect_logoff()
    result = run({'point_in_time': when}, check_mode=True)
    assert result['restore_point']['id'] == chosen and posts(em_http) == []
    assert ', the newest at or before ' in result['msg']


def test_no_point_before_the_time_fails_before_any_post(em_http):
    resolve_and_choose(em_http, chosen=None)
    em_http.expect_logoff()
    result = run({'point_in_time': '2026-02-01T00:00:00Z', 'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'restore_point_not_found' and posts(em_http) == []
    assert result['msg'] == ('VM "web01" (%s) has no restore point at or before 2026-02-01T00:00:00Z (its 3 restore point(s) are all newer; '
                             'the oldest was created at 2026-02-27T21:03:12.5Z). Likely fix: give a later point_in_time, or choose a point '
                             'by restore_point.' % estate.WEB01)


def test_a_vm_without_points_fails(em_http):
    resolve_and_choose(em_http, points=[], chosen=None)
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'restore_point_not_found' and posts(em_http) == []
    assert 'VM "web01" (%s) has no restore point' % estate.WEB01 in result['msg']


@pytest.mark.parametrize('given', [P2, 'urn:veeam:VmRestorePoint:' + P2.upper(), ' ' + P2])
def test_a_given_point_by_id_or_uid(em_http, given):
    resolve_and_choose(em_http, chosen=P2, parents=[parent(P2)])
    em_http.expect_logoff()
    result = run({'restore_point': given}, check_mode=True)
    assert result['restore_point']['id'] == P2 and 'its newest' not in result['msg']


def test_a_point_of_another_vm_is_refused(em_http):
    resolve_and_choose(em_http, chosen=None)
    other = 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'
    poll(em_http, '/api/vmRestorePoints/' + other, estate.vm_point(estate.DB01, 'db01', other), params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'restore_point': other, 'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'restore_point_mismatch' and posts(em_http) == []
    assert result['msg'].startswith('Restore point %s is not a point of VM "web01" (%s) (it is a point of VM "db01" (%s))' % (
        other, estate.WEB01, estate.DB01))


def test_a_point_of_this_vm_that_the_query_missed_is_used(em_http):
    other = 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'
    resolve_and_choose(em_http, chosen=None)
    poll(em_http, '/api/vmRestorePoints/' + other, estate.vm_point(estate.WEB01, 'web01', other), params={'format': 'Entity'})
    script_parents(em_http, [RP3], [parent(P3)])
    em_http.expect_logoff()
    result = run({'restore_point': other}, check_mode=True)
    assert result['restore_point']['id'] == other


def test_a_point_on_another_backup_server_is_refused(em_http):
    other = 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'
    em_http.expect_logon()
    estate.script_resolution(em_http, jobs=[estate.DAILY], job_filter='BackupServerName=="vbr01.lab.local"')
    script_points(em_http, web01_points(), server='vbr01.lab.local')
    poll(em_http, '/api/vmRestorePoints/' + other, estate.vm_point(estate.WEB01, 'web01', other, server=estate.VBR02),
         params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'restore_point': other, 'backup_server': 'vbr01.lab.local'}, check_mode=True)
    assert result['failed'] is True and result['error_kind'] == 'restore_point_mismatch'
    assert 'is not on backup server "vbr01.lab.local" (it is on backup server "vbr02.lab.local")' in result['msg']


def test_an_unknown_point_fails(em_http):
    resolve_and_choose(em_http, chosen=None)
    poll(em_http, '/api/vmRestorePoints/' + P1.replace('1a', 'ff'), error_response(404), params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'restore_point': P1.replace('1a', 'ff'), 'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'restore_point_not_found' and posts(em_http) == []
    assert 'No restore point with id %s' % P1.replace('1a', 'ff') in result['msg']


def test_points_of_another_vm_in_the_answer_are_ignored(em_http):
    foreign = estate.vm_point(estate.WEB01.replace('vm-1042', 'VM-1042'), 'web01', 'f0f0f0f0-0000-4000-8000-00000000000f',
                              '2026-03-02T01:00:00Z')
    resolve_and_choose(em_http, points=[foreign] + web01_points())
    em_http.expect_logoff()
    result = run({}, check_mode=True)
    assert result['restore_point']['id'] == P3


# --- finding the VM ----------------------------------------------------------------------------------

def test_a_name_is_resolved_and_the_points_read_by_reference(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==db01')
    script_points(em_http, [estate.vm_point(estate.DB01, 'db01', P3)], ref=estate.DB01)
    script_parents(em_http, [estate.POINT_ID], [estate.restore_point()])
    em_http.expect_logoff()
    result = run({'vm': 'db01'}, check_mode=True)
    assert result['vm']['ref'] == estate.DB01 and result['restore_point']['id'] == P3


def test_a_reference_that_no_job_includes_reuses_the_resolvers_points(em_http):
    points = [estate.vm_point(estate.GOLD01, 'gold01', P3, restore_point=RP3)]
    em_http.expect_logon()
    estate.script_resolution(em_http, points=points, restore_points=[estate.restore_point(RP3, 'Gold Tag Backup')],
                             point_filter='HierarchyObjRef=="%s"' % estate.GOLD01, rp_filter='UID=="urn:veeam:RestorePoint:%s"' % RP3)
    em_http.expect_logoff()
    result = run({'vm': estate.GOLD01}, check_mode=True)
    assert result['restore_point']['job'] == {'name': 'Gold Tag Backup', 'id': estate.GOLD_ID}
    assert len(em_http.calls) == 6  # logon, roots, jobs, points, restore points, logoff


def test_an_ambiguous_name_fails_before_any_post(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==web01')
    em_http.expect_logoff()
    result = run({'vm': 'web01', 'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'ambiguous_vm' and posts(em_http) == []
    assert [item['ref'] for item in result['candidates']] == [estate.WEB01, estate.WEB01_DR]


def test_a_restore_operator_is_resolved_through_restore_points(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    points = web01_points()
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', error_response(403), sort_asc='Name')
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points)), filter_text='VmDisplayName==web01',
                         sort_desc='CreationTime')
    script_parents(em_http, [PARENTS[P3], PARENTS[P2], RP1], [parent(P3), parent(P2), parent(P1)])
    # Jobs through their runs, as for a Portal User: a restore operator may not read runs either.
    em_http.expect_query('BackupJobSession', error_response(403), filter_text='JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local"',
                         sort_desc='CreationTime', page_size=500)
    script_points(em_http, points)
    post(em_http, answer=restore_task())
    session_poll(em_http, restore_session())
    em_http.expect_logoff()
    result = run({'vm': 'web01', 'confirm': True})
    assert 'failed' not in result and result['restore_session']['result'] == 'Success'
    assert result['vm']['hierarchy_root'] is None and result['vm']['backup_server'] == 'vbr01.lab.local'
    assert result['restore_point']['job'] == {'name': 'Daily VM Backup', 'id': None}
    texts = warning_texts(result)
    assert any('may not read hierarchy roots (HTTP 403' in text for text in texts) and any('may not read jobs' in text for text in texts)
    assert any('may not read job sessions (HTTP 403' in text for text in texts)


def test_a_refused_restore_names_the_roles(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    em_http.expect('POST', '/api/vmRestorePoints/' + P3, {'action': 'restore'}, body=SPEC, response=error_response(403))
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'permission' and result['status'] == 403
    assert 'VM Restore Operator role with a restore scope that holds this VM' in result['msg']


# --- platforms ---------------------------------------------------------------------------------------

def script_other_platform(http, ref, name):
    """Resolution of a VM that no job includes: roots (with vcd01 and hv01), jobs, its points, their restore point."""
    points = [estate.vm_point(ref, name, P3, restore_point=RP3)]
    http.expect_logon()
    http.expect_query('HierarchyRoot', json_response(query_page('HierarchyRoot', ALL_ROOTS)), sort_asc='Name')
    http.expect_query('Job', json_response(query_page('Job', estate.JOBS)), sort_asc='Name')
    http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points)), filter_text='HierarchyObjRef=="%s"' % ref,
                      sort_desc='CreationTime')
    script_parents(http, [RP3], [estate.restore_point(RP3, 'Tenant vApp Backup')])


def test_a_cloud_director_vm_gets_the_vcloud_spec(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    script_other_platform(em_http, TENANT_WEB01, 'tenant-web01')
    body = {'vCloudVmRestoreSpec': {'PowerOnAfterRestore': True, 'HierarchyRootUid': 'urn:veeam:HierarchyRoot:' + VCD,
                                    'VmRestoreParameters': {'VmRestorePointUid': 'urn:veeam:VmRestorePoint:' + P3}}}
    post(em_http, body=body, answer=restore_task())
    session_poll(em_http, restore_session(vm_name='tenant-web01'))
    em_http.expect_logoff()
    result = run({'vm': TENANT_WEB01, 'power_on': True, 'confirm': True})
    assert 'failed' not in result and result['vm']['platform'] == 'vCloud' and result['vm']['hierarchy_root'] == 'vcd01.lab.local'


def test_quick_rollback_of_a_cloud_director_vm_fails_also_in_check_mode(em_http):
    script_other_platform(em_http, TENANT_WEB01, 'tenant-web01')
    em_http.expect_logoff()
    result = run({'vm': TENANT_WEB01, 'quick_rollback': True}, check_mode=True)
    assert result['failed'] is True and result['error_kind'] == 'input' and 'quick_rollback is not available for Cloud Director VMs' in result['msg']


def test_quick_rollback_of_a_hyper_v_vm_warns(em_http):
    script_other_platform(em_http, SQL_HV01, 'sql-hv01')
    em_http.expect_logoff()
    result = run({'vm': SQL_HV01, 'quick_rollback': True}, check_mode=True)
    assert 'failed' not in result and result['vm']['platform'] == 'HyperV'
    assert any('quick_rollback on a Hyper-V VM' in text for text in warning_texts(result))


# --- failures ----------------------------------------------------------------------------------------

def test_a_failed_restore_fails_with_the_session(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, answer=restore_task())
    session_poll(em_http, restore_session('Working', progress=10))
    session_poll(em_http, restore_session(result='Failed', failure='Unable to power off the VM: the VM is locked.'))
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'restore_failed' and result['changed'] is True
    assert result['msg'].startswith('Restore of VM "web01" from restore point "web01@2026-03-01 21:02:05" ended with result Failed '
                                    '(restore session "web01@2026-03-02 11:05:31" ended at 2026-03-02T11:23:48.327Z). '
                                    'Enterprise Manager says: Unable to power off the VM: the VM is locked.')
    assert result['restore_session']['result'] == 'Failed' and result['restore_session']['id'] == SESSION_ID
    assert result['restore_point']['id'] == P3 and result['task']['success'] is True and len(posts(em_http)) == 1


def test_a_task_that_refuses_the_restore_fails_with_its_message(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http)
    poll(em_http, '/api/tasks/task-1', restore_task(success=False, message='Restore point is locked by another operation.'))
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'task' and result['changed'] is False
    assert result['em_message'] == 'Restore point is locked by another operation.'
    assert result['msg'].startswith('Enterprise Manager could not restore VM "web01" from restore point "web01@2026-03-01 21:02:05" '
                                    '(task task-1 (StartVMRestore) ended Finished with Success=false)')
    assert 'restore_session' not in result and result['task']['success'] is False and result['vm']['ref'] == estate.WEB01


def test_an_unknown_answer_to_the_post_is_not_repeated_and_says_where_to_look(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, raises=read_timeout())
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'timeout' and len(posts(em_http)) == 1
    assert 'Look at the restore sessions of the VM before you run it again' in result['msg'] and 'job state' not in result['msg']


def test_wait_timeout_while_the_session_goes_on(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, answer=restore_task())
    for progress in (10, 20, 30):
        session_poll(em_http, restore_session('Working', progress=progress))
    em_http.expect_logoff()
    result = run({'confirm': True, 'wait_timeout': 5})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert result['msg'].startswith('Restore of VM "web01": Timed out after 5 s (wait_timeout=5): run "web01@2026-03-02 11:05:31" '
                                    'is Working at 30%')
    assert 'restore_session in the result' in result['msg']
    assert result['restore_session']['progress'] == 30 and result['restore_session']['running'] is True
    assert sum(clock.sleeps) == 5


def test_wait_timeout_while_the_task_runs(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http)
    poll(em_http, '/api/tasks/task-1', restore_task(state='Running'))
    em_http.expect_logoff()
    result = run({'confirm': True, 'wait_timeout': 2})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert result['task']['state'] == 'Running' and 'restore_session' not in result and result['restore_point']['id'] == P3


# --- lost tasks and expiry ---------------------------------------------------------------------------

SINCE = 'VmDisplayName==web01;CreationTime>="2026-03-02T11:03:30Z"'


def sessions_query(http, sessions, token=TOKEN2):
    http.expect_query('RestoreSession', json_response(query_page('RestoreSession', sessions)), filter_text=SINCE, sort_desc='CreationTime',
                      page_size=20, token=token)


def test_expiry_while_polling_the_task_finds_the_session_by_query(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http)
    poll(em_http, '/api/tasks/task-1', expired())
    expect_relogon(em_http)
    poll(em_http, '/api/tasks/task-1', error_response(500, 'There is no backup task with id [task-1] in current rest session'), token=TOKEN2)
    sessions_query(em_http, [])  # not collected yet
    other_point = restore_session(point_id=P1, session_id='0b0b0b0b-0000-4000-8000-000000000000')
    flr = restore_session(session_id='0c0c0c0c-0000-4000-8000-000000000000', job_type='FileLevelRestore')
    sessions_query(em_http, [flr, other_point, restore_session('Working', progress=5)])
    session_poll(em_http, restore_session(), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'confirm': True})
    assert 'failed' not in result and result['restore_session']['id'] == SESSION_ID and result['restore_session']['result'] == 'Success'
    assert ("The restore's task was lost (task-1: it belonged to the expired logon session); its restore session was found among the "
            'restore sessions of VM "web01" instead.') in result['msg']
    assert len(posts(em_http)) == 1


def test_a_finished_task_without_a_session_link_is_looked_up(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, answer=restore_task(session_id=None))
    sessions_query(em_http, [restore_session(point_id=None)], token=TOKEN)
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert 'failed' not in result and result['restore_session']['result'] == 'Success' and 'lost' not in result['msg']


def test_expiry_while_following_the_session_logs_on_again(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, answer=restore_task())
    session_poll(em_http, restore_session('Working', progress=10))
    session_poll(em_http, expired())
    expect_relogon(em_http)
    session_poll(em_http, restore_session(), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'confirm': True})
    assert 'failed' not in result and result['restore_session']['result'] == 'Success' and 'lost' not in result['msg']


def test_logoff_after_a_failure_in_the_middle(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http, answer=restore_task())
    session_poll(em_http, error_response(500, 'Internal error.'))
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'api' and 'Internal error.' in result['msg']


# --- option checks before any request ----------------------------------------------------------------

@pytest.mark.parametrize('args, text', [
    ({'restore_point': 'urn:veeam:RestorePoint:' + P3}, 'Invalid value for option restore_point'),
    ({'restore_point': '../jobs'}, 'Invalid restore_point'),
    ({'point_in_time': 'yesterday'}, 'Invalid value for option point_in_time'),
    ({'point_in_time': '1d', 'restore_point': P3}, 'mutually exclusive'),
    ({'wait_timeout': 0}, 'wait_timeout must be greater than 0'),
    ({'poll_interval': 0}, 'poll_interval must be greater than 0'),
    ({'poll_interval': 20}, 'poll_max_interval must not be smaller than poll_interval'),
    ({'vm': ' '}, 'Option vm needs a VM name or a HierarchyObjRef'),
])
def test_bad_options_fail_before_logon(em_http, args, text):
    result = run(dict({'confirm': True}, **args))
    assert result['failed'] is True and text in result['msg']
    assert em_http.calls == []


def test_a_reference_that_is_not_a_vm_fails_before_any_query(em_http):
    em_http.expect_logon()
    em_http.expect_logoff()
    result = run({'vm': 'urn:VMware:Folder:%s.group-v1' % estate.VC01}, check_mode=True)
    assert result['failed'] is True and result['error_kind'] == 'input' and 'Invalid VM reference in option vm' in result['msg']


def test_no_secret_in_the_output_of_a_failure(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    post(em_http)
    poll(em_http, '/api/tasks/task-1', restore_task(success=False, message='Refused for %s' % USERNAME))
    em_http.expect_logoff()
    output = json.dumps(run({'confirm': True}))
    assert PASSWORD not in output and TOKEN not in output


def test_a_restore_operator_that_finds_nothing_hears_about_its_scope(em_http):
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', error_response(403), sort_asc='Name')
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', [])), filter_text='VmDisplayName==dc01',
                         sort_desc='CreationTime')
    em_http.expect_logoff()
    result = run({'vm': 'dc01', 'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'vm_not_found' and posts(em_http) == []
    assert 'Likely fix: this account may not read jobs or hierarchy roots (a restore operator), so it sees only the restore points' in result['msg']
    assert any('may not read jobs' in text for text in warning_texts(result))


def test_a_vm_without_a_name_is_named_by_its_reference(em_http):
    other = 'urn:VMware:Vm:%s.vm-9999' % estate.VC01
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='HierarchyObjRef=="%s"' % other)
    em_http.expect_logoff()
    result = run({'vm': other}, check_mode=True)
    assert result['failed'] is True and result['msg'].startswith('VM %s has no restore point.' % other)


def test_an_unreadable_answer_to_the_post_says_it_was_accepted(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    resolve_and_choose(em_http)
    em_http.expect('POST', '/api/vmRestorePoints/' + P3, {'action': 'restore'}, body=SPEC, response=json_response({'Nothing': 'useful'}, 202))
    em_http.expect_logoff()
    result = run({'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'bad_response' and len(posts(em_http)) == 1
    assert 'Enterprise Manager accepted the restore request, but its answer could not be read' in result['msg']


def test_an_answer_for_another_point_is_not_taken(em_http):
    other = 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'
    resolve_and_choose(em_http, chosen=None)
    poll(em_http, '/api/vmRestorePoints/' + other, estate.vm_point(estate.WEB01, 'web01', P1), params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'restore_point': other, 'confirm': True})
    assert result['failed'] is True and result['error_kind'] == 'restore_point_not_found' and posts(em_http) == []
    assert 'Enterprise Manager answered with urn:veeam:VmRestorePoint:%s' % P1 in result['msg']
