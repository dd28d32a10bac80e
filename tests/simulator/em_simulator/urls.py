# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query strings as EM writes them in links: .NET ``UrlEncode`` style (space as ``+``, letters,
digits and ``-_.!*()`` kept), lower-case hex on EM 12 and upper-case hex on EM 13 [O: cen, hax, vbg;
examples/query-*.json, query-backupjobsession-entities.v13.json]."""

from __future__ import annotations

_SAFE = frozenset('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!*()')


def encode(text: str, upper_hex: bool = False) -> str:
    out = []
    pattern = '%{:02X}' if upper_hex else '%{:02x}'
    for char in text:
        if char in _SAFE:
            out.append(char)
        elif char == ' ':
            out.append('+')
        else:
            out.extend(pattern.format(byte) for byte in char.encode('utf-8'))
    return ''.join(out)


def query_string(pairs, upper_hex: bool = False) -> str:
    """``key=value&…`` with values encoded; ``*`` and the other safe characters stay as they are."""
    return '&'.join(f'{key}={encode(str(value), upper_hex)}' for key, value in pairs)
