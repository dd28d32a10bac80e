# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_job: every branch over scripted HTTP, with a fake clock; every test checks the logoff (em_http fixture)."""

from __future__ import annotations

import json

import pytest

try:
    from ansible.module_utils import _internal as ansible_internal
except ImportError:  # ansible-core < 2.19
    ansible_internal = None

from ansible_collections.veeamops.em.plugins.modules import veeam_job
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, TOKEN, USERNAME, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import DAILY_ID, VBR02, job_entity, query_page, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import (
    SESSION_ID2,
    TOKEN2,
    expect_relogon,
    expired,
    finished,
    install_fake_clock,
    task,
    task_session,
)
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module, warning_texts

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD, 'name': 'Daily VM Backup', 'poll_interval': 2, 'poll_max_interval': 10}
JOB_UID = 'urn:veeam:Job:' + DAILY_ID
JOB_PATH = '/api/jobs/' + DAILY_ID
LATEST_FILTER = 'JobUid=="%s"' % JOB_UID
OLD_ID = 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'
NEW_ID = '9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64'
NEW_FILTER = 'JobUid=="%s";CreationTime>="2026-03-01T21:00:12Z"' % JOB_UID
DAILY = job_entity()
IDLE = session_entity(DAILY, OLD_ID)
FAILED = session_entity(DAILY, OLD_ID, result='Failed')
RUNNING = session_entity(DAILY, OLD_ID, state='Working', result='None', ended=None, progress=30)


def new_run(state='Stopped', result='Success', progress=100, job=DAILY, session_id=NEW_ID):
    ended = '2026-03-02T10:40:14.872Z' if state == 'Stopped' else None
    return session_entity(job, session_id, state=state, result=result if state == 'Stopped' else 'None', created='2026-03-02T10:15:02.310Z',
                          ended=ended, progress=progress)


def run(args, check_mode=False):
    return run_module(veeam_job.main, dict(ARGS, **args), check_mode=check_mode)


def find(http, jobs=(DAILY,), filter_text='Name=="Daily VM Backup"'):
    http.expect_query('Job', json_response(query_page('Job', list(jobs))), filter_text=filter_text, sort_asc='Name')


def latest(http, sessions, session_type='BackupJobSession', filter_text=LATEST_FILTER, token=TOKEN):
    http.expect_query(session_type, json_response(query_page(session_type, list(sessions))), filter_text=filter_text, sort_desc='CreationTime',
                      page_size=1, token=token)


def newest(http, sessions, filter_text=NEW_FILTER, token=TOKEN, session_type='BackupJobSession'):
    http.expect_query(session_type, json_response(query_page(session_type, list(sessions))), filter_text=filter_text, sort_desc='CreationTime',
                      page_size=5, token=token)


def post(http, action, answer, path=JOB_PATH, params=None):
    http.expect('POST', path, {'action': action} if params is None else params, body=None, response=json_response(answer, 202))


def poll(http, path, answer, token=TOKEN, params=None):
    http.expect_get(path, json_response(answer) if isinstance(answer, dict) else answer, token=token,
                    **({} if params is None else {'params': params}))


def session_path(session):
    return '/api/backupSessions/' + session['UID'].rsplit(':', 1)[-1]


def posts(http):
    return [call for call in http.calls if call.method == 'POST' and 'sessionMngr' not in call.path]


# --- start -------------------------------------------------------------------------------------------

