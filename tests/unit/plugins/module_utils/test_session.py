# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EmClient: logon/logoff on every path, headers, retries, re-logon, typed errors."""

from __future__ import annotations

import base64
from http.cookiejar import DefaultCookiePolicy

import pytest
import requests

from ansible_collections.veeamops.em.plugins.module_utils import _client
from ansible_collections.veeamops.em.plugins.module_utils._errors import (
    OUTCOME_NOT_ACCEPTED,
    OUTCOME_UNKNOWN,
    EmApiError,
    EmAuthError,
    EmBadResponseError,
    EmConnectionError,
    EmError,
    EmInputError,
    EmNotFoundError,
    EmPermissionError,
    EmTimeoutError,
    EmTlsError,
)
from ansible_collections.veeamops.em.plugins.module_utils._client import DEFAULT_RETRIES, EmClient
from ansible_collections.veeamops.em.plugins.module_utils._settings import EmSettings
from ansible_collections.veeamops.em.tests.unit.utils.em_http import (
    EM,
    PASSWORD,
    SESSION_ID,
    TOKEN,
    USERNAME,
    FakeResponse,
    certificate_verify_failed,
    connection_refused,
    connection_reset,
    basic_auth,
    error_response,
    json_response,
    logon_response,
    name_not_resolved,
    read_timeout,
    truncated_body,
)
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import fixture_bytes, fixture_json

JOBS_REFS = fixture_json('jobs-refs.json')
TOKEN2 = 'Q2hhbmdlZFRva2VuMTIzNA=='
SESSION_ID2 = '0d7c1f3e-5b7a-4f59-9a8e-3c2b1a0f9e8d'


def open_session(settings, sleep=None):
    return EmClient(settings, sleep=sleep or (lambda seconds: None))


def assert_secret_free(text):
    for secret in (PASSWORD, TOKEN, TOKEN2, base64.b64encode(('%s:%s' % (USERNAME, PASSWORD)).encode('utf-8')).decode()):
        assert secret not in text


# --- logon / logoff --------------------------------------------------------------------------------

