# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_vm_backup: every branch over scripted HTTP, with a fake clock; every test checks the logoff (em_http fixture)."""

from __future__ import annotations

import datetime

import pytest

try:
    from ansible.module_utils import _internal as ansible_internal
except ImportError:  # ansible-core < 2.19
    ansible_internal = None

from ansible_collections.veeamops.em.plugins.module_utils import _vm_backup
from ansible_collections.veeamops.em.plugins.modules import veeam_vm_backup
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, USERNAME, connection_refused, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR01, VBR02, query_page, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import SESSION_ID2, TOKEN2, expect_relogon, expired, install_fake_clock, task, task_session
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module, warning_texts

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD, 'poll_interval': 2, 'poll_max_interval': 10}
DAILY_UID = 'urn:veeam:Job:' + estate.DAILY_ID
DR_UID = 'urn:veeam:Job:' + estate.DR_ID
OLD_ID = 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'
RUN_A = '9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64'
RUN_B = '4c7e1a2b-3d5f-4e60-8a9b-0c1d2e3f4a5b'
RUN_C = '7d2e4f60-1a3b-4c5d-9e8f-0a1b2c3d4e5f'
POINT_A = '3f1c9e27-8a4b-4d6e-b2f0-5c7a9d1e3b46'
POINT_B = '6b2d8f14-9c3e-4a57-8d01-2e4f6a8c0b13'
REPLICA_ID = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
SQL01 = 'urn:VMware:Vm:%s.vm-1301' % estate.VC01
NOW = datetime.datetime(2026, 3, 2, 10, 0, 0, tzinfo=datetime.timezone.utc)
PREVIOUS = session_entity(estate.DAILY, OLD_ID)
CREATED = '2026-03-02T10:15:02.310Z'


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch):
    monkeypatch.setattr(_vm_backup, 'utc_now', lambda: NOW)


def run(args, check_mode=False):
    return run_module(veeam_vm_backup.main, dict(ARGS, **args), check_mode=check_mode)


# --- payloads -----------------------------------------------------------------------------------------

def qb_task(task_id='task-1', state='Running', success=None, message=None, run_id=None):
    """A QuickBackup task; once Finished it links the job session it started [D: post_backupservers_id_quickbackup]."""
    entity = task(task_id, state, 'QuickBackup', success, message)
    if run_id:
        entity['Links'].append({'Rel': 'Related', 'Href': '%s/api/backupSessions/%s?format=Entity' % (EM, run_id), 'Name': None,
                                'Type': 'BackupJobSession'})
    return entity


def done(task_id, run_id):
    return qb_task(task_id, 'Finished', True, 'Ok', run_id)


def refused(task_id, message):
    return qb_task(task_id, 'Finished', False, message)


def new_run(run_id=RUN_A, state='Stopped', result='Success', job=estate.DAILY, created=CREATED):
    stopped = state == 'Stopped'
    return session_entity(job, run_id, state=state, result=result if stopped else 'None', created=created,
                          ended='2026-03-02T10:19:14.872Z' if stopped else None, progress=100 if stopped else 40)


def vm_task(run_entity, ref, name, result='Success', reason='', point_id=None, with_uid=True):
    """The task session of one VM in a run, linking the VM restore point it created."""
    entity = task_session(run_entity, name, result, reason)
    entity['VmUid'] = ref if with_uid else None
    entity['UID'] = 'urn:veeam:BackupTaskSession:%s-%s' % (run_entity['UID'].rsplit(':', 1)[-1][:8], name)
    if point_id:
        entity['Links'].append({'Rel': 'Related', 'Href': '%s/api/vmRestorePoints/%s?format=Entity' % (EM, point_id),
                                'Name': '%s@2026-03-02 10:15:27' % name, 'Type': 'VmRestorePoint'})
    return entity


def page(query_type, items):
    return json_response(query_page(query_type, list(items)))


def uid_filter(field, uids):
    return ','.join('%s=="%s"' % (field, uid) for uid in uids)


# --- expected requests --------------------------------------------------------------------------------

