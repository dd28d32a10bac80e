# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-request context: media type negotiation, authentication, roles, replies."""

from __future__ import annotations

import re

from . import shapes
from .http import ACCESS_DENIED, SESSION_EXPIRED, ApiError, Response
from .parse import parse_body
from .render import Style, document

ADMIN, USER, RESTORE = 'PortalAdministrator', 'PortalUser', 'RestoreOperator'
FILE_RESTORE = 'FileRestoreOperator'  # and the other item-level restore operators: read-only restore side [restore.md]
TOKEN_HEADER = 'X-RestSvcSessionId'
_LOCAL_HOST = re.compile(r'^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$', re.IGNORECASE)


def negotiate(accept: str) -> str:
    """JSON only when ``Accept`` contains ``application/json``; XML otherwise, also for ``*/*`` [D; O: by2]."""
    return 'json' if 'application/json' in accept.lower() else 'xml'


def content_type(media: str) -> str:
    return 'application/json; charset=utf-8' if media == 'json' else 'application/xml; charset=utf-8'


def cookie_token(cookie_header: str):
    for part in cookie_header.split(';'):
        name, _sep, value = part.strip().partition('=')
        if name == TOKEN_HEADER and value:
            return value.strip('"')
    return None


class Ctx:
    def __init__(self, app, request, now):
        self.app = app
        self.request = request
        self.now = now
        self.sim = app.sim
        self.estate = app.sim.estate
        self.media = negotiate(request.header('Accept'))
        host = request.header('Host')
        host = host if _LOCAL_HOST.match(host) else f'127.0.0.1:{app.port}'
        config = app.sim.config
        self.style = Style(f'{request.scheme}://{host}/api', config.casing, now.date().isoformat())
        self.bom = config.bom
        self.logon = None

    @property
    def query(self) -> dict:
        return self.request.query

    # ------------------------------------------------------------------ auth

    def authenticate(self) -> None:
        """The cookie wins over the header [D: http_authentication]; 401 when missing, unknown or expired."""
        token = cookie_token(self.request.header('Cookie')) or self.request.header(TOKEN_HEADER)
        logon = self.app.logons.resolve(token) if token else None
        if logon is None:
            raise ApiError(401, SESSION_EXPIRED)
        self.logon = logon

    def has_role(self, *roles) -> bool:
        return bool(self.logon.account.roles.intersection(roles))

    def require(self, *roles) -> None:
        if not self.has_role(*roles):
            raise ApiError(403, ACCESS_DENIED)

    # ------------------------------------------------------------------ requests

    def body(self, root_name: str, shape) -> dict:
        return parse_body(self.request.body, self.media, root_name, shape)

    def wants_entity(self) -> bool:
        """``?format=Entity`` [D]; any other ``format`` value is refused [I]."""
        value = self.query.get('format')
        if value is None:
            return False
        if value.lower() != 'entity':
            raise ApiError(400, f"Unsupported format '{value}'; use format=Entity or leave it out.")
        return True

    def action(self, allowed) -> str:
        """The ``action`` parameter, case-sensitive as written in EM's links [I: jobs.md]."""
        action = self.query.get('action')
        if action is None:
            raise ApiError(400, f"The action parameter is required; one of: {', '.join(allowed)}.")
        if action not in allowed:
            raise ApiError(400, f"Unknown action '{action}'; supported here: {', '.join(allowed)}.")
        return action

    # ------------------------------------------------------------------ replies

    def reply(self, status: int, tag: str, shape, data: dict, headers=()) -> Response:
        body = document(tag, shape, data, self.style, self.media, self.bom)
        return Response(status, body, [('Content-Type', content_type(self.media))] + list(headers))

    def error(self, status: int, message: str, headers=()) -> Response:
        data = {'Message': message, 'StatusCode': status, 'Status': None, 'FirstChanceExceptionMessage': message, 'StackTrace': None}
        return self.reply(status, 'Error', shapes.ERROR, data, headers)

    def no_content(self) -> Response:
        return Response(204)
