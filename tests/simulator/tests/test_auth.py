# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logon, logoff, tokens, idle expiry, roles [auth.md]."""

from __future__ import annotations

import base64
import time

import pytest

from em_simulator.config import Config
from em_simulator.sim import Simulation

from conftest import ADMIN, DAILY, PORTAL_USER, RESTORE_OPERATOR, basic


def logon_response(sim, credentials=ADMIN, version='latest', accept='application/json', authorization=None):
    return sim.raw('POST', f'/api/sessionMngr/?v={version}',
                   headers={'Authorization': authorization or basic(credentials), 'Accept': accept})


def test_root_needs_no_logon_and_lists_versions(sim):
    response = sim.raw('GET', '/api/', headers={'Accept': 'application/json'})
    assert response.status_code == 200
    body = response.json()
    assert [item['Name'] for item in body['SupportedVersions']['SupportedVersions']] == ['v1_5', 'v1_6', 'v1_7']
    assert body['Href'] is None and body['Type'] is None
    assert {link['Rel'] for link in body['Links']} == {'Down', 'Create'}


def test_logon_returns_token_cookie_and_session(sim):
    response = logon_response(sim)
    assert response.status_code == 201
    token = response.headers['X-RestSvcSessionId']
    assert len(base64.b64decode(token)) == 16
    assert response.headers['Set-Cookie'] == f'X-RestSvcSessionId={token}; Path=/api;'
    body = response.json()
    assert body['UserName'] == 'LAB\\svc-ansible'
    assert body['SessionId'] not in token and base64.b64decode(token) != body['SessionId'].encode()
    assert body['Links'][-1] == {'Rel': 'Delete', 'Href': f'{sim.api}/logonSessions/{body["SessionId"]}', 'Name': None, 'Type': None}
    assert response.headers['Server'] == 'Microsoft-HTTPAPI/2.0'


@pytest.mark.parametrize('version', ['v1_7', 'v1_6', 'v1_5', 'latest'])
def test_logon_versions(sim, version):
    assert logon_response(sim, version=version).status_code == 201


def test_logon_unknown_version_is_400(sim):
    response = logon_response(sim, version='v9_9')
    assert response.status_code == 400
    assert 'v9_9' in response.json()['Message']


@pytest.mark.parametrize('authorization', [
    basic(('LAB\\svc-ansible', 'wrong')),
    basic(('LAB\\nobody', 'Ansible:Pa&ss=wörd')),
    'Basic ' + base64.b64encode('LAB\\svc-ansible:Ansible:Pa&ss=wörd'.encode('latin-1')).decode(),  # not UTF-8
    'Basic not-base64!',
    'Bearer abc',
])
def test_bad_credentials_are_401_with_realm(sim, authorization):
    response = logon_response(sim, authorization=authorization)
    assert response.status_code == 401
    assert response.headers['WWW-Authenticate'] == 'Basic Realm=RestSvc'
    assert response.json()['StatusCode'] == 401


def test_account_without_an_em_role_is_refused_like_bad_credentials(sim):
    response = logon_response(sim, ('LAB\\no-role', 'NoRole!1'))
    assert response.status_code == 401 and response.headers['WWW-Authenticate'] == 'Basic Realm=RestSvc'
    assert 'no Enterprise Manager role' in response.json()['Message']
    assert sim.control('GET', '/logon_sessions')['open'] == 0


@pytest.mark.parametrize('entry, roles', [
    ({'roles': []}, set()), ({'role': None}, set()), ({'roles': None}, set()), ({}, {'PortalAdministrator'}),
    ({'role': 'portal user'}, {'PortalUser'}), ({'roles': ['PortalUser', 'RestoreOperator']}, {'PortalUser', 'RestoreOperator'}),
])
def test_scenario_roles(entry, roles):
    sim = Simulation(Config())
    sim.load({'accounts': [dict(entry, username='LAB\\x', password='p')]})
    assert set(sim.estate.accounts['lab\\x'].roles) == roles


def test_missing_credentials_are_401(sim):
    response = sim.raw('POST', '/api/sessionMngr/?v=latest', headers={'Accept': 'application/json'})
    assert response.status_code == 401
    assert response.headers['WWW-Authenticate'] == 'Basic Realm=RestSvc'


def test_password_colon_ampersand_and_non_ascii(sim):
    client = sim.logon(ADMIN)
    assert client.json('/logonSessions')['LogonSessions'][0]['UserName'] == ADMIN[0]


def test_user_name_is_case_insensitive(sim):
    assert logon_response(sim, ('lab\\SVC-ANSIBLE', ADMIN[1])).status_code == 201
    assert logon_response(sim, (ADMIN[0], ADMIN[1].upper())).status_code == 401


@pytest.mark.parametrize('path', ['/api/jobs', '/api/query?type=Job', '/api/tasks', '/api/no/such/path', '/api/logonSessions'])
def test_every_path_but_root_and_logon_needs_a_token(sim, path):
    response = sim.raw('GET', path, headers={'Accept': 'application/json'})
    assert response.status_code == 401
    body = response.json()
    assert body['StatusCode'] == 401 and body['Message']