def resolve(http, names=(), points=None, restore_points=None, jobs=None, rp_filter=None):
    """Roots and jobs; for ``names`` their restore point query (no points unless given)."""
    estate.script_resolution(http, points=(points or []) if names else None, restore_points=restore_points, jobs=jobs,
                             point_filter=uid_filter('VmDisplayName', names).replace('"', '') if names else None, rp_filter=rp_filter)


def latest(http, runs, job_uids=(DAILY_UID,), token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_query('BackupJobSession', page('BackupJobSession', runs), filter_text=uid_filter('JobUid', job_uids), sort_desc='CreationTime',
                      page_size=500, **kwargs)


def post(http, ref, answer, server=VBR01, raises=None):
    http.expect('POST', '/api/backupServers/' + server[1], {'action': 'quickbackup'}, body={'VmRef': ref},
                response=None if raises else json_response(answer, 202), raises=raises)


def tasks(http, listed, token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_get('/api/tasks', json_response({'Tasks': list(listed)}), **kwargs)


def runs_by_uid(http, runs, run_ids, token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_query('BackupJobSession', page('BackupJobSession', runs),
                      filter_text=uid_filter('UID', ['urn:veeam:BackupJobSession:' + run_id for run_id in run_ids]), page_size=500, **kwargs)


def task_sessions(http, items, run_ids, token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_query('BackupTaskSession', page('BackupTaskSession', items),
                      filter_text=uid_filter('JobSessionUid', ['urn:veeam:BackupJobSession:' + run_id for run_id in run_ids]),
                      sort_asc='CreationTime', page_size=500, **kwargs)


def points_by_id(http, points, point_ids, token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_query('VmRestorePoint', page('VmRestorePoint', points),
                      filter_text=uid_filter('UID', ['urn:veeam:VmRestorePoint:' + point_id for point_id in point_ids]), **kwargs)


def posts(http):
    return [call for call in http.calls if call.method == 'POST' and 'sessionMngr' not in call.path]


def by_name(result):
    return {vm['name']: vm for vm in result['vms']}


# --- the main path ------------------------------------------------------------------------------------

def test_two_vms_are_requested_first_then_followed_together(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    run_a, run_b = new_run(RUN_A), new_run(RUN_B, created='2026-03-02T10:15:03.100Z')
    em_http.expect_logon()
    resolve(em_http, names=['db01'])
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, qb_task('task-1'))
    post(em_http, estate.WEB01, qb_task('task-2'))
    tasks(em_http, [done('task-1', RUN_A), done('task-2', RUN_B)])
    runs_by_uid(em_http, [new_run(RUN_A, 'Working'), new_run(RUN_B, 'Working')], [RUN_A, RUN_B])
    runs_by_uid(em_http, [run_a, run_b], [RUN_A, RUN_B])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01', point_id=POINT_A), vm_task(run_b, estate.WEB01, 'web01', point_id=POINT_B)],
                  [RUN_A, RUN_B])
    points_by_id(em_http, [estate.vm_point(estate.DB01, 'db01', POINT_A, '2026-03-02T10:15:27.310Z')], [POINT_A, POINT_B])
    em_http.expect_logoff()
    result = run({'vms': ['db01', estate.WEB01]})
    assert 'failed' not in result and result['changed'] is True
    db01, web01 = result['vms']
    assert db01 == {
        'name': 'db01', 'ref': estate.DB01, 'hierarchy_root': 'vc01.lab.local', 'backup_server': 'vbr01.lab.local',
        'job': {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}, 'action': 'started', 'result': 'Success', 'reason': None,
        'session': {'id': RUN_A, 'uid': 'urn:veeam:BackupJobSession:' + RUN_A, 'name': 'Daily VM Backup@2026-03-01 21:00:12', 'state': 'Stopped',
                    'result': 'Success', 'creation_time': CREATED, 'end_time': '2026-03-02T10:19:14.872Z'},
        'restore_point': {'id': POINT_A, 'uid': 'urn:veeam:VmRestorePoint:' + POINT_A, 'creation_time': '2026-03-02T10:15:27.310Z'},
    }
    assert web01['name'] == 'web01' and web01['session']['id'] == RUN_B and web01['result'] == 'Success'
    # EM did not list web01's point: its id is still known from the task session
    assert web01['restore_point'] == {'id': POINT_B, 'uid': 'urn:veeam:VmRestorePoint:' + POINT_B, 'creation_time': None}
    assert result['msg'].startswith('Quick backup of 2 VM(s): 2 started. db01: quick backup ended with Success (run "Daily VM Backup@')
    assert len(posts(em_http)) == 2 and clock.sleeps == [2, 2]


def test_several_vms_of_one_job_in_one_run_each_get_their_own_result(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    shared = new_run(RUN_A, result='Warning')
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.WEB01, qb_task('task-1'))
    post(em_http, estate.DB01, qb_task('task-2'))
    tasks(em_http, [done('task-1', RUN_A), done('task-2', RUN_A)])
    runs_by_uid(em_http, [shared], [RUN_A])
    task_sessions(em_http, [vm_task(shared, estate.WEB01, 'web01', point_id=POINT_A),
                            vm_task(shared, estate.DB01, 'db01', 'Warning', 'VMware Tools are not running.', POINT_B)], [RUN_A])
    points_by_id(em_http, [], [POINT_A, POINT_B])
    em_http.expect_logoff()
    result = run({'vms': [estate.WEB01, estate.DB01]})
    assert 'failed' not in result
    vms = by_name(result)
    assert vms['web01']['result'] == 'Success' and vms['web01']['reason'] is None and vms['web01']['session']['result'] == 'Warning'
    assert vms['db01']['result'] == 'Warning' and vms['db01']['reason'] == 'VMware Tools are not running.'
    assert vms['db01']['restore_point']['id'] == POINT_B


def test_fail_on_warning_fails_with_every_vm_returned(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    warned = new_run(RUN_A, result='Warning')
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [warned], [RUN_A])
    task_sessions(em_http, [vm_task(warned, estate.DB01, 'db01', 'Warning', 'VMware Tools are not running.')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'fail_on_warning': True})
    assert result['failed'] is True and result['error_kind'] == 'vm_backup' and result['changed'] is True
    assert result['msg'] == ('Quick backup failed for 1 of 1 VM(s): db01 (Warning). Enterprise Manager says: db01: VMware Tools are not running. '
                             'Likely fix: set fail_on_warning=false to accept backups that end with warnings; see vms for each VM; run the task '
                             'again with max_age_minutes so that the VMs backed up now are skipped.')
    assert result['em_message'] == 'db01: VMware Tools are not running.'
    assert result['vms'][0]['result'] == 'Warning' and result['vms'][0]['restore_point'] is None


def test_one_failing_vm_among_several_fails_the_task_after_all_have_ended(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a, run_b = new_run(RUN_A), new_run(RUN_B, result='Failed')
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.WEB01, qb_task('task-1'))
    post(em_http, estate.DB01, qb_task('task-2'))
    tasks(em_http, [done('task-1', RUN_A), done('task-2', RUN_B)])
    runs_by_uid(em_http, [run_a, run_b], [RUN_A, RUN_B])
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01', point_id=POINT_A),
                            vm_task(run_b, estate.DB01, 'db01', 'Failed', 'Error: Failed to create VM snapshot.')], [RUN_A, RUN_B])
    points_by_id(em_http, [], [POINT_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.WEB01, estate.DB01]})
    assert result['failed'] is True and result['error_kind'] == 'vm_backup' and result['changed'] is True
    assert result['msg'].startswith('Quick backup failed for 1 of 2 VM(s): db01 (Failed). Enterprise Manager says: db01: Error: Failed to create VM '
                                    'snapshot. Likely fix: see vms for each VM; run the task again with max_age_minutes')
    assert [(vm['name'], vm['result']) for vm in result['vms']] == [('web01', 'Success'), ('db01', 'Failed')]
    assert result['vms'][0]['restore_point']['id'] == POINT_A and result['vms'][1]['restore_point'] is None


def test_a_refused_quick_backup_fails_only_its_vm(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    message = 'Job "Daily VM Backup" that protects VM "db01" is running; quick backup is not possible now.'
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.WEB01, qb_task('task-1'))
    post(em_http, estate.DB01, qb_task('task-2'))
    tasks(em_http, [done('task-1', RUN_A), qb_task('task-2', 'OperationFinished', False, message)])
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.WEB01, estate.DB01]})
    assert result['failed'] is True and result['changed'] is True
    web01, db01 = result['vms']
    assert web01['result'] == 'Success' and web01['restore_point'] is None
    assert db01['action'] == 'started' and db01['result'] == 'Failed' and db01['session'] is None
    assert db01['reason'] == 'Enterprise Manager refused the quick backup: ' + message
    assert result['msg'].startswith('Quick backup failed for 1 of 2 VM(s): db01 (Failed). Enterprise Manager says: db01: ' + message)
    assert 'a quick backup needs a backup job that is not running' in result['msg']


