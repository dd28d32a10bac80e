# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EmClient: the one HTTP client of the collection, owning one Enterprise Manager logon session
(internal; may change in any release).

``with EmClient(settings) as em:`` logs on (``POST /api/sessionMngr/?v=<api_version>``), sends every
request with the session token and ``Accept: application/json``, and logs its own logon session off
(``DELETE /api/logonSessions/<SessionId>``) on every way out. What it guarantees:

* Every request goes to the configured origin, to a path built from constant names and validated ids
  (``_urls``); links from answers are never sent as given.
* Each request is bounded as a whole by ``timeout`` (not per read), its body by ``MAX_BODY_BYTES``, and a
  query by ``_query.MAX_PAGES`` pages.
* Every answer is checked against the shape its caller expects (``_shapes``) before anyone reads it.
* Every error that leaves the client passes the one redaction point (``_redact.Secrets``), so no password,
  Basic credentials or token reaches a message.
* Retries with backoff apply to reads (GET, the logon and the logoff) only; a 401 after idle expiry re-logs
  on once and repeats a GET once; an action (POST, PUT, DELETE) is never sent twice.

No Ansible imports here.
"""

from __future__ import annotations

import json
import random
import threading
import time
import warnings
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlencode

from ._errors import (
    OUTCOME_ACCEPTED,
    OUTCOME_NOT_ACCEPTED,
    OUTCOME_UNKNOWN,
    EmAuthError,
    EmBadResponseError,
    EmError,
    EmInputError,
    EmTimeoutError,
)
from ._http_errors import bad_json_error, error_from_exception, error_from_response, nothing_answered
from ._imports import requests
from ._keys import decode_json
from ._query import DEFAULT_PAGE_SIZE, MAX_PAGES, first_page, iter_query
from ._shapes import LOGON_SESSION, TASK, Items, ShapeError
from ._urls import is_valid_id, link_id

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
# The largest answer body read (64 MiB): a page of 1,000 job entities with their includes is about 20 MB.
MAX_BODY_BYTES = 64 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def wait_before_retry(seconds):
    """The default pause between retries (EmClient takes ``sleep=`` to replace it; tests patch this function)."""
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
    """A successful answer: HTTP status, headers, the JSON body with snake_case keys (None when empty), and the URL shown in messages."""

    __slots__ = ('status', 'headers', 'data', 'url')

    def __init__(self, status, headers, data, url):
        self.status = status
        self.headers = headers
        self.data = data
        self.url = url


class _Answer:
    """Status, headers and the whole body of one HTTP answer (the parts the error mappers read)."""

    __slots__ = ('status_code', 'headers', 'content')

    def __init__(self, status_code, headers, content):
        self.status_code = status_code
        self.headers = headers
        self.content = content


class _Deadline(Exception):
    """The whole exchange took longer than the timeout."""


class _TooLarge(Exception):
    """The answer body is larger than MAX_BODY_BYTES."""


class EmClient:
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
        self.secrets = settings.secrets()
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
        except BaseException as exc:
            self._logoff_quietly()
            self.close()
            if isinstance(exc, EmError):
                exc.scrub(self.redact)
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        try:
            self._logoff_quietly()
        finally:
            self.close()
        if isinstance(exc, EmError):
            exc.scrub(self.redact)  # the one redaction point of every error raised inside the with block
        return False

    def redact(self, text):
        """``text`` without the password, the Basic credentials or any token of this client (also after it closed)."""
        return self.secrets.redact(text)

    def _logoff_quietly(self):
        try:
            self.logoff()
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # A failed logoff must never mask the outcome of the work; callers may report it as a warning.
            error = exc if isinstance(exc, EmError) else EmError('Logoff failed', reason=str(exc))
            self.logoff_error = error.scrub(self.redact)

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
        headers = {'Accept': JSON, 'Authorization': 'Basic ' + self.settings.basic_credentials()}
        answer = self._send('POST', url, params, headers, None, idempotent=True)
        shown = _with_params(url, params)
        if not 200 <= answer.status_code < 300:
            raise error_from_response(answer, 'POST', shown, self.settings, logon=True)
        token = answer.headers.get(TOKEN_HEADER)
        data = self.check(self._decode('POST', shown, answer), LOGON_SESSION, EmResponse(answer.status_code, answer.headers, None, shown), 'POST')
        if not token:
            raise EmBadResponseError('Logon answer has no %s header' % TOKEN_HEADER, method='POST', url=shown, status=answer.status_code)
        self._token = token
        self.secrets.add(token)
        if self._register_secret is not None:
            self._register_secret(token)
        session_id = _logon_session_id(data)
        if not session_id:
            raise EmBadResponseError('Logon answer has no SessionId (or one that is not an id); the new logon session will expire after the idle timeout',
                                     method='POST', url=shown, status=answer.status_code)
        self.logon_session_id = session_id
        self.logon_count += 1

    def logoff(self):
        """Close this client's own logon session. A 401 or 404 means it is already gone."""
        session_id, token = self.logon_session_id, self._token
        self.logon_session_id = None
        if not session_id or not token:
            self._token = None
            return
        url = '%s/logonSessions/%s' % (self.settings.api_url, session_id)
        try:
            answer = self._send('DELETE', url, None, self._headers(), None, idempotent=True)
        finally:
            self._token = None
        if answer.status_code not in (200, 202, 204, 401, 404):
            raise error_from_response(answer, 'DELETE', url, self.settings)

    # --- requests --------------------------------------------------------------------------------

    def get(self, path, params=None, shape=None):
        """The JSON answer of ``GET /api/<path>``, checked against ``shape`` (a ``_shapes.Spec``) when given."""
        response = self.request('GET', path, params=params)
        return self.check(response.data, shape, response)

    def items(self, path, shape, params=None):
        """The items of a collection answer (``{"Refs": [...]}``, ``{"ObjectInJobs": [...]}``), each checked against ``shape``."""
        response = self.request('GET', path, params=params)
        data = response.data
        if data is None:
            return []
        if not isinstance(data, dict):
            raise _unreadable('GET', response.url, response.status, 'the answer is %s, not an object' % type(data).__name__)
        self.check({key: value for key, value in data.items() if key != 'links'}, Items(shape), response)
        return [item for key, value in data.items() if key != 'links' and isinstance(value, list) for item in value]

    def query(self, query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE, max_pages=MAX_PAGES):
        """Iterate over every item of ``GET /api/query?type=...``, page by page (see ``_query.iter_query``)."""
        return iter_query(self, query_type, filter_expr, fmt, sort_asc, sort_desc, page_size, max_pages)

    def query_first_page(self, query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE):
        """``(items, more)``: the items of the first page of a query and whether more pages follow."""
        return first_page(self, query_type, filter_expr, fmt, sort_asc, sort_desc, page_size)

    def post_task(self, path, params=None, body=None, method='POST'):
        """Send an action (POST, or DELETE of an include) that answers with a Task; returns ``(task, url)``. Never repeated."""
        response = self.request(method, path, params=params, body=body)
        try:
            task = self.check(response.data, TASK, response, method)
        except EmBadResponseError as exc:
            exc.outcome = OUTCOME_ACCEPTED  # a 2xx status: Enterprise Manager took the action, whatever the body says
            raise
        if task is None:
            raise EmBadResponseError('The answer to the request is not a task', method=method, url=response.url, status=response.status,
                                     outcome=OUTCOME_ACCEPTED)
        return task, response.url

    def request(self, method, path, params=None, body=None):
        """Send one API request to ``/api/<path>`` and return an EmResponse; raise an EmError subclass on failure.

        ``path`` is built by the caller from constant names and validated ids (``_urls.api_path``). Only GET is
        retried or repeated; any other method is sent at most once.
        """
        if self._token is None:
            raise EmInputError('No open logon session', reason='use EmClient as a context manager (with EmClient(settings) as em)')
        method = method.upper()
        url = self.url_of(path)
        shown_url = _with_params(url, params)
        idempotent = method == 'GET'
        data = None if body is None else json.dumps(body).encode('utf-8')
        answer = self._send(method, url, params, self._headers(data is not None), data, idempotent)
        if answer.status_code == 401:
            self._relogon(action=not idempotent)
            if not idempotent:
                raise EmAuthError('The logon session had expired', method=method, url=shown_url, status=401, outcome=OUTCOME_NOT_ACCEPTED,
                                  hint='a new logon session is open now; run the task again')
            answer = self._send(method, url, params, self._headers(data is not None), data, idempotent)
        if not 200 <= answer.status_code < 300:
            raise error_from_response(answer, method, shown_url, self.settings, action=not idempotent)
        try:
            data = self._decode(method, shown_url, answer)
        except EmBadResponseError as exc:
            if not idempotent:
                exc.outcome = OUTCOME_ACCEPTED  # a 2xx status: Enterprise Manager took the action, whatever the body says
            raise
        return EmResponse(answer.status_code, answer.headers, data, shown_url)

    def url_of(self, path):
        """The absolute URL of ``/api/<path>`` on the configured origin; ``path`` must be made of valid segments."""
        text = str(path)
        segments = text.split('/')
        if segments and segments[-1] == '':
            segments = segments[:-1]
        if not segments or not all(is_valid_id(segment) for segment in segments):
            raise EmInputError('Refusing to build a request URL', reason='%r is not a path of constant names and valid ids' % text,
                               hint='this is a bug in the collection; report it with the task that failed')
        return '%s/%s' % (self.settings.api_url, text)

    # --- internals -------------------------------------------------------------------------------

    def _headers(self, with_body=False):
        headers = {'Accept': JSON, TOKEN_HEADER: self._token}
        if with_body:
            headers['Content-Type'] = JSON
        return headers

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
        action = not idempotent and TOKEN_HEADER in headers
        while True:
            try:
                answer = self._exchange(method, url, params, headers, data)
            except _Deadline:
                raise self._deadline_error(method, url, params, action) from None
            except _TooLarge:
                raise EmBadResponseError('Answer from Enterprise Manager too large', method=method, url=_with_params(url, params),
                                         reason='the body is larger than %d MiB' % (MAX_BODY_BYTES // (1024 * 1024)),
                                         hint='narrow the request (filters, a smaller page_size)',
                                         outcome=OUTCOME_ACCEPTED if action else None) from None
            except requests.exceptions.RequestException as exc:
                error = error_from_exception(exc, method, _with_params(url, params), self.settings, action=action)
                limit = self.connect_retries if nothing_answered(exc) or not self.settings.uses_tls else self.retries
                if not (idempotent and _retryable(exc) and attempt < limit):
                    raise error from exc
                delay = self._delay(attempt, None)
            else:
                if not (idempotent and answer.status_code in RETRY_STATUSES and attempt < self.retries):
                    return answer
                delay = self._delay(attempt, answer)
            attempt += 1
            self.retry_count += 1
            self._sleep(delay)

    def _deadline_error(self, method, url, params, action):
        timeout = self.settings.timeout
        return EmTimeoutError(method=method, url=_with_params(url, params), reason='no complete answer within %g seconds' % timeout,
                              hint='raise the timeout option (now %g s), or narrow the request with filters' % timeout,
                              outcome=OUTCOME_UNKNOWN if action else None)

    def _exchange(self, method, url, params, headers, data):
        """One HTTP exchange, bounded as a whole by the timeout: the request runs in a worker thread that is abandoned
        (with its connection) when the time is up, however slowly the server sends its headers or body."""
        self.request_count += 1
        http = self.http
        outcome = {}

        def work():
            try:
                outcome['answer'] = self._transmit(http, method, url, params, headers, data)
            except BaseException as exc:  # pylint: disable=broad-exception-caught
                outcome['error'] = exc

        worker = threading.Thread(target=work, name='veeamops-em-request', daemon=True)
        worker.start()
        worker.join(self.settings.timeout)
        if worker.is_alive():
            self._http = None  # the worker still holds the old transport; the next request gets a new one
            raise _Deadline()
        if 'error' in outcome:
            raise outcome['error']
        return outcome['answer']

    def _transmit(self, http, method, url, params, headers, data):
        with warnings.catch_warnings():
            if not self.settings.verify:
                warnings.filterwarnings('ignore', message='Unverified HTTPS request')
            response = http.request(method, url, params=params, data=data, headers=headers, timeout=self.settings.timeout,
                                    verify=self.settings.verify, allow_redirects=False, stream=True)
        try:
            return _Answer(response.status_code, response.headers, _read_body(response))
        finally:
            response.close()

    def _delay(self, attempt, answer):
        delay = min(MAX_BACKOFF, self.backoff * (2 ** attempt)) * self._jitter()
        retry_after = answer.headers.get('Retry-After') if answer is not None else None
        if retry_after and retry_after.strip().isdigit():
            delay = min(MAX_BACKOFF, max(delay, float(retry_after)))
        return delay

    def _decode(self, method, url, answer):
        try:
            return decode_json(answer.content or b'')
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_json_error(answer, method, url, exc) from None

    @staticmethod
    def check(value, shape, response, method='GET', path=''):
        """``value`` (from ``response``) when it fits ``shape``; an EmBadResponseError naming the URL and the place otherwise."""
        if shape is None:
            return value
        try:
            return shape.check(value, path)
        except ShapeError as exc:
            raise _unreadable(method, response.url, response.status, str(exc)) from None


def _unreadable(method, url, status, reason):
    return EmBadResponseError('Enterprise Manager answered something this collection cannot read', method=method, url=url, status=status,
                              reason=reason, hint='check that url points at Enterprise Manager; if it does, report this answer')


def _read_body(response):
    """The whole body, refusing more than MAX_BODY_BYTES (also when Content-Length announces more)."""
    length = str(response.headers.get('Content-Length') or '').strip()
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise _TooLarge()
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _TooLarge()
        chunks.append(chunk)
    return b''.join(chunks)


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
    session_id = data.get('session_id')
    if session_id:
        return session_id if is_valid_id(session_id) else None
    for link in data.get('links') or []:
        if link.get('rel') == 'Delete':
            return link_id(link.get('href'), 'logonSessions')
    return None
