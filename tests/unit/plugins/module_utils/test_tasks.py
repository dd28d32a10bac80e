# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_tasks: the waiter with a fake clock (no real sleeping), over scripted HTTP."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmPermissionError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._tasks import (
    Backoff,
    EmTaskFailedError,
    EmTaskLostError,
    EmWaitTimeoutError,
    Waiter,
    normalize_task,
    related_id,
    run_task,
    task_done,
)
from ansible_collections.veeamops.em.tests.unit.utils.em_http import error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import fixture_json, job_entity, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import SESSION_ID2, TOKEN2, FakeClock, expect_relogon, expired, finished, task

TASK_PATH = '/api/tasks/task-1'
SESSION_ID = '9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64'
SESSION_PATH = '/api/backupSessions/' + SESSION_ID


def waiter(em=None, timeout=60, interval=2, max_interval=30, clock=None):
    clock = clock or FakeClock()
    return Waiter(em, timeout, interval, max_interval, clock=clock, sleep=clock.sleep), clock


def test_backoff_grows_by_half_up_to_the_ceiling():
    backoff = Backoff(2, 5)
    assert [backoff.next() for _step in range(5)] == [2, 3, 4.5, 5, 5]
    assert Backoff(10, 3).next() == 10 and Backoff(10, 3).ceiling == 10


def test_poll_checks_a_known_first_value_before_fetching():
    wait, clock = waiter()
    fetched = []
    assert wait.poll(fetched.append, lambda value: value == 'done', str, first='done') == 'done'
    assert fetched == [] and clock.sleeps == []


def test_poll_sleeps_with_backoff_until_done():
    wait, clock = waiter(interval=2, max_interval=5)
    values = iter(['a', 'b', 'c', 'd', 'done'])
    assert wait.poll(lambda previous: next(values), lambda value: value == 'done', str) == 'done'
    assert clock.sleeps == [2, 3, 4.5, 5]
    assert wait.polls == 5


def test_poll_never_sleeps_past_the_deadline_and_polls_once_at_it():
    wait, clock = waiter(timeout=10, interval=4, max_interval=30)
    seen = []

    def fetch(previous):
        seen.append(clock.now - 1000)
        return 'running'

    with pytest.raises(EmWaitTimeoutError) as caught:
        wait.poll(fetch, lambda value: False, lambda value: 'still %s' % value)
    assert clock.sleeps == [4, 6] and sum(clock.sleeps) == 10
    assert seen == [0, 4, 10]
    error = caught.value
    assert error.kind == 'wait_timeout' and error.last == 'running'
    assert str(error).startswith('Timed out after 10 s (wait_timeout=10): still running.')
    assert 'raise wait_timeout' in str(error)


