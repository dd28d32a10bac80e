# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``/_sim/`` control and inspection API."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import DAILY, DAILY_RUNS, PORTAL_USER, wait_for


def test_health(sim):
    health = sim.control('GET', '/health')
    assert health['ok'] is True and health['counts']['jobs'] == 17 and health['counts']['backup_servers'] == 2
    assert health['time_speed'] == 20.0 and health['sim_time'].endswith('Z')


def test_logon_sessions_never_show_tokens(sim):
    admin = sim.logon()
    sim.logon(PORTAL_USER)
    response = sim.raw('GET', '/_sim/logon_sessions')
    assert admin.token not in response.text
    body = response.json()
    assert body['open'] == 2
    first = body['sessions'][0]
    assert set(first) == {'session_id', 'username', 'roles', 'api_version', 'created', 'last_used', 'tasks'}
    assert first['session_id'] == admin.session_id and first['username'] == 'LAB\\svc-ansible'
    admin.logoff()
    assert sim.control('GET', '/logon_sessions')['open'] == 1


def test_issued_tokens_lists_every_token_also_after_logoff_and_expiry(sim):
    first = sim.logon()
    second = sim.logon(PORTAL_USER)
    first.logoff()
    sim.control('POST', '/expire_sessions', {})
    third = sim.logon()
    tokens = sim.control('GET', '/issued_tokens')['tokens']
    assert tokens[-3:] == [first.token, second.token, third.token]
    assert len(set(tokens)) == len(tokens)
    assert sim.control('GET', '/logon_sessions')['open'] == 1


def test_request_log_templates_routes_and_skips_control_calls(sim):
    admin = sim.logon()
    admin.get(f'/jobs/{DAILY}?format=Entity')
    admin.get('/jobs/0451d7ce-1fae-42a5-993a-ccb6267dd49e')
    admin.post(f'/jobs/{DAILY}?action=toggleScheduleEnabled')
    admin.get('/query?type=Job')
    sim.control('GET', '/health')
    log = sim.control('GET', '/requests')
    assert log['total'] == 5
    assert log['by_route'] == {'POST /api/sessionMngr': 1, 'GET /api/jobs/{id}': 2, 'POST /api/jobs/{id}': 1, 'GET /api/query': 1}
    entry = log['log'][1]
    assert entry['method'] == 'GET' and entry['path'] == f'/api/jobs/{DAILY}' and entry['query'] == 'format=Entity'
    assert entry['status'] == 200 and entry['logon_session_id'] == admin.session_id and entry['time'].endswith('Z')
    assert log['log'][2]['status'] == 404
    assert len(sim.control('GET', '/requests?limit=2')['log']) == 2
    sim.control('DELETE', '/requests')
    assert sim.control('GET', '/requests') == {'total': 0, 'by_route': {}, 'log': []}


def test_unmatched_paths_count_as_unmatched(sim):
    sim.raw('GET', '/api/nothing/here')
    assert sim.control('GET', '/requests')['by_route'] == {'GET (unmatched)': 1}


def test_job_lookup_by_id_uid_name_and_server(sim):
    by_name = sim.control('GET', '/jobs/' + quote('Daily VM Backup'))
    assert by_name['id'] == DAILY and by_name['kind'] == 'vm' and by_name['job_type'] == 'Backup'
    assert by_name['last_result'] == 'Success' and by_name['running'] is False and by_name['schedule_enabled'] is True
    results = [session['result'] for session in by_name['sessions']]
    assert results[:3] == ['Success', 'Success', 'Failed'] and len(results) == DAILY_RUNS
    assert set(by_name['counts']) >= {'start', 'stop', 'retry', 'sync', 'toggle', 'edit', 'clone'}
    assert sim.control('GET', f'/jobs/urn:veeam:Job:{DAILY}')['name'] == 'Daily VM Backup'
    ambiguous = sim.control('GET', '/jobs/' + quote('Nightly Backup'), expect=409)
    assert len(ambiguous['candidates']) == 2
    chosen = sim.control('GET', '/jobs/' + quote('Nightly Backup') + '?backup_server=vbr02.lab.local')
    assert chosen['backup_server'] == 'vbr02.lab.local'
    sim.control('GET', '/jobs/nope', expect=404)
    kinds = {job['kind'] for job in sim.control('GET', '/jobs')['jobs']}
    assert kinds == {'vm', 'agent', 'nas'}


def test_outcome_queue(admin):
    sim = admin.sim
    queued = sim.control('POST', f'/jobs/{DAILY}/outcome', {'result': 'failed', 'duration': 1, 'runs': 2})
    assert queued['queued_outcomes'] == [{'result': 'Failed', 'duration': 1.0, 'runs': 2}]
    for expected in ('Failed', 'Failed', 'Success'):
        session = sim.control('POST', f'/jobs/{DAILY}/run', expect=201)
        done = wait_for(lambda sid=session['id']: next((item for item in sim.control('GET', f'/jobs/{DAILY}')['sessions']
                                                       if item['id'] == sid and item['state'] == 'Stopped'), None))
        assert done['result'] == expected


@pytest.mark.parametrize('body', [{'result': 'Maybe'}, {'runs': 0}, {'duration': -1}, {'duration': 'soon'}])
def test_outcome_validation(sim, body):
    assert 'error' in sim.control('POST', f'/jobs/{DAILY}/outcome', body, expect=400)


def test_config_roundtrip_and_validation(sim):
    assert sim.control('GET', '/config')['casing'] == 'pascal'
    changed = sim.control('POST', '/config', {'casing': 'camel', 'bom': True, 'run_duration': 3})
    assert changed['casing'] == 'camel' and changed['bom'] is True and changed['run_duration'] == 3.0
    for bad in ({'casing': 'snake'}, {'bom': 'yes'}, {'time_speed': 0}, {'colour': 1}):
        assert 'error' in sim.control('POST', '/config', bad, expect=400)
    sim.control('POST', '/reset')
    assert sim.control('GET', '/config')['casing'] == 'pascal'


def test_reset_restores_the_estate(admin):
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled'))
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['schedule_enabled'] is False
    admin.sim.control('POST', '/reset')
    after = admin.sim.control('GET', f'/jobs/{DAILY}')
    assert after['schedule_enabled'] is True and after['counts']['toggle'] == 0
    assert admin.json('/tasks')['Tasks'] == []  # the logon session survives, its tasks do not


def test_advance_moves_simulated_time(sim):
    before = sim.control('GET', '/health')['sim_time']
    after = sim.control('POST', '/advance', {'seconds': '2h'})['sim_time']
    assert after[:13] > before[:13] or after[:10] > before[:10]
    sim.control('POST', '/advance', {'seconds': 'never'}, expect=400)


def test_unknown_control_call_and_wrong_method(sim):
    assert 'calls' in sim.control('GET', '/nothing', expect=404)
    response = sim.raw('PUT', '/_sim/health')
    assert response.status_code == 405 and response.headers['Allow'] == 'GET'
