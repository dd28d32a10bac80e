# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EmSession: one logon session to Enterprise Manager over requests (internal; may change in any release).

``with EmSession(settings) as em:`` logs on (``POST /api/sessionMngr/?v=<api_version>``), sends every
request with the session token and ``Accept: application/json``, and logs its own session off
(``DELETE /api/logonSessions/<SessionId>``) on every way out. Retries with backoff apply to GET, the
logon and the logoff only (see ``EmSession._send``); a 401 after idle expiry re-logs on once and repeats
a GET once; an action (POST, PUT, DELETE) is never sent twice. No Ansible imports here.
"""

from __future__ import annotations

import base64
import json
import random
import time
import warnings
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ._errors import OUTCOME_ACCEPTED, OUTCOME_NOT_ACCEPTED, EmAuthError, EmBadResponseError, EmError, EmInputError
from ._http_errors import bad_json_error, error_from_exception, error_from_response, nothing_answered
from ._imports import requests
from ._keys import decode_json
from ._query import DEFAULT_PAGE_SIZE, iter_query
from ._settings import Origin

JSON = 'application/json'
TOKEN_HEADER = 'X-RestSvcSessionId'
RETRY_STATUSES = frozenset((502, 503, 504))
# Retry policy of reads (GET, logon, logoff). Enterprise Manager was reached but the exchange failed (HTTP 502, 503,
# 504, a connection reset or closed before the answer, a body cut off): up to DEFAULT_RETRIES more attempts, so that
# a server that fails a quarter of all requests still answers a read with a probability of 1 - 0.25 ** 11 (about
# 1 - 2.4e-7). Nothing answered (connection refused, host name not resolved, connect timeout): CONNECT_RETRIES more
# attempts only, because a wrong url is the usual cause and the user should hear about it within seconds. The same
# holds for any connection failure of an http:// url: Enterprise Manager serves HTTPS only, so a plain-HTTP connection
# that is dropped is almost always an http:// url pointing at the HTTPS port.
DEFAULT_RETRIES = 10
CONNECT_RETRIES = 3
# Pauses: DEFAULT_BACKOFF seconds doubling per attempt up to MAX_BACKOFF (0.5, 1, 2, 4, 8, 8, ...: at most 55.5 s
# for ten retries), each shortened by a random share of up to half (retry_jitter) so that parallel tasks that failed
# together do not retry together; a Retry-After header can lengthen a pause, never beyond MAX_BACKOFF.
DEFAULT_BACKOFF = 0.5
MAX_BACKOFF = 8.0
REDACTED = '********'


def wait_before_retry(seconds):
    """The default pause between retries (EmSession takes ``sleep=`` to replace it; tests patch this function)."""
    time.sleep(seconds)


def retry_jitter():
    """The share of the backoff pause actually waited, between 0.5 and 1 (tests replace this function, or pass ``jitter=``)."""
    return 0.5 + random.random() / 2  # nosec B311 - spreads retries in time, no security use


def _no_netrc_auth(prepared_request):
    """Session-level auth that adds nothing: it keeps requests from adding ~/.netrc credentials."""
    return prepared_request


def create_http_session():
    """Create the HTTP transport. Tests replace this factory (or pass ``http=``) with a scripted transport."""
    http = requests.Session()
    http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # the token travels in the header only
    http.auth = _no_netrc_auth
    return http


class EmResponse:
    """A successful answer: HTTP status, headers, and the JSON body with snake_case keys (None when empty)."""

    __slots__ = ('status', 'headers', 'data', 'url')

    def __init__(self, status, headers, data, url):
        self.status = status
        self.headers = headers
        self.data = data
        self.url = url


class EmSession:
    """A context manager owning one Enterprise Manager logon session and its HTTP transport."""

    def __init__(self, settings, http=None, sleep=None, retries=DEFAULT_RETRIES, backoff=DEFAULT_BACKOFF, register_secret=None,
                 connect_retries=CONNECT_RETRIES, jitter=None):
        self.settings = settings
        self._http = http
        self._sleep = sleep or wait_before_retry
        self._jitter = jitter or retry_jitter
        self.retries = retries
        self.connect_retries = min(connect_retries, retries)
        self.backoff = backoff
        self._register_secret = register_secret
        self._token = None
        self.logon_session_id = None
        self.logoff_error = None
        self.request_count = 0
        self.logon_count = 0
        self.retry_count = 0

    # --- lifecycle -------------------------------------------------------------------------------

    def __enter__(self):
        try:
            self.logon()
        except BaseException:
            self._logoff_quietly()
            self.close()
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self._logoff_quietly()
        finally:
            self.close()
        return False

    def _logoff_quietly(self):
        try:
            self.logoff()
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A failed logoff must never mask the outcome of the work; callers may report it as a warning.
            self.logoff_error = exc if isinstance(exc, EmError) else EmError('Logoff failed', reason=self._redact(str(exc)))

    def close(self):
        if self._http is not None:
            self._http.close()
            self._http = None

    @property
    def http(self):
        if self._http is None:
            self._http = create_http_session()
        return self._http

    def logon(self):
        """Open a logon session: Basic auth with UTF-8 credentials; token from the header, SessionId from the body."""
        url = self.settings.api_url + '/sessionMngr/'
        params = {'v': self.settings.api_version}
        headers = {'Accept': JSON, 'Authorization': 'Basic ' + self._basic_credentials()}
        response = self._send('POST', url, params, headers, None, idempotent=True)
        url = _with_params(url, params)
        if not 200 <= response.status_code < 300:
            raise error_from_response(response, 'POST', url, self.settings, self._redact, logon=True)
        token = response.headers.get(TOKEN_HEADER)
        data = self._decode('POST', url, response)
        if not token:
            raise EmBadResponseError('Logon answer has no %s header' % TOKEN_HEADER, method='POST', url=url, status=response.status_code)
        self._token = token
        if self._register_secret is not None:
            self._register_secret(token)
        session_id = _logon_session_id(data)
        if not session_id:
            raise EmBadResponseError('Logon answer has no SessionId; the new logon session will expire after the idle timeout',
                                     method='POST', url=url, status=response.status_code)
        self.logon_session_id = session_id
        self.logon_count += 1

    def logoff(self):
        """Close this session's own logon session. A 401 or 404 means it is already gone."""
        session_id, token = self.logon_session_id, self._token
        self.logon_session_id = None
        if not session_id or not token:
            self._token = None
            return
        url = '%s/logonSessions/%s' % (self.settings.api_url, quote(session_id, safe=''))
        try:
            response = self._send('DELETE', url, None, self._headers(), None, idempotent=True)
        finally:
            self._token = None
        if response.status_code not in (200, 202, 204, 401, 404):
            raise error_from_response(response, 'DELETE', url, self.settings, self._redact)

    # --- requests --------------------------------------------------------------------------------

    def get(self, path, params=None):
        return self.request('GET', path, params=params).data

    def post(self, path, params=None, body=None):
        return self.request('POST', path, params=params, body=body).data

    def put(self, path, params=None, body=None):
        return self.request('PUT', path, params=params, body=body).data

    def delete(self, path, params=None):
        return self.request('DELETE', path, params=params).data

    def query(self, query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE):
        """Iterate over every item of ``GET /api/query?type=...``, page by page (see ``_query.iter_query``)."""
        return iter_query(self, query_type, filter_expr, fmt, sort_asc, sort_desc, page_size)

    def request(self, method, path, params=None, body=None):
        """Send one API request and return an EmResponse; raise an EmError subclass on failure.

        ``path`` is relative to ``/api`` (``jobs/<id>``) or an absolute ``Href`` taken from a response.
        Only GET is retried or repeated; any other method is sent at most once.
        """
        if self._token is None:
            raise EmInputError('No open logon session', reason='use EmSession as a context manager (with EmSession(settings) as em)')
        method = method.upper()
        url = self.resolve(path)
        shown_url = _with_params(url, params)
        idempotent = method == 'GET'
        data = None if body is None else json.dumps(body).encode('utf-8')
        response = self._send(method, url, params, self._headers(data is not None), data, idempotent)
        if response.status_code == 401:
            self._relogon(action=not idempotent)
            if not idempotent:
                raise EmAuthError('The logon session had expired', method=method, url=shown_url, status=401, outcome=OUTCOME_NOT_ACCEPTED,
                                  hint='a new logon session is open now; run the task again')
            response = self._send(method, url, params, self._headers(data is not None), data, idempotent)
        if not 200 <= response.status_code < 300:
            raise error_from_response(response, method, shown_url, self.settings, self._redact, action=not idempotent)
        try:
            data = self._decode(method, shown_url, response)
        except EmBadResponseError as exc:
            if not idempotent:
                exc.outcome = OUTCOME_ACCEPTED  # a 2xx status: Enterprise Manager took the action, whatever the body says
            raise
        return EmResponse(response.status_code, response.headers, data, url)

    def resolve(self, path):
        """Absolute URL for ``path``. The token is only ever sent to the configured origin."""
        text = str(path)
        if '://' not in text.split('?', 1)[0]:
            relative = text.lstrip('/')
            if relative == 'api' or relative.startswith('api/'):
                relative = relative[4:]
            return '%s/%s' % (self.settings.api_url, relative)
        if Origin(text) == self.settings.origin:
            return text
        parts = urlsplit(text)
        if parts.scheme.lower() in ('http', 'https') and (parts.path == '/api' or parts.path.startswith('/api/')):
            # [I] EM renders Hrefs with its own host name, which may differ from the name in url (an IP,
            # an alias); the path names the resource, so it is sent to the configured server only.
            base = urlsplit(self.settings.base_url)
            return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ''))
        raise EmInputError('Refusing to send the session token to another server', reason='link %s is outside %s' % (
            self._redact(text), self.settings.api_url), hint='only links under the configured Enterprise Manager URL are followed')

    # --- internals -------------------------------------------------------------------------------

    def _headers(self, with_body=False):
        headers = {'Accept': JSON, TOKEN_HEADER: self._token}
        if with_body:
            headers['Content-Type'] = JSON
        return headers

    def _basic_credentials(self):
        pair = '%s:%s' % (self.settings.username, self.settings.password)
        return base64.b64encode(pair.encode('utf-8')).decode('ascii')

    def _relogon(self, action):
        """Log on again after a 401 (the old session expired, so there is nothing to log off)."""
        self._token = None
        self.logon_session_id = None
        try:
            self.logon()
        except EmError as exc:
            if action:
                exc.outcome = OUTCOME_NOT_ACCEPTED
            raise

    def _send(self, method, url, params, headers, data, idempotent):
        """Send one request; an idempotent one is repeated after a transient failure (see DEFAULT_RETRIES)."""
        attempt = 0
        while True:
            try:
                response = self._transmit(method, url, params, headers, data)
            except requests.exceptions.RequestException as exc:
                action = not idempotent and TOKEN_HEADER in headers
                error = error_from_exception(exc, method, _with_params(url, params), self.settings, self._redact, action=action)
                limit = self.connect_retries if nothing_answered(exc) or not self.settings.uses_tls else self.retries
                if not (idempotent and _retryable(exc) and attempt < limit):
                    raise error from exc
                delay = self._delay(attempt, None)
            else:
                if not (idempotent and response.status_code in RETRY_STATUSES and attempt < self.retries):
                    return response
                delay = self._delay(attempt, response)
            attempt += 1
            self.retry_count += 1
            self._sleep(delay)

    def _transmit(self, method, url, params, headers, data):
        self.request_count += 1
        with warnings.catch_warnings():
            if not self.settings.verify:
                warnings.filterwarnings('ignore', message='Unverified HTTPS request')
            return self.http.request(method, url, params=params, data=data, headers=headers, timeout=self.settings.timeout,
                                     verify=self.settings.verify, allow_redirects=False)

    def _delay(self, attempt, response):
        delay = min(MAX_BACKOFF, self.backoff * (2 ** attempt)) * self._jitter()
        retry_after = response.headers.get('Retry-After') if response is not None else None
        if retry_after and retry_after.strip().isdigit():
            delay = min(MAX_BACKOFF, max(delay, float(retry_after)))
        return delay

    def _decode(self, method, url, response):
        try:
            return decode_json(response.content or b'')
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_json_error(response, method, url, exc, self._redact) from None

    def _redact(self, text):
        secrets = [self.settings.password, self._token, self._basic_credentials()]
        for secret in secrets:
            if secret and len(secret) >= 4:
                text = text.replace(secret, REDACTED)
        return text


def _with_params(url, params):
    """The URL as sent, for messages."""
    if not params:
        return url
    return url + ('&' if '?' in url else '?') + urlencode(params)


def _retryable(exc):
    exceptions = requests.exceptions
    if isinstance(exc, exceptions.SSLError):
        return False
    if isinstance(exc, exceptions.ConnectTimeout):
        return True
    if isinstance(exc, exceptions.Timeout):
        return False
    return isinstance(exc, (exceptions.ConnectionError, exceptions.ChunkedEncodingError))


def _logon_session_id(data):
    """SessionId from the LogonSession body, else the last segment of its ``Delete`` link; never from the token."""
    if not isinstance(data, dict):
        return None
    if data.get('session_id'):
        return str(data['session_id'])
    for link in data.get('links') or []:
        if isinstance(link, dict) and link.get('rel') == 'Delete' and link.get('href'):
            return urlsplit(link['href']).path.rstrip('/').rsplit('/', 1)[-1] or None
    return None