def test_wait_task_until_finished(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get(TASK_PATH, json_response(task()))
    em_http.expect_get(TASK_PATH, json_response(finished(state='OperationFinished', message='OperationFinished')))
    em_http.expect_get(TASK_PATH, json_response(finished(message='Job "Daily VM Backup" triggered to start.')))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        wait, clock = waiter(em)
        final = wait.wait_task(snake_keys(task()))
    assert final['state'] == 'Finished' and final['result']['success'] is True
    assert clock.sleeps == [2, 3, 4.5]


def test_wait_task_may_stop_at_operation_finished(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get(TASK_PATH, json_response(finished(state='OperationFinished', message='OperationFinished')))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        wait, _clock = waiter(em)
        final = wait.wait_task(snake_keys(task()), accept_operation_finished=True)
    assert final['state'] == 'OperationFinished'


def test_wait_task_in_camel_case(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get(TASK_PATH, json_response(finished(), casing='camel', bom=True))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        final = waiter(em)[0].wait_task(snake_keys(task()))
    assert normalize_task(final)['success'] is True


@pytest.mark.parametrize('status', [404, 500])
def test_task_lost_after_relogon(em_http, em_settings, status):
    em_http.expect_logon()
    em_http.expect_get(TASK_PATH, expired())
    expect_relogon(em_http)
    em_http.expect_get(TASK_PATH, error_response(status, 'Task [task-1] was not found.'), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    with EmClient(em_settings) as em:
        with pytest.raises(EmTaskLostError) as caught:
            waiter(em)[0].wait_task(snake_keys(task()))
    assert caught.value.kind == 'task_lost' and 'task-1: it belonged to the expired logon session' in str(caught.value)


@pytest.mark.parametrize('status', [404, 500])
def test_a_task_that_vanishes_while_polled_is_lost(em_http, em_settings, status):
    # Enterprise Manager answers 500 "There is no backup task with id [task-1] in current rest session" [O: mph].
    em_http.expect_logon()
    em_http.expect_get(TASK_PATH, json_response(task()))
    em_http.expect_get(TASK_PATH, error_response(status, 'There is no backup task with id [task-1] in current rest session'))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        with pytest.raises(EmTaskLostError) as caught:
            waiter(em)[0].wait_task(snake_keys(task()))
    assert 'task-1: Enterprise Manager no longer knows it' in str(caught.value) and caught.value.status == status
    assert 'There is no backup task with id [task-1]' in caught.value.em_message


def test_other_errors_while_polling_a_task_are_not_a_lost_task(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get(TASK_PATH, error_response(403))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        with pytest.raises(EmPermissionError) as caught:
            waiter(em)[0].wait_task(snake_keys(task()))
    assert not isinstance(caught.value, EmTaskLostError)


def test_task_timeout_names_the_task_state(em_http, em_settings):
    em_http.expect_logon()
    for _poll in range(3):
        em_http.expect_get(TASK_PATH, json_response(task()))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        wait, clock = waiter(em, timeout=8, interval=2, max_interval=4)
        with pytest.raises(EmWaitTimeoutError) as caught:
            wait.wait_task(snake_keys(task()))
    assert clock.sleeps == [2, 3, 3]
    assert 'task task-1 (StartJob) is Running' in str(caught.value)


def test_follow_run_until_stopped_by_its_id(em_http, em_settings):
    job = job_entity()
    running = session_entity(job, SESSION_ID, state='Working', result='None', ended=None, progress=40)
    stopped = session_entity(job, SESSION_ID)
    start = snake_keys(session_entity(job, SESSION_ID, state='Starting', result='None', ended=None, progress=0))
    start['href'] = start['href'].split('?')[0]
    em_http.expect_logon()
    em_http.expect_get(SESSION_PATH, json_response(running), params={'format': 'Entity'})
    em_http.expect_get(SESSION_PATH, json_response(stopped), params={'format': 'Entity'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        final = waiter(em)[0].follow_run(start)
    assert final['state'] == 'Stopped' and final['result'] == 'Success'


def test_follow_run_continues_after_relogon(em_http, em_settings):
    job = job_entity()
    start = session_entity(job, SESSION_ID, state='Working', result='None', ended=None, progress=40)
    em_http.expect_logon()
    em_http.expect_get(SESSION_PATH, expired())
    expect_relogon(em_http)
    em_http.expect_get(SESSION_PATH, json_response(session_entity(job, SESSION_ID, result='Warning')), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    with EmClient(em_settings) as em:
        final = waiter(em)[0].follow_run(snake_keys(start))
        assert em.logon_count == 2
    assert final['result'] == 'Warning'


def test_run_timeout_names_state_and_progress(em_http, em_settings):
    job = job_entity()
    working = session_entity(job, SESSION_ID, state='Working', result='None', ended=None, progress=55)
    em_http.expect_logon()
    em_http.expect_get(SESSION_PATH, json_response(working), params={'format': 'Entity'})
    em_http.expect_get(SESSION_PATH, json_response(working), params={'format': 'Entity'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        wait, clock = waiter(em, timeout=3, interval=2)
        with pytest.raises(EmWaitTimeoutError) as caught:
            wait.follow_run(snake_keys(working))
    assert clock.sleeps == [2, 1]
    assert 'run "Daily VM Backup@2026-03-01 21:00:12" is Working at 55%' in str(caught.value)
    assert caught.value.last['progress'] == 55


@pytest.mark.parametrize('state, accept, expected', [
    ('Running', True, False), ('OperationFinished', False, False), ('OperationFinished', True, True), ('Finished', False, True)])
def test_task_done(state, accept, expected):
    assert task_done({'state': state}, accept) is expected


def test_normalize_task():
    assert normalize_task(None) is None
    assert normalize_task(snake_keys(task())) == {'id': 'task-1', 'operation': 'StartJob', 'state': 'Running', 'success': None, 'message': None,
                                                  'href': 'https://em01.lab.local:9398/api/tasks/task-1'}
    done = normalize_task(snake_keys(finished(message='Job "X" triggered to start.')))
    assert done['success'] is True and done['message'] == 'Job "X" triggered to start.' and done['state'] == 'Finished'


def test_run_task_sends_once_and_reports_a_refused_action(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect('POST', '/api/backupServers/af37938e-191c-4df1-891e-3a49c7a3bec7', {'action': 'quickbackup'},
                   body={'VmRef': 'urn:VMware:Vm:x.vm-1'}, response=json_response(task(operation='QuickBackup'), 202))
    em_http.expect_get(TASK_PATH, json_response(finished(operation='QuickBackup', success=False, message='VM is busy.')))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        with pytest.raises(EmTaskFailedError) as caught:
            run_task(em, waiter(em)[0], 'back up VM "x"', 'backupServers/af37938e-191c-4df1-891e-3a49c7a3bec7',
                     {'action': 'quickbackup'}, {'VmRef': 'urn:VMware:Vm:x.vm-1'})
    assert str(caught.value).startswith('Enterprise Manager could not back up VM "x"') and caught.value.em_message == 'VM is busy.'
    assert caught.value.task['task_id'] == 'task-1'


def test_run_task_returns_a_lost_task_and_the_related_link(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect('POST', '/api/jobs/x1', {'action': 'start'}, response=json_response(task(), 202))
    em_http.expect_get(TASK_PATH, error_response(500, 'There is no backup task with id [task-1] in current rest session'))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        outcome = run_task(em, waiter(em)[0], 'start job "x"', 'jobs/x1', {'action': 'start'})
    assert outcome.lost == 'task-1: Enterprise Manager no longer knows it' and outcome.task['task_id'] == 'task-1'
    done = snake_keys(fixture_json('task-restore-finished.json'))
    assert related_id(done, 'restoreSessions') == 'e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63'
    assert related_id(done, 'backupSessions') is None and related_id(None, 'restoreSessions') is None


def test_follow_runs_polls_only_the_runs_still_going_on(em_http, em_settings):
    job = job_entity()
    other_id = '11111111-1111-4111-8111-111111111111'
    one = session_entity(job, SESSION_ID, state='Working', result='None', ended=None, progress=10)
    two = session_entity(job, other_id, state='Working', result='None', ended=None, progress=10)
    em_http.expect_logon()
    em_http.expect_get(SESSION_PATH, json_response(session_entity(job, SESSION_ID)), params={'format': 'Entity'})
    em_http.expect_get('/api/backupSessions/' + other_id, json_response(two), params={'format': 'Entity'})
    em_http.expect_get('/api/backupSessions/' + other_id, json_response(session_entity(job, other_id, result='Failed')),
                       params={'format': 'Entity'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        wait, clock = waiter(em)
        final = wait.follow_runs([snake_keys(one), snake_keys(two)])
    assert [run['result'] for run in final] == ['Success', 'Failed'] and clock.sleeps == [2, 3]


def quick(task_id, state='Running', success=None):
    return task(task_id, state, 'QuickBackup', success)


def test_wait_tasks_polls_every_task_with_one_request(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/tasks', json_response({'Tasks': [quick('task-1', 'Finished', True), quick('task-2')]}))
    em_http.expect_get('/api/tasks', json_response({'Tasks': [quick('task-1', 'Finished', True), quick('task-2', 'Finished', False)]}))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        wait, clock = waiter(em)
        outcomes = wait.wait_tasks([snake_keys(quick('task-1')), snake_keys(quick('task-2'))])
    assert [(key, outcome.task['state'], outcome.task['result']['success'], outcome.lost) for key, outcome in outcomes.items()] == [
        ('task-1', 'Finished', True, None), ('task-2', 'Finished', False, None)]
    assert clock.sleeps == [2, 3]


def test_wait_tasks_stops_at_what_done_accepts(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/tasks', json_response({'Tasks': [quick('task-1', 'OperationFinished', True)]}))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        outcomes = waiter(em)[0].wait_tasks([snake_keys(quick('task-1'))], done=lambda value: value['state'] != 'Running')
    assert outcomes['task-1'].task['state'] == 'OperationFinished'


def test_wait_tasks_loses_the_tasks_a_relogon_took_and_those_no_longer_listed(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/tasks', json_response({'Tasks': [quick('task-1', 'Finished', True)]}))  # task-2 vanished
    em_http.expect_logoff()
    em_http.expect_logon()
    em_http.expect_get('/api/tasks', expired())
    expect_relogon(em_http)
    em_http.expect_get('/api/tasks', json_response({'Tasks': []}), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    with EmClient(em_settings) as em:
        vanished = waiter(em)[0].wait_tasks([snake_keys(quick('task-1')), snake_keys(quick('task-2'))])
    with EmClient(em_settings) as em:
        expired_tasks = waiter(em)[0].wait_tasks([snake_keys(quick('task-1')), snake_keys(quick('task-2', 'Finished', True))])
    assert vanished['task-1'].lost is None and vanished['task-2'].lost == 'task-2: Enterprise Manager no longer lists it'
    assert expired_tasks['task-1'].lost == 'task-1: it belonged to the expired logon session' and expired_tasks['task-2'].lost is None


def test_wait_tasks_times_out_with_the_outcomes(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/tasks', json_response({'Tasks': [quick('task-1')]}))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        with pytest.raises(EmWaitTimeoutError) as caught:
            waiter(em, timeout=2)[0].wait_tasks([snake_keys(quick('task-1'))])
    assert '1 of 1 tasks still running, among them task task-1 (QuickBackup) is Running' in str(caught.value)
    assert caught.value.last['task-1'].task['state'] == 'Running'


def test_wait_tasks_raises_other_errors(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/tasks', error_response(403))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        with pytest.raises(EmPermissionError):
            waiter(em)[0].wait_tasks([snake_keys(quick('task-1'))])
