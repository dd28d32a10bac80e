# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport-neutral request and response objects, and the error every handler may raise."""

from __future__ import annotations

from urllib.parse import parse_qsl, unquote

# Message texts of the errors the simulator raises itself. Documented or observed where the
# reference has them, otherwise [I] (errors.md: "match on the status code, never on text").
ACCESS_DENIED = 'Access denied.'                                            # [D: authentication_and_security]
NODE_ROOT = 'Node [root] does not exist.'                                    # [O: by1]
NULL_REFERENCE = 'Object reference not set to an instance of an object.'    # [O: community capture]
SESSION_EXPIRED = 'Authentication failed: the logon session does not exist or has expired.'  # [I: examples/error-401.*]


class ApiError(Exception):
    """An HTTP error answered with EM's ``Error`` body in the negotiated media type [errors.md]."""

    def __init__(self, status: int, message: str, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers or ())


class Request:
    __slots__ = ('method', 'path', 'raw_query', 'query', 'headers', 'body', 'scheme', 'host')

    def __init__(self, method: str, target: str, headers, body: bytes = b'', scheme: str = 'https', host: str = '127.0.0.1'):
        self.method = method.upper()
        path, _sep, raw_query = target.partition('?')
        self.path = unquote(path)
        self.raw_query = raw_query
        self.query = {}
        for key, value in parse_qsl(raw_query, keep_blank_values=True):
            self.query.setdefault(key, value)
        self.headers = headers
        self.body = body
        self.scheme = scheme
        self.host = host

    def header(self, name: str, default: str = '') -> str:
        value = self.headers.get(name)
        return default if value is None else value


class Response:
    """``fault`` asks the transport to misbehave: ('reset'|'slow'|'drip'|'malformed'|'truncate', parameter)."""

    __slots__ = ('status', 'headers', 'body', 'route', 'logon_id', 'fault')

    def __init__(self, status: int, body: bytes = b'', headers=None, route: str = None):
        self.status = status
        self.body = body
        self.headers = list(headers or ())
        self.route = route
        self.logon_id = None
        self.fault = None