def test_a_vm_without_its_own_task_session_in_the_run_fails(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01')], [RUN_A])  # another VM's, not db01's
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01]})
    assert result['failed'] is True
    assert result['vms'][0]['result'] == 'Failed' and result['vms'][0]['session']['result'] == 'Success'
    assert result['vms'][0]['reason'] == 'run "Daily VM Backup@2026-03-01 21:00:12" ended without a task session of this VM'


def test_a_task_session_without_vm_uid_is_matched_by_name(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'DB01', 'Warning', 'Slow.', with_uid=False)], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01]})
    assert 'failed' not in result and result['vms'][0]['result'] == 'Warning' and result['vms'][0]['reason'] == 'Slow.'


def test_a_vm_given_twice_is_backed_up_once(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http, names=['DB01'])
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': ['DB01', estate.DB01]})
    assert 'failed' not in result and len(result['vms']) == 2 and result['vms'][0] == result['vms'][1]
    assert len(posts(em_http)) == 1 and result['msg'].startswith('Quick backup of 1 VM(s): 1 started.')


# --- without waiting ----------------------------------------------------------------------------------

def test_without_wait_the_tasks_are_waited_for_and_the_runs_read_once(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [])
    post(em_http, estate.DB01, qb_task('task-1'))
    tasks(em_http, [qb_task('task-1', 'OperationFinished', True, 'OperationFinished')])
    tasks(em_http, [done('task-1', RUN_A)])
    runs_by_uid(em_http, [], [RUN_A])  # not listed yet
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'wait': False})
    assert 'failed' not in result and result['changed'] is True
    vm = result['vms'][0]
    assert vm['action'] == 'started' and vm['result'] is None and vm['reason'] is None and vm['restore_point'] is None
    assert vm['session'] == {'id': RUN_A, 'uid': 'urn:veeam:BackupJobSession:' + RUN_A, 'name': None, 'state': None, 'result': None,
                             'creation_time': None, 'end_time': None}
    assert result['msg'] == 'Quick backup of 1 VM(s): 1 started. db01: quick backup started.'