def test_start_an_idle_job_without_waiting(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', task())
    poll(em_http, '/api/tasks/task-1', finished(message='Job "Daily VM Backup" triggered to start.'))
    em_http.expect_logoff()
    result = run({'action': 'start'})
    assert result['changed'] is True and 'failed' not in result
    assert result['msg'] == 'Job "Daily VM Backup" was started.'
    assert result['task'] == {'id': 'task-1', 'operation': 'StartJob', 'state': 'Finished', 'success': True,
                              'message': 'Job "Daily VM Backup" triggered to start.', 'href': EM + '/api/tasks/task-1'}
    assert result['session'] is None
    assert result['job']['id'] == DAILY_ID and result['job']['backup_server']['name'] == 'vbr01.lab.local'
    assert 'diff' not in result
    assert clock.sleeps == [2] and len(em_http.calls) == 6


def test_start_and_wait_for_the_new_run(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    started = new_run('Starting', progress=0)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished(state='OperationFinished', message='OperationFinished'))
    newest(em_http, [IDLE])  # EM has not collected the new session yet
    newest(em_http, [started, IDLE])
    poll(em_http, session_path(started), new_run('Working', progress=50))
    poll(em_http, session_path(started), new_run())
    poll(em_http, session_path(started) + '/taskSessions', {'BackupTaskSessions': [task_session(new_run())]}, params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True})
    assert result['changed'] is True and 'failed' not in result
    session = result['session']
    assert session['id'] == NEW_ID and session['result'] == 'Success' and session['running'] is False and session['progress'] == 100
    assert session['creation_time'] == '2026-03-02T10:15:02.310Z' and session['end_time'] == '2026-03-02T10:40:14.872Z'
    assert session['task_sessions'][0]['vm_name'] == 'web01' and session['task_sessions'][0]['result'] == 'Success'
    assert session['task_sessions'][0]['reason'] is None
    assert result['task']['state'] == 'OperationFinished'
    assert result['msg'] == ('Job "Daily VM Backup" was started. Its run "Daily VM Backup@2026-03-01 21:00:12" ended with Success after %d s.'
                             % round(sum(clock.sleeps)))
    assert clock.sleeps == [2, 2, 3]


def test_start_of_a_job_that_never_ran_takes_its_first_session(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [])
    post(em_http, 'start', finished())
    newest(em_http, [new_run()], filter_text=LATEST_FILTER)
    poll(em_http, session_path(new_run()) + '/taskSessions', {'BackupTaskSessions': []}, params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True})
    assert result['session']['id'] == NEW_ID and result['session']['task_sessions'] == []


def test_start_a_running_job_changes_nothing(em_http):
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [RUNNING])
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True})
    assert result['changed'] is False and posts(em_http) == []
    assert result['msg'] == 'Job "Daily VM Backup" is already running (run "Daily VM Backup@2026-03-01 21:00:12" is Working); not started.'
    assert result['session']['running'] is True and result['task'] is None


def test_start_of_a_backup_copy_job_points_to_sync(em_http):
    copy_job = job_entity('Offsite Copy', '45dc56b3-d9dd-4d71-babb-15e8894597e7', 'ImmediateBackupCopy', platform='CustomPlatform')
    em_http.expect_logon()
    find(em_http, [copy_job], 'Name=="Offsite Copy"')
    latest(em_http, [], filter_text='JobUid=="urn:veeam:Job:45dc56b3-d9dd-4d71-babb-15e8894597e7"')
    em_http.expect_logoff()
    result = run({'name': 'Offsite Copy', 'action': 'start'})
    assert result['failed'] is True and result['error_kind'] == 'input' and posts(em_http) == []
    assert 'Job "Offsite Copy" is a ImmediateBackupCopy job; backup copy jobs are not started with start' in result['msg']
    assert 'use action=sync' in result['msg']


def test_refused_start_fails_with_the_em_message(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', task())
    poll(em_http, '/api/tasks/task-1', finished(success=False, message='Job "Daily VM Backup" is already running.'))
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True})
    assert result['failed'] is True and result['error_kind'] == 'task' and result['changed'] is False
    assert result['msg'] == ('Enterprise Manager could not start job "Daily VM Backup" (task task-1 (StartJob) ended Finished with Success=false). '
                             'Enterprise Manager says: Job "Daily VM Backup" is already running.')
    assert result['em_message'] == 'Job "Daily VM Backup" is already running.'
    assert result['task']['success'] is False and result['job']['name'] == 'Daily VM Backup'


def test_failed_run_fails_with_the_session_and_the_vm_reasons(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    failed = new_run(result='Failed')
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished())
    newest(em_http, [failed, IDLE])
    poll(em_http, session_path(failed) + '/taskSessions', {'BackupTaskSessions': [
        task_session(failed), task_session(failed, 'db01', 'Failed', 'Error: Failed to create VM snapshot.')]}, params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True})
    assert result['failed'] is True and result['error_kind'] == 'job_run' and result['changed'] is True
    assert result['msg'].startswith('Job "Daily VM Backup" ran and ended with result Failed (run "Daily VM Backup@2026-03-01 21:00:12" ended at')
    assert 'Enterprise Manager says: db01: Error: Failed to create VM snapshot.' in result['msg'] and 'action=retry' in result['msg']
    assert result['session']['result'] == 'Failed' and len(result['session']['task_sessions']) == 2


