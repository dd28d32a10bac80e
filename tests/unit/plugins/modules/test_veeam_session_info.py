# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_session_info: the module run in-process against scripted Enterprise Manager exchanges."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.veeamops.em.plugins.module_utils import _times
from ansible_collections.veeamops.em.plugins.modules import veeam_session_info
from ansible_collections.veeamops.em.tests.unit.utils import em_sessions as sim
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, USERNAME, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import query_page
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import agent_job
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module, warning_texts

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD}
SORT = {'sort_desc': 'CreationTime'}


def run(args, check_mode=False):
    return run_module(veeam_session_info.main, dict(ARGS, **args), check_mode)


def expect_runs(em_http, backup, replica, filter_text=None, page_size=1000, casing='pascal', bom=False):
    """The two run queries of a listing (backup runs, then replica runs)."""
    kwargs = {} if filter_text is None else {'filter_text': filter_text}
    for query_type, items in (('BackupJobSession', backup), ('ReplicaJobSession', replica)):
        em_http.expect_query(query_type, json_response(query_page(query_type, items, page_size=page_size), casing=casing, bom=bom),
                             page_size=page_size, **SORT, **kwargs)


@pytest.fixture
def fixed_now(monkeypatch):
    now = datetime(2026, 3, 2, 12, 0, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(_times, 'utc_now', lambda: now)
    return now


def test_all_sessions_of_both_kinds_newest_first_in_four_requests(em_http):
    daily = sim.run(1, created='2026-03-01T21:00:12.437Z')
    files = sim.run(2, sim.FILES, created='2026-03-01T22:00:00Z', ended='2026-03-01T22:10:00Z', result='Failed')
    replica = sim.run(3, sim.REPLICA, created='2026-03-01T21:30:00Z', ended=None, result='None', state='Working', progress=37)
    em_http.expect_logon()
    expect_runs(em_http, [files, daily], [replica])
    em_http.expect_logoff()
    result = run({})
    assert result['changed'] is False and 'failed' not in result, result
    assert [session['job']['name'] for session in result['sessions']] == ['File Server Backup', 'SQL Replica', 'Daily VM Backup']
    assert result['sessions'][2] == {
        'id': sim.run_id(1), 'uid': 'urn:veeam:BackupJobSession:' + sim.run_id(1), 'name': 'Daily VM Backup@2026-03-01 21:00:12',
        'job': {'name': 'Daily VM Backup', 'id': '47752464-8e77-407a-a936-132173ac15f5',
                'uid': 'urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5', 'type': 'Backup'},
        'job_uid': 'urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5', 'job_name': 'Daily VM Backup', 'job_type': 'Backup',
        'backup_server': 'vbr01.lab.local', 'state': 'Stopped', 'result': 'Success', 'progress': 100,
        'creation_time': '2026-03-01T21:00:12.437Z', 'end_time': '2026-03-01T21:24:51.103Z', 'duration_seconds': 1479, 'is_retry': False,
        'running': False, 'failure_message': None, 'href': '%s/api/backupSessions/%s?format=Entity' % (EM, sim.run_id(1))}
    running = result['sessions'][1]
    assert running['uid'].startswith('urn:veeam:ReplicaJobSession:') and running['job']['type'] == 'Replica'
    assert running['result'] is None and running['running'] is True and running['end_time'] is None and running['duration_seconds'] is None
    assert 'task_sessions' not in running and len(em_http.calls) == 4


@pytest.mark.usefixtures('fixed_now')
def test_filters_go_to_the_query_service(em_http):
    expected = ('JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local";(Result==Warning,Result==Failed);'
                '(State==Stopped,State==Working);CreationTime>="2026-03-01T12:00:00Z"')
    warning = sim.run(1, created='2026-03-01T21:00:12Z', result='Warning')
    em_http.expect_logon()
    expect_runs(em_http, [warning, sim.run(2, result='Success')], [], expected)
    em_http.expect_logoff()
    result = run({'jobs': 'Daily VM Backup', 'backup_server': 'vbr01.lab.local', 'result': ['Warning', 'Failed'],
                  'state': ['Stopped', 'Working'], 'since': '1d'})
    # the second run does not match the result filter: Enterprise Manager's answer is checked again
    assert [session['id'] for session in result['sessions']] == [sim.run_id(1)]


def test_since_as_an_iso_time_with_an_offset(em_http):
    em_http.expect_logon()
    expect_runs(em_http, [], [], 'CreationTime>="2026-03-01T20:00:00Z"')
    em_http.expect_logoff()
    assert run({'since': '2026-03-01T22:00:00+02:00'})['sessions'] == []


def test_a_job_name_with_commas_and_quotes_is_one_name(em_http):
    name = 'Finance "Q4" & Payroll, Backup; Zürich'
    em_http.expect_logon()
    expect_runs(em_http, [], [], 'JobName=="Finance ""Q4"" & Payroll, Backup; Zürich"')
    em_http.expect_logoff()
    assert run({'jobs': name})['sessions'] == []


def test_many_job_names_cost_one_query_per_forty_per_kind(em_http):
    names = ['Job %02d' % number for number in range(45)]
    em_http.expect_logon()
    for query_type in ('BackupJobSession', 'ReplicaJobSession'):
        for chunk in (names[:40], names[40:]):
            em_http.expect_query(query_type, json_response(query_page(query_type, [])), filter_text=','.join('JobName=="%s"' % name for name in chunk),
                                 **SORT)
    em_http.expect_logoff()
    assert run({'jobs': names})['sessions'] == []


def test_limit_reads_only_that_many_of_each_kind_and_cuts_the_merged_list(em_http):
    backup = [sim.run(number, created='2026-03-0%dT21:00:00Z' % (9 - number)) for number in (1, 2)]
    replica = [sim.run(3, sim.REPLICA, created='2026-03-07T22:00:00Z')]
    em_http.expect_logon()
    expect_runs(em_http, backup, replica, page_size=2)
    em_http.expect_logoff()
    result = run({'limit': 2})
    assert [session['id'] for session in result['sessions']] == [sim.run_id(1), sim.run_id(3)]


def test_latest_per_job_reads_pages_not_jobs(em_http):
    first = [sim.run(1, created='2026-03-05T21:00:00Z', result='Failed'), sim.run(2, sim.FILES, created='2026-03-05T20:00:00Z')]
    second = [sim.run(4, created='2026-03-04T21:00:00Z'), sim.run(5, sim.FILES, created='2026-03-04T20:00:00Z')]
    replica = [sim.run(6, sim.REPLICA, created='2026-03-03T21:00:00Z'), sim.run(7, sim.REPLICA, created='2026-03-02T21:00:00Z')]
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', first, page_num=1, pages_count=2)), **SORT)
    em_http.expect_get('/api/query', json_response(query_page('BackupJobSession', second, page_num=2, pages_count=2)),
                       params={'type': 'BackupJobSession', 'format': 'Entities', 'sortDesc': 'CreationTime', 'pageSize': '1000', 'page': '2'})
    em_http.expect_query('ReplicaJobSession', json_response(query_page('ReplicaJobSession', replica)), **SORT)
    em_http.expect_logoff()
    result = run({'latest_per_job': True, 'query': "[?result=='Failed'].job.name"})
    assert [session['id'] for session in result['sessions']] == [sim.run_id(1), sim.run_id(2), sim.run_id(6)]
    assert result['query_result'] == ['Daily VM Backup']
    assert len(em_http.calls) == 5


def test_latest_per_job_with_a_limit_reads_every_page_and_cuts_after(em_http):
    em_http.expect_logon()
    expect_runs(em_http, [sim.run(1, created='2026-03-05T21:00:00Z'), sim.run(2, created='2026-03-04T21:00:00Z')],
                [sim.run(3, sim.REPLICA, created='2026-03-03T21:00:00Z')])
    em_http.expect_logoff()
    result = run({'latest_per_job': True, 'limit': 1})
    assert [session['id'] for session in result['sessions']] == [sim.run_id(1)]


def test_task_sessions_give_every_vm_and_the_reason_of_a_failure(em_http):
    failed = sim.run(1, sim.FILES, result='Failed')
    fine = sim.run(2, created='2026-02-28T21:00:00Z')
    replica = sim.run(3, sim.REPLICA, created='2026-02-27T21:00:00Z')
    em_http.expect_logon()
    expect_runs(em_http, [failed, fine], [replica])
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', [
        sim.task(failed, 1, 'file01', 'urn:VMware:Vm:%s.vm-1202' % estate.VC01, 'Failed', sim.FAILED_REASON),
        sim.task(fine, 2, 'web01'), sim.task(fine, 3, 'db01', estate.DB01, 'Warning', 'Unable to quiesce')]),
        filter_text='JobSessionUid=="%s",JobSessionUid=="%s"' % (failed['UID'], fine['UID']), sort_asc='CreationTime', page_size=1000)
    em_http.expect_query('ReplicaTaskSession', sim.page('ReplicaTaskSession', [sim.task(replica, 4, 'db01')]),
                         filter_text='JobSessionUid=="%s"' % replica['UID'], sort_asc='CreationTime', page_size=1000)
    em_http.expect_logoff()
    result = run({'task_sessions': True})
    sessions = result['sessions']
    assert [(task['vm'], task['result'], task['reason']) for task in sessions[0]['task_sessions']] == [
        ('file01', 'Failed', sim.FAILED_REASON)]
    assert [(task['vm'], task['result'], task['reason']) for task in sessions[1]['task_sessions']] == [
        ('web01', 'Success', None), ('db01', 'Warning', 'Unable to quiesce')]
    replica_task = sessions[2]['task_sessions'][0]
    assert replica_task['vm'] == 'db01' and replica_task['ref'] is None and replica_task['uid'].startswith('urn:veeam:ReplicaTaskSession:')
    assert sorted(sessions[0]['task_sessions'][0]) == ['creation_time', 'end_time', 'href', 'id', 'name', 'reason', 'ref', 'result', 'state',
                                                       'total_size', 'uid', 'vm', 'vm_name', 'vm_uid']