def test_without_wait_a_refused_quick_backup_still_fails(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, refused('task-1', 'VM "db01" has no restore point yet: run job "Daily VM Backup" first.'))
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'wait': False})
    assert result['failed'] is True and result['changed'] is True and result['vms'][0]['result'] == 'Failed'
    assert 'has no restore point yet' in result['vms'][0]['reason']


# --- check mode and max_age_minutes ------------------------------------------------------------------

def test_check_mode_resolves_everything_and_posts_nothing(em_http):
    em_http.expect_logon()
    resolve(em_http, names=['db01'])
    em_http.expect_logoff()
    result = run({'vms': ['db01', estate.WEB01_DR]}, check_mode=True)
    assert 'failed' not in result and result['changed'] is True and posts(em_http) == []
    db01, web01 = result['vms']
    assert db01['action'] == 'would_start' and db01['result'] is None and db01['job'] == {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}
    assert web01['backup_server'] == 'vbr02.lab.local' and web01['job']['name'] == 'DR Site Backup' and web01['hierarchy_root'] == 'vc02.lab.local'
    assert 'web01: a quick backup would start (job "DR Site Backup" on vbr02.lab.local).' in result['msg']


def points_since(http, points, refs, since='2026-03-02T09:00:00Z'):
    selection = uid_filter('HierarchyObjRef', refs)
    http.expect_query('VmRestorePoint', page('VmRestorePoint', points),
                      filter_text='%s;CreationTime>="%s"' % ('(%s)' % selection if len(refs) > 1 else selection, since), sort_desc='CreationTime')


