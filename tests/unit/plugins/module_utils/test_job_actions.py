# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_job_actions and the job kinds of _jobs: guards, predictions, addresses of the three job kinds, and run lookups."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError, EmJobNotFoundError
from ansible_collections.veeamops.em.plugins.module_utils._job_actions import (
    WAIT_BY_DEFAULT,
    action_guard,
    schedule_change_needed,
    validate_options,
    wait_wanted,
)
from ansible_collections.veeamops.em.plugins.module_utils._jobs import AGENT, KINDS, NAS, VM, JobCriteria, JobsApi
from ansible_collections.veeamops.em.plugins.module_utils._times import floor_to_second
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._normalize import normalize_task_session
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import DAILY_ID, job_entity, query_page, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import AGENT_ID, NAS_ID, agent_job, entities_page, nas_job, task_session

DAILY = snake_keys(job_entity())
COPY = snake_keys(job_entity('Offsite Copy', '45dc56b3-d9dd-4d71-babb-15e8894597e7', 'ImmediateBackupCopy', platform='CustomPlatform'))
IDLE = snake_keys(session_entity(job_entity(), 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'))
FAILED = dict(IDLE, result='Failed')
RUNNING = dict(IDLE, state='Working', result='None')
OPTIONS = {'job_kind': 'vm', 'action': 'start', 'wait': None, 'wait_timeout': 3600, 'poll_interval': 2.0, 'poll_max_interval': 30.0}


@pytest.mark.parametrize('job, latest, action, expected', [
    (DAILY, IDLE, 'start', None),
    (DAILY, None, 'start', None),
    (DAILY, RUNNING, 'start', 'already running'),
    (DAILY, RUNNING, 'stop', None),
    (DAILY, IDLE, 'stop', 'not running; nothing to stop'),
    (DAILY, None, 'stop', 'not running; nothing to stop'),
    (DAILY, FAILED, 'retry', None),
    (DAILY, IDLE, 'retry', 'last run ended with Success'),
    (DAILY, None, 'retry', 'never run'),
    (DAILY, RUNNING, 'retry', 'already running'),
    (COPY, IDLE, 'sync', None),
    (COPY, RUNNING, 'sync', 'already running'),
    (COPY, RUNNING, 'stop', None),
    (dict(DAILY, state='Stopping'), dict(IDLE, state='Stopping'), 'stop', None),
])
def test_action_guard(job, latest, action, expected):
    reason = action_guard(job, latest, action)
    if expected is None:
        assert reason is None
    else:
        assert expected in reason


@pytest.mark.parametrize('job, action, text', [
    (DAILY, 'sync', 'sync applies to backup copy jobs only'),
    (COPY, 'start', 'use action=sync'),
    (COPY, 'retry', 'use action=sync'),
])
def test_impossible_actions_are_input_errors(job, action, text):
    with pytest.raises(EmInputError) as caught:
        action_guard(job, None, action)
    assert text in str(caught.value)


def test_schedule_change_needed():
    assert schedule_change_needed(DAILY, True) is False
    assert schedule_change_needed(DAILY, False) is True
    unscheduled = dict(DAILY, schedule_configured=False, schedule_enabled=False)
    assert schedule_change_needed(unscheduled, False) is False
    with pytest.raises(EmInputError, match='no schedule configured'):
        schedule_change_needed(unscheduled, True)


def test_wait_defaults_per_action():
    assert WAIT_BY_DEFAULT == {'start': False, 'retry': False, 'sync': False, 'stop': True}
    assert wait_wanted({'action': 'stop', 'wait': None}) is True
    assert wait_wanted({'action': 'start', 'wait': None}) is False
    assert wait_wanted({'action': 'start', 'wait': True}) is True
    assert wait_wanted({'action': 'stop', 'wait': False}) is False
    assert wait_wanted({'action': None, 'wait': None}) is False


def test_validate_options_accepts_the_defaults_and_names_the_fix():
    validate_options(OPTIONS)
    with pytest.raises(EmInputError) as caught:
        validate_options(dict(OPTIONS, job_kind='agent', action='sync'))
    assert 'agent backup job jobs support start, stop, retry' in str(caught.value)


@pytest.mark.parametrize('name, value', [('poll_interval', float('nan')), ('poll_interval', float('inf')), ('poll_max_interval', float('nan'))])
def test_validate_options_refuses_intervals_that_are_not_finite(name, value):
    # NaN passes every comparison check and ends as time.sleep(nan) (ValueError); infinity would never poll again.
    with pytest.raises(EmInputError, match='%s must be a finite number of seconds' % name):
        validate_options(dict(OPTIONS, **{name: value}))


def test_action_paths_follow_the_documented_patterns_never_the_links():
    assert KINDS[VM].action_path(DAILY, 'start') == ('jobs/%s' % DAILY_ID, {'action': 'start'})
    assert KINDS[VM].action_path(COPY, 'sync') == ('jobs/45dc56b3-d9dd-4d71-babb-15e8894597e7', {'action': 'sync'})
    agent = snake_keys(agent_job())
    hostile = dict(agent, links=[dict(link, href='https://evil.example/api/agents/jobs/x?action=retry') for link in agent['links']])
    assert KINDS[AGENT].action_path(hostile, 'retry') == ('agents/jobs/' + AGENT_ID, {'action': 'retry'})
    nas = snake_keys(nas_job())
    assert KINDS[NAS].action_path(nas, 'start') == ('nas/jobs/%s/start' % NAS_ID, None)
    assert KINDS[NAS].action_path(dict(nas, links=None), 'toggleScheduleEnabled') == ('nas/jobs/%s/toggleScheduleEnabled' % NAS_ID, None)


def test_run_job_uids_cover_both_forms_for_agent_and_file_share_jobs():
    assert KINDS[VM].run_job_uids(DAILY) == ['urn:veeam:Job:' + DAILY_ID]
    assert KINDS[AGENT].run_job_uids(snake_keys(agent_job())) == ['urn:veeam:AgentBackupJob:' + AGENT_ID, 'urn:veeam:Job:' + AGENT_ID]
    assert KINDS[NAS].run_job_uids(snake_keys(nas_job())) == ['urn:veeam:NasJob:' + NAS_ID, 'urn:veeam:Job:' + NAS_ID]


@pytest.mark.parametrize('text, expected', [
    ('2026-03-01T21:00:12.437Z', datetime(2026, 3, 1, 21, 0, 12, tzinfo=timezone.utc)),
    ('2026-06-16T06:22:59.39912Z', datetime(2026, 6, 16, 6, 22, 59, tzinfo=timezone.utc)),
    ('2026-06-16T06:22:59', datetime(2026, 6, 16, 6, 22, 59, tzinfo=timezone.utc)),
    ('2026-06-16T08:22:59+02:00', datetime(2026, 6, 16, 6, 22, 59, tzinfo=timezone.utc)),
    ('2026-06-16T01:22:59-0500', datetime(2026, 6, 16, 6, 22, 59, tzinfo=timezone.utc)),
    ('not a date', None),
    (None, None),
])
def test_floor_to_second(text, expected):
    assert floor_to_second(text) == expected


def test_runs_of_a_job_are_rechecked_on_the_client(em_http, em_settings):
    other = session_entity(job_entity('Other', '11111111-1111-4111-8111-111111111111'), 'b0b0b0b0-0000-4000-8000-000000000001')
    mine = session_entity(job_entity(), 'b0b0b0b0-0000-4000-8000-000000000002')
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', [other, mine])),
                         filter_text='JobUid=="urn:veeam:Job:%s";CreationTime>="2026-03-01T21:00:12Z"' % DAILY_ID,
                         sort_desc='CreationTime', page_size=5)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = JobsApi(em).runs(DAILY, floor_to_second('2026-03-01T21:00:12.437Z'), 5)
    assert [item['uid'] for item in found] == [mine['UID']]


def test_jobs_api_lists_agent_jobs_with_their_query_type(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_query('AgentBackupJob', entities_page('AgentBackupJob', [agent_job()]), filter_text='Name=="Windows Servers Backup"',
                         sort_asc='Name')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        jobs = JobsApi(em, AGENT).list(JobCriteria(names='Windows Servers Backup', kind=AGENT))
    assert jobs[0]['uid'] == 'urn:veeam:AgentBackupJob:' + AGENT_ID


def test_find_file_share_job_by_uid_reads_the_entity(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/nas/jobs/' + NAS_ID, json_response(nas_job()), params={'format': 'Entity'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        job = JobsApi(em, NAS).find(uid='urn:veeam:NasJob:' + NAS_ID, backup_server='VBR01.lab.local')
    assert job['name'] == 'File Share Backup'


def test_find_by_uid_rejects_a_uid_of_another_kind(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/nas/jobs/' + NAS_ID, json_response(nas_job()), params={'format': 'Entity'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        with pytest.raises(EmJobNotFoundError) as caught:
            JobsApi(em, NAS).find(uid='urn:veeam:AgentBackupJob:' + NAS_ID)
    assert 'has uid urn:veeam:NasJob:' in str(caught.value)


@pytest.mark.parametrize('job_id', ['.', '..', 'a/b', 'x%2f..', ''])
def test_an_id_that_is_not_one_path_segment_is_refused_before_any_request(job_id):
    # "agents/jobs/." would read the job list and "agents/jobs/.." another resource: such ids never reach a URL.
    with pytest.raises((EmInputError, EmJobNotFoundError)) as caught:
        JobsApi(None, AGENT).find(job_id=job_id or None, uid=None if job_id else 'urn:veeam:AgentBackupJob:')
    assert 'id' in str(caught.value)


def test_normalize_task_session():
    session = session_entity(job_entity(), 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16')
    normal = normalize_task_session(snake_keys(task_session(session, 'db01', 'Failed', 'Snapshot failed.')))
    assert normal['vm_name'] == 'db01' and normal['result'] == 'Failed' and normal['reason'] == 'Snapshot failed.'
    assert normal['vm_uid'] == 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042' and normal['total_size'] == 64424509440
    running = normalize_task_session({'result': 'None', 'reason': '', 'state': 'InProgress'})
    assert running['result'] is None and running['reason'] is None


def test_stop_path_of_a_backup_copy_job_goes_through_its_run():
    copy_job = dict(COPY, links=[link for link in COPY['links'] if link.get('rel') != 'Stop'])
    running = dict(RUNNING, links=[])
    api = JobsApi(None)
    assert api.stop_path(copy_job, running) == ('backupSessions/a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', {'action': 'stop'})
    assert api.stop_path(DAILY, RUNNING) == ('jobs/%s' % DAILY_ID, {'action': 'stop'})
