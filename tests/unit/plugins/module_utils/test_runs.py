# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_runs: runs addressed by their id, and the task sessions of many runs with one query per forty."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmBadResponseError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._runs import CHUNK, RunsApi, run_path, run_type
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import fixture_json, job_entity, query_page, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import task_session

JOB = job_entity()


def run_of(number, job=JOB):
    return session_entity(job, '00000000-0000-4000-8000-%012d' % number)


def test_runs_are_addressed_by_the_type_and_id_of_their_uid():
    backup = snake_keys(run_of(1))
    replica = snake_keys(session_entity(job_entity('SQL Replica', 'bc39ed6c-d173-4df1-aeec-87ac42b80657', 'Replica'), 'r1'))
    restore = snake_keys(fixture_json('restore-session-entity.json'))
    assert run_type(backup) == 'backupjobsession' and run_path(backup) == 'backupSessions/00000000-0000-4000-8000-000000000001'
    assert run_path(replica) == 'replicaSessions/r1' and run_path(restore) == 'restoreSessions/e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63'
    with pytest.raises(EmBadResponseError, match='not a backup, replica or restore session'):
        run_path({'uid': 'urn:veeam:Job:x'})


def test_task_sessions_of_many_runs_cost_one_query_per_forty(em_http, em_settings):
    runs = [run_of(number) for number in range(CHUNK + 1)]
    first = [task_session(runs[0]), task_session(runs[0], 'db01')]
    last = [task_session(runs[-1])]
    em_http.expect_logon()
    em_http.expect_query('BackupTaskSession', json_response(query_page('BackupTaskSession', first)),
                         filter_text=','.join('JobSessionUid=="%s"' % run['UID'] for run in runs[:CHUNK]), sort_asc='CreationTime', page_size=500)
    em_http.expect_query('BackupTaskSession', json_response(query_page('BackupTaskSession', last)),
                         filter_text='JobSessionUid=="%s"' % runs[-1]['UID'], sort_asc='CreationTime', page_size=500)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = RunsApi(em).task_sessions_of([snake_keys(run) for run in runs])
    assert [item['vm_display_name'] for item in found[runs[0]['UID'].lower()]] == ['web01', 'db01']
    assert len(found[runs[-1]['UID'].lower()]) == 1 and found[runs[1]['UID'].lower()] == []


def test_runs_by_uid_cost_one_query_per_forty(em_http, em_settings):
    runs = [run_of(number) for number in range(CHUNK + 1)]
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', [runs[1], run_of(99)])),
                         filter_text=','.join('UID=="%s"' % run['UID'] for run in runs[:CHUNK]), page_size=500)
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', [runs[-1]])), filter_text='UID=="%s"' % runs[-1]['UID'],
                         page_size=500)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = RunsApi(em).by_uids([run['UID'] for run in runs] + [runs[0]['UID'], None])
    # a run that was not asked for is left out, whatever the answer holds
    assert sorted(found) == sorted([runs[1]['UID'].lower(), runs[-1]['UID'].lower()])


def test_latest_run_by_job_name_and_backup_server(em_http, em_settings):
    other = job_entity('Nightly Backup', '9d1f3b5a-0000-4000-8000-000000000001', server=('vbr02.lab.local', '5f0b7c2e-9d41-4a8e-b3f6-2c7d9e1a4b58'))
    nightly = job_entity('Nightly Backup', '8c0e2a4f-0000-4000-8000-000000000001')
    newer_other = session_entity(other, '00000000-0000-4000-8000-000000000010', created='2026-03-02T10:00:00Z')
    for link in newer_other['Links']:
        if link['Type'] == 'BackupServerReference':
            link.update(Name='vbr02.lab.local', Href=link['Href'].replace('af37938e-191c-4df1-891e-3a49c7a3bec7', '5f0b7c2e-9d41-4a8e-b3f6-2c7d9e1a4b58'))
    older = session_entity(nightly, '00000000-0000-4000-8000-000000000011', created='2026-03-01T10:00:00Z')
    daily = session_entity(JOB, '00000000-0000-4000-8000-000000000012')
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', [newer_other, daily], pages_count=2)),
                         filter_text='(JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local"),'
                                     '(JobName=="Nightly Backup";BackupServerName=="vbr01.lab.local")', sort_desc='CreationTime', page_size=500)
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', [older])),
                         filter_text='JobName=="Nightly Backup";BackupServerName=="vbr01.lab.local"', sort_desc='CreationTime', page_size=500)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = RunsApi(em).latest_by_job_name([('Nightly Backup', 'vbr01.lab.local'), ('Daily VM Backup', 'vbr01.lab.local')])
    assert found[('nightly backup', 'vbr01.lab.local')]['uid'] == older['UID']
    assert found[('daily vm backup', 'vbr01.lab.local')]['uid'] == daily['UID'] and len(found) == 2


def test_latest_run_by_job_name_without_a_server_and_of_a_job_that_never_ran(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', [])),
                         filter_text='JobName==Gone', sort_desc='CreationTime', page_size=500)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        assert RunsApi(em).latest_by_job_name([('Gone', '')]) == {}
