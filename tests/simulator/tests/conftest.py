# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: one simulator per test session, served over real HTTPS on 127.0.0.1, reset before each test.

Run with ``PYTHONPATH=tests/simulator python -m pytest tests/simulator/tests``.
"""

from __future__ import annotations

import base64
import json
import time
from http.cookiejar import DefaultCookiePolicy
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from em_simulator.app import App
from em_simulator.config import Config
from em_simulator.scenario import read_scenario
from em_simulator.server import SimServer, serve_in_thread
from em_simulator.tls import make_certificates, server_context

HERE = Path(__file__).resolve().parent
LAB = HERE.parent / 'scenarios' / 'lab.yml'
FIXTURES = HERE / 'fixtures'

ADMIN = ('LAB\\svc-ansible', 'Ansible:Pa&ss=wörd')
PORTAL_USER = ('LAB\\portal-user', 'PortalUser!1')
RESTORE_OPERATOR = ('LAB\\restore-op', 'Restore!1')

DAILY = '47752464-8e77-407a-a936-132173ac15f5'
DAILY_RUNS = 11  # past runs of Daily VM Backup in the lab estate (history)
REPLICA = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
OFFSITE = '45dc56b3-d9dd-4d71-babb-15e8894597e7'
AGENT_JOB = 'e99db98b-0827-404d-9457-33d618a76497'
NAS_JOB = '15e8ca67-f709-43c6-9794-e12fe1a5beb8'
VBR01 = 'af37938e-191c-4df1-891e-3a49c7a3bec7'
VC01 = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
WEB01_REF = f'urn:VMware:Vm:{VC01}.vm-1042'

# fast simulated time for the suite: a 4 s run takes 0.2 s
TEST_CONFIG = Config(time_speed=20.0, task_duration=1.0, run_duration=2.0)


def basic(credentials) -> str:
    """Basic credentials encoded as UTF-8 [O: vem]."""
    return 'Basic ' + base64.b64encode(':'.join(credentials).encode('utf-8')).decode('ascii')


def wait_for(predicate, timeout=8.0, interval=0.02, what='condition'):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f'timed out waiting for {what}')
        time.sleep(interval)


def wait_until(fetch, accept, timeout=8.0, what='condition'):
    """Poll ``fetch()`` until ``accept(value)`` holds; returns that value."""
    found = []

    def check():
        value = fetch()
        if accept(value):
            found.append(value)
            return True
        return False
    wait_for(check, timeout, what=what)
    return found[-1]


class Client:
    """A logged-on client: sends the token header, negotiates ``media`` (json or xml)."""

    def __init__(self, sim, token, session_id, media='json'):
        self.sim = sim
        self.token = token
        self.session_id = session_id
        self.media = media

    def headers(self, extra=None, media=None):
        media = media or self.media
        headers = {'X-RestSvcSessionId': self.token, 'Accept': f'application/{media}'}
        headers.update(extra or {})
        return headers

    def request(self, method, path, body=None, media=None, headers=None, **kwargs):
        url = path if path.startswith('http') else self.sim.api + path
        data = body
        extra = dict(headers or {})
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode('utf-8')
            extra.setdefault('Content-Type', 'application/json')
        elif isinstance(body, str):
            data = body.encode('utf-8')
            extra.setdefault('Content-Type', 'application/xml')
        return self.sim.http.request(method, url, data=data, headers=self.headers(extra, media), verify=self.sim.ca_path, **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def json(self, path, expect=200):
        response = self.get(path, media='json')
        assert response.status_code == expect, response.text
        return response.json()

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body, **kwargs)

    def action(self, path, body=None, expect=202):
        response = self.post(path, body, media='json')
        assert response.status_code == expect, response.text
        return response.json()

    def wait_task(self, task, state='Finished'):
        href = task['Href']
        return wait_until(lambda: self.json(href), lambda current: current['State'] == state, what=f'task {task["TaskId"]} to reach {state}')

    def logoff(self):
        return self.request('DELETE', f'/logonSessions/{self.session_id}')


class Sim:
    def __init__(self, app, server, ca_path):
        self.app = app
        self.server = server
        self.ca_path = ca_path
        self.url = f'https://127.0.0.1:{server.server_address[1]}'
        self.api = self.url + '/api'
        self.http = requests.Session()
        self.http.trust_env = False  # REQUESTS_CA_BUNDLE would override verify=
        # no cookie jar: each Client sends its own token; the logon cookie would win over it [D]
        self.http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def control(self, method, path, body=None, expect=200):
        response = self.http.request(method, f'{self.url}/_sim{path}', json=body, verify=self.ca_path)
        assert response.status_code == expect, response.text
        return response.json()

    def raw(self, method, path, **kwargs):
        url = path if path.startswith('http') else self.url + path
        kwargs.setdefault('verify', self.ca_path)
        return self.http.request(method, url, **kwargs)

    def logon(self, credentials=ADMIN, media='json', version='latest') -> Client:
        response = self.raw('POST', f'/api/sessionMngr/?v={version}', headers={'Authorization': basic(credentials), 'Accept': f'application/{media}'})
        assert response.status_code == 201, response.text
        token = response.headers['X-RestSvcSessionId']
        session_id = _json_session_id(response.json()) if media == 'json' else _xml_session_id(response.content)
        return Client(self, token, session_id, media)


def _json_session_id(body: dict) -> str:
    return body.get('SessionId') or body['sessionId']  # EM 12 or EM 13 casing


def _xml_session_id(content: bytes) -> str:
    return ET.fromstring(content).find('{http://www.veeam.com/ent/v1.0}SessionId').text


@pytest.fixture(scope='session')
def sim_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp('em-sim')
    ca_pem, chain_pem, key_pem = make_certificates()
    ca_path = folder / 'ca.pem'
    ca_path.write_bytes(ca_pem)
    app = App(lambda: read_scenario(str(LAB)), TEST_CONFIG)
    server = SimServer(app, 0, server_context(chain_pem, key_pem))
    serve_in_thread(server)
    yield Sim(app, server, str(ca_path))
    server.shutdown()
    server.server_close()


@pytest.fixture
def sim(sim_server):
    sim_server.control('POST', '/reset')
    sim_server.app.logons.expire()
    return sim_server


@pytest.fixture
def admin(sim):
    return sim.logon(ADMIN)


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding='utf-8')


def fixture_json(name: str):
    return json.loads(fixture_text(name))
