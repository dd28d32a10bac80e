# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_session_info: filters, the decisions over runs, and the reads (runs, runs of VMs, runs ended since) over scripted HTTP."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._session_info import (
    SessionFilter,
    SessionReader,
    describe_run,
    duration_seconds,
    latest_per_job,
    names_option,
    newest_first,
    oldest_end_first,
    prepare_sessions,
    replica_may_hold,
    run_query_type,
    runs_ended_since,
    same_vm,
)
from ansible_collections.veeamops.em.tests.unit.utils import em_sessions as sim
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR02, job_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_vms import DB01, WEB01, WEB01_DR

NOW = datetime(2026, 3, 2, 12, 0, 0, 250000, tzinfo=timezone.utc)


def snake(entity):
    return snake_keys(entity)


# --- options and filters --------------------------------------------------------------------------------

def test_every_filter_goes_into_one_expression():
    flt = SessionFilter.from_params({'jobs': ['Daily VM Backup', 'SQL Replica'], 'backup_server': 'vbr01.lab.local',
                                     'result': ['Warning', 'Failed'], 'state': ['Stopped'], 'since': '24h'}, now=NOW)
    assert flt.since == datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert str(flt.narrowing()) == ('BackupServerName=="vbr01.lab.local";(Result==Warning,Result==Failed);State==Stopped;'
                                    'CreationTime>="2026-03-01T12:00:00Z"')
    assert [str(item) for item in flt.job_selections()] == ['JobName=="Daily VM Backup",JobName=="SQL Replica"']


def test_without_filters_there_is_one_unselected_query():
    flt = SessionFilter.from_params({})
    assert flt.narrowing() is None and flt.job_selections() == [None]


def test_job_names_are_sent_forty_per_query():
    names = ['Job %02d' % number for number in range(41)]
    selections = SessionFilter(jobs=names + ['Job 00']).job_selections()
    assert len(selections) == 2 and str(selections[1]) == 'JobName=="Job 40"' and str(selections[0]).count('JobName==') == 40


def test_ended_since_is_an_end_time_term():
    flt = SessionFilter(states=['Stopped'], ended_since=NOW)
    assert str(flt.narrowing()) == 'State==Stopped;EndTime>="2026-03-02T12:00:00Z"'


@pytest.mark.parametrize('params, message', [
    ({'since': 'yesterday'}, "Invalid value for option since: 'yesterday'"),
    ({'since': '2026-13-01'}, 'Invalid value for option since'),
    ({'since': '99999999d'}, "Invalid value for option since: '99999999d' .that age reaches before the year 1"),
    ({'since': '999999999999999999999w'}, 'Invalid value for option since'),
    ({'jobs': []}, 'Option jobs is an empty list'),
    ({'jobs': ['Daily VM Backup', '']}, "Invalid entry in option jobs: ''"),
    ({'jobs': [{'name': 'x'}]}, 'Invalid entry in option jobs'),
    ({'limit': 0}, 'Invalid value for option limit: 0'),
    ({'vms': []}, 'needs at least one VM'),
    ({'vms': ['urn:VMware:Folder:x.group-v1']}, 'Invalid VM reference in option vms'),
])
def test_bad_options_fail_when_prepared(params, message):
    with pytest.raises(EmInputError, match=message):
        prepare_sessions(params)


@pytest.mark.parametrize('field, values', [('results', ['Failed', 'Broken']), ('states', ['working'])])
def test_unknown_results_and_states_fail_for_callers_that_skip_the_module(field, values):
    with pytest.raises(EmInputError, match='Unknown value in option'):
        SessionFilter(**{field: values})


def test_a_string_is_one_job_name():
    assert names_option('Finance "Q4" & Payroll, Backup; Zürich', 'jobs') == ['Finance "Q4" & Payroll, Backup; Zürich']
    assert names_option(None, 'jobs') is None