def test_logon_get_logoff_sends_the_documented_requests(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', json_response(JOBS_REFS), params={})
    em_http.expect_logoff()

    with open_session(em_settings) as em:
        data = em.get('jobs')
        assert em.logon_session_id == SESSION_ID

    assert [ref['name'] for ref in data['refs']] == ['Daily VM Backup', 'SQL Replica', 'Offsite Copy']
    assert em_http.methods_and_paths() == [('POST', '/api/sessionMngr/'), ('GET', '/api/jobs'), ('DELETE', '/api/logonSessions/%s' % SESSION_ID)]
    logon, get, logoff = em_http.calls
    assert logon.sent_url == EM + '/api/sessionMngr/?v=latest'
    assert logon.data is None and 'X-RestSvcSessionId' not in logon.headers
    assert get.headers == {'Accept': 'application/json', 'X-RestSvcSessionId': TOKEN}
    assert logoff.headers['X-RestSvcSessionId'] == TOKEN
    assert all(call.verify is True and call.timeout == 60 and call.allow_redirects is False for call in em_http.calls)
    assert (em.request_count, em.logon_count, em.retry_count) == (3, 1, 0)
    assert em_http.closed and em.logon_session_id is None
    em_http.assert_done()


def test_credentials_are_utf8_and_keep_every_character(em_http):
    password = 'Ansible:Pa&ss=wörd;,"\' ünï'
    settings = EmSettings(EM, 'LAB\\svc-ansible', password)
    em_http.expect_logon(password=password)
    em_http.expect_logoff()
    with open_session(settings):
        pass
    header = em_http.calls[0].headers['Authorization']
    assert base64.b64decode(header[len('Basic '):]).decode('utf-8') == 'LAB\\svc-ansible:' + password


def test_api_version_is_sent_at_logon(em_http):
    settings = EmSettings(EM + '/api/', USERNAME, PASSWORD, api_version='v1_7')
    em_http.expect_logon(api_version='v1_7')
    em_http.expect_logoff()
    with open_session(settings):
        pass


def test_logoff_uses_the_body_session_id_not_the_token(em_http, em_settings):
    token_of_other_id = base64.b64encode(b'44cfbdbe-0000-4000-8000-000000000000').decode()
    em_http.expect_logon(response=logon_response(token=token_of_other_id, session_id=SESSION_ID2))
    em_http.expect_logoff(session_id=SESSION_ID2, token=token_of_other_id)
    with open_session(em_settings):
        pass


def test_logon_session_id_falls_back_to_the_delete_link(em_http, em_settings):
    body = fixture_json('logon-session.json')
    del body['SessionId']
    em_http.expect_logon(response=json_response(body, 201, {'X-RestSvcSessionId': TOKEN}))
    em_http.expect_logoff()
    with open_session(em_settings) as em:
        assert em.logon_session_id == SESSION_ID


def test_logon_with_camel_case_and_bom(em_http, em_settings):
    em_http.expect_logon(response=logon_response(casing='camel', bom=True))
    em_http.expect_logoff()
    with open_session(em_settings) as em:
        assert em.logon_session_id == SESSION_ID


def test_logon_401_names_credentials_and_roles_and_sends_no_logoff(em_http, em_settings):
    em_http.expect_logon(response=error_response(401, headers={'WWW-Authenticate': 'Basic Realm=RestSvc'}))
    with pytest.raises(EmAuthError) as caught:
        with open_session(em_settings):
            pytest.fail('the body must not run')
    text = str(caught.value)
    assert 'Logon to Enterprise Manager failed: POST %s/api/sessionMngr/?v=latest returned HTTP 401' % EM in text
    assert 'Portal Administrator' in text and 'username and password' in text
    assert caught.value.status == 401 and caught.value.method == 'POST'
    assert '\n' not in text
    assert_secret_free(text)
    assert len(em_http.calls) == 1 and em_http.closed


def test_logon_answer_without_token_is_a_bad_response(em_http, em_settings):
    em_http.expect_logon(response=json_response(fixture_json('logon-session.json'), 201))
    with pytest.raises(EmBadResponseError, match='no X-RestSvcSessionId header'):
        with open_session(em_settings):
            pass
    assert em_http.closed


def test_logon_answer_without_session_id_is_a_bad_response(em_http, em_settings):
    em_http.expect_logon(response=json_response({'UserName': USERNAME, 'Links': []}, 201, {'X-RestSvcSessionId': TOKEN}))
    with pytest.raises(EmBadResponseError, match='no SessionId'):
        with open_session(em_settings):
            pass


def test_connection_refused_at_logon_is_retried_then_reported(em_http, em_settings):
    delays = []
    for _attempt in range(4):
        em_http.expect_logon(raises=connection_refused())
    with pytest.raises(EmConnectionError) as caught:
        with open_session(em_settings, sleep=delays.append):
            pass
    assert delays == [0.5, 1.0, 2.0]
    text = str(caught.value)
    assert 'Cannot connect to Enterprise Manager' in text and '[Errno 111] Connection refused' in text and '9398' in text
    assert type(caught.value) is EmConnectionError  # pylint: disable=unidiomatic-typecheck


def test_unknown_host_name_gets_a_dns_hint(em_http, em_settings):
    for _attempt in range(4):
        em_http.expect_logon(raises=name_not_resolved())
    with pytest.raises(EmConnectionError, match='does not resolve'):
        with open_session(em_settings):
            pass


def test_tls_failure_is_not_retried_and_names_the_options(em_http, em_settings):
    em_http.expect_logon(raises=certificate_verify_failed())
    with pytest.raises(EmTlsError) as caught:
        with open_session(em_settings):
            pass
    text = str(caught.value)
    assert 'CERTIFICATE_VERIFY_FAILED' in text and 'ca_path' in text and 'validate_certs' in text
    assert len(em_http.calls) == 1


# --- errors inside the session: logoff always happens ------------------------------------------------

@pytest.mark.parametrize('status, error_type, expected', [
    (403, EmPermissionError, 'Portal Administrator role'),
    (404, EmNotFoundError, 'Enterprise Manager says: Job with id [00000000-0000-0000-0000-00000000beef] was not found.'),
    (400, EmApiError, 'Node [root] does not exist.'),
])
def test_http_errors_are_typed_and_logged_off(em_http, em_settings, status, error_type, expected):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs/00000000-0000-0000-0000-00000000beef', error_response(status))
    em_http.expect_logoff()
    with pytest.raises(error_type) as caught:
        with open_session(em_settings) as em:
            em.get('jobs/00000000-0000-0000-0000-00000000beef', params={'format': 'Entity'})
    assert expected in str(caught.value)
    assert caught.value.status == status and caught.value.url.startswith(EM + '/api/jobs/')
    assert em_http.calls[-1].method == 'DELETE'


def test_500_with_a_json_error_body_reports_em_message(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(500, 'Object reference not set to an instance of an object.'))
    em_http.expect_logoff()
    with pytest.raises(EmApiError) as caught:
        with open_session(em_settings) as em:
            em.get('jobs')
    assert caught.value.em_message == 'Object reference not set to an instance of an object.'
    assert str(caught.value).startswith('Enterprise Manager returned an error: GET %s/api/jobs returned HTTP 500. '
                                        'Enterprise Manager says: Object reference not set' % EM)


def test_500_with_an_xml_error_body_reports_em_message(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', FakeResponse(500, fixture_bytes('error-500.xml'), {'Content-Type': 'application/xml'}))
    em_http.expect_logoff()
    with pytest.raises(EmApiError) as caught:
        with open_session(em_settings) as em:
            em.get('jobs')
    assert caught.value.em_message == 'Object reference not set to an instance of an object.'


def test_camel_case_error_body(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(403, casing='camel'))
    em_http.expect_logoff()
    with pytest.raises(EmPermissionError) as caught:
        with open_session(em_settings) as em:
            em.get('jobs')
    assert caught.value.em_message == 'Access denied.'


def test_read_timeout_is_not_retried_and_logs_off(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', None, raises=read_timeout())
    em_http.expect_logoff()
    with pytest.raises(EmTimeoutError) as caught:
        with open_session(em_settings) as em:
            em.get('jobs')
    assert 'no complete answer within 60 seconds' in str(caught.value) and 'timeout option' in str(caught.value)


def test_keyboard_interrupt_in_the_body_still_logs_off(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_logoff()
    with pytest.raises(KeyboardInterrupt):
        with open_session(em_settings):
            raise KeyboardInterrupt()
    assert em_http.closed


def test_keyboard_interrupt_during_a_request_still_logs_off(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', None, raises=KeyboardInterrupt())
    em_http.expect_logoff()
    with pytest.raises(KeyboardInterrupt):
        with open_session(em_settings) as em:
            em.get('jobs')


def test_keyboard_interrupt_during_logon_closes_the_transport(em_http, em_settings):
    em_http.expect_logon(raises=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        with open_session(em_settings):
            pass
    assert em_http.closed and len(em_http.calls) == 1


def test_logoff_failure_never_masks_the_original_error(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(500, 'Boom'))
    for _attempt in range(DEFAULT_RETRIES + 1):
        em_http.expect_logoff(raises=connection_reset())
    with pytest.raises(EmApiError, match='Boom'):
        with open_session(em_settings) as em:
            em.get('jobs')
    assert isinstance(em.logoff_error, EmConnectionError)


def test_logoff_failure_after_success_is_recorded_not_raised(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_logoff(status=500)
    with open_session(em_settings) as em:
        pass
    assert isinstance(em.logoff_error, EmApiError) and em.logoff_error.status == 500


def test_logoff_401_means_already_gone(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_logoff(status=401)
    with open_session(em_settings) as em:
        pass
    assert em.logoff_error is None


# --- retries and re-logon ----------------------------------------------------------------------------

def test_get_is_retried_on_503_with_backoff(em_http, em_settings):
    delays = []
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(503, 'Service starting'))
    em_http.expect_get('/api/jobs', FakeResponse(502, b'<html>Bad gateway</html>'))
    em_http.expect_get('/api/jobs', json_response(JOBS_REFS))
    em_http.expect_logoff()
    with open_session(em_settings, sleep=delays.append) as em:
        assert len(em.get('jobs')['refs']) == 3
    assert delays == [0.5, 1.0]
    assert (em.request_count, em.retry_count) == (5, 2)


def test_retry_after_header_is_honoured_up_to_the_cap(em_http, em_settings):
    delays = []
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(503, 'Busy', headers={'Retry-After': '5'}))
    em_http.expect_get('/api/jobs', error_response(503, 'Busy', headers={'Retry-After': '120'}))
    em_http.expect_get('/api/jobs', json_response(JOBS_REFS))
    em_http.expect_logoff()
    with open_session(em_settings, sleep=delays.append) as em:
        em.get('jobs')
    assert delays == [5.0, 8.0]


def test_503_after_all_retries_fails_with_a_hint(em_http, em_settings):
    em_http.expect_logon()
    for _attempt in range(DEFAULT_RETRIES + 1):
        em_http.expect_get('/api/jobs', error_response(503, 'Service starting'))
    em_http.expect_logoff()
    with pytest.raises(EmApiError, match='starting or overloaded'):
        with open_session(em_settings) as em:
            em.get('jobs')


def test_cut_off_body_is_retried_for_get(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', None, raises=truncated_body())
    em_http.expect_get('/api/jobs', json_response(JOBS_REFS))
    em_http.expect_logoff()
    with open_session(em_settings) as em:
        assert len(em.get('jobs')['refs']) == 3


@pytest.mark.parametrize('answer, outcome', [
    ({'response': error_response(503, 'Busy')}, OUTCOME_UNKNOWN),
    ({'raises': connection_reset()}, OUTCOME_UNKNOWN),
    ({'raises': read_timeout()}, OUTCOME_UNKNOWN),
    ({'raises': connection_refused()}, OUTCOME_NOT_ACCEPTED),
    ({'response': error_response(400)}, OUTCOME_NOT_ACCEPTED),
])
def test_action_post_is_never_retried(em_http, em_settings, answer, outcome):
    delays = []
    path = '/api/jobs/47752464-8e77-407a-a936-132173ac15f5'
    em_http.expect_logon()
    em_http.expect('POST', path, {'action': 'start'}, **answer)
    em_http.expect_logoff()
    with pytest.raises(EmError) as caught:
        with open_session(em_settings, sleep=delays.append) as em:
            em.request('POST', 'jobs/47752464-8e77-407a-a936-132173ac15f5', params={'action': 'start'})
    assert delays == [] and [call.method for call in em_http.calls].count('POST') == 2  # logon + the action once
    assert caught.value.outcome == outcome
    assert outcome.split(';')[0].rstrip('.') in str(caught.value)


def test_get_401_relogs_on_once_and_repeats(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(401))
    em_http.expect_logon(response=logon_response(token=TOKEN2, session_id=SESSION_ID2))
    em_http.expect_get('/api/jobs', json_response(JOBS_REFS), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    with open_session(em_settings) as em:
        assert len(em.get('jobs')['refs']) == 3
        assert em.logon_count == 2


def test_get_401_twice_fails_after_one_relogon(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(401))
    em_http.expect_logon(response=logon_response(token=TOKEN2, session_id=SESSION_ID2))
    em_http.expect_get('/api/jobs', error_response(401), token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    with pytest.raises(EmAuthError, match='rejected the logon session'):
        with open_session(em_settings) as em:
            em.get('jobs')


def test_action_post_401_relogs_on_but_does_not_repeat(em_http, em_settings):
    path = '/api/jobs/47752464-8e77-407a-a936-132173ac15f5'
    em_http.expect_logon()
    em_http.expect('POST', path, {'action': 'start'}, response=error_response(401))
    em_http.expect_logon(response=logon_response(token=TOKEN2, session_id=SESSION_ID2))
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    with pytest.raises(EmAuthError) as caught:
        with open_session(em_settings) as em:
            em.request('POST', 'jobs/47752464-8e77-407a-a936-132173ac15f5', params={'action': 'start'})
    assert caught.value.outcome == OUTCOME_NOT_ACCEPTED
    assert 'was not accepted' in str(caught.value) and 'run the task again' in str(caught.value)


def test_json_body_is_sent_with_json_content_type(em_http, em_settings):
    body = fixture_json('job-clone-request.json')
    em_http.expect_logon()
    em_http.expect('POST', '/api/jobs/47752464-8e77-407a-a936-132173ac15f5', {'action': 'clone'},
                   headers={'Content-Type': 'application/json'}, body=body,
                   response=json_response(fixture_json('task-running.json'), 202))
    em_http.expect_logoff()
    with open_session(em_settings) as em:
        response = em.request('POST', 'jobs/47752464-8e77-407a-a936-132173ac15f5', params={'action': 'clone'}, body=body)
    assert response.status == 202 and response.data['task_id'] == 'task-1' and response.data['state'] == 'Running'


# --- URLs and bodies -----------------------------------------------------------------------------------

def test_requests_go_to_the_configured_origin_and_links_are_refused(em_http, em_settings):
    em_http.origin = 'https://10.0.0.5:9398'
    settings = EmSettings('https://10.0.0.5:9398', USERNAME, PASSWORD)
    em_http.expect_logon()
    em_http.expect_get('/api/jobs/47752464-8e77-407a-a936-132173ac15f5', json_response({}), params={'format': 'Entity'})
    em_http.expect_logoff()
    with open_session(settings) as em:
        em.get('jobs/47752464-8e77-407a-a936-132173ac15f5', params={'format': 'Entity'})
        for link in ('https://em01.lab.local:9398/api/jobs/47752464-8e77-407a-a936-132173ac15f5?format=Entity', '/api/jobs',
                     'https://evil.example.com/collect?x=1', 'jobs/../_sim/reset', 'jobs/%2e%2e', 'jobs\\x', 'jobs?x=1'):
            with pytest.raises(EmInputError, match='Refusing to build a request URL'):
                em.get(link)
    assert len(em_http.calls) == 3


def test_redirects_are_not_followed(em_http, em_settings):
    em_http.expect_logon()
    location = 'https://elsewhere.example.com/api/jobs?token=%s&auth=%s' % (TOKEN, basic_auth())
    em_http.expect_get('/api/jobs', FakeResponse(302, b'', {'Location': location}))
    em_http.expect_logoff()
    with pytest.raises(EmApiError, match='redirect') as caught:
        with open_session(em_settings) as em:
            em.get('jobs')
    assert 'elsewhere.example.com' in str(caught.value)
    assert_secret_free(str(caught.value))
    assert str(caught.value).count('********') == 2


@pytest.mark.parametrize('body, reason', [
    (b'<html><body>Welcome to IIS</body></html>', 'XML or HTML, not JSON'),
    (fixture_bytes('jobs-refs.json')[:700], 'ends early'),
    (b'\xff\xfe{"a": 1}', 'not valid JSON'),
])
def test_unusable_success_bodies(em_http, em_settings, body, reason):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', FakeResponse(200, body))
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError, match=reason):
        with open_session(em_settings) as em:
            em.get('jobs')


def test_bom_prefixed_json_is_decoded(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', json_response(JOBS_REFS, bom=True))
    em_http.expect_logoff()
    with open_session(em_settings) as em:
        assert em.get('jobs')['refs'][0]['uid'] == 'urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5'


def test_verify_and_timeout_reach_the_transport(em_http, tmp_path):
    ca_file = tmp_path / 'ca.pem'
    ca_file.write_text('-----BEGIN CERTIFICATE-----\n')
    settings = EmSettings(EM, USERNAME, PASSWORD, ca_path=str(ca_file), timeout=7)
    em_http.expect_logon()
    em_http.expect_logoff()
    with open_session(settings):
        pass
    assert {(call.verify, call.timeout) for call in em_http.calls} == {(str(ca_file), 7.0)}


def test_request_outside_the_context_manager_is_refused(em_settings):
    with pytest.raises(EmInputError, match='No open logon session'):
        EmClient(em_settings, http=object()).get('jobs')


def test_no_secret_in_any_error_text(em_http, em_settings):
    echo = 'token %s password %s' % (TOKEN, PASSWORD)
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', error_response(500, echo))
    em_http.expect_logoff()
    with pytest.raises(EmApiError) as caught:
        with open_session(em_settings) as em:
            em.get('jobs')
    assert_secret_free(str(caught.value))
    assert_secret_free(repr(em_settings))
    assert '********' in caught.value.em_message


def test_default_transport_refuses_cookies_and_netrc():
    http = _client.create_http_session()
    try:
        request = requests.cookies.MockRequest(requests.Request('GET', EM + '/api/').prepare())
        cookie = requests.cookies.create_cookie('X-RestSvcSessionId', TOKEN, domain='em01.lab.local', path='/api')
        assert DefaultCookiePolicy().set_ok(cookie, request) is True  # control: a default jar would keep it
        assert http.cookies.get_policy().set_ok(cookie, request) is False
        assert http.auth is _client._no_netrc_auth  # pylint: disable=protected-access
    finally:
        http.close()