def test_max_age_skips_every_vm_with_a_young_restore_point(em_http):
    em_http.expect_logon()
    resolve(em_http)
    points_since(em_http, [estate.vm_point(estate.DB01, 'db01', POINT_A, '2026-03-02T09:30:00.000Z'),
                           estate.vm_point(estate.DB01, 'db01', POINT_B, '2026-03-02T09:20:00.000Z'),
                           estate.vm_point(estate.WEB01, 'web01', 'c0c0c0c0-0000-4000-8000-000000000002', '2026-03-02T09:45:10.000Z')],
                 [estate.DB01, estate.WEB01])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01, estate.WEB01], 'max_age_minutes': 60})
    assert 'failed' not in result and result['changed'] is False and posts(em_http) == []
    db01, web01 = result['vms']
    assert db01['action'] == 'skipped' and db01['result'] is None and db01['session'] is None
    assert db01['restore_point'] == {'id': POINT_A, 'uid': 'urn:veeam:VmRestorePoint:' + POINT_A, 'creation_time': '2026-03-02T09:30:00.000Z'}
    assert db01['reason'] == 'its newest restore point (2026-03-02T09:30:00.000Z) is younger than 60 minutes'
    assert web01['action'] == 'skipped' and result['msg'].startswith('Quick backup of 2 VM(s): 2 skipped. db01: skipped, its newest')


def test_max_age_backs_up_only_the_vms_without_a_young_point(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http)
    # web01's point is 61 minutes old: EM's filter compares to the second, the module checks the age again
    points_since(em_http, [estate.vm_point(estate.DB01, 'db01', POINT_A, '2026-03-02T09:30:00.000Z'),
                           estate.vm_point(estate.WEB01, 'web01', POINT_B, '2026-03-02T08:59:00.000Z')], [estate.DB01, estate.WEB01])
    latest(em_http, [PREVIOUS])
    post(em_http, estate.WEB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01, estate.WEB01], 'max_age_minutes': 60})
    assert 'failed' not in result and result['changed'] is True
    assert [vm['action'] for vm in result['vms']] == ['skipped', 'started'] and len(posts(em_http)) == 1


def test_check_mode_with_max_age(em_http):
    em_http.expect_logon()
    resolve(em_http)
    points_since(em_http, [], [estate.DB01])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'max_age_minutes': 60}, check_mode=True)
    assert result['changed'] is True and result['vms'][0]['action'] == 'would_start' and posts(em_http) == []


# --- resolution failures (before any POST) -----------------------------------------------------------

def test_a_name_of_several_vms_fails_before_any_post_with_the_candidates(em_http):
    em_http.expect_logon()
    resolve(em_http, names=['db01', 'web01'])
    em_http.expect_logoff()
    result = run({'vms': ['db01', 'web01']})
    assert result['failed'] is True and result['error_kind'] == 'ambiguous_vm' and posts(em_http) == []
    assert [(item['ref'], item['hierarchy_root'], item['jobs']) for item in result['candidates']] == [
        (estate.WEB01, 'vc01.lab.local', ['Daily VM Backup (vbr01.lab.local)']), (estate.WEB01_DR, 'vc02.lab.local', ['DR Site Backup (vbr02.lab.local)'])]
    assert '2 VMs are named "web01"' in result['msg'] and 'vms' not in result


