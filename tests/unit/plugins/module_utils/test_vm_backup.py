# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_vm_backup: the decisions of the quick backup flow, and the VM restore points read by id."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmBadResponseError, EmVmNotProtectedError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._restore_points import CHUNK, RestorePointsApi
from ansible_collections.veeamops.em.plugins.module_utils._vm_backup import (
    SKIPPED,
    STARTED,
    WOULD_START,
    VmQuickBackup,
    _newer,
    backup_jobs,
    is_failure,
    newest_points,
    own_task_session,
    point_id_of,
    point_summary,
    quick_backup_task_done,
    session_summary,
    younger_than,
)
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import fixture_json, query_page, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import task, task_session

NOW = datetime.datetime(2026, 3, 2, 10, 0, 0, tzinfo=datetime.timezone.utc)
SERVER_1 = 'af37938e-191c-4df1-891e-3a49c7a3bec7'
SERVER_2 = '5f0b7c2e-9d41-4a8e-b3f6-2c7d9e1a4b58'


def job(name, job_type='Backup', server_id=SERVER_1, protected_by='include'):
    return {'name': name, 'id': name.lower().replace(' ', '-'), 'uid': 'urn:veeam:Job:' + name, 'job_type': job_type, 'backup_server': 'vbr',
            'backup_server_id': server_id, 'protected_by': protected_by}


def target(*jobs, name='db01'):
    return {'name': name, 'ref': estate.DB01, 'hierarchy_root': 'vc01.lab.local', 'backup_server': 'vbr01.lab.local', 'jobs': list(jobs)}


def point(ref, created, point_id='d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'):
    return snake_keys(estate.vm_point(ref, 'x', point_id, created))


# --- the backup job ---------------------------------------------------------------------------------

def test_the_first_backup_job_is_chosen_and_the_others_of_its_server_kept():
    jobs = backup_jobs(target(job('SQL Replica', 'Replica'), job('Daily'), job('Far', server_id=SERVER_2), job('Infra', protected_by='container')))
    assert [item['name'] for item in jobs] == ['Daily', 'Infra']


def test_a_vm_protected_only_by_replica_and_copy_jobs_has_no_backup_job():
    with pytest.raises(EmVmNotProtectedError) as caught:
        backup_jobs(target(job('SQL Replica', 'Replica'), job('Offsite Copy', 'BackupCopy')))
    assert str(caught.value).startswith('No backup job protects VM "db01" (%s) (a quick backup runs a job of type Backup; this VM is '
                                        'protected only by "SQL Replica" (Replica), "Offsite Copy" (BackupCopy))' % estate.DB01)


def test_a_backup_job_without_a_backup_server_link_is_an_unreadable_answer():
    with pytest.raises(EmBadResponseError, match='job "Daily" that protects VM "db01"'):
        backup_jobs(target(job('Daily', server_id=None)))


# --- restore points and ages ------------------------------------------------------------------------

def test_the_newest_point_of_each_vm():
    newest = newest_points([point(estate.DB01, '2026-03-02T08:00:00Z', 'a1'), point(estate.DB01, '2026-03-02T09:00:00Z', 'a2'),
                            point(estate.DB01, 'garbled', 'a3'), point(estate.WEB01, '2026-03-01T09:00:00Z', 'b1'),
                            point(estate.TAG, '2026-03-02T09:59:00Z', 'c1')])
    assert {key[-1]: item['uid'].rsplit(':', 1)[-1] for key, item in newest.items()} == {'vm-1108': 'a2', 'vm-1042': 'b1'}


@pytest.mark.parametrize('created, expected', [
    ('2026-03-02T09:00:01Z', True),
    ('2026-03-02T09:00:00Z', False),  # exactly as old as allowed: not younger
    ('2026-03-02T10:05:00Z', True),  # ahead of the controller's clock
    ('not a time', False),
])
def test_younger_than(created, expected):
    assert younger_than({'creation_time_utc': created}, 60, NOW) is expected


# --- tasks and task sessions ------------------------------------------------------------------------

@pytest.mark.parametrize('state, success, expected', [
    ('Running', None, False),
    ('OperationFinished', True, False),  # the Related link of the run comes with Finished
    ('OperationFinished', False, True),
    ('Finished', True, True),
    ('Finished', False, True),
])
def test_quick_backup_task_done(state, success, expected):
    assert quick_backup_task_done(snake_keys(task('task-1', state, 'QuickBackup', success))) is expected


