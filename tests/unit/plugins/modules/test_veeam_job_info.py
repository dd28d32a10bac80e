# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_job_info: the module run in-process against scripted Enterprise Manager exchanges."""

from __future__ import annotations

import json

import pytest

from ansible_collections.veeamops.em.plugins.module_utils import _jmespath
from ansible_collections.veeamops.em.plugins.modules import veeam_job_info
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, TOKEN, USERNAME, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR02, job_entity, query_page, session_entity
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD}
DAILY_ID = '47752464-8e77-407a-a936-132173ac15f5'
REPLICA_ID = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
COPY_ID = '45dc56b3-d9dd-4d71-babb-15e8894597e7'
DAILY = job_entity()
REPLICA = job_entity('SQL Replica', REPLICA_ID, 'Replica')
COPY = job_entity('Offsite Copy', COPY_ID, 'ImmediateBackupCopy', platform='CustomPlatform', next_run=None)
IDLE = job_entity('Archive', '55555555-5555-4555-8555-555555555555', schedule_enabled=False, next_run=None)


def run(args, check_mode=False):
    return run_module(veeam_job_info.main, dict(ARGS, **args), check_mode)


def expect_jobs(em_http, jobs, filter_text=None, casing='pascal', bom=False):
    kwargs = {} if filter_text is None else {'filter_text': filter_text}
    em_http.expect_query('Job', json_response(query_page('Job', jobs), casing=casing, bom=bom), sort_asc='Name', **kwargs)


def test_all_jobs_take_three_requests(em_http):
    em_http.expect_logon()
    expect_jobs(em_http, [REPLICA, DAILY, COPY])
    em_http.expect_logoff()
    result = run({})
    assert result['changed'] is False and 'failed' not in result
    assert [job['name'] for job in result['jobs']] == ['Daily VM Backup', 'Offsite Copy', 'SQL Replica']
    daily = result['jobs'][0]
    assert daily == {
        'name': 'Daily VM Backup', 'id': DAILY_ID, 'uid': 'urn:veeam:Job:' + DAILY_ID, 'job_type': 'Backup', 'platform': 'VMware',
        'description': 'Nightly backup of production VMs',
        'backup_server': {'name': 'vbr01.lab.local', 'id': 'af37938e-191c-4df1-891e-3a49c7a3bec7',
                          'uid': 'urn:veeam:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7'},
        'schedule_configured': True, 'schedule_enabled': True, 'next_run': '2026-03-02T21:00:00Z',
        'href': EM + '/api/jobs/%s?format=Entity' % DAILY_ID, 'job_kind': 'vm'}
    assert len(em_http.calls) == 3


def test_filters_go_to_the_query_service(em_http):
    expected = ('(Name=="Daily VM Backup",Name==Archive);UID=="urn:veeam:Job:%s";JobType==Backup;Platform==VMware;'
                'BackupServerName=="vbr01.lab.local";ScheduleEnabled==true' % DAILY_ID)
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY], expected)
    em_http.expect_logoff()
    result = run({'name': ['Daily VM Backup', 'Archive'], 'id': DAILY_ID, 'job_type': 'Backup', 'platform': 'VMware',
                  'backup_server': 'vbr01.lab.local', 'schedule_enabled': True})
    assert [job['id'] for job in result['jobs']] == [DAILY_ID]


def test_a_name_with_commas_is_one_name(em_http):
    tricky = job_entity('Finance "Q4" & Payroll, Backup; Zürich', '66666666-6666-4666-8666-666666666666')
    em_http.expect_logon()
    expect_jobs(em_http, [tricky], 'Name=="Finance ""Q4"" & Payroll, Backup; Zürich"')
    em_http.expect_logoff()
    result = run({'name': 'Finance "Q4" & Payroll, Backup; Zürich'})
    assert [job['name'] for job in result['jobs']] == ['Finance "Q4" & Payroll, Backup; Zürich']


def test_same_name_on_two_backup_servers_is_sorted_by_server(em_http):
    twin = job_entity(job_id='22222222-2222-4222-8222-222222222222', server=VBR02)
    em_http.expect_logon()
    expect_jobs(em_http, [twin, DAILY], 'Name=="Daily VM Backup"')
    em_http.expect_logoff()
    result = run({'name': 'Daily VM Backup'})
    assert [job['backup_server']['name'] for job in result['jobs']] == ['vbr01.lab.local', 'vbr02.lab.local']


def test_every_detail_costs_one_query_per_session_type(em_http):
    sessions = [session_entity(DAILY, 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', result='Warning'),
                session_entity(DAILY, '0451d7ce-1fae-42a5-993a-ccb6267dd49e', result='Failed', created='2026-02-28T21:00:08.913Z')]
    replica_sessions = [session_entity(REPLICA, '61000000-0000-4000-8000-000000000001', 'Working', 'None', ended=None, progress=12)]
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY, REPLICA, COPY, IDLE])
    em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', sessions, page_size=500)),
                         filter_text=','.join('JobUid=="%s"' % job['UID'] for job in (DAILY, COPY, IDLE)),
                         sort_desc='CreationTime', page_size=500)
    em_http.expect_query('ReplicaJobSession', json_response(query_page('ReplicaJobSession', replica_sessions, page_size=500)),
                         filter_text='JobUid=="%s"' % REPLICA['UID'], sort_desc='CreationTime', page_size=500)
    em_http.expect_logoff()
    result = run({'details': ['schedule', 'includes', 'last_session', 'raw']})
    assert len(em_http.calls) == 5
    jobs = {job['name']: job for job in result['jobs']}
    daily = jobs['Daily VM Backup']
    assert daily['last_session']['result'] == 'Warning' and daily['last_session']['running'] is False
    assert daily['schedule']['trigger'] == 'daily' and daily['schedule']['retry']['times'] == 3
    assert [item['object_ref'] for item in daily['includes']] == ['vm-1042', 'group-v2101']
    assert [item['object_type'] for item in daily['includes']] == ['Vm', 'Folder']
    assert daily['linked_jobs'] == [] and daily['raw']['job_info']['backup_job_info']['includes']['object_in_jobs'][0]['name'] == 'web01'
    replica = jobs['SQL Replica']['last_session']
    assert replica['running'] is True and replica['result'] is None and replica['progress'] == 12 and replica['end_time'] is None
    assert jobs['Offsite Copy']['includes'] == [] and jobs['Offsite Copy']['linked_jobs'][0]['job_id'] == DAILY_ID
    assert jobs['Offsite Copy']['schedule']['mode'] == 'immediate_copy'
    assert jobs['Archive']['last_session'] is None