def test_backup_server_narrows_a_name(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_c = new_run(RUN_C, job=estate.DR)
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], jobs=[estate.DR], job_filter='BackupServerName=="vbr02.lab.local"',
                             point_filter='VmDisplayName==web01;BackupServerName=="vbr02.lab.local"')
    latest(em_http, [], job_uids=[DR_UID])
    post(em_http, estate.WEB01_DR, done('task-1', RUN_C), server=VBR02)
    runs_by_uid(em_http, [run_c], [RUN_C])
    task_sessions(em_http, [vm_task(run_c, estate.WEB01_DR, 'web01')], [RUN_C])
    em_http.expect_logoff()
    result = run({'vms': ['web01'], 'backup_server': 'vbr02.lab.local'})
    assert 'failed' not in result and result['vms'][0]['ref'] == estate.WEB01_DR and result['vms'][0]['job']['name'] == 'DR Site Backup'


def test_a_vm_that_no_job_protects_fails_before_any_post(em_http):
    other = 'urn:VMware:Vm:%s.vm-9999' % estate.VC01
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='HierarchyObjRef=="%s"' % other)
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01, other]})
    assert result['failed'] is True and result['error_kind'] == 'vm_not_protected' and posts(em_http) == []
    assert 'No job protects VM %s' % other in result['msg']


def test_a_vm_protected_only_by_a_replica_job_fails_before_any_post(em_http):
    replica = estate.job_with('SQL Replica', REPLICA_ID, [estate.include(SQL01, 'sql01')], job_type='Replica')
    em_http.expect_logon()
    resolve(em_http, jobs=estate.JOBS + [replica])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01, SQL01]})
    assert result['failed'] is True and result['error_kind'] == 'vm_not_protected' and posts(em_http) == []
    assert result['msg'].startswith('No backup job protects VM "sql01" (%s)' % SQL01)
    assert 'this VM is protected only by "SQL Replica" (Replica)' in result['msg']


@pytest.mark.parametrize('args, message', [
    ({'vms': []}, 'needs at least one VM'),
    ({'vms': ['urn:VMware:Folder:%s.group-v1' % estate.VC01]}, 'Invalid VM reference in option vms'),
    ({'vms': ['db01'], 'max_age_minutes': -1}, 'max_age_minutes must not be negative'),
    ({'vms': ['db01'], 'wait_timeout': 0}, 'wait_timeout must be greater than 0'),
    ({'vms': ['db01'], 'poll_interval': 5, 'poll_max_interval': 1}, 'poll_max_interval must not be smaller'),
])
def test_bad_options_fail_before_any_request(em_http, args, message):
    result = run(args)
    assert result['failed'] is True and result['error_kind'] == 'input' and message in result['msg'] and em_http.calls == []


# --- lost tasks and expiry ----------------------------------------------------------------------------

def new_runs(http, runs, filter_text, page_size, token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_query('BackupJobSession', page('BackupJobSession', runs), filter_text=filter_text, sort_desc='CreationTime', page_size=page_size,
                      **kwargs)


def test_an_expiry_while_waiting_for_the_tasks_finds_each_vm_in_the_runs(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    run_b = new_run(RUN_B, created='2026-03-02T10:16:00.000Z')
    since = 'JobUid=="%s";CreationTime>="2026-03-01T21:00:12Z"' % DAILY_UID
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.WEB01, qb_task('task-1'))
    post(em_http, estate.DB01, qb_task('task-2'))
    em_http.expect_get('/api/tasks', expired())
    expect_relogon(em_http)
    tasks(em_http, [], token=TOKEN2)  # the new logon session has no tasks
    # first round: only web01's run has appeared; second round: db01's too
    new_runs(em_http, [run_a, PREVIOUS], since, 7, token=TOKEN2)
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01')], [RUN_A], token=TOKEN2)
    new_runs(em_http, [run_b, run_a, PREVIOUS], since, 6, token=TOKEN2)
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01'), vm_task(run_b, estate.DB01, 'db01', point_id=POINT_B)], [RUN_A, RUN_B],
                  token=TOKEN2)
    # both runs were read stopped while they were searched: no further run query
    task_sessions(em_http, [vm_task(run_a, estate.WEB01, 'web01'), vm_task(run_b, estate.DB01, 'db01', point_id=POINT_B)], [RUN_A, RUN_B],
                  token=TOKEN2)
    points_by_id(em_http, [], [POINT_B], token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'vms': [estate.WEB01, estate.DB01]})
    assert 'failed' not in result and result['changed'] is True and len(posts(em_http)) == 2
    web01, db01 = result['vms']
    assert web01['session']['id'] == RUN_A and db01['session']['id'] == RUN_B
    assert web01['result'] == 'Success' and db01['restore_point']['id'] == POINT_B


