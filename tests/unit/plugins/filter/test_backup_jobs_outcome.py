# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_outcome: each job's outcome from its start, its followed run or its prediction."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    WEB01_REF, job, planned, session, start_result, task_session, the_filter,
)

LAST = session('Daily@0', end_time='2024-05-01T09:00:00Z')
TASKS = [task_session('web01', WEB01_REF, 'Success')]
TO_START = planned(job('Daily', 'daily', last_session=LAST), 'start')
TO_FOLLOW = planned(job('Dev Backup', 'dev', last_session=session('Dev@1', state='Working')), 'running')
RECENT = planned(job('Gold', 'gold', last_session=session('Gold@1', result='Warning', end_time='2024-05-01T11:00:00Z')), 'recent')
TIMED_OUT = 'Job "Daily": Timed out after 5 s (wait_timeout=5): job session "Daily@1" is Working at 40%.'

outcomes = the_filter('backup_jobs_outcome')


def outcome_of(planned_job, **options):
    return outcomes([planned_job], **options)[planned_job['id']]


def test_a_started_run_that_ended():
    run = session('Daily@1', end_time='2024-05-01T12:10:00Z', task_sessions=TASKS)
    started = [start_result(TO_START, changed=True, msg='Job "Daily" started; its run ended with Success.', session=run)]
    assert outcome_of(TO_START, started=started) == {
        'id': 'daily', 'name': 'Daily', 'backup_server': 'vbr01.example.com', 'action': 'started', 'session': 'Daily@1',
        'end_time': '2024-05-01T12:10:00Z', 'result': 'Success', 'task_sessions': TASKS, 'error': '',
        'run': {'id': None, 'uid': None, 'name': 'Daily@1', 'state': 'Stopped', 'result': 'Success', 'creation_time': None,
                'end_time': '2024-05-01T12:10:00Z'}}


def test_a_started_run_that_failed_is_judged_by_its_result_not_by_the_module_failure():
    run = session('Daily@1', result='Failed')
    result = outcome_of(TO_START, started=[start_result(TO_START, changed=True, failed=True, msg='ended with result Failed', session=run)])
    assert (result['result'], result['error']) == ('Failed', '')


def test_a_run_that_outlasted_the_wait_has_the_module_message():
    run = session('Daily@1', state='Working', progress=40)
    result = outcome_of(TO_START, started=[start_result(TO_START, changed=True, failed=True, msg=TIMED_OUT + '\n', session=run)])
    assert (result['action'], result['session'], result['end_time'], result['result'], result['error']) == (
        'started', 'Daily@1', '', '', TIMED_OUT)


def test_a_start_that_failed():
    result = outcome_of(TO_START, started=[start_result(TO_START, failed=True, msg='Cannot connect to Enterprise Manager')])
    assert (result['session'], result['result'], result['error']) == ('', '', 'Cannot connect to Enterprise Manager')


def test_a_start_without_result_or_message():
    assert outcome_of(TO_START)['error'] == 'no run of the job was found'
    assert outcome_of(TO_START, started=[start_result(TO_START, failed=True, attempts=10)])['error'] == 'no run of the job was found'


def test_the_error_of_following_other_runs_is_not_a_started_jobs_error():
    followed = {'failed': True, 'msg': 'Cannot connect to Enterprise Manager'}
    result = outcomes([TO_START, TO_FOLLOW], started=[start_result(TO_START, failed=True, attempts=10)], follow=[TO_FOLLOW], followed=followed)
    assert (result['daily']['error'], result['dev']['error']) == ('no run of the job was found', 'Cannot connect to Enterprise Manager')


def test_a_run_found_without_state_and_not_ended():
    run = {'name': 'Daily@1', 'state': 'Working'}
    assert outcome_of(TO_START, started=[start_result(TO_START, session=run)], wait_timeout=60)['error'] == (
        'Its run "Daily@1" was still Working after 60 s (backup_before_change_wait_timeout)')


def test_a_followed_run_that_ended():
    followed = {'jobs': [job('Dev Backup', 'dev', last_session=session('Dev@1', end_time='2024-05-01T12:01:00Z'))]}
    result = outcome_of(TO_FOLLOW, follow=[TO_FOLLOW], followed=followed)
    assert (result['action'], result['session'], result['result'], result['end_time'], result['error']) == (
        'running', 'Dev@1', 'Success', '2024-05-01T12:01:00Z', '')
    assert result['task_sessions'] == []


def test_a_followed_run_that_did_not_end_in_time():
    followed = {'failed': True, 'attempts': 3, 'jobs': [job('Dev Backup', 'dev', last_session=session('Dev@1', state='Working'))]}
    assert outcome_of(TO_FOLLOW, follow=[TO_FOLLOW], followed=followed, wait_timeout=30)['error'] == (
        'Its run "Dev@1" was still Working after 30 s (backup_before_change_wait_timeout)')