def test_task_sessions_that_enterprise_manager_refuses_are_null_with_a_warning(em_http):
    fine = sim.run(1)
    replica = sim.run(2, sim.REPLICA, created='2026-02-27T21:00:00Z')
    em_http.expect_logon()
    expect_runs(em_http, [fine], [replica])
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', [sim.task(fine, 1)]),
                         filter_text='JobSessionUid=="%s"' % fine['UID'], sort_asc='CreationTime', page_size=1000)
    em_http.expect_query('ReplicaTaskSession', error_response(501, "Query type 'ReplicaTaskSession' is not implemented."),
                         filter_text='JobSessionUid=="%s"' % replica['UID'], sort_asc='CreationTime', page_size=1000)
    em_http.expect_logoff()
    result = run({'task_sessions': True})
    assert 'failed' not in result, result
    assert [len(session['task_sessions']) if session['task_sessions'] is not None else None for session in result['sessions']] == [1, None]
    (warning,) = warning_texts(result)
    assert warning.startswith('The task sessions of 1 replication session(s) could not be read, so their task_sessions are null: ')
    assert 'HTTP 501' in warning and 'not implemented' in warning


def test_replica_task_sessions_that_enterprise_manager_refuses_leave_the_backup_sessions(em_http):
    replica_job = estate.job_with('SQL Replica', 'bc39ed6c-d173-4df1-aeec-87ac42b80657', [estate.include(estate.DB01, 'db01')],
                                  job_type='Replica')
    fine = sim.run(4)
    em_http.expect_logon()
    estate.script_resolution(em_http, jobs=estate.JOBS + [replica_job])
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', [sim.task(fine, 1, 'db01', estate.DB01)]),
                         filter_text='VmDisplayName==db01', sort_desc='CreationTime')
    em_http.expect_query('ReplicaTaskSession', error_response(501, 'Not implemented.'), filter_text='VmDisplayName==db01', sort_desc='CreationTime')
    em_http.expect_query('BackupJobSession', sim.page('BackupJobSession', [fine]), filter_text='UID=="%s"' % fine['UID'], sort_desc='CreationTime')
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01]})
    assert [session['id'] for session in result['sessions']] == [sim.run_id(4)]
    expected = 'The replica task sessions of the VMs could not be read, so their replication sessions are left out: '
    assert [text for text in warning_texts(result) if text.startswith(expected)]


