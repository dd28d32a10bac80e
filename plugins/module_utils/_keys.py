# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON decoding with snake_case keys (internal; may change in any release).

Enterprise Manager 12 writes PascalCase JSON keys and Enterprise Manager 13 camelCase ones
(``CreationTimeUTC`` / ``creationTimeUTC``). Converting every object key to snake_case while parsing
makes both read the same (``creation_time_utc``), so no code above the session deals with casing.
Values are never touched.
"""

from __future__ import annotations

import functools
import json
import re

# "NASJobs" -> "NAS_Jobs", "VAppRestorePoints" -> "V_AppRestorePoints": split an upper-case run from the
# capitalised word that follows it.
_ACRONYM_BOUNDARY = re.compile(r'([A-Z]+)([A-Z][a-z])')
# "creationTime" -> "creation_Time", "retry1X" -> "retry1_X": split a lower-case letter or digit from an upper-case one.
_WORD_BOUNDARY = re.compile(r'([a-z0-9])([A-Z])')


@functools.lru_cache(maxsize=4096)
def snake_key(key):
    """Return the snake_case form of one JSON key (``UID`` -> ``uid``, ``sInObjectJob`` -> ``s_in_object_job``)."""
    text = _ACRONYM_BOUNDARY.sub(r'\1_\2', key)
    text = _WORD_BOUNDARY.sub(r'\1_\2', text)
    return text.lower()


def _snake_object(pairs):
    return {snake_key(key): value for key, value in pairs}


def decode_json(body):
    """Parse a response body (bytes or str) into Python objects with snake_case keys.

    A UTF-8 byte order mark is accepted. An empty body gives None. Raises ValueError (JSON syntax,
    truncation, nesting too deep for the parser) or UnicodeDecodeError (not UTF-8); the client turns both
    into a typed error.
    """
    if isinstance(body, bytes):
        body = body.decode('utf-8-sig')
    elif body.startswith('\ufeff'):
        body = body[1:]
    if not body.strip():
        return None
    try:
        return json.loads(body, object_pairs_hook=_snake_object)
    except RecursionError:
        raise ValueError('the JSON document is nested too deeply to be read') from None


def snake_keys(value):
    """Convert the keys of already-parsed JSON data (dicts and lists, recursively) to snake_case."""
    if isinstance(value, dict):
        return {snake_key(key): snake_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [snake_keys(item) for item in value]
    return value
