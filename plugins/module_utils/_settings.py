# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module and plugin (internal; may change in any release).

``CONNECTION_OPTIONS`` is the one table of the connection options: ``connection_argument_spec()`` builds the
modules' argument spec from it, the plugins read the same names and environment variables, and a unit test holds
the doc fragment equal to it. ``EmSettings`` is the validated value object the client is built from (from module
params or plugin options).
"""

from __future__ import annotations

import base64
import math
import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.errors import AnsibleFallbackNotFound

from ._errors import EmInputError
from ._redact import Secrets

DEFAULT_TIMEOUT = 60
DEFAULT_API_VERSION = 'latest'


class ConnectionOption:
    """One connection option: its name, Ansible type, default, environment variable, and whether it is required or secret."""

    __slots__ = ('name', 'type', 'default', 'env', 'required', 'no_log')

    def __init__(self, name, type_, default=None, env=None, required=False, no_log=False):
        self.name = name
        self.type = type_
        self.default = default
        self.env = env
        self.required = required
        self.no_log = no_log


# The one table of connection options: it drives the modules' argument spec, the environment fallbacks of modules and
# plugins, EmSettings.from_params, and tests/unit hold the doc fragment (plugins/doc_fragments/connection.py) equal to it.
CONNECTION_OPTIONS = (
    ConnectionOption('url', 'str', env='VEEAM_EM_URL', required=True),
    ConnectionOption('username', 'str', env='VEEAM_EM_USERNAME', required=True),
    ConnectionOption('password', 'str', env='VEEAM_EM_PASSWORD', required=True, no_log=True),
    ConnectionOption('validate_certs', 'bool', default=True, env='VEEAM_EM_VALIDATE_CERTS'),
    ConnectionOption('ca_path', 'path', env='VEEAM_EM_CA_PATH'),
    ConnectionOption('timeout', 'float', default=DEFAULT_TIMEOUT, env='VEEAM_EM_TIMEOUT'),
    ConnectionOption('api_version', 'str', default=DEFAULT_API_VERSION),
)
CONNECTION_OPTION_NAMES = tuple(option.name for option in CONNECTION_OPTIONS)
CONNECTION_ENV_VARS = {option.name: option.env for option in CONNECTION_OPTIONS if option.env}

_API_VERSION_RE = re.compile(r'^(latest|v\d+_\d+)$')
_DEFAULT_PORTS = {'http': 80, 'https': 443}


def env_value(name):
    """The value of an environment variable, or None when it is unset, empty or only white space.

    AWX and Automation Controller inject every field of a custom credential, empty ones included; an empty
    ``VEEAM_EM_VALIDATE_CERTS`` or ``VEEAM_EM_TIMEOUT`` must leave the default in place, in modules and plugins alike.
    """
    value = os.environ.get(name)
    return value if value is not None and value.strip() else None


def nonempty_env_fallback(*names):
    """Like ansible's ``env_fallback``, but a variable that ``env_value`` counts as unset is skipped."""
    for name in names:
        value = env_value(name)
        if value is not None:
            return value
    raise AnsibleFallbackNotFound


def connection_argument_spec():
    """Return a fresh argument spec dict for the connection options (from CONNECTION_OPTIONS)."""
    spec = {}
    for option in CONNECTION_OPTIONS:
        entry = {'type': option.type}
        if option.required:
            entry['required'] = True
        if option.default is not None:
            entry['default'] = option.default
        if option.no_log:
            entry['no_log'] = True
        if option.env:
            entry['fallback'] = (nonempty_env_fallback, [option.env])
        spec[option.name] = entry
    return spec


class Origin(tuple):
    """``(scheme, host, port)`` of a URL, with the scheme's default port filled in."""

    __slots__ = ()

    def __new__(cls, url):
        try:
            parts = urlsplit(url)
        except ValueError:  # e.g. "https://[" (an unclosed IPv6 address): an origin that matches none
            return super().__new__(cls, ('', '', None))
        scheme = (parts.scheme or '').lower()
        try:
            port = parts.port
        except ValueError:
            port = None
        return super().__new__(cls, (scheme, (parts.hostname or '').lower(), port or _DEFAULT_PORTS.get(scheme)))


