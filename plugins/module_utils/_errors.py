# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors of the Enterprise Manager client (internal; may change in any release).

Every failure the client detects is an ``EmError`` subclass. ``str(error)`` is one readable line:
what failed, the request (method and URL), the HTTP status, Enterprise Manager's own message and
the likely fix. The attributes feed ``fail_json`` (see ``EmError.details``). No password or session token
leaves the client in an error: ``EmClient`` passes every error that leaves it through ``EmError.scrub``.
"""

from __future__ import annotations

import re

MAX_URL_CHARS = 300
MAX_TEXT_CHARS = 300

OUTCOME_NOT_ACCEPTED = 'The request was rejected before Enterprise Manager acted on it, so it was not accepted; it was not repeated'
OUTCOME_UNKNOWN = ('The request may or may not have been accepted by Enterprise Manager; it was not repeated. '
                   'Check the job state (for example its latest session) before you run it again')
OUTCOME_ACCEPTED = ('Enterprise Manager accepted the request, but its answer could not be read; it was not repeated. '
                    'Check the job state (for example its latest session) before you run it again')


# Attributes of an error that may hold server text (EmError.scrub passes them through the redaction point).
SCRUBBED = ('message', 'url', 'reason', 'em_message', 'hint', 'candidates', 'result')


def scrub_value(value, redact):
    """``value`` with ``redact`` applied to every string in it (dicts and lists are copied)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: scrub_value(item, redact) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_value(item, redact) for item in value]
    return value


def one_line(text, limit=MAX_TEXT_CHARS):
    """Collapse whitespace so the text fits on one line, and cut it at ``limit`` characters."""
    text = re.sub(r'\s+', ' ', str(text)).strip()
    if len(text) > limit:
        text = text[:limit - 3].rstrip() + '...'
    return text


def _sentence(text):
    text = one_line(text)
    return text if text.endswith(('.', '!', '?')) else text + '.'


class EmError(Exception):
    """Base class: a failed operation against Enterprise Manager."""

    kind = 'error'
    summary = 'Enterprise Manager request failed'
    default_hint = None

    def __init__(self, message=None, method=None, url=None, status=None, em_message=None, reason=None, hint=None, outcome=None):
        self.message = message or self.summary
        self.method = method
        self.url = url
        self.status = status
        self.em_message = em_message
        self.reason = reason
        self.hint = hint if hint is not None else self.default_hint
        self.outcome = outcome
        super().__init__(self.message)

    def __str__(self):
        head = one_line(self.message).rstrip('.:')
        if self.method or self.url:
            head += ': %s %s' % (self.method or '', one_line(self.url or '', MAX_URL_CHARS))
        if self.status is not None:
            head += ' returned HTTP %s' % self.status
        if self.reason:
            head += ' (%s)' % one_line(self.reason).rstrip('.')
        sentences = [head]
        if self.em_message:
            sentences.append('Enterprise Manager says: %s' % self.em_message)
        if self.outcome:
            sentences.append(self.outcome)
        if self.hint:
            sentences.append('Likely fix: %s' % self.hint)
        return one_line(' '.join(_sentence(text) for text in sentences), 4 * MAX_TEXT_CHARS)

    def scrub(self, redact):
        """Pass every text of the error through ``redact`` (see ``_redact.Secrets``); returns the error."""
        for name in SCRUBBED:
            setattr(self, name, scrub_value(getattr(self, name, None), redact))
        return self

    def details(self):
        """Keyword arguments for ``fail_json`` besides ``msg`` (values may be None)."""
        return {
            'error_kind': self.kind,
            'status': self.status,
            'url': self.url,
            'method': self.method,
            'em_message': self.em_message,
        }


class EmInputError(EmError, ValueError):
    """Bad input detected before anything was sent (options, filter values, references)."""

    kind = 'input'
    summary = 'Invalid input'


class EmHierarchyRefError(EmInputError):
    """A HierarchyObjRef that does not follow ``urn:<Platform>:<Type>:<RootId>.<ObjectRef>``."""

    kind = 'hierarchy_ref'
    summary = 'Malformed HierarchyObjRef'


