# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_em failures: one actionable AnsibleError line, never the password, logoff whenever a logon happened."""

from __future__ import annotations

import base64

import pytest

from ansible.errors import AnsibleError

from ansible_collections.veeamops.em.plugins.inventory import veeam_em
from ansible_collections.veeamops.em.tests.unit.plugins.inventory import inventory_estate as estate
from ansible_collections.veeamops.em.tests.unit.plugins.inventory.inventory_runner import Warnings, load_plugin, parse, write_config
from ansible_collections.veeamops.em.tests.unit.utils import em_http as scripted
from ansible_collections.veeamops.em.tests.unit.utils.em_http import FakeResponse, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import query_page

LOGON_URL = 'POST https://em01.lab.local:9398/api/sessionMngr/?v=latest'
SECRETS = (scripted.PASSWORD, scripted.TOKEN, base64.b64encode(('%s:%s' % (scripted.USERNAME, scripted.PASSWORD)).encode('utf-8')).decode('ascii'))


@pytest.fixture(autouse=True)
def warnings(monkeypatch):
    recorder = Warnings()
    monkeypatch.setattr(load_plugin().display, 'warning', recorder)
    return recorder


def failure(tmp_path, **options):
    with pytest.raises(AnsibleError) as caught:
        parse(write_config(tmp_path, **options))
    message = str(caught.value)
    assert message.startswith('veeam_em inventory %s: ' % (tmp_path / 'lab.veeam_em.yml'))
    assert '\n' not in message and 'Traceback' not in message
    assert not any(secret in message for secret in SECRETS)
    return message


def test_unreachable(em_http, tmp_path):
    for _attempt in range(4):
        em_http.expect_logon(raises=scripted.connection_refused())
    message = failure(tmp_path)
    assert 'Cannot connect to Enterprise Manager: %s' % LOGON_URL in message and 'Connection refused' in message
    assert 'Likely fix: check the host name and port in url' in message and em_http.sleeps == [0.5, 1.0, 2.0]


def test_bad_credentials(em_http, tmp_path):
    em_http.expect_logon(response=error_response(401, headers={'WWW-Authenticate': 'Basic Realm=RestSvc'}))
    message = failure(tmp_path)
    assert 'Logon to Enterprise Manager failed: %s returned HTTP 401' % LOGON_URL in message
    assert 'Likely fix: check username and password' in message


def test_role_without_job_visibility(em_http, tmp_path):
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', json_response(estate.roots_page(estate.ROOTS)), sort_asc='Name')
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_logoff()
    message = failure(tmp_path)
    assert 'Enterprise Manager denied access: GET https://em01.lab.local:9398/api/query?type=Job' in message
    assert 'returned HTTP 403' in message and 'Enterprise Manager says: Access denied.' in message
    assert 'Portal Administrator role' in message


def test_untrusted_certificate(em_http, tmp_path):
    em_http.expect_logon(raises=scripted.certificate_verify_failed())
    message = failure(tmp_path)
    assert 'TLS connection to Enterprise Manager failed' in message and 'CERTIFICATE_VERIFY_FAILED' in message
    assert 'set ca_path to the CA certificate' in message


def test_server_error_names_the_query(em_http, tmp_path):
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', error_response(500, 'Object reference not set to an instance of an object.'), sort_asc='Name')
    em_http.expect_logoff()
    message = failure(tmp_path)
    assert 'type=HierarchyRoot' in message and 'HTTP 500' in message and 'Object reference not set' in message


def test_paging_that_does_not_advance(em_http, tmp_path):
    page = query_page('Job', estate.JOBS[:1], page_num=1, pages_count=3, page_size=1000)
    estate.script_fetch(em_http, job_pages=[page, page]).expect_logoff()
    assert 'Query paging does not advance' in failure(tmp_path)


def test_bad_url_fails_before_any_request(em_http, tmp_path):
    message = failure(tmp_path, url='em01.lab.local:9398')
    assert 'Invalid value for option url' in message and em_http.calls == []


def test_missing_password(em_http, tmp_path, monkeypatch):
    monkeypatch.delenv('VEEAM_EM_PASSWORD', raising=False)
    text = 'plugin: veeamops.em.veeam_em\nurl: %s\nusername: admin\n' % scripted.EM
    with pytest.raises(AnsibleError, match='password'):
        parse(write_config(tmp_path, text=text))
    assert em_http.calls == []


def test_missing_requests(em_http, tmp_path, monkeypatch):
    monkeypatch.setattr(veeam_em, 'HAS_REQUESTS', False)
    assert 'needs the Python package requests' in failure(tmp_path)


def test_failed_logoff_is_a_warning(em_http, tmp_path, warnings):
    estate.script_fetch(em_http, jobs=[estate.REPLICA])
    em_http.expect('DELETE', '/api/logonSessions/%s' % scripted.SESSION_ID, {}, None, None, FakeResponse(500, b''))
    inventory, _plugin = parse(write_config(tmp_path))
    assert list(inventory.hosts) == ['db01']
    assert len(warnings) == 1 and warnings[0].startswith('veeam_em: ') and 'logonSessions' in warnings[0]


def test_malformed_reference_is_a_warning_and_listed_on_the_job_group(em_http, tmp_path, warnings):
    includes = [estate.include('urn:VMware:Vm:no-dot-here', 'odd01'), estate.include(estate.DB01, 'db01')]
    broken = estate.vm_job('Odd', '88888888-8888-4888-8888-888888888888', includes)
    estate.script_fetch(em_http, jobs=[broken]).expect_logoff()
    inventory, _plugin = parse(write_config(tmp_path))
    assert list(inventory.hosts) == ['db01']
    listed = inventory.groups['veeam_job_odd'].vars['veeam_container_includes']
    assert [(item['hierarchy_obj_ref'], item['object_type']) for item in listed] == [('urn:VMware:Vm:no-dot-here', None)]
    assert len(warnings) == 1 and 'urn:VMware:Vm:no-dot-here' in warnings[0] and 'Odd' in warnings[0]
