# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_record: the record of a host backed up by its jobs' runs."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    DB01_REF, VBR01, VBR02, WEB01_REF, job, outcome, task_session, the_filter,
)

NOW = '2026-03-02T10:20:00Z'
DAILY = job('Daily', 'a')
DR = job('DR Site', 'b', server=VBR02)
TASKS = [task_session('web01', WEB01_REF, 'Success'), task_session('db01', DB01_REF, 'Warning')]

verdict_of = the_filter('backup_jobs_verdict')
record_of = the_filter('backup_jobs_record')


def run(job_id, name, end_time, result='Success'):
    return {'id': 'run-%s' % job_id, 'uid': 'urn:veeam:BackupJobSession:run-%s' % job_id, 'name': name, 'state': 'Stopped',
            'result': result, 'creation_time': '2026-03-02T10:00:00Z', 'end_time': end_time}


def with_run(found, job_id):
    """An outcome with the run it is about, as backup_jobs_outcome returns it."""
    found['run'] = run(job_id, found['session'], found['end_time'], found['result'])
    return found


RUNS = {
    'a': with_run(outcome('a', session_name='Daily@1', end_time='2026-03-02T10:05:00Z', task_sessions=TASKS), 'a'),
    'b': with_run(outcome('b', name='DR Site', server=VBR02, session_name='DR@1', end_time='2026-03-02T10:09:00Z'), 'b'),
}


def record(jobs, runs, refs=None, vm_name='web01', check_mode=False, **verdict_options):
    """The record of web01 from its verdict, as the role chains the two filters."""
    verdict = verdict_of(jobs, runs, host='web01', refs=refs, vm_name=vm_name, check_mode=check_mode, **verdict_options)
    return record_of(verdict, runs, vm_name=vm_name, refs=refs, check_mode=check_mode, now=NOW)


def test_the_run_of_the_one_job():
    assert record([DAILY], RUNS, refs=[WEB01_REF]) == {
        'ref': WEB01_REF, 'name': 'web01', 'result': 'Success', 'method': 'job', 'backup_server': VBR01,
        'job': {'name': 'Daily', 'id': 'a'},
        'session': {'id': 'run-a', 'name': 'Daily@1', 'result': 'Success', 'creation_time': '2026-03-02T10:00:00Z',
                    'end_time': '2026-03-02T10:05:00Z'},
        'restore_point': None, 'recorded_at': NOW, 'note': None}


def test_the_successful_run_that_ended_last():
    found = record([DAILY, DR], RUNS)
    assert (found['job'], found['backup_server'], found['session']['id']) == ({'name': 'DR Site', 'id': 'b'}, VBR02, 'run-b')


def test_the_vms_own_result_and_reference_from_its_task_session():
    found = record([DAILY], RUNS, vm_name='DB01')
    assert (found['ref'], found['result']) == (DB01_REF, 'Warning')
    assert found['note'].startswith('Job "Daily" (vbr01.example.com): new run "Daily@1" ended with Success (this VM: Warning)')


def test_several_references_are_narrowed_by_the_task_session():
    assert record([DAILY], RUNS, refs=[WEB01_REF, DB01_REF], vm_name='db01')['ref'] == WEB01_REF


def test_a_failed_run_is_recorded_when_no_job_succeeded():
    runs = {'a': with_run(outcome('a', result='Failed'), 'a')}
    found = record([DAILY], runs)
    assert (found['result'], found['session']['result']) == ('Failed', 'Failed')
    assert 'ended with Failed' in found['note']


def test_a_run_that_did_not_end_has_no_result():
    runs = {'a': outcome('a', session_name='Daily@1', end_time='', result='', error='Its run "Daily@1" was still Working')}
    runs['a']['run'] = dict(run('a', 'Daily@1', None), state='Working', result=None)
    found = record([DAILY], runs)
    assert found['result'] is None and found['session']['end_time'] is None
    assert 'failed: Its run "Daily@1" was still Working' in found['note']


def test_a_recent_run_is_recorded_with_why_no_new_one():
    runs = {'a': with_run(outcome('a', action='recent'), 'a')}
    found = record([DAILY], runs, max_age_minutes=60)
    assert found['result'] == 'Success' and found['session']['id'] == 'run-a'
    assert 'was not started: its run "Daily@1" ended with Success' in found['note']


def test_a_start_that_left_no_run():
    runs = {'a': outcome('a', session_name='', end_time='', result='', error='Cannot connect')}
    runs['a']['run'] = None
    found = record([DAILY], runs)
    assert (found['job'], found['session'], found['result']) == ({'name': 'Daily', 'id': 'a'}, None, None)
    assert found['note'] == 'Job "Daily" (vbr01.example.com): failed: Cannot connect.'


def test_check_mode():
    runs = {'a': with_run(outcome('a', action='would_start'), 'a')}
    found = record([DAILY], runs, refs=[WEB01_REF], check_mode=True)
    assert (found['result'], found['session'], found['restore_point'], found['job']['id']) == (None, None, None, 'a')
    assert found['note'] == 'check mode: nothing was backed up; Job "Daily" (vbr01.example.com): would be started.'


@pytest.mark.parametrize('check_mode, note', [
    (False, 'No job protects web01: no job.'),
    (True, 'check mode: nothing was backed up; No job protects web01: no job.'),
])
def test_an_unprotected_host(check_mode, note):
    found = record([], {}, refs=[WEB01_REF], check_mode=check_mode)
    assert (found['ref'], found['job'], found['session'], found['result'], found['note']) == (WEB01_REF, None, None, None, note)


def test_outcomes_without_a_run_key_still_record_the_job():
    runs = {'a': outcome('a')}
    found = record([DAILY], runs)
    assert (found['session'], found['result'], found['job']['id']) == (None, 'Success', 'a')


@pytest.mark.parametrize('options, message', [
    ({'check_mode': 'maybe'}, "check_mode must be a boolean, not 'maybe'"),
    ({'refs': {'a': 1}}, 'refs must be a list, not dict'),
    ({'now': 3}, 'now must be a date and time, not int'),
])
def test_wrong_input_is_a_clear_error(options, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_record: ') as caught:
        record_of({'ok': True, 'jobs': []}, {}, vm_name='web01', **options)
    assert message in str(caught.value)


def test_an_outcome_that_is_not_a_dictionary():
    with pytest.raises(AnsibleFilterError, match='the outcome of job "Daily" must be a dictionary, not str'):
        record_of({'jobs': [{'id': 'a', 'name': 'Daily', 'ok': True, 'session': 'x'}]}, {'a': 'done'}, vm_name='web01')