def _bad(option, value, why, fix):
    return EmInputError('Invalid value for option %s' % option, reason='%s: %s' % (why, value), hint=fix)


def normalise_url(url):
    """Validate ``url`` and return the Enterprise Manager base URL without ``/api`` and trailing slash."""
    text = str(url or '').strip()
    fix = 'use the form https://em01.example.com:9398 (with or without /api)'
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise _bad('url', text, 'not a valid URL (%s)' % exc, fix) from None
    if '@' in parts.netloc:
        raise EmInputError('Invalid value for option url', reason='the URL contains credentials',
                           hint='remove user:password@ from url and use the username and password options')
    if parts.scheme.lower() not in ('https', 'http') or not parts.hostname:
        raise _bad('url', text, 'not an http(s) URL with a host name', fix)
    try:
        parts.port  # pylint: disable=pointless-statement
    except ValueError:
        raise _bad('url', text, 'the port is not a number between 0 and 65535', fix) from None
    path = parts.path.rstrip('/')
    if path not in ('', '/api'):
        raise _bad('url', text, 'unexpected path %s' % parts.path, fix)
    if parts.query or parts.fragment:
        raise _bad('url', text, 'the URL has a query or fragment', fix)
    return '%s://%s' % (parts.scheme.lower(), parts.netloc)


class EmSettings:
    """Validated connection settings. ``repr()`` never shows the password."""

    def __init__(self, url, username, password, validate_certs=True, ca_path=None, timeout=DEFAULT_TIMEOUT, api_version=DEFAULT_API_VERSION):
        self.base_url = normalise_url(url)
        self.api_url = self.base_url + '/api'
        self.origin = Origin(self.base_url)
        self.username = _required_text('username', username)
        self.password = _required_text('password', password)
        self.validate_certs = bool(validate_certs)
        self.ca_path = ca_path or None
        if self.ca_path and not os.path.isfile(self.ca_path):
            raise _bad('ca_path', self.ca_path, 'no such file',
                       'point ca_path at a PEM file holding the CA certificate that signed the Enterprise Manager certificate')
        self.timeout = _timeout(timeout)
        self.api_version = _api_version(api_version)

    @classmethod
    def from_params(cls, params):
        """Build settings from a mapping holding the connection options (module params, plugin options)."""
        required = [params.get(option.name) for option in CONNECTION_OPTIONS if option.required]
        optional = {option.name: params.get(option.name) for option in CONNECTION_OPTIONS
                    if not option.required and params.get(option.name) is not None}
        return cls(*required, **optional)

    def basic_credentials(self):
        """``base64(username:password)`` of the UTF-8 credentials, as the Basic logon sends them."""
        pair = '%s:%s' % (self.username, self.password)
        return base64.b64encode(pair.encode('utf-8')).decode('ascii')

    def secrets(self):
        """A new ``Secrets`` with the password and the Basic credentials (clients add their tokens to it)."""
        return Secrets(self.password, self.basic_credentials())

    @property
    def verify(self):
        """The ``verify`` argument for requests: False, a CA bundle path, or True."""
        if not self.validate_certs:
            return False
        return self.ca_path or True

    @property
    def uses_tls(self):
        return self.origin[0] == 'https'

    def __repr__(self):
        return 'EmSettings(url=%r, username=%r, password=<hidden>, validate_certs=%r, ca_path=%r, timeout=%r, api_version=%r)' % (
            self.base_url, self.username, self.validate_certs, self.ca_path, self.timeout, self.api_version)


def _required_text(option, value):
    if value is None or str(value) == '':
        raise EmInputError('Missing value for option %s' % option,
                           hint='set %s or the environment variable %s' % (option, CONNECTION_ENV_VARS[option]))
    return str(value)


def _timeout(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise _bad('timeout', value, 'not a number', 'give the per-request timeout in seconds, for example 60') from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise _bad('timeout', value, 'must be greater than zero', 'give the per-request timeout in seconds, for example 60')
    return seconds


def _api_version(value):
    text = str(value or DEFAULT_API_VERSION).strip()
    if not _API_VERSION_RE.match(text):
        raise _bad('api_version', text, 'not "latest" or a version name like v1_7', 'use latest, v1_7, v1_6 or v1_5')
    return text