def test_query_result(em_http):
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY, IDLE, REPLICA])
    em_http.expect_logoff()
    result = run({'query': '[?schedule_enabled].{name: name, next_run: next_run}'})
    assert result['query_result'] == [{'name': 'Daily VM Backup', 'next_run': '2026-03-02T21:00:00Z'},
                                      {'name': 'SQL Replica', 'next_run': '2026-03-02T21:00:00Z'}]
    assert len(result['jobs']) == 3


@pytest.mark.parametrize('expression, reason', [('abs(@)', 'invalid type for value'), ('[::0]', 'slice step cannot be zero')])
def test_query_that_fails_on_the_jobs_is_a_clean_failure(em_http, expression, reason):
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY])
    em_http.expect_logoff()
    result = run({'query': expression})
    assert result['failed'] is True and result['error_kind'] == 'input', result
    assert result['msg'].startswith('The JMESPath expression in option query failed on the job list') and reason in result['msg']


def test_bad_query_fails_before_any_request(em_http):
    result = run({'query': '[?schedule_enabled'})
    assert result['failed'] is True and result['msg'].startswith('Invalid JMESPath expression in option query (')
    assert em_http.calls == []


def test_query_needs_jmespath(em_http, monkeypatch):
    monkeypatch.setattr(_jmespath, 'HAS_JMESPATH', False)
    result = run({'query': 'length(@)'})
    assert result['failed'] is True and 'jmespath' in result['msg'] and em_http.calls == []


def test_check_mode_returns_the_same_facts(em_http):
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY])
    em_http.expect_logoff()
    result = run({}, check_mode=True)
    assert result['changed'] is False and result['jobs'][0]['id'] == DAILY_ID


@pytest.mark.parametrize('casing, bom', [('camel', False), ('pascal', True), ('camel', True)])
def test_em13_casing_and_bom_give_the_same_result(em_http, casing, bom):
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY, COPY])
    em_http.expect_logoff()
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY, COPY], casing=casing, bom=bom)
    em_http.expect_logoff()
    args = {'details': ['schedule', 'includes']}
    pascal, other = run(args), run(args)
    assert pascal == other and pascal['jobs'][0]['includes'][0]['name'] == 'web01'


def test_paged_job_list(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(query_page('Job', [DAILY], 1, 2)), sort_asc='Name')
    em_http.expect_get('/api/query', json_response(query_page('Job', [REPLICA], 2, 2)))
    em_http.expect_logoff()
    assert [job['name'] for job in run({})['jobs']] == ['Daily VM Backup', 'SQL Replica']


def test_no_match_is_an_empty_list(em_http):
    em_http.expect_logon()
    expect_jobs(em_http, [], 'Name==Nothing')
    em_http.expect_logoff()
    assert run({'name': 'Nothing'})['jobs'] == []


def test_logon_refused_fails_cleanly(em_http):
    em_http.expect_logon(response=error_response(401))
    result = run({})
    assert result['failed'] is True and result['error_kind'] == 'auth' and result['status'] == 401
    assert result['msg'].startswith('Logon to Enterprise Manager failed: POST %s/api/sessionMngr/?v=latest returned HTTP 401.' % EM)
    assert PASSWORD not in json.dumps(result)


def test_portal_user_gets_the_role_hint_and_is_logged_off(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_logoff()
    result = run({})
    assert result['failed'] is True and result['error_kind'] == 'permission' and 'Portal Administrator' in result['msg']
    assert result['url'].startswith(EM + '/api/query?type=Job&format=Entities')
    assert em_http.calls[-1].method == 'DELETE'
    output = json.dumps(result)
    assert PASSWORD not in output and TOKEN not in output


def test_connection_options_from_the_environment(em_http, monkeypatch):
    monkeypatch.setenv('VEEAM_EM_URL', EM)
    monkeypatch.setenv('VEEAM_EM_USERNAME', USERNAME)
    monkeypatch.setenv('VEEAM_EM_PASSWORD', PASSWORD)
    monkeypatch.setenv('VEEAM_EM_TIMEOUT', '9')
    em_http.expect_logon()
    expect_jobs(em_http, [DAILY], 'Name=="Daily VM Backup"')
    em_http.expect_logoff()
    result = run_module(veeam_job_info.main, {'name': 'Daily VM Backup'})
    assert result['jobs'][0]['name'] == 'Daily VM Backup'
    assert {call.timeout for call in em_http.calls} == {9.0}


def test_invalid_choice_is_rejected_by_ansible(em_http):
    result = run({'details': ['everything']})
    assert result['failed'] is True and 'details' in result['msg'] and em_http.calls == []
