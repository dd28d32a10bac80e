# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scripted HTTP transport for unit tests of the Enterprise Manager client.

A test lists the exchanges it expects, in order, with canned answers; the client under test talks to
``ScriptedHttp`` instead of a ``requests.Session``. Every request is checked against the next
expectation (method, path, query parameters, selected headers, JSON body) and recorded in ``calls``.
``assert_done()`` fails when an expectation was not used or a request did not match.

Use it through the ``em_http`` fixture of ``tests/unit/conftest.py`` (which also makes EmClient
create it), or directly with ``EmClient(settings, http=ScriptedHttp())``.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qsl, urlsplit

import requests

from .em_payloads import EM, FIXTURES, encode, fixture_json

TOKEN = 'oJg4X4TSDBjLpd/jenl6Fw=='
SESSION_ID = '70ca377c-a2e8-4eb3-a483-922410b5c7a1'
USERNAME = 'LAB\\svc-ansible'
PASSWORD = 'Ansible:Pa&ss=wörd'
JSON_TYPE = 'application/json'
TOKEN_HEADER = 'X-RestSvcSessionId'
ANY = object()
ABSENT = object()


class FakeResponse:
    """The parts of requests.Response the client uses."""

    def __init__(self, status=200, body=b'', headers=None):
        self.status_code = status
        self.content = body
        self.headers = requests.structures.CaseInsensitiveDict(headers or {})

    def iter_content(self, chunk_size=1):
        for start in range(0, len(self.content), chunk_size):
            yield self.content[start:start + chunk_size]

    def close(self):
        pass

    def __repr__(self):
        return '<FakeResponse %s %d bytes>' % (self.status_code, len(self.content))


def json_response(data, status=200, headers=None, casing='pascal', bom=False):
    merged = {'Content-Type': 'application/json; charset=utf-8'}
    merged.update(headers or {})
    return FakeResponse(status, encode(data, casing, bom), merged)


def error_response(status, message=None, casing='pascal', headers=None):
    """An EM ``Error`` body (the reference example for the status when there is one)."""
    name = FIXTURES / ('error-%d.json' % status)
    body = json.loads(name.read_text()) if name.exists() and message is None else {
        'FirstChanceExceptionMessage': message, 'Message': message, 'StackTrace': None, 'Status': None, 'StatusCode': status}
    return json_response(body, status, headers, casing)


def logon_response(token=TOKEN, session_id=SESSION_ID, casing='pascal', bom=False):
    body = fixture_json('logon-session.json')
    body['SessionId'] = session_id
    return json_response(body, 201, {TOKEN_HEADER: token} if token else {}, casing, bom)


def basic_auth(username=USERNAME, password=PASSWORD):
    return 'Basic ' + base64.b64encode(('%s:%s' % (username, password)).encode('utf-8')).decode('ascii')


# --- transport errors with the texts requests/urllib3 really produce --------------------------------

def connection_refused(host='em01.lab.local', port=9398):
    return requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='%s', port=%d): Max retries exceeded with url: /api/sessionMngr/?v=latest "
        "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: "
        "Failed to establish a new connection: [Errno 111] Connection refused'))" % (host, port))


def name_not_resolved(host='em01.lab.local', port=9398):
    return requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='%s', port=%d): Max retries exceeded with url: /api/sessionMngr/?v=latest "
        "(Caused by NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve '%s' "
        "([Errno -2] Name or service not known)\"))" % (host, port, host))


def connection_reset():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))")


def read_timeout(host='em01.lab.local', port=9398):
    return requests.exceptions.ReadTimeout(
        "HTTPSConnectionPool(host='%s', port=%d): Read timed out. (read timeout=60.0)" % (host, port))


def truncated_body():
    return requests.exceptions.ChunkedEncodingError(
        "('Connection broken: IncompleteRead(512 bytes read, 1536 more expected)', IncompleteRead(512 bytes read, 1536 more expected))")


def certificate_verify_failed():
    return requests.exceptions.SSLError(
        "HTTPSConnectionPool(host='em01.lab.local', port=9398): Max retries exceeded with url: /api/sessionMngr/?v=latest "
        "(Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
        "self-signed certificate (_ssl.c:1000)')))")


# --- the transport ----------------------------------------------------------------------------------

class Exchange:
    """One expected request and what to answer."""

    def __init__(self, method, path, params=ANY, headers=None, body=ANY, response=None, raises=None):
        self.method = method
        self.path = path
        self.params = params
        self.headers = headers or {}
        self.body = body
        self.response = response
        self.raises = raises

    def describe(self):
        return '%s %s %s' % (self.method, self.path, '' if self.params is ANY else self.params)