def test_a_followed_run_that_could_not_be_read():
    followed = {'failed': True, 'msg': 'Cannot connect to Enterprise Manager: GET https://em01:9398/api/jobs'}
    result = outcome_of(TO_FOLLOW, follow=[TO_FOLLOW], followed=followed)
    assert (result['session'], result['error']) == ('', followed['msg'])
    assert outcome_of(TO_FOLLOW, follow=[TO_FOLLOW], followed={'skipped': True})['error'] == 'no run of the job was found'


def test_a_start_that_found_a_run_going_on_is_the_followed_run():
    started = [start_result(TO_START, changed=False, msg='Job "Daily" is already running.', session=session('Daily@2', state='Working'))]
    followed = {'jobs': [job('Daily', 'daily', last_session=session('Daily@2', result='Warning'))]}
    result = outcome_of(TO_START, started=started, follow=[TO_START], followed=followed)
    assert (result['action'], result['session'], result['result'], result['error']) == ('running', 'Daily@2', 'Warning', '')


def test_a_start_that_found_a_run_going_on_has_the_error_of_following_it():
    started = [start_result(TO_START, changed=False, msg='Job "Daily" is already running.', session=session('Daily@2', state='Working'))]
    followed = {'failed': True, 'msg': 'Enterprise Manager answered 503'}
    result = outcome_of(TO_START, started=started, follow=[TO_START], followed=followed)
    assert (result['action'], result['session'], result['error']) == ('running', '', 'Enterprise Manager answered 503')


def test_a_recent_run_is_the_planned_one():
    result = outcome_of(RECENT)
    assert (result['action'], result['session'], result['result'], result['end_time'], result['error']) == (
        'recent', 'Gold@1', 'Warning', '2024-05-01T11:00:00Z', '')


def test_check_mode_predicts_from_the_planned_runs():
    predicted = [{'item': TO_START, 'changed': True, 'msg': 'Job "Daily" would be started.'}]
    plan = [TO_START, TO_FOLLOW, RECENT]
    result = outcomes(plan, predicted=predicted, follow=[TO_FOLLOW], followed={'skipped': True}, check_mode=True)
    assert [(found['action'], found['session'], found['result'], found['error']) for found in result.values()] == [
        ('would_start', 'Daily@0', 'Success', ''), ('running', 'Dev@1', '', ''), ('recent', 'Gold@1', 'Warning', '')]


def test_check_mode_with_a_failed_prediction():
    predicted = [{'item': TO_START, 'failed': True, 'msg': ' No job with id "daily" in Enterprise Manager '}]
    result = outcome_of(TO_START, predicted=predicted, check_mode='yes')
    assert (result['action'], result['error']) == ('would_start', 'No job with id "daily" in Enterprise Manager')


def test_every_planned_job_by_id_and_results_of_other_jobs_ignored():
    other = planned(job('Other', 'other'), 'start')
    started = [start_result(other, changed=True, session=session('Other@1', result='Failed'))]
    result = outcomes([TO_START, RECENT], started=started)
    assert list(result) == ['daily', 'gold']
    assert result['daily']['error'] == 'no run of the job was found'


@pytest.mark.parametrize('options, message', [
    ({'check_mode': 'maybe'}, "check_mode must be a boolean, not 'maybe'"),
    ({'wait_timeout': 'long'}, "wait_timeout must be an integer, not 'long'"),
    ({'followed': ['Dev Backup']}, 'followed must be a dictionary, not list'),
    ({'started': 'j1'}, 'started must be a list, not str'),
])
def test_wrong_input_is_a_clear_error(options, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_outcome: ') as caught:
        outcomes([TO_START], **options)
    assert message in str(caught.value)


def test_the_run_of_each_outcome():
    run = session('Daily@1', id='r1', uid='urn:veeam:BackupJobSession:r1', creation_time='2024-05-01T12:00:00Z', progress=100)
    started = [start_result(TO_START, changed=True, session=run)]
    result = outcomes([TO_START, RECENT], started=started)
    assert result['daily']['run'] == {'id': 'r1', 'uid': 'urn:veeam:BackupJobSession:r1', 'name': 'Daily@1', 'state': 'Stopped',
                                      'result': 'Success', 'creation_time': '2024-05-01T12:00:00Z', 'end_time': '2024-05-01T10:00:00.123Z'}
    assert (result['gold']['run']['name'], result['gold']['run']['result']) == ('Gold@1', 'Warning')
    assert outcome_of(TO_START)['run'] is None
