# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_verdict: whether the backup of a host succeeded, and the message that says so."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    DB01_REF, VBR01, WEB01_REF, job, outcome, task_session, the_filter,
)

DAILY = job('Daily', 'a')
DR = job('DR Site', 'b')
MIXED = [task_session('WEB01', WEB01_REF.upper(), 'Failed'), task_session('db01', DB01_REF, 'Success')]
TIMED_OUT = 'Job "Daily": Timed out after 5 s (wait_timeout=5): job session "Daily@1" is Working at 40%.'

verdict = the_filter('backup_jobs_verdict')


def judge(jobs, runs, **options):
    options.setdefault('host', 'web01')
    return verdict(jobs, runs, **options)


def test_a_new_successful_run():
    result = judge([DAILY], {'a': outcome()})
    assert result == {'ok': True, 'skipped': False, 'jobs': [{
        'id': 'a', 'name': 'Daily', 'backup_server': VBR01, 'action': 'started', 'session': 'Daily@1',
        'end_time': '2024-05-01T10:00:00Z', 'result': 'Success', 'vm_result': '', 'ok': True,
        'msg': 'Job "Daily" (vbr01.example.com): new run "Daily@1" ended with Success.'}],
        'msg': 'Backup of web01 succeeded. Job "Daily" (vbr01.example.com): new run "Daily@1" ended with Success.'}


def test_the_vms_own_result_by_reference_without_regard_to_case():
    result = judge([DAILY], {'a': outcome(result='Warning', task_sessions=MIXED)}, refs=[WEB01_REF], vm_name='db01',
                   accepted=['Success', 'Warning'])
    assert (result['ok'], result['jobs'][0]['vm_result']) == (False, 'Failed')
    assert result['msg'] == ('Backup of web01 did not succeed. Job "Daily" (vbr01.example.com): new run "Daily@1" ended '
                             'with Warning (this VM: Failed).')


def test_the_vms_own_result_by_name_when_no_reference_matches():
    result = judge([DAILY], {'a': outcome(result='Failed', task_sessions=MIXED)}, refs=['urn:VMware:Vm:x.vm-1'], vm_name='DB01')
    assert (result['ok'], result['jobs'][0]['vm_result'], result['jobs'][0]['result']) == (True, 'Success', 'Failed')


def test_the_vm_name_defaults_to_the_host():
    result = judge([DAILY], {'a': outcome(task_sessions=MIXED)}, host='Web01')
    assert result['jobs'][0]['vm_result'] == 'Failed'


def test_the_whole_run_counts_when_it_does_not_list_the_vm():
    result = judge([DAILY], {'a': outcome(result='Failed', task_sessions=MIXED)}, vm_name='app01')
    assert (result['ok'], result['jobs'][0]['vm_result']) == (False, '')


@pytest.mark.parametrize('accepted, ok', [(None, False), (['Success'], False), (['Success', 'Warning'], True)])
def test_a_warning_counts_only_when_accepted(accepted, ok):
    assert judge([DAILY], {'a': outcome(result='Warning')}, accepted=accepted)['ok'] is ok


def test_require_all_jobs():
    runs = {'a': outcome(), 'b': outcome('b', result='Failed', name='DR Site')}
    assert judge([DAILY, DR], runs)['ok'] is False
    assert judge([DAILY, DR], runs, require_all_jobs=True)['ok'] is False
    result = judge([DAILY, DR], runs, require_all_jobs=False)
    assert result['ok'] is True and [found['ok'] for found in result['jobs']] == [True, False]
    assert judge([DR], runs, require_all_jobs=False)['ok'] is False


def test_a_problem_fails_the_host_even_when_its_jobs_succeeded():
    result = judge([DAILY], {'a': outcome()}, problems=['No job named "Typo" in Enterprise Manager'], require_all_jobs=False)
    assert result['ok'] is False
    assert result['msg'] == ('Backup of web01 did not succeed. No job named "Typo" in Enterprise Manager. '
                             'Job "Daily" (vbr01.example.com): new run "Daily@1" ended with Success.')


def test_only_problems():
    result = judge([], {}, problems=['No job named "Typo" in Enterprise Manager'])
    assert result == {'ok': False, 'skipped': False, 'jobs': [],
                      'msg': 'Backup of web01 did not succeed. No job named "Typo" in Enterprise Manager.'}


def test_a_run_that_was_already_going_on():
    result = judge([DAILY], {'a': outcome(action='running', session_name='Daily@0')})
    assert result['jobs'][0]['msg'] == 'Job "Daily" (vbr01.example.com): the run "Daily@0", which was already running, ended with Success.'
    assert judge([DAILY], {'a': outcome(action='running', result='Failed')})['ok'] is False


def test_a_recent_run():
    result = judge([DAILY], {'a': outcome(action='recent', result='Warning')}, accepted=['Success', 'Warning'], max_age_minutes=120)
    assert result['ok'] is True
    assert result['jobs'][0]['msg'] == ('Job "Daily" (vbr01.example.com): was not started: its run "Daily@1" ended with '
                                        'Warning at 2024-05-01T10:00:00Z, less than 120 minutes ago.')