def test_an_expired_logon_while_reading_task_sessions_still_fails(em_http):
    fine = sim.run(1)
    em_http.expect_logon()
    expect_runs(em_http, [fine], [])
    em_http.expect_query('BackupTaskSession', error_response(401), filter_text='JobSessionUid=="%s"' % fine['UID'], sort_asc='CreationTime',
                         page_size=1000)
    em_http.expect_logon(response=error_response(401))  # the new logon is refused too: no logon session is left to log off
    result = run({'task_sessions': True})
    assert result['failed'] is True and result['error_kind'] == 'auth'


def test_no_task_session_query_when_no_session_matches(em_http):
    em_http.expect_logon()
    expect_runs(em_http, [], [])
    em_http.expect_logoff()
    assert run({'task_sessions': True})['sessions'] == []


def test_vms_are_resolved_then_found_through_their_task_sessions(em_http):
    runs = [sim.run(1, created='2026-03-02T21:00:00Z'), sim.run(2, created='2026-03-01T21:00:00Z', result='Failed')]
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==db01')
    tasks = [sim.task(runs[0], 1, 'db01', estate.DB01), sim.task(runs[1], 2, 'db01', estate.DB01, 'Failed', 'x')]
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', tasks),
                         filter_text='VmDisplayName==db01', sort_desc='CreationTime')
    em_http.expect_query('BackupJobSession', sim.page('BackupJobSession', [runs[1]]),
                         filter_text='(UID=="%s",UID=="%s");Result==Failed' % (runs[0]['UID'], runs[1]['UID']), sort_desc='CreationTime')
    em_http.expect_logoff()
    result = run({'vms': ['db01'], 'result': ['Failed']})
    assert [session['id'] for session in result['sessions']] == [sim.run_id(2)]