class Call:
    """One request the client made."""

    def __init__(self, method, url, params, headers, data, timeout, verify, allow_redirects, stream=False):
        self.method = method
        self.url = url
        self.params = params
        self.headers = dict(headers or {})
        self.data = data
        self.timeout = timeout
        self.verify = verify
        self.allow_redirects = allow_redirects
        self.stream = stream
        self.sent_url = requests.Request(method, url, params=params).prepare().url
        parts = urlsplit(self.sent_url)
        self.path = parts.path
        self.query = dict(parse_qsl(parts.query, keep_blank_values=True))

    @property
    def json(self):
        return None if self.data is None else json.loads(self.data.decode('utf-8'))

    def __repr__(self):
        return '<Call %s %s>' % (self.method, self.sent_url)


class ScriptedHttp:
    """Stands in for requests.Session: answers each request from the script, in order."""

    def __init__(self, origin=EM):
        self.origin = origin
        self.script = []
        self.calls = []
        self.mismatches = []
        self.sleeps = []
        self.closed = False

    # expectations

    def expect(self, method, path, params=ANY, headers=None, body=ANY, response=None, raises=None, token=TOKEN):
        """Expect a request; ``token`` (the X-RestSvcSessionId it must carry) defaults to the scripted logon's token."""
        wanted = {'Accept': JSON_TYPE, TOKEN_HEADER: token}
        wanted.update(headers or {})
        if response is None and raises is None:
            response = FakeResponse(204)
        self.script.append(Exchange(method, path, params, wanted, body, response, raises))
        return self

    def expect_logon(self, response=None, raises=None, api_version='latest', username=USERNAME, password=PASSWORD):
        headers = {'Authorization': basic_auth(username, password), TOKEN_HEADER: ABSENT, 'Content-Type': ABSENT}
        if response is None and raises is None:
            response = logon_response()
        return self.expect('POST', '/api/sessionMngr/', {'v': api_version}, headers, None, response, raises, token=ABSENT)

    def expect_logoff(self, session_id=SESSION_ID, token=TOKEN, status=204, raises=None):
        response = None if raises else FakeResponse(status)
        return self.expect('DELETE', '/api/logonSessions/%s' % session_id, {}, None, None, response, raises, token=token)

    def expect_get(self, path, response, params=ANY, token=TOKEN, raises=None):
        return self.expect('GET', path, params, None, None, response, raises, token=token)

    def expect_query(self, query_type, response, filter_text=ABSENT, fmt='Entities', sort_asc=ABSENT, sort_desc=ABSENT,
                     page_size=1000, token=TOKEN, raises=None):
        """Expect ``GET /api/query`` page 1 with exactly these parameters (ABSENT = parameter not sent)."""
        params = {'type': query_type, 'format': fmt, 'filter': filter_text, 'sortAsc': sort_asc, 'sortDesc': sort_desc,
                  'pageSize': str(page_size), 'page': '1'}
        params = {key: value for key, value in params.items() if value is not ABSENT}
        return self.expect_get('/api/query', response, params, token, raises)

    # the requests.Session interface used by EmClient

    def request(self, method, url, params=None, data=None, headers=None, timeout=None, verify=None, allow_redirects=True, stream=False):
        call = Call(method, url, params, headers, data, timeout, verify, allow_redirects, stream)
        self.calls.append(call)
        if not self.script:
            return self._mismatch(call, 'no request was expected')
        exchange = self.script.pop(0)
        problem = self._compare(exchange, call)
        if problem:
            return self._mismatch(call, '%s (expected %s)' % (problem, exchange.describe()))
        if exchange.raises is not None:
            raise exchange.raises
        return exchange.response

    def close(self):
        self.closed = True

    # checks

    def assert_done(self):
        assert not self.mismatches, 'requests that did not match the script: %s' % self.mismatches
        assert not self.script, 'expected requests that were not made: %s' % [item.describe() for item in self.script]

    def methods_and_paths(self):
        return [(call.method, call.path) for call in self.calls]

    def _mismatch(self, call, problem):
        self.mismatches.append('%r: %s' % (call, problem))
        raise AssertionError('unexpected request %r: %s' % (call, problem))

    def _compare(self, exchange, call):
        if call.method != exchange.method:
            return 'method %s' % call.method
        if not call.sent_url.startswith(self.origin + '/'):
            return 'sent to another origin'
        if call.path != exchange.path:
            return 'path %s' % call.path
        if exchange.params is not ANY and call.query != {key: str(value) for key, value in exchange.params.items()}:
            return 'query %s' % call.query
        for name, value in exchange.headers.items():
            actual = call.headers.get(name, ABSENT)
            if value is not ANY and actual != value:
                return 'header %s=%r' % (name, '<absent>' if actual is ABSENT else actual)
        if exchange.body is not ANY and call.json != exchange.body:
            return 'body %r' % (call.json,)
        return None