@pytest.mark.parametrize('fail_on_warning', [True, False])
def test_warning_fails_only_with_fail_on_warning(em_http, monkeypatch, fail_on_warning):
    install_fake_clock(monkeypatch)
    warned = new_run(result='Warning')
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished())
    newest(em_http, [warned, IDLE])
    poll(em_http, session_path(warned) + '/taskSessions', {'BackupTaskSessions': [task_session(warned, 'web01', 'Warning', 'VMware Tools are not running.')]},
         params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True, 'fail_on_warning': fail_on_warning})
    assert result['session']['result'] == 'Warning' and result['changed'] is True
    if fail_on_warning:
        assert result['failed'] is True and result['error_kind'] == 'job_run' and 'fail_on_warning=false' in result['msg']
        assert result['em_message'] == 'web01: VMware Tools are not running.'
    else:
        assert 'failed' not in result and 'ended with Warning' in result['msg']


def test_wait_timeout_while_the_run_goes_on(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished())
    newest(em_http, [new_run('Working', progress=10), IDLE])
    for progress in (20, 35, 50):
        poll(em_http, session_path(new_run()), new_run('Working', progress=progress))
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True, 'wait_timeout': 8})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert result['msg'].startswith('Job "Daily VM Backup": Timed out after 8 s (wait_timeout=8): '
                                    'run "Daily VM Backup@2026-03-01 21:00:12" is Working at 50%.')
    assert result['session']['progress'] == 50 and result['session']['running'] is True and result['task']['success'] is True
    assert sum(clock.sleeps) == 8 and clock.sleeps == [2, 3, 3]


def test_wait_timeout_while_the_task_runs(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', task())
    poll(em_http, '/api/tasks/task-1', task())
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait_timeout': 2})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert 'task task-1 (StartJob) is Running' in result['msg'] and result['task']['state'] == 'Running'
    assert clock.sleeps == [2]


def test_expiry_while_polling_the_task_continues_through_the_sessions(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', task())
    poll(em_http, '/api/tasks/task-1', expired())
    expect_relogon(em_http)
    poll(em_http, '/api/tasks/task-1', error_response(404), token=TOKEN2)
    newest(em_http, [new_run('Working', progress=5), IDLE], token=TOKEN2)
    poll(em_http, session_path(new_run()), new_run(), token=TOKEN2)
    poll(em_http, session_path(new_run()) + '/taskSessions', {'BackupTaskSessions': []}, token=TOKEN2, params={'format': 'Entity'})
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'action': 'start', 'wait': True})
    assert 'failed' not in result and result['changed'] is True
    assert result['session']['result'] == 'Success'
    assert "task was lost (task-1: it belonged to the expired logon session)" in result['msg']
    assert len(posts(em_http)) == 1


def test_expiry_without_wait_still_confirms_the_new_run(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', task())
    poll(em_http, '/api/tasks/task-1', expired())
    expect_relogon(em_http)
    poll(em_http, '/api/tasks/task-1', error_response(404), token=TOKEN2)
    newest(em_http, [new_run('Starting', progress=0), IDLE], token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'action': 'start'})
    assert 'failed' not in result and result['session']['state'] == 'Starting'


def test_expiry_while_following_the_run(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished())
    newest(em_http, [new_run('Working', progress=5), IDLE])
    poll(em_http, session_path(new_run()), expired())
    expect_relogon(em_http)
    poll(em_http, session_path(new_run()), new_run(), token=TOKEN2)
    poll(em_http, session_path(new_run()) + '/taskSessions', {'BackupTaskSessions': []}, token=TOKEN2, params={'format': 'Entity'})
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'action': 'start', 'wait': True})
    assert 'failed' not in result and result['session']['result'] == 'Success' and 'lost' not in result['msg']


def test_task_sessions_that_cannot_be_read_are_a_warning(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    # ansible-core 2.19+ sends module warnings to the controller's display once controller code (a filter or
    # inventory test) ran in the same process; a module run keeps them in its result.
    if ansible_internal is not None:
        monkeypatch.setattr(ansible_internal, 'is_controller', False, raising=False)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished())
    newest(em_http, [new_run(), IDLE])
    poll(em_http, session_path(new_run()) + '/taskSessions', error_response(501, 'Not implemented.'), params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'action': 'start', 'wait': True})
    assert 'failed' not in result and 'task_sessions' not in result['session']
    assert any("per-VM task sessions" in text and "Not implemented." in text for text in warning_texts(result))