def sessions_of_a_run():
    run = session_entity(estate.DAILY, 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16')
    web01 = task_session(run, 'web01')
    other_web01 = dict(task_session(run, 'web01'), VmUid=estate.WEB01_DR)
    nameless = dict(task_session(run, 'db01'), VmUid=None)
    return [snake_keys(item) for item in (other_web01, web01, nameless)]


def test_own_task_session_by_reference_then_by_name_only_without_a_reference():
    items = sessions_of_a_run()
    assert own_task_session(items, estate.WEB01, 'web01') is items[1]
    assert own_task_session(items, estate.DB01, 'DB01') is items[2]
    assert own_task_session(items, estate.GOLD01, 'web01') is None  # named like two, but neither is without a reference
    assert own_task_session(items, estate.GOLD01, None) is None and own_task_session([], estate.WEB01, 'web01') is None


def test_own_task_session_by_name_must_be_unique():
    items = sessions_of_a_run()
    assert own_task_session(items + [dict(items[2])], estate.DB01, 'db01') is None


def test_point_of_a_task_session_and_summaries():
    item = snake_keys(fixture_json('backup-task-session-entity.json'))
    assert point_id_of(item) == 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35' and point_id_of({'links': []}) is None
    assert point_summary('p1') == {'id': 'p1', 'uid': 'urn:veeam:VmRestorePoint:p1', 'creation_time': None}
    full = point(estate.DB01, '2026-03-02T08:00:00Z', 'p2')
    assert point_summary(None, full) == {'id': 'p2', 'uid': 'urn:veeam:VmRestorePoint:p2', 'creation_time': '2026-03-02T08:00:00Z'}
    running = snake_keys(session_entity(estate.DAILY, 'r1', state='Working', result='None', ended=None))
    assert session_summary(running)['result'] is None and session_summary(running)['state'] == 'Working' and session_summary(None) is None


@pytest.mark.parametrize('result, fail_on_warning, expected', [
    ('Failed', False, True), ('Warning', False, False), ('Warning', True, True), ('Success', True, False), (None, True, False)])
def test_is_failure(result, fail_on_warning, expected):
    assert is_failure(result, fail_on_warning) is expected


# --- one VM's result --------------------------------------------------------------------------------

def unit():
    return VmQuickBackup(target(job('Daily VM Backup')), [job('Daily VM Backup')])


def test_a_vm_result_in_each_state():
    skipped, planned, refused, waiting, ended = unit(), unit(), unit(), unit(), unit()
    skipped.action, skipped.skip_reason = SKIPPED, 'its newest restore point (t) is younger than 60 minutes'
    planned.action = WOULD_START
    refused.action, refused.failure = STARTED, 'Enterprise Manager refused the quick backup: Busy.'
    waiting.action, waiting.run_uid = STARTED, 'urn:veeam:BackupJobSession:r1'
    ended.action, ended.waited = STARTED, True
    ended.run = snake_keys(session_entity(estate.DAILY, 'r2'))
    ended.task_session = snake_keys(task_session(session_entity(estate.DAILY, 'r2'), 'db01', 'Warning', 'Slow.'))
    assert [(vm.result(), vm.reason()) for vm in (skipped, planned, refused, waiting, ended)] == [
        (None, 'its newest restore point (t) is younger than 60 minutes'), (None, None), ('Failed', 'Enterprise Manager refused the quick backup: Busy.'),
        (None, None), ('Warning', 'Slow.')]
    assert [vm.sentence() for vm in (skipped, planned, refused, waiting, ended)] == [
        'db01: skipped, its newest restore point (t) is younger than 60 minutes.',
        'db01: a quick backup would start (job "Daily VM Backup" on vbr).',
        'db01: Failed, Enterprise Manager refused the quick backup: Busy.',
        'db01: quick backup started.',
        'db01: quick backup ended with Warning (run "Daily VM Backup@2026-03-01 21:00:12"): Slow.',
    ]
    assert waiting.as_result()['session']['id'] == 'r1' and waiting.as_result()['job'] == {'name': 'Daily VM Backup', 'id': 'daily-vm-backup'}
    assert ended.as_result()['job'] == {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}  # the job of the run


def test_a_task_session_without_result_after_the_run_fails_the_vm():
    vm = unit()
    vm.action, vm.waited = STARTED, True
    vm.run = snake_keys(session_entity(estate.DAILY, 'r2'))
    vm.task_session = snake_keys(task_session(session_entity(estate.DAILY, 'r2'), 'db01', 'None'))
    assert vm.result() == 'Failed' and vm.reason() == 'its task session in run "Daily VM Backup@2026-03-01 21:00:12" ended without a result'


# --- VM restore points by id ------------------------------------------------------------------------

def test_vm_points_by_id_cost_one_query_per_forty(em_http, em_settings):
    ids = ['00000000-0000-4000-8000-%012d' % number for number in range(CHUNK + 1)]
    first = [estate.vm_point(estate.DB01, 'db01', ids[3]), estate.vm_point(estate.DB01, 'db01', 'c0c0c0c0-0000-4000-8000-00000000ffff')]
    em_http.expect_logon()
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', first)),
                         filter_text=','.join('UID=="urn:veeam:VmRestorePoint:%s"' % point_id for point_id in ids[:CHUNK]))
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', [])), filter_text='UID=="urn:veeam:VmRestorePoint:%s"' % ids[-1])
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = RestorePointsApi(em).vm_points_by_ids(ids + [ids[0]])
    assert list(found) == [ids[3]]  # a point that was not asked for is left out


def test_a_new_run_is_one_of_the_jobs_and_not_older_than_its_baseline():
    baseline = snake_keys(session_entity(estate.DAILY, 'base', created='2026-03-01T21:00:12.437Z'))
    previous = {'urn:veeam:job:' + estate.DAILY_ID: baseline, 'urn:veeam:job:other': None}

    def run(run_id, created, daily=True):
        return snake_keys(session_entity(estate.DAILY if daily else estate.DR, run_id, created=created))

    assert _newer(run('r1', '2026-03-01T21:00:12.900Z'), previous) is True  # the same second counts
    assert _newer(run('base', '2026-03-01T21:00:12.437Z'), previous) is False
    assert _newer(run('r2', '2026-03-01T21:00:11.000Z'), previous) is False
    assert _newer(run('r3', '2026-03-02T00:00:00Z', daily=False), previous) is False  # DR Site Backup is not asked for
    assert _newer(dict(run('r4', 'x'), job_uid='urn:veeam:Job:other'), previous) is True