@pytest.mark.parametrize('flt, expected', [
    (SessionFilter(jobs=['daily vm backup']), True),
    (SessionFilter(jobs=['Other']), False),
    (SessionFilter(backup_server='VBR01.lab.local'), True),
    (SessionFilter(backup_server='vbr02.lab.local'), False),
    (SessionFilter(results=['Warning']), True),
    (SessionFilter(results=['Success', 'Failed']), False),
    (SessionFilter(states=['Stopped']), True),
    (SessionFilter(states=['Working']), False),
    (SessionFilter(since=datetime(2026, 3, 1, 21, 0, 12, tzinfo=timezone.utc)), True),
    (SessionFilter(since=datetime(2026, 3, 1, 21, 0, 13, tzinfo=timezone.utc)), False),
    (SessionFilter(ended_since=datetime(2026, 3, 1, 21, 24, 51, tzinfo=timezone.utc)), True),
    (SessionFilter(ended_since=datetime(2026, 3, 1, 21, 24, 52, tzinfo=timezone.utc)), False),
])
def test_every_filter_is_checked_again_on_the_answer(flt, expected):
    assert flt.matches(snake(sim.run(1, result='Warning'))) is expected


def test_a_running_run_matches_the_result_none_and_no_end_time():
    running = snake(sim.run(1, result='None', state='Working', ended=None, progress=37))
    assert SessionFilter(results=['None']).matches(running)
    assert not SessionFilter(ended_since=NOW).matches(running)


# --- shapes -----------------------------------------------------------------------------------------------

def test_a_run_keeps_the_keys_of_veeam_job_and_adds_job_server_and_duration():
    described = describe_run(snake(sim.run(7)), [snake(sim.task(sim.run(7), 1, 'db01', DB01, 'Failed', sim.FAILED_REASON))])
    assert described['job'] == {'name': 'Daily VM Backup', 'id': '47752464-8e77-407a-a936-132173ac15f5',
                                'uid': 'urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5', 'type': 'Backup'}
    assert described['backup_server'] == 'vbr01.lab.local' and described['duration_seconds'] == 1479
    assert described['job_name'] == 'Daily VM Backup' and described['running'] is False and described['result'] == 'Success'
    (task,) = described['task_sessions']
    assert task['vm'] == task['vm_name'] == 'db01' and task['ref'] == task['vm_uid'] == DB01
    assert task['result'] == 'Failed' and task['reason'] == sim.FAILED_REASON and task['total_size'] == 64424509440


def test_duration_keeps_the_fraction_of_a_second():
    assert duration_seconds({'creation_time_utc': '2026-03-01T21:00:12.437Z', 'end_time_utc': '2026-03-01T21:00:13.9Z'}) == 1
    assert duration_seconds({'creation_time_utc': '2026-03-01T21:00:12.437Z', 'end_time_utc': '2026-03-01T21:00:13.95Z'}) == 2
    assert duration_seconds({'creation_time_utc': '2026-03-01T21:00:12.437Z', 'end_time_utc': None}) is None
    assert duration_seconds({'creation_time_utc': 'not a time', 'end_time_utc': '2026-03-01T21:00:13Z'}) is None


# --- decisions --------------------------------------------------------------------------------------------

def test_newest_first_across_run_types_and_undated_last():
    replica = job_entity('SQL Replica', 'bc39ed6c-d173-4df1-aeec-87ac42b80657', 'Replica')
    runs = [snake(sim.run(1, created='2026-03-01T21:00:12.437Z')), snake(sim.run(2, replica, created='2026-03-01T21:00:12.5Z')),
            dict(snake(sim.run(3)), creation_time_utc=None), snake(sim.run(4, created='2026-02-28T21:00:00Z'))]
    assert [run['uid'][-1] for run in newest_first(runs)] == ['2', '1', '4', '3']


def test_latest_per_job_keeps_the_first_run_of_each_job():
    runs = [snake(sim.run(1)), snake(sim.run(2, sim.FILES)), snake(sim.run(3)), snake(sim.run(4, job_entity(job_id=sim.FILES['UID'][-36:])))]
    assert [run['uid'][-1] for run in latest_per_job(runs)] == ['1', '2']


def test_oldest_end_first():
    runs = [snake(sim.run(1, ended='2026-03-02T10:00:00Z')), snake(sim.run(2, ended='2026-03-02T09:00:00.5Z')),
            snake(sim.run(3, ended='2026-03-02T09:00:00.25Z'))]
    assert [run['uid'][-1] for run in oldest_end_first(runs)] == ['3', '2', '1']