# --- replica jobs ------------------------------------------------------------------------------------

def test_replica_runs_are_replica_sessions(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    replica_id = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
    replica = job_entity('SQL Replica', replica_id, 'Replica')
    uid_filter = 'JobUid=="urn:veeam:Job:%s"' % replica_id
    previous = session_entity(replica, OLD_ID)
    started = new_run(job=replica)
    em_http.expect_logon()
    find(em_http, [replica], 'Name=="SQL Replica"')
    latest(em_http, [previous], 'ReplicaJobSession', uid_filter)
    post(em_http, 'start', finished(), path='/api/jobs/' + replica_id)
    newest(em_http, [started, previous], uid_filter + ';CreationTime>="2026-03-01T21:00:12Z"', session_type='ReplicaJobSession')
    poll(em_http, '/api/replicaSessions/%s/replicaTaskSessions' % NEW_ID, {'ReplicaTaskSessions': []}, params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'name': 'SQL Replica', 'action': 'start', 'wait': True})
    assert result['session']['uid'] == 'urn:veeam:ReplicaJobSession:' + NEW_ID and result['session']['task_sessions'] == []


# --- stop --------------------------------------------------------------------------------------------

def test_stop_waits_for_the_run_to_stop_by_default_and_accepts_failed(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    stopped = session_entity(DAILY, OLD_ID, result='Failed')
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [RUNNING])
    post(em_http, 'stop', task(operation='StopJob'))
    poll(em_http, '/api/tasks/task-1', finished(operation='StopJob', message='Job "Daily VM Backup" triggered to stop.'))
    poll(em_http, session_path(RUNNING), session_entity(DAILY, OLD_ID, state='Stopping', result='None', ended=None, progress=30))
    poll(em_http, session_path(RUNNING), stopped)
    poll(em_http, session_path(RUNNING) + '/taskSessions', {'BackupTaskSessions': []}, params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'action': 'stop'}, check_mode=False)
    assert 'failed' not in result and result['changed'] is True
    assert result['session']['state'] == 'Stopped' and result['session']['result'] == 'Failed'
    assert result['msg'].startswith('Job "Daily VM Backup" was stopped. Its run "Daily VM Backup@2026-03-01 21:00:12" ended with Failed')


def test_stop_without_wait(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [RUNNING])
    post(em_http, 'stop', finished(operation='StopJob'))
    em_http.expect_logoff()
    result = run({'action': 'stop', 'wait': False})
    assert result['changed'] is True and result['session']['state'] == 'Working' and result['msg'] == 'Job "Daily VM Backup" was stopped.'


def test_stop_an_idle_job_changes_nothing(em_http):
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    em_http.expect_logoff()
    result = run({'action': 'stop'})
    assert result['changed'] is False and posts(em_http) == [] and result['msg'] == 'Job "Daily VM Backup" is not running; nothing to stop.'
    assert result['session']['id'] == OLD_ID