def test_a_task_that_vanishes_is_recovered_through_the_runs(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [])
    post(em_http, estate.DB01, qb_task('task-1'))
    tasks(em_http, [])
    new_runs(em_http, [run_a], 'JobUid=="%s"' % DAILY_UID, 6)
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01')], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01]})
    assert 'failed' not in result and result['vms'][0]['session']['id'] == RUN_A and result['vms'][0]['result'] == 'Success'


def test_an_expiry_while_following_the_runs_continues(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [new_run(RUN_A, 'Working')], [RUN_A])
    em_http.expect_query('BackupJobSession', expired(), filter_text=uid_filter('UID', ['urn:veeam:BackupJobSession:' + RUN_A]), page_size=500)
    expect_relogon(em_http)
    runs_by_uid(em_http, [run_a], [RUN_A], token=TOKEN2)
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01')], [RUN_A], token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'vms': [estate.DB01]})
    assert 'failed' not in result and result['vms'][0]['result'] == 'Success'


def test_wait_timeout_while_the_tasks_run_returns_every_vm(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, qb_task('task-1'))
    tasks(em_http, [qb_task('task-1')])
    tasks(em_http, [qb_task('task-1')])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'wait_timeout': 5})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert result['msg'].startswith('Quick backup of 1 VM(s): Timed out after 5 s (wait_timeout=5): 1 of 1 tasks still running, '
                                    'among them task task-1 (QuickBackup) is Running')
    assert result['vms'][0]['action'] == 'started' and result['vms'][0]['result'] is None
    assert sum(clock.sleeps) == 5


def test_wait_timeout_while_the_runs_go_on(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [new_run(RUN_A, 'Working')], [RUN_A])
    runs_by_uid(em_http, [new_run(RUN_A, 'Working')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'wait_timeout': 2})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout'
    assert '1 of 1 runs still going on, among them run "Daily VM Backup@2026-03-01 21:00:12" is Working at 40%' in result['msg']
    assert result['vms'][0]['session']['state'] == 'Working'


# --- request failures ---------------------------------------------------------------------------------

def test_a_post_that_cannot_reach_em_stops_the_requests_that_follow(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    resolve(em_http, jobs=estate.JOBS)
    latest(em_http, [PREVIOUS, session_entity(estate.DR, OLD_ID)], job_uids=[DAILY_UID, DR_UID])
    post(em_http, estate.DB01, qb_task('task-1'))
    post(em_http, estate.WEB01_DR, None, server=VBR02, raises=connection_refused())
    tasks(em_http, [done('task-1', RUN_A)])
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01, estate.WEB01_DR, estate.WEB01]})
    assert result['failed'] is True and result['changed'] is True and len(posts(em_http)) == 2
    db01, web01_dr, web01 = result['vms']
    assert db01['result'] == 'Success'
    assert web01_dr['action'] == 'started' and web01_dr['result'] == 'Failed'
    assert web01_dr['reason'].startswith('the quick backup request failed: Cannot connect to Enterprise Manager')
    assert web01['action'] is None and web01['result'] == 'Failed' and web01['reason'].startswith('not requested')
    # two VMs named web01: messages name their hierarchy roots
    assert result['msg'].startswith('Quick backup failed for 2 of 3 VM(s): web01 (vc02.lab.local) (Failed), web01 (vc01.lab.local) (Failed) '
                                    '(web01 (vc02.lab.local): the quick backup request failed: Cannot connect to Enterprise Manager')


def test_an_error_after_the_requests_keeps_every_vm_in_the_result(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [new_run(RUN_A)], [RUN_A])
    em_http.expect_query('BackupTaskSession', error_response(400, 'Unknown field.'), filter_text='JobSessionUid=="urn:veeam:BackupJobSession:%s"' % RUN_A,
                         sort_asc='CreationTime', page_size=500)
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01]})
    assert result['failed'] is True and result['error_kind'] == 'api' and result['status'] == 400 and result['changed'] is True
    assert 'Unknown field.' in result['msg'] and 'Quick backups were already requested for 1 VM(s)' in result['msg']
    assert result['vms'][0]['session']['id'] == RUN_A