def test_a_task_session_is_the_vms_by_reference_else_by_name():
    target = {'name': 'web01', 'ref': WEB01}
    assert same_vm(snake(sim.task(sim.run(1), 1)), target)
    assert not same_vm(snake(sim.task(sim.run(1), 1, 'web01', WEB01_DR)), target)  # the other web01
    assert same_vm(snake(sim.task(sim.run(1, sim.REPLICA), 1, 'WEB01')), target)  # replica task sessions have no VmUid
    assert not same_vm(snake(sim.task(sim.run(1, sim.REPLICA), 1, 'db01')), target)


def test_run_query_types_come_from_the_uid():
    assert run_query_type(sim.run(1)['UID']) == 'BackupJobSession'
    assert run_query_type(sim.run(1, sim.REPLICA)['UID']) == 'ReplicaJobSession'
    assert run_query_type('urn:veeam:RestoreSession:x') is None and run_query_type(None) is None


def test_replica_task_sessions_are_read_only_when_a_replication_job_may_hold_the_vms():
    db01, web01 = {'name': 'db01', 'ref': DB01}, {'name': 'web01', 'ref': WEB01}
    replica = snake(estate.job_with('SQL Replica', 'bc39ed6c-d173-4df1-aeec-87ac42b80657', [estate.include(DB01, 'db01')], job_type='Replica'))
    folder = snake(estate.job_with('Folder Replica', '11111111-1111-4111-8111-111111111111', [estate.include(estate.TAG, 'Backup-Gold')],
                                   job_type='Replica'))
    bare = dict(replica, job_info=None)
    jobs = [snake(estate.DAILY), replica]
    assert replica_may_hold([db01], jobs, SessionFilter())
    assert replica_may_hold([web01, db01], jobs, SessionFilter(jobs=['sql replica']))
    assert not replica_may_hold([db01], jobs, SessionFilter(jobs=['Daily VM Backup']))
    assert not replica_may_hold([web01], jobs, SessionFilter())
    assert replica_may_hold([web01], jobs + [folder], SessionFilter())  # a container may hold any VM
    assert replica_may_hold([web01], [bare], SessionFilter())  # includes not in the entity: they may
    assert not replica_may_hold([db01], [snake(estate.DAILY)], SessionFilter())


# --- reads -----------------------------------------------------------------------------------------------

def test_runs_ended_since_read_both_types_by_end_time_with_the_reasons(em_http, em_settings):
    moment = datetime(2026, 3, 2, 8, 0, 0, 999000, tzinfo=timezone.utc)
    late = sim.run(1, created='2026-03-02T08:10:00Z', ended='2026-03-02T09:30:00Z', result='Failed')
    early = sim.run(2, sim.FILES, created='2026-03-02T07:10:00Z', ended='2026-03-02T08:30:00Z')
    replica = sim.run(3, sim.REPLICA, created='2026-03-02T08:00:00Z', ended='2026-03-02T09:00:00Z')
    expr = 'State==Stopped;EndTime>="2026-03-02T08:00:00Z"'
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', sim.page('BackupJobSession', [early, late]), filter_text=expr, sort_asc='EndTime', page_size=500)
    em_http.expect_query('ReplicaJobSession', sim.page('ReplicaJobSession', [replica]), filter_text=expr, sort_asc='EndTime', page_size=500)
    late_tasks = [sim.task(late, 1, 'db01', DB01, 'Failed', sim.FAILED_REASON), sim.task(late, 2)]
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', late_tasks),
                         filter_text='JobSessionUid=="%s",JobSessionUid=="%s"' % (early['UID'], late['UID']), sort_asc='CreationTime',
                         page_size=500)
    em_http.expect_query('ReplicaTaskSession', sim.page('ReplicaTaskSession', [sim.task(replica, 3, 'db01')]),
                         filter_text='JobSessionUid=="%s"' % replica['UID'], sort_asc='CreationTime', page_size=500)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        runs = runs_ended_since(em, moment, page_size=500)
    assert [run['job']['name'] for run in runs] == ['File Server Backup', 'SQL Replica', 'Daily VM Backup']
    assert runs[0]['task_sessions'] == [] and runs[1]['task_sessions'][0]['ref'] is None
    assert [(task['vm'], task['result'], task['reason']) for task in runs[2]['task_sessions']] == [
        ('db01', 'Failed', sim.FAILED_REASON), ('web01', 'Success', None)]