def test_stop_a_backup_copy_job_through_its_session(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    copy_id = '45dc56b3-d9dd-4d71-babb-15e8894597e7'
    copy_job = job_entity('Offsite Copy', copy_id, 'ImmediateBackupCopy', platform='CustomPlatform')
    copy_job['Links'] = [link for link in copy_job['Links'] if link['Rel'] not in ('Start', 'Stop', 'Retry')]
    copy_run = session_entity(copy_job, OLD_ID, state='Working', result='None', ended=None, progress=0)
    em_http.expect_logon()
    find(em_http, [copy_job], 'Name=="Offsite Copy"')
    latest(em_http, [copy_run], filter_text='JobUid=="urn:veeam:Job:%s"' % copy_id)
    post(em_http, 'stop', finished(operation='StopJobSession'), path=session_path(copy_run))
    em_http.expect_logoff()
    result = run({'name': 'Offsite Copy', 'action': 'stop', 'wait': False})
    assert result['changed'] is True and result['task']['operation'] == 'StopJobSession'


# --- retry and sync ----------------------------------------------------------------------------------

def test_retry_after_a_failed_run(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [FAILED])
    post(em_http, 'retry', finished(operation='RetryJob', message='Job "Daily VM Backup" triggered to retry.'))
    em_http.expect_logoff()
    result = run({'action': 'retry'})
    assert result['changed'] is True and result['msg'] == 'Job "Daily VM Backup" was retried.' and result['task']['operation'] == 'RetryJob'


@pytest.mark.parametrize('sessions, reason', [
    ([IDLE], 'its last run ended with Success, and retry only applies after a failed run'),
    ([], 'has never run; nothing to retry'),
    ([RUNNING], 'is already running'),
])
def test_retry_is_not_needed(em_http, sessions, reason):
    em_http.expect_logon()
    find(em_http)
    latest(em_http, sessions)
    em_http.expect_logoff()
    result = run({'action': 'retry'})
    assert result['changed'] is False and reason in result['msg'] and posts(em_http) == []


def test_sync_a_backup_copy_job(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    copy_id = '7a1c3e5f-9b2d-4f6a-8c0e-1d3f5a7b9c2e'
    copy_job = job_entity('Weekly Archive Copy', copy_id, 'ImmediateBackupCopy', platform='CustomPlatform')
    em_http.expect_logon()
    find(em_http, [copy_job], 'Name=="Weekly Archive Copy"')
    latest(em_http, [], filter_text='JobUid=="urn:veeam:Job:%s"' % copy_id)
    post(em_http, 'sync', finished(operation='StartJobSync', state='OperationFinished', message='OperationFinished'), path='/api/jobs/' + copy_id)
    em_http.expect_logoff()
    result = run({'name': 'Weekly Archive Copy', 'action': 'sync'})
    assert result['changed'] is True and result['task']['operation'] == 'StartJobSync'


def test_sync_of_a_backup_job_is_an_error(em_http):
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    em_http.expect_logoff()
    result = run({'action': 'sync'})
    assert result['failed'] is True and result['error_kind'] == 'input' and posts(em_http) == []
    assert 'Job "Daily VM Backup" is a Backup job; sync applies to backup copy jobs only' in result['msg'] and 'action=start' in result['msg']


# --- schedule ----------------------------------------------------------------------------------------

def test_disable_the_schedule(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'toggleScheduleEnabled', task(operation='UpdateJob'))
    poll(em_http, '/api/tasks/task-1', finished(operation='UpdateJob', state='OperationFinished', message='OperationFinished'))
    poll(em_http, '/api/tasks/task-1', finished(operation='UpdateJob'))
    poll(em_http, JOB_PATH, job_entity(schedule_enabled=False, next_run=None), params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'schedule_enabled': False})
    assert result['changed'] is True and result['job']['schedule_enabled'] is False and result['job']['next_run'] is None
    assert result['msg'] == 'The schedule of job "Daily VM Backup" was disabled.' and result['session'] is None
    assert result['task']['operation'] == 'UpdateJob' and result['task']['state'] == 'Finished'
    assert len(posts(em_http)) == 1


def test_schedule_in_the_wanted_state_is_not_toggled(em_http):
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    em_http.expect_logoff()
    result = run({'schedule_enabled': True}, check_mode=False)
    assert result['changed'] is False and posts(em_http) == [] and result['msg'] == 'The schedule of job "Daily VM Backup" is already enabled.'


def test_schedule_of_a_job_without_schedule_cannot_be_enabled(em_http):
    manual = job_entity('Test Lab Backup', '2c4e6a8b-0d1f-4a3c-9e5b-7f9a1c3e5d70', schedule_enabled=False, next_run=None)
    manual['ScheduleConfigured'] = False
    em_http.expect_logon()
    find(em_http, [manual], 'Name=="Test Lab Backup"')
    latest(em_http, [], filter_text='JobUid=="urn:veeam:Job:2c4e6a8b-0d1f-4a3c-9e5b-7f9a1c3e5d70"')
    em_http.expect_logoff()
    result = run({'name': 'Test Lab Backup', 'schedule_enabled': True})
    assert result['failed'] is True and result['error_kind'] == 'input' and posts(em_http) == []
    assert 'Job "Test Lab Backup" has no schedule configured, so its schedule cannot be enabled' in result['msg']


def test_failed_toggle_fails_with_the_em_message(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'toggleScheduleEnabled', finished(operation='UpdateJob', success=False, message='The job is locked.'))
    em_http.expect_logoff()
    result = run({'schedule_enabled': False})
    assert result['failed'] is True and result['error_kind'] == 'task' and result['changed'] is False
    assert 'could not change the schedule of job "Daily VM Backup"' in result['msg'] and 'The job is locked.' in result['msg']


def test_schedule_then_action_in_that_order(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http, [job_entity(schedule_enabled=False)])
    latest(em_http, [IDLE])
    post(em_http, 'toggleScheduleEnabled', finished(operation='UpdateJob'))
    poll(em_http, JOB_PATH, job_entity(), params={'format': 'Entity'})
    post(em_http, 'start', finished(task_id='task-2'))
    em_http.expect_logoff()
    result = run({'schedule_enabled': True, 'action': 'start'})
    assert result['changed'] is True and [call.query['action'] for call in posts(em_http)] == ['toggleScheduleEnabled', 'start']
    assert result['task']['id'] == 'task-2'
    assert result['msg'] == 'The schedule of job "Daily VM Backup" was enabled. Job "Daily VM Backup" was started.'


def test_toggle_task_lost_is_checked_on_the_job(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'toggleScheduleEnabled', task(operation='UpdateJob'))
    poll(em_http, '/api/tasks/task-1', expired())
    expect_relogon(em_http)
    poll(em_http, '/api/tasks/task-1', error_response(404), token=TOKEN2)
    poll(em_http, JOB_PATH, job_entity(), token=TOKEN2, params={'format': 'Entity'})
    poll(em_http, JOB_PATH, job_entity(schedule_enabled=False), token=TOKEN2, params={'format': 'Entity'})
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'schedule_enabled': False})
    assert result['changed'] is True and result['job']['schedule_enabled'] is False and 'lost' in result['msg']
    assert len(posts(em_http)) == 1