def test_vms_in_scope_of_a_replica_job_read_replica_task_sessions_too(em_http):
    replica_job = estate.job_with('SQL Replica', 'bc39ed6c-d173-4df1-aeec-87ac42b80657', [estate.include(estate.DB01, 'db01')],
                                  job_type='Replica')
    replica = sim.run(5, sim.REPLICA)
    em_http.expect_logon()
    estate.script_resolution(em_http, jobs=estate.JOBS + [replica_job])
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', []), filter_text='VmDisplayName==db01', sort_desc='CreationTime')
    em_http.expect_query('ReplicaTaskSession', sim.page('ReplicaTaskSession', [sim.task(replica, 1, 'db01')]), filter_text='VmDisplayName==db01',
                         sort_desc='CreationTime')
    em_http.expect_query('ReplicaJobSession', sim.page('ReplicaJobSession', [replica]), filter_text='UID=="%s"' % replica['UID'],
                         sort_desc='CreationTime')
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01]})
    assert [session['job']['name'] for session in result['sessions']] == ['SQL Replica']


def test_vms_with_job_names_narrow_the_task_sessions_too(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==db01')
    em_http.expect_query('BackupTaskSession', sim.page('BackupTaskSession', []), filter_text='VmDisplayName==db01;JobName=="Daily VM Backup"',
                         sort_desc='CreationTime')
    em_http.expect_logoff()
    assert run({'vms': ['db01'], 'jobs': ['Daily VM Backup']})['sessions'] == []


def test_a_vm_name_that_matches_nothing_fails_before_sessions_are_read(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==nothing')
    em_http.expect_logoff()
    result = run({'vms': ['nothing']})
    assert result['failed'] is True and result['error_kind'] == 'vm_not_found'
    assert result['msg'].startswith('No VM named "nothing" is protected by a job')


def test_a_reference_without_a_known_name_gives_a_warning(em_http):
    other = 'urn:VMware:Vm:%s.vm-9999' % estate.VC01
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='HierarchyObjRef=="%s"' % other)
    em_http.expect_logoff()
    result = run({'vms': [other]})
    assert result['sessions'] == []
    assert any('knows no name for it' in text and other in text for text in warning_texts(result))


@pytest.mark.parametrize('casing, bom', [('camel', False), ('camel', True), ('pascal', True)])
def test_em13_camel_case_and_bom(em_http, casing, bom):
    em_http.expect_logon()
    expect_runs(em_http, [sim.run(1, result='Warning')], [], casing=casing, bom=bom)
    em_http.expect_logoff()
    (session,) = run({})['sessions']
    assert session['result'] == 'Warning' and session['job']['name'] == 'Daily VM Backup' and session['backup_server'] == 'vbr01.lab.local'
    assert session['duration_seconds'] == 1479


def test_agent_sessions_keep_their_own_job_uid(em_http):
    agent = agent_job()
    session = sim.run(1, agent)
    session['JobUid'] = agent['UID']  # runs of agent jobs carry the job's own UID [I: sessions.md]
    em_http.expect_logon()
    expect_runs(em_http, [session], [])
    em_http.expect_logoff()
    (session,) = run({})['sessions']
    assert session['job'] == {'name': 'Windows Servers Backup', 'id': agent['UID'].rsplit(':', 1)[-1], 'uid': agent['UID'],
                              'type': 'AgentBackup'}


def test_check_mode_reads_the_same(em_http):
    em_http.expect_logon()
    expect_runs(em_http, [sim.run(1)], [])
    em_http.expect_logoff()
    result = run({}, check_mode=True)
    assert result['changed'] is False and [session['id'] for session in result['sessions']] == [sim.run_id(1)]


@pytest.mark.parametrize('args, message', [
    ({'since': 'last week'}, "Invalid value for option since: 'last week'"),
    ({'result': ['failed']}, 'value of result must be one or more of: Success, Warning, Failed, None'),
    ({'state': ['Running']}, 'value of state must be one or more of'),
    ({'limit': 0}, 'Invalid value for option limit: 0'),
    ({'jobs': ['']}, "Invalid entry in option jobs: ''"),
    ({'vms': ['urn:VMware:Tag:x.y']}, 'Invalid VM reference in option vms'),
    ({'query': '[?result=='}, 'Invalid JMESPath expression in option query'),
])
def test_bad_options_fail_before_any_request(em_http, args, message):
    result = run(args)
    assert result['failed'] is True and message in result['msg'], result
    assert em_http.calls == []


def test_an_error_of_enterprise_manager_is_a_clean_failure_after_logoff(em_http):
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', error_response(400, 'Unknown field "JobName".'), **SORT)
    em_http.expect_logoff()
    result = run({})
    assert result['failed'] is True and result['status'] == 400 and 'Unknown field' in result['msg']
    assert 'exception' not in result