def test_an_error_fails_the_job_and_says_why_with_one_full_stop():
    result = judge([DAILY], {'a': outcome(result='', end_time='', error=TIMED_OUT)})
    assert result['ok'] is False
    assert result['jobs'][0]['msg'] == 'Job "Daily" (vbr01.example.com): failed: ' + TIMED_OUT
    assert result['msg'].startswith('Backup of web01 did not succeed. Job "Daily"')


def test_an_error_fails_the_job_even_with_a_good_result():
    assert judge([DAILY], {'a': outcome(error='no run of the job was found')})['jobs'][0]['ok'] is False


def test_check_mode():
    runs = {'a': outcome(action='would_start', result='Failed'), 'b': outcome('b', action='running', session_name='DR@1', result='')}
    result = judge([DAILY, DR], runs, check_mode=True)
    assert result['ok'] is True
    assert result['msg'] == ('Backup of web01 would run. Job "Daily" (vbr01.example.com): would be started. '
                             'Job "DR Site" (vbr01.example.com): is running; its run "DR@1" would be followed.')


def test_check_mode_with_a_problem():
    result = judge([DAILY], {'a': outcome(action='would_start')}, check_mode=True, problems=['No job named "Typo" in Enterprise Manager'])
    assert result['ok'] is False and result['msg'].startswith('Backup of web01 cannot run as planned. No job named "Typo"')


def test_check_mode_with_a_failed_prediction_says_why():
    result = judge([DAILY], {'a': outcome(action='would_start', error='No job with id "a"')}, check_mode=True)
    assert result['ok'] is False
    assert result['msg'] == 'Backup of web01 cannot run as planned. Job "Daily" (vbr01.example.com): failed: No job with id "a".'


@pytest.mark.parametrize('action', ['recent', 'running', 'started'])
def test_an_error_is_said_whatever_the_action(action):
    result = judge([DAILY], {'a': outcome(action=action, error='Its run "Daily@1" was still None after 60 s')})
    assert result['jobs'][0]['msg'] == 'Job "Daily" (vbr01.example.com): failed: Its run "Daily@1" was still None after 60 s.'


@pytest.mark.parametrize('options, reason', [
    ({'source': 'lookup', 'vm_name': 'WEB02'},
     'no job includes a VM named "WEB02"; a VM that a job protects only through a folder, tag, cluster, host, resource '
     'pool or vApp is not listed in the job, so name its jobs in backup_before_change_jobs'),
    ({'source': 'inventory'},
     'the host has no inventory variable veeam_jobs (it does not come from the veeamops.em.veeam_em inventory)'),
    ({'source': 'lookup', 'other_jobs': [job('SQL Replica', 'r', job_type='Replica'), job('Copy', 'c')]},
     'its jobs SQL Replica, Copy are not of the types in backup_before_change_job_types (Backup)'),
    ({'source': 'inventory', 'other_jobs': [job('SQL Replica', 'r')], 'job_types': ['Backup', 'Replica']},
     'its jobs SQL Replica are not of the types in backup_before_change_job_types (Backup, Replica)'),
    ({}, 'no job'),
])
def test_an_unprotected_host_fails_with_the_reason(options, reason):
    assert judge([], {}, **options) == {'ok': False, 'skipped': False, 'jobs': [], 'msg': 'No job protects web01: %s.' % reason}


def test_an_unprotected_host_is_skipped_when_asked():
    assert judge([], {}, source='lookup', vm_name='web01-hv', unprotected='skip') == {
        'ok': True, 'skipped': True, 'jobs': [],
        'msg': 'No job protects web01: no job includes a VM named "web01-hv"; a VM that a job protects only through a '
               'folder, tag, cluster, host, resource pool or vApp is not listed in the job, so name its jobs in '
               'backup_before_change_jobs. It is left in the play without a backup (backup_before_change_unprotected=skip).'}


def test_a_host_with_jobs_is_never_skipped():
    result = judge([DAILY], {'a': outcome(result='Failed')}, unprotected='skip')
    assert (result['ok'], result['skipped']) == (False, False)


@pytest.mark.parametrize('jobs, runs, options, message', [
    ([DAILY], {}, {}, 'runs has no outcome (action, session, end_time, result, error) for job "Daily" (id a)'),
    ([DAILY], {'a': 'Success'}, {}, 'the outcome of job "Daily" must be a dictionary, not str'),
    ([], {}, {'unprotected': 'ignore'}, "unprotected must be one of fail, skip, not 'ignore'"),
    ([], {}, {'source': 'cmdb'}, "source must be one of names, inventory, lookup, not 'cmdb'"),
    ([DAILY], {'a': outcome()}, {'require_all_jobs': 'most'}, "require_all_jobs must be a boolean, not 'most'"),
])
def test_wrong_input_is_a_clear_error(jobs, runs, options, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_verdict: ') as caught:
        judge(jobs, runs, **options)
    assert message in str(caught.value)


def test_a_single_problem_is_a_list_of_one():
    assert judge([DAILY], {'a': outcome()}, problems='Typo')['msg'].startswith('Backup of web01 did not succeed. Typo. Job')