# --- check mode and diff -----------------------------------------------------------------------------

@pytest.mark.parametrize('args, sessions, changed, after', [
    ({'action': 'start'}, [IDLE], True, {'schedule_enabled': True, 'running': True}),
    ({'action': 'start'}, [RUNNING], False, {'schedule_enabled': True, 'running': True}),
    ({'action': 'stop'}, [RUNNING], True, {'schedule_enabled': True, 'running': False}),
    ({'action': 'retry'}, [FAILED], True, {'schedule_enabled': True, 'running': True}),
    ({'schedule_enabled': False, 'action': 'start', 'wait': True}, [IDLE], True, {'schedule_enabled': False, 'running': True}),
    ({'schedule_enabled': True}, [IDLE], False, {'schedule_enabled': True, 'running': False}),
])
def test_check_mode_predicts_and_never_posts(em_http, args, sessions, changed, after):
    em_http.expect_logon()
    find(em_http)
    latest(em_http, sessions)
    em_http.expect_logoff()
    result = run_module(veeam_job.main, dict(ARGS, _ansible_diff=True, **args), check_mode=True)
    assert result['changed'] is changed and 'failed' not in result
    assert posts(em_http) == [] and result['task'] is None
    assert result['diff']['before'] == {'schedule_enabled': True, 'running': sessions[0]['State'] != 'Stopped'}
    assert result['diff']['after'] == after
    if changed:
        assert 'would be' in result['msg']


