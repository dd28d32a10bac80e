# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request paths built from validated parts, and links from Enterprise Manager read without being followed
(internal; may change in any release).

Every request goes to the configured origin (``EmSettings.api_url``) plus a path that this module built
from constant collection names and validated ids; the query string is built by requests from a dict. A
link that Enterprise Manager returns (``Href`` of an entity, of a task's ``Related`` link, ...) is never
sent as given: ``link_segments`` parses it, refuses anything that is not plainly a path under ``/api``
(user info, backslashes, dot segments, encoded separators, another scheme), and the caller takes the id
it needs from the segments to build its own path.

[I] Enterprise Manager renders links with the host name it knows itself by, which may differ from the
name in ``url`` (an IP address or an alias), so the host part of a link is not compared with ``url``:
only its path is used, and only on the configured origin.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote, urlsplit

from ._errors import EmBadResponseError, EmInputError

# An id in a path: GUIDs, "task-12", hierarchy ids; never "", ".", "..", "/", "%" or a backslash.
_ID = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._~-]{0,199}$')
_CONTROL = re.compile(r'[\x00-\x20\x7f\\]')


def is_valid_id(value):
    return isinstance(value, str) and bool(_ID.match(value)) and '..' not in value


def check_id(value, what='id'):
    """``value`` when it can stand as one path segment; EmInputError otherwise (ids given by the user)."""
    text = '' if value is None else str(value)
    if not is_valid_id(text):
        raise EmInputError('Invalid %s: %r' % (what, text),
                           hint='give the GUID as Enterprise Manager shows it (the last part of the UID), for example '
                                '47752464-8e77-407a-a936-132173ac15f5')
    return text


def api_path(*parts):
    """``api_path('jobs', job_id, 'includes')`` -> ``'jobs/<id>/includes'``; every part must be a valid segment."""
    for part in parts:
        if not is_valid_id(part):
            raise EmBadResponseError('Enterprise Manager answered something this collection cannot read',
                                     reason='%r cannot be part of a request path' % (part,),
                                     hint='an id in an answer of Enterprise Manager has an unexpected form; report the answer')
    return '/'.join(parts)


def link_segments(href):
    """The path segments after ``/api`` of a link from Enterprise Manager, or None when it is not plainly an API link.

    ``https://em01:9398/api/restoreSessions/<id>?format=Entity`` -> ``['restoreSessions', '<id>']``. Parsed links are
    remembered (the same backup server or restore point link comes with thousands of entities).
    """
    if not isinstance(href, str) or not href:
        return None
    segments = _segments(href)
    return None if segments is None else list(segments)


@functools.lru_cache(maxsize=8192)
def _segments(href):
    """``link_segments`` of a non-empty string, as a tuple."""
    if _CONTROL.search(href):
        return None
    try:
        parts = urlsplit(href)
        port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ('http', 'https') or not parts.hostname or '@' in parts.netloc or port == 0:
            return None
        if '[' in parts.netloc.replace('[' + parts.hostname + ']', ''):
            return None  # brackets anywhere but around an IPv6 address
    path = parts.path
    if '%' in path and unquote(path) != path:
        return None  # encoded separators or dots would mean something else after decoding
    segments = path.split('/')
    if len(segments) < 2 or segments[0] != '' or segments[1] != 'api':
        return None
    rest = segments[2:]
    if rest and rest[-1] == '':
        rest = rest[:-1]
    if not all(is_valid_id(segment) for segment in rest):
        return None
    return tuple(rest)


def link_id(href, *collection):
    """The id in a link of the form ``/api/<collection...>/<id>``, or None when the link has another form."""
    segments = link_segments(href)
    if segments is None or len(segments) != len(collection) + 1:
        return None
    if [segment.lower() for segment in segments[:-1]] != [name.lower() for name in collection]:
        return None
    return segments[-1]
