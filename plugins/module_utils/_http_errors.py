# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn transport exceptions and HTTP error answers into typed errors (internal; may change in any release).

Their texts may hold server data; ``EmClient`` passes every error that leaves it through the one redaction
point (``EmError.scrub``), so nothing here redacts.
"""

from __future__ import annotations

import html
import re

from ._errors import (
    OUTCOME_NOT_ACCEPTED,
    OUTCOME_UNKNOWN,
    EmApiError,
    EmAuthError,
    EmBadResponseError,
    EmConnectionError,
    EmNotFoundError,
    EmPermissionError,
    EmTimeoutError,
    EmTlsError,
    one_line,
)
from ._imports import requests
from ._keys import decode_json

_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\][^'\")]*")
# A repr in double quotes holds single quotes ("... not valid for '127.0.0.1'."): read it up to its closing quote.
_SSL_TEXT_QUOTED = re.compile(r'"(\[SSL[^\]]*\][^"]*)"')
_SSL_TEXT = re.compile(r"(\[SSL[^\]]*\][^'\"]*|certificate verify failed[^'\"]*)", re.IGNORECASE)
_SSL_LOCATION = re.compile(r"\s*\(_ssl\.c:\d+\)?")
_NESTED_ERROR = re.compile(r"(?:[A-Za-z]+Error|RemoteDisconnected)\((?:-?\d+, )?'([^']+)'\)")
_XML_MESSAGE = re.compile(r'<Error\b[^>]*\bMessage="([^"]*)"', re.IGNORECASE)
_TAG = re.compile(r'<[^>]+>')
_DNS_MARKERS = ('NameResolutionError', 'Name or service not known', 'getaddrinfo failed', 'nodename nor servname',
                'Temporary failure in name resolution', 'Failed to resolve')
_NOT_SENT_MARKERS = ('NewConnectionError', 'Failed to establish a new connection') + _DNS_MARKERS
_NOT_TLS_MARKERS = ('WRONG_VERSION_NUMBER', 'wrong version number', 'RECORD_LAYER_FAILURE', 'record layer failure',
                    'UNKNOWN_PROTOCOL', 'unknown protocol', 'HTTP_REQUEST', 'http request')
HTTPS_HINT = "Enterprise Manager serves its REST API over HTTPS (port 9398 by default): use an https:// URL"


def reason_of(exc):
    """The most telling part of a requests exception text, on one line."""
    text = _SSL_LOCATION.sub('', str(exc))
    for pattern in (_SSL_TEXT_QUOTED, _SSL_TEXT, _ERRNO_TEXT, _NESTED_ERROR):
        match = pattern.search(text)
        if match:
            return one_line(match.group(match.lastindex or 0).rstrip(' ,;:)'), 200)
    return one_line(text, 200)


def _has(text, markers):
    return any(marker in text for marker in markers)


def nothing_answered(exc):
    """True when no server answered at all: connection refused, host name not resolved, or connect timeout."""
    return isinstance(exc, requests.exceptions.ConnectTimeout) or _has(str(exc), _NOT_SENT_MARKERS)


def _tls_error(exc, method, url, settings):
    text = str(exc)
    hint = None
    if _has(text, _NOT_TLS_MARKERS):
        hint = ('the port does not speak TLS; check the port in url (Enterprise Manager uses HTTPS on 9398), '
                'or use http:// only if this endpoint really serves plain HTTP')
    elif 'mismatch' in text.lower() or "doesn't match" in text:
        hint = "connect with a host name that the server certificate names (see its subjectAltName), or set validate_certs=false in a lab you trust"
    elif settings.ca_path:
        hint = ('ca_path (%s) does not hold the CA certificate that signed the Enterprise Manager certificate; '
                'point it at the right PEM file, or set validate_certs=false in a lab you trust' % settings.ca_path)
    return EmTlsError(method=method, url=url, reason=reason_of(exc), hint=hint)


def error_from_exception(exc, method, url, settings, action=False):
    """Map a requests exception to an EmError. ``action`` marks a non-idempotent request (adds its outcome)."""
    exceptions = requests.exceptions
    text = str(exc)
    sent = not _has(text, _NOT_SENT_MARKERS)
    if isinstance(exc, exceptions.SSLError):
        error = _tls_error(exc, method, url, settings)
        sent = False
    elif isinstance(exc, exceptions.ConnectTimeout):
        error = EmTimeoutError('Could not connect to Enterprise Manager in time', method=method, url=url, reason=reason_of(exc),
                               hint='check the host name and port in url and that no firewall drops the connection')
        sent = False
    elif isinstance(exc, exceptions.Timeout):
        error = EmTimeoutError(method=method, url=url, reason='no complete answer within %g seconds' % settings.timeout,
                               hint='raise the timeout option (now %g s), or narrow the request with filters' % settings.timeout)
    elif isinstance(exc, (exceptions.ChunkedEncodingError, exceptions.ContentDecodingError)):
        error = EmBadResponseError('Response from Enterprise Manager was cut off', method=method, url=url, reason=reason_of(exc),
                                   hint='check the network path (proxies, load balancers) to Enterprise Manager and try again')
    elif isinstance(exc, exceptions.ProxyError):
        error = EmConnectionError('Cannot reach Enterprise Manager through the proxy', method=method, url=url, reason=reason_of(exc),
                                  hint='check HTTPS_PROXY/NO_PROXY in the environment of the host that runs the module')
    else:
        error = EmConnectionError(method=method, url=url, reason=reason_of(exc))
        if _has(text, _DNS_MARKERS):
            error.hint = 'the host name in url does not resolve; check its spelling and DNS'
        elif sent and not settings.uses_tls:
            error.hint = 'the connection was dropped; ' + HTTPS_HINT
    if action:
        error.outcome = OUTCOME_UNKNOWN if sent else OUTCOME_NOT_ACCEPTED
    return error


def em_message_of(response):
    """Enterprise Manager's error text from a JSON or XML ``Error`` body, else a short cleaned text of the body."""
    body = response.content or b''
    try:
        data = decode_json(body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if isinstance(data, dict):
        message = data.get('message') or data.get('first_chance_exception_message')
        return one_line(message) if isinstance(message, str) and message else None
    text = body.decode('utf-8', 'replace').lstrip('\ufeff')
    match = _XML_MESSAGE.search(text)
    if match:
        return one_line(html.unescape(match.group(1)))
    text = one_line(html.unescape(_TAG.sub(' ', text)), 200)
    return text or None


def _is_json(response):
    return 'json' in (response.headers.get('Content-Type') or '').lower()


def error_from_response(response, method, url, settings, action=False, logon=False):
    """Map a non-2xx answer to an EmError subclass by status."""
    status = response.status_code
    message = em_message_of(response)
    kwargs = {'method': method, 'url': url, 'status': status, 'em_message': message}
    if status == 401:
        if logon:
            error = EmAuthError('Logon to Enterprise Manager failed', **kwargs)
        else:
            error = EmAuthError('Enterprise Manager rejected the logon session', hint='run again; if it persists check the account roles', **kwargs)
    elif status == 403:
        error = EmPermissionError(**kwargs)
    elif status == 404:
        error = EmNotFoundError(**kwargs)
    elif 300 <= status < 400:
        error = EmApiError('Enterprise Manager answered with a redirect', reason='to %s' % response.headers.get('Location', '?'),
                           hint='set url to the Enterprise Manager REST endpoint itself; redirects are not followed so the token never goes elsewhere',
                           **kwargs)
    else:
        error = EmApiError(**kwargs)
        if status == 503:
            error.hint = 'Enterprise Manager is starting or overloaded; try again in a few minutes'
        elif status == 400 and not settings.uses_tls and not _is_json(response):
            error.hint = HTTPS_HINT
    if action:
        error.outcome = OUTCOME_UNKNOWN if status >= 500 else OUTCOME_NOT_ACCEPTED
    return error


def _unbalanced(body):
    """True when a JSON text ends inside a string or with brackets still open (a cut-off body)."""
    depth, in_string, escaped = 0, False, False
    for char in body.decode('utf-8', 'replace'):
        if in_string:
            if escaped:
                escaped = False
            elif char == '\\':
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in '[{':
            depth += 1
        elif char in ']}':
            depth -= 1
    return in_string or depth > 0


def bad_json_error(response, method, url, exc):
    """A 2xx answer whose body is not usable JSON."""
    body = response.content or b''
    head = body.lstrip(b'\xef\xbb\xbf \r\n\t')[:1]
    if head == b'<':
        reason = 'the body is XML or HTML, not JSON'
    elif _unbalanced(body):
        reason = 'the JSON body ends early (truncated after %d bytes)' % len(body)
    else:
        reason = 'the body is not valid JSON (%s)' % one_line(str(exc), 120)
    return EmBadResponseError(method=method, url=url, status=response.status_code, reason=reason)