def test_diff_after_a_change(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', finished())
    em_http.expect_logoff()
    result = run_module(veeam_job.main, dict(ARGS, _ansible_diff=True, action='start'))
    assert result['diff'] == {'before': {'schedule_enabled': True, 'running': False}, 'after': {'schedule_enabled': True, 'running': True}}


# --- finding the job ---------------------------------------------------------------------------------

def test_ambiguous_name_lists_the_candidates(em_http):
    twin = job_entity(job_id='9d1f3b5a-7c8e-4bad-8f2a-6e8c0a2b4df7', server=VBR02)
    em_http.expect_logon()
    find(em_http, [DAILY, twin])
    em_http.expect_logoff()
    result = run({'action': 'start'})
    assert result['failed'] is True and result['error_kind'] == 'ambiguous'
    assert [item['backup_server'] for item in result['candidates']] == ['vbr01.lab.local', 'vbr02.lab.local']
    assert 'add backup_server' in result['msg']


def test_backup_server_picks_one_of_two_jobs(em_http):
    em_http.expect_logon()
    find(em_http, [DAILY], 'Name=="Daily VM Backup";BackupServerName=="vbr01.lab.local"')
    latest(em_http, [RUNNING])
    em_http.expect_logoff()
    result = run({'action': 'start', 'backup_server': 'vbr01.lab.local'})
    assert result['changed'] is False and result['job']['backup_server']['name'] == 'vbr01.lab.local'


def test_unknown_job(em_http):
    em_http.expect_logon()
    find(em_http, [], 'Name==Nightly')
    em_http.expect_logoff()
    result = run({'name': 'Nightly', 'action': 'start'})
    assert result['failed'] is True and result['error_kind'] == 'job_not_found' and 'No job named "Nightly"' in result['msg']


def test_job_by_id(em_http):
    em_http.expect_logon()
    find(em_http, [DAILY], 'UID=="%s"' % JOB_UID)
    latest(em_http, [RUNNING])
    em_http.expect_logoff()
    args = dict(ARGS, id=DAILY_ID, action='start')
    del args['name']
    result = run_module(veeam_job.main, args)
    assert result['changed'] is False


def test_forbidden_role(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', error_response(403), filter_text='Name=="Daily VM Backup"', sort_asc='Name')
    em_http.expect_logoff()
    result = run({'action': 'start'})
    assert result['failed'] is True and result['error_kind'] == 'permission' and 'Portal Administrator' in result['msg']


# --- option checks before any request ----------------------------------------------------------------

@pytest.mark.parametrize('args, text', [
    ({'job_kind': 'agent', 'action': 'sync'}, 'action=sync is not available for job_kind=agent'),
    ({'job_kind': 'nas', 'action': 'sync'}, 'action=sync is not available for job_kind=nas'),
    ({'action': 'start', 'wait_timeout': 0}, 'wait_timeout must be greater than 0'),
    ({'action': 'start', 'poll_interval': 0}, 'poll_interval must be greater than 0'),
    ({'action': 'start', 'poll_interval': 20}, 'poll_max_interval must not be smaller than poll_interval'),
    ({}, 'one of the following is required: action, schedule_enabled'),
    ({'id': DAILY_ID, 'action': 'start'}, 'mutually exclusive'),
])
def test_bad_options_fail_before_logon(em_http, args, text):
    result = run(args)
    assert result['failed'] is True and text in result['msg']
    assert em_http.calls == []


# --- agent and file share jobs -----------------------------------------------------------------------

AGENT_FILTER = 'JobUid=="urn:veeam:AgentBackupJob:{0}",JobUid=="urn:veeam:Job:{0}"'
NAS_FILTER = 'JobUid=="urn:veeam:NasJob:{0}",JobUid=="urn:veeam:Job:{0}"'


def test_agent_job_by_id_starts_with_an_action_parameter(em_http, monkeypatch):
    from ansible_collections.veeamops.em.tests.unit.utils.em_runs import AGENT_ID, agent_job  # pylint: disable=import-outside-toplevel

    install_fake_clock(monkeypatch)
    uid_filter = AGENT_FILTER.format(AGENT_ID)
    agent = agent_job()
    previous = dict(session_entity(agent, OLD_ID), JobType='AgentBackup', JobUid='urn:veeam:Job:' + AGENT_ID)
    started = dict(new_run(job=agent), JobType='AgentBackup')
    em_http.expect_logon()
    poll(em_http, '/api/agents/jobs/' + AGENT_ID, agent, params={'format': 'Entity'})
    latest(em_http, [previous], filter_text=uid_filter)
    post(em_http, 'start', finished(), path='/api/agents/jobs/' + AGENT_ID)
    newest(em_http, [started, previous], filter_text='(%s);CreationTime>="2026-03-01T21:00:12Z"' % uid_filter)
    poll(em_http, session_path(started) + '/taskSessions', {'BackupTaskSessions': []}, params={'format': 'Entity'})
    em_http.expect_logoff()
    args = dict(ARGS, job_kind='agent', id=AGENT_ID, action='start', wait=True)
    del args['name']
    result = run_module(veeam_job.main, args)
    assert 'failed' not in result and result['changed'] is True
    assert result['job']['uid'] == 'urn:veeam:AgentBackupJob:' + AGENT_ID and result['session']['id'] == NEW_ID


def test_agent_job_by_name_uses_its_query_type(em_http):
    from ansible_collections.veeamops.em.tests.unit.utils.em_runs import AGENT_ID, agent_job, entities_page  # pylint: disable=import-outside-toplevel

    em_http.expect_logon()
    em_http.expect_query('AgentBackupJob', entities_page('AgentBackupJob', [agent_job()]), filter_text='Name=="Windows Servers Backup"',
                         sort_asc='Name')
    latest(em_http, [], filter_text=AGENT_FILTER.format(AGENT_ID))
    em_http.expect_logoff()
    result = run({'job_kind': 'agent', 'name': 'Windows Servers Backup', 'action': 'stop'})
    assert result['changed'] is False and result['job']['job_type'] == 'AgentBackup'


def test_agent_job_unknown_id(em_http):
    em_http.expect_logon()
    poll(em_http, '/api/agents/jobs/00000000-0000-4000-8000-000000000000', error_response(404), params={'format': 'Entity'})
    em_http.expect_logoff()
    args = dict(ARGS, job_kind='agent', id='00000000-0000-4000-8000-000000000000', action='start')
    del args['name']
    result = run_module(veeam_job.main, args)
    assert result['failed'] is True and result['error_kind'] == 'job_not_found'
    assert 'No agent backup job with id "00000000-0000-4000-8000-000000000000"' in result['msg'] and 'job_kind=agent' in result['msg']


def test_agent_job_on_another_backup_server(em_http):
    from ansible_collections.veeamops.em.tests.unit.utils.em_runs import AGENT_ID, agent_job  # pylint: disable=import-outside-toplevel

    em_http.expect_logon()
    poll(em_http, '/api/agents/jobs/' + AGENT_ID, agent_job(), params={'format': 'Entity'})
    em_http.expect_logoff()
    args = dict(ARGS, job_kind='agent', uid='urn:veeam:AgentBackupJob:' + AGENT_ID, backup_server='vbr02.lab.local', action='start')
    del args['name']
    result = run_module(veeam_job.main, args)
    assert result['failed'] is True and 'belongs to backup server "vbr01.lab.local"' in result['msg']


def test_file_share_job_actions_are_path_segments(em_http, monkeypatch):
    from ansible_collections.veeamops.em.tests.unit.utils.em_runs import NAS_ID, nas_job  # pylint: disable=import-outside-toplevel

    install_fake_clock(monkeypatch)
    nas = nas_job()
    em_http.expect_logon()
    em_http.expect_get('/api/nas/jobs', json_response({'NASJobs': [nas]}), params={'format': 'Entity'})
    latest(em_http, [session_entity(dict(nas, JobType='NasBackup'), OLD_ID, result='Failed')], filter_text=NAS_FILTER.format(NAS_ID))
    em_http.expect('POST', '/api/nas/jobs/%s/retry' % NAS_ID, {}, body=None, response=json_response(task(operation='RetryNasJob'), 202))
    poll(em_http, '/api/tasks/task-1', finished(operation='RetryNasJob'))
    em_http.expect_logoff()
    result = run({'job_kind': 'nas', 'name': 'File Share Backup', 'action': 'retry'})
    assert 'failed' not in result and result['changed'] is True and result['task']['operation'] == 'RetryNasJob'
    assert result['job']['job_type'] is None and result['job']['id'] == NAS_ID


def test_file_share_toggle_without_link_uses_the_path_pattern(em_http, monkeypatch):
    from ansible_collections.veeamops.em.tests.unit.utils.em_runs import NAS_ID, nas_job  # pylint: disable=import-outside-toplevel

    install_fake_clock(monkeypatch)
    nas = nas_job()
    nas['Links'] = [link for link in nas['Links'] if link['Rel'] != 'ToggleScheduleEnabled']
    em_http.expect_logon()
    em_http.expect_get('/api/nas/jobs', json_response({'NASJobs': [nas, dict(nas_job(), Name='Other Share Backup')]}), params={'format': 'Entity'})
    latest(em_http, [], filter_text=NAS_FILTER.format(NAS_ID))
    em_http.expect('POST', '/api/nas/jobs/%s/toggleScheduleEnabled' % NAS_ID, {}, body=None,
                   response=json_response(finished(operation='UpdateJob'), 202))
    poll(em_http, '/api/nas/jobs/' + NAS_ID, dict(nas, ScheduleEnabled=False), params={'format': 'Entity'})
    em_http.expect_logoff()
    result = run({'job_kind': 'nas', 'name': 'File Share Backup', 'schedule_enabled': False})
    assert result['changed'] is True and result['job']['schedule_enabled'] is False


# --- secrets -----------------------------------------------------------------------------------------

def test_no_secret_in_the_output_of_a_failure(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    latest(em_http, [IDLE])
    post(em_http, 'start', task())
    poll(em_http, '/api/tasks/task-1', finished(success=False, message='Refused for %s' % USERNAME))
    em_http.expect_logoff()
    output = json.dumps(run({'action': 'start'}))
    assert PASSWORD not in output and TOKEN not in output