# --- a Portal User account ---------------------------------------------------------------------------

def test_a_portal_user_finds_vms_and_jobs_through_restore_points_and_runs(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    if ansible_internal is not None:
        monkeypatch.setattr(ansible_internal, 'is_controller', False, raising=False)
    run_a = new_run(RUN_A)
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', page('HierarchyRoot', estate.ROOTS), sort_asc='Name')
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_query('VmRestorePoint', page('VmRestorePoint', [estate.vm_point(estate.DB01, 'db01')]), filter_text='VmDisplayName==db01',
                         sort_desc='CreationTime')
    em_http.expect_query('RestorePoint', page('RestorePoint', [estate.restore_point()]),
                         filter_text='UID=="urn:veeam:RestorePoint:%s"' % estate.POINT_ID)
    new_runs(em_http, [PREVIOUS], 'JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local"', 500)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, done('task-1', RUN_A))
    runs_by_uid(em_http, [run_a], [RUN_A])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01')], [RUN_A])
    em_http.expect_logoff()
    result = run({'vms': ['db01']})
    assert 'failed' not in result and result['vms'][0]['job'] == {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}
    assert result['vms'][0]['backup_server'] == 'vbr01.lab.local' and result['vms'][0]['result'] == 'Success'
    assert any('may not read jobs' in text for text in warning_texts(result))


def test_lost_tasks_of_two_jobs_are_searched_with_one_query(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    dr_previous = session_entity(estate.DR, 'c0c0c0c0-0000-4000-8000-000000000010', created='2026-03-01T22:00:00.000Z')
    run_a, run_c = new_run(RUN_A), new_run(RUN_C, job=estate.DR, created='2026-03-02T10:15:04.000Z')
    older_dr = session_entity(estate.DR, 'c0c0c0c0-0000-4000-8000-000000000011', created='2026-03-01T21:30:00.000Z')
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS, dr_previous], job_uids=[DAILY_UID, DR_UID])
    post(em_http, estate.DB01, qb_task('task-1'))
    post(em_http, estate.WEB01_DR, qb_task('task-2'), server=VBR02)
    tasks(em_http, [])  # both vanished
    # since the older of the two runs read before; DR Site Backup's run older than its own baseline is left out
    new_runs(em_http, [run_c, run_a, dr_previous, older_dr, PREVIOUS], '(%s);CreationTime>="2026-03-01T21:00:12Z"' % uid_filter('JobUid', [DAILY_UID, DR_UID]),
             14)
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01'), vm_task(run_c, estate.WEB01_DR, 'web01')], [RUN_A, RUN_C])
    task_sessions(em_http, [vm_task(run_a, estate.DB01, 'db01'), vm_task(run_c, estate.WEB01_DR, 'web01')], [RUN_A, RUN_C])
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01, estate.WEB01_DR]})
    assert 'failed' not in result
    assert [(vm['session']['id'], vm['job']['name'], vm['result']) for vm in result['vms']] == [
        (RUN_A, 'Daily VM Backup', 'Success'), (RUN_C, 'DR Site Backup', 'Success')]


def test_a_lost_task_whose_run_never_appears_times_out_naming_the_vm(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    resolve(em_http)
    latest(em_http, [PREVIOUS])
    post(em_http, estate.DB01, qb_task('task-1'))
    tasks(em_http, [])
    since = 'JobUid=="%s";CreationTime>="2026-03-01T21:00:12Z"' % DAILY_UID
    new_runs(em_http, [PREVIOUS], since, 6)
    new_runs(em_http, [PREVIOUS], since, 6)
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'wait_timeout': 4})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout'
    assert ('no run of job "Daily VM Backup" with VM db01 has appeared since its task was lost (task-1: Enterprise Manager no longer lists it)'
            in result['msg'])