def test_unknown_token_is_401(sim):
    response = sim.raw('GET', '/api/jobs', headers={'X-RestSvcSessionId': 'AAAAAAAAAAAAAAAAAAAAAA==', 'Accept': 'application/json'})
    assert response.status_code == 401


def test_cookie_wins_over_header(sim):
    admin = sim.logon(ADMIN)
    user = sim.logon(PORTAL_USER)
    headers = {'X-RestSvcSessionId': user.token, 'Cookie': f'X-RestSvcSessionId={admin.token}', 'Accept': 'application/json'}
    assert sim.raw('GET', '/api/jobs', headers=headers).status_code == 200
    headers['Cookie'] = f'X-RestSvcSessionId={user.token}'
    headers['X-RestSvcSessionId'] = admin.token
    assert sim.raw('GET', '/api/jobs', headers=headers).status_code == 403


def test_logoff_then_token_is_rejected(sim):
    client = sim.logon()
    assert client.logoff().status_code == 204
    assert client.get('/jobs').status_code == 401
    assert sim.control('GET', '/logon_sessions')['open'] == 0


def test_logon_sessions_list_holds_only_the_callers_session(sim):
    first = sim.logon()
    sim.logon()
    sessions = first.json('/logonSessions')['LogonSessions']
    assert [item['SessionId'] for item in sessions] == [first.session_id]
    assert first.json(f'/logonSessions/{first.session_id}')['SessionId'] == first.session_id


def test_unknown_logon_session_is_500_and_foreign_one_403(sim):
    first = sim.logon()
    second = sim.logon(PORTAL_USER)
    response = first.get('/logonSessions/00000000-0000-0000-0000-000000000000')
    assert response.status_code == 500
    assert response.json()['Message'] == 'Object reference not set to an instance of an object.'
    assert first.get(f'/logonSessions/{second.session_id}').status_code == 403
    assert first.request('DELETE', f'/logonSessions/{second.session_id}').status_code == 403


def test_idle_expiry_is_sliding(sim):
    sim.control('POST', '/config', {'idle_timeout': 0.4})
    client = sim.logon()
    for _repeat in range(3):
        time.sleep(0.2)
        assert client.get('/jobs').status_code == 200  # each request restarts the idle timer
    time.sleep(0.6)
    response = client.get('/jobs')
    assert response.status_code == 401
    assert response.json()['Message']
    assert sim.raw('GET', '/api/', headers={'Accept': 'application/json'}).status_code == 200


def test_expired_session_loses_its_tasks(sim):
    client = sim.logon()
    task = client.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')
    sim.control('POST', '/expire_sessions', {'session_id': client.session_id})
    again = sim.logon()
    assert again.get(task['Href']).status_code == 500


@pytest.mark.parametrize('credentials, path, status', [
    (PORTAL_USER, '/jobs', 403),
    (PORTAL_USER, f'/jobs/{DAILY}?format=Entity', 403),
    (PORTAL_USER, '/agents/jobs', 403),
    (PORTAL_USER, '/nas/jobs', 403),
    (PORTAL_USER, '/query?type=Job', 403),
    (PORTAL_USER, '/query?type=ObjectInJob', 403),
    (PORTAL_USER, '/query?type=BackupJobSession', 200),
    (PORTAL_USER, '/backupSessions', 200),
    (PORTAL_USER, '/backupServers', 200),
    (PORTAL_USER, '/hierarchyRoots', 200),
    (PORTAL_USER, '/lookupSvc', 200),
    (PORTAL_USER, '/tasks', 200),
    (RESTORE_OPERATOR, '/backupSessions', 403),
    (RESTORE_OPERATOR, '/backupServers', 403),
    (RESTORE_OPERATOR, '/query?type=BackupJobSession', 403),
    (RESTORE_OPERATOR, '/query?type=Task', 200),
    (RESTORE_OPERATOR, '/tasks', 200),
])
def test_permission_table(sim, credentials, path, status):
    response = sim.logon(credentials).get(path)
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()['Message'] == 'Access denied.'


def test_portal_user_may_not_act_on_jobs_or_stop_sessions(sim):
    user = sim.logon(PORTAL_USER)
    assert user.post(f'/jobs/{DAILY}?action=start').status_code == 403
    assert user.post('/backupSessions/a8cafc11-2a5a-46a4-87f8-48b2d78d0d16?action=stop').status_code == 403
    assert sim.control('GET', f'/jobs/{DAILY}')['counts']['start'] == 0


def test_logon_links_depend_on_roles(sim):
    def links(credentials):
        response = logon_response(sim, credentials)
        return {link['Href'].split('/api', 1)[1] for link in response.json()['Links']}
    admin, user, operator = links(ADMIN), links(PORTAL_USER), links(RESTORE_OPERATOR)
    assert '/jobs' in admin and '/jobs' not in user and '/jobs' not in operator
    assert '/backupSessions' in user and '/backupSessions' not in operator
    assert '/tasks' in operator and '/querySvc' in operator
    assert len(admin) > len(user) > len(operator)