class EmConnectionError(EmError):
    """Refused connection, unknown host name, connection reset."""

    kind = 'connection'
    summary = 'Cannot connect to Enterprise Manager'
    default_hint = ("check the host name and port in url (Enterprise Manager's REST API listens on HTTPS port 9398 by default) "
                    "and that no firewall blocks it")


class EmTlsError(EmConnectionError):
    """TLS handshake or certificate verification failed."""

    kind = 'tls'
    summary = 'TLS connection to Enterprise Manager failed'
    default_hint = ("set ca_path to the CA certificate (PEM) that signed Enterprise Manager's certificate, "
                    "or validate_certs=false in a lab you trust")


class EmTimeoutError(EmError):
    """No answer within the configured timeout."""

    kind = 'timeout'
    summary = 'Enterprise Manager did not answer in time'


class EmHttpError(EmError):
    """Base of errors that carry an HTTP status from Enterprise Manager."""

    kind = 'http'


class EmAuthError(EmHttpError):
    """401: bad credentials, account without an EM role, or an expired logon session."""

    kind = 'auth'
    summary = 'Enterprise Manager rejected the credentials'
    default_hint = ('check username and password (DOMAIN\\user or user@domain); the account needs an Enterprise Manager role '
                    '(Portal Administrator for jobs)')


class EmPermissionError(EmHttpError):
    """403: the account's role does not allow the request."""

    kind = 'permission'
    summary = 'Enterprise Manager denied access'
    default_hint = ('give the account the Portal Administrator role in Enterprise Manager (Configuration > Roles); '
                    'Portal User and restore operator roles cannot read or run jobs')


class EmNotFoundError(EmHttpError):
    """404, or an object that a lookup did not find."""

    kind = 'not_found'
    summary = 'Not found in Enterprise Manager'


class EmApiError(EmHttpError):
    """Any other 4xx/5xx answer, with Enterprise Manager's Error message when there is one."""

    kind = 'api'
    summary = 'Enterprise Manager returned an error'


class EmBadResponseError(EmError):
    """A response that cannot be used: not JSON, truncated, missing required parts, paging loop."""

    kind = 'bad_response'
    summary = 'Unusable response from Enterprise Manager'
    default_hint = 'check that url points at the Enterprise Manager REST API (https://<em-host>:9398) and not at another service or proxy'


class EmTaskError(EmError):
    """An asynchronous EM task finished with ``Success="false"``."""

    kind = 'task'
    summary = 'Enterprise Manager task failed'


class EmJobNotFoundError(EmNotFoundError):
    """No job matches the given name, id or uid (and backup server)."""

    kind = 'job_not_found'
    summary = 'Job not found'


class WithCandidates:
    """Mixin for errors that list what matched, or what came close, as ``candidates`` in ``fail_json``."""

    def __init__(self, message=None, candidates=None, **kwargs):
        self.candidates = list(candidates or [])
        super().__init__(message, **kwargs)

    def details(self):
        details = super().details()  # pylint: disable=no-member
        details['candidates'] = self.candidates
        return details


class EmAmbiguousJobError(WithCandidates, EmError):
    """More than one job matches; ``candidates`` lists them."""

    kind = 'ambiguous'
    summary = 'More than one job matches'


class EmVmNotFoundError(EmNotFoundError):
    """No VM matches a name or reference (among the VMs that jobs protect)."""

    kind = 'vm_not_found'
    summary = 'VM not found'


class EmVmNotProtectedError(EmNotFoundError):
    """The VM exists (or was named by its reference) but no job that the action needs protects it."""

    kind = 'vm_not_protected'
    summary = 'No job protects the VM'


class EmAmbiguousVmError(EmAmbiguousJobError):
    """More than one VM matches a name; ``candidates`` lists them (reference, hierarchy root, jobs)."""

    kind = 'ambiguous_vm'
    summary = 'More than one VM matches'