def test_runs_of_vms_go_from_task_sessions_to_runs_by_uid(em_http, em_settings):
    runs = [sim.run(number, created='2026-03-0%dT21:00:00Z' % number, result='Warning' if number == 2 else 'Success') for number in (1, 2)]
    other = sim.run(9, job_entity('DR Site Backup', '0e2a4c6b-8d0f-4b1e-9a3c-5e7f9b1d3f50', server=VBR02))
    tasks = [sim.task(runs[0], 1), sim.task(runs[1], 2), sim.task(other, 3, 'web01', WEB01_DR), sim.task(runs[1], 4, 'db01', DB01)]
    flt = SessionFilter(results=['Warning', 'Failed'], since=datetime(2026, 3, 1, tzinfo=timezone.utc))
    em_http.expect_logon()
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', tasks),
                         filter_text='(VmDisplayName==web01,VmDisplayName==db01);CreationTime>="2026-03-01T00:00:00Z"', sort_desc='CreationTime')
    em_http.expect_query('BackupJobSession', sim.page('BackupJobSession', [runs[1]]),
                         filter_text='(UID=="%s",UID=="%s");(Result==Warning,Result==Failed);CreationTime>="2026-03-01T00:00:00Z"' % (
                             runs[0]['UID'], runs[1]['UID']), sort_desc='CreationTime')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = SessionReader(em).runs_of_vms(flt, [{'name': 'web01', 'ref': WEB01}, {'name': 'db01', 'ref': DB01}], replica=False)
    assert [run['uid'] for run in found] == [runs[1]['UID']]


def test_runs_of_vms_read_replica_task_sessions_when_asked(em_http, em_settings):
    replica = sim.run(5, sim.REPLICA)
    em_http.expect_logon()
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', []), filter_text='VmDisplayName==db01', sort_desc='CreationTime')
    em_http.expect_query('ReplicaTaskSession', sim.page('ReplicaTaskSession', [sim.task(replica, 1, 'db01')]), filter_text='VmDisplayName==db01',
                         sort_desc='CreationTime')
    em_http.expect_query('ReplicaJobSession', sim.page('ReplicaJobSession', [replica]), filter_text='UID=="%s"' % replica['UID'],
                         sort_desc='CreationTime')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = SessionReader(em).runs_of_vms(SessionFilter(), [{'name': 'db01', 'ref': DB01}, {'name': None, 'ref': WEB01}])
    assert [run['uid'] for run in found] == [replica['UID']]


def test_many_runs_of_vms_are_read_by_date_window_then_by_uid(em_http, em_settings):
    runs = [sim.run(number, created='2026-03-%02dT%02d:00:00Z' % (1 + number // 24, number % 24)) for number in range(1, 132)]
    tasks = [sim.task(run, number, created=run['CreationTimeUTC'].replace(':00:00Z', ':01:00Z')) for number, run in enumerate(runs, 1)]
    window = 'CreationTime>="2026-02-28T01:01:00Z"'
    em_http.expect_logon()
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', tasks, page_size=50), filter_text='VmDisplayName==web01', sort_desc='CreationTime',
                         page_size=50)
    # newest first: two pages of the window hold runs 131 down to 32; the 31 oldest are then asked for by UID (one query, not a third page)
    em_http.expect_query('BackupJobSession', sim.page('BackupJobSession', runs[81:][::-1], page_size=50, pages_count=3), filter_text=window,
                         sort_desc='CreationTime', page_size=50)
    em_http.expect_get('/api/query', sim.page('BackupJobSession', runs[31:81][::-1], page_size=50, page_num=2, pages_count=3),
                       params={'type': 'BackupJobSession', 'format': 'Entities', 'filter': window, 'sortDesc': 'CreationTime', 'pageSize': '50',
                               'page': '2'})
    em_http.expect_query('BackupJobSession', sim.page('BackupJobSession', runs[:31], page_size=50),
                         filter_text=','.join('UID=="%s"' % run['UID'] for run in runs[:31]), sort_desc='CreationTime', page_size=50)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = SessionReader(em, page_size=50).runs_of_vms(SessionFilter(), [{'name': 'web01', 'ref': WEB01}], replica=False)
    assert len(found) == 131 and len({run['uid'] for run in found}) == 131
