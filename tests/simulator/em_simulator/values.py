# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scalar value types and their wire formats (dates, schedule clock times, GUIDs)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

_CLOCK_RE = re.compile(
    r'(?:(?P<date>\d{4}-\d{2}-\d{2})[T ])?(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?'
    r'(?P<tz>Z|[+-]\d{2}:?\d{2})?')
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


class ClockTime:
    """A schedule time of day with its UTC offset.

    XML writes ``22:00:00.0000000+01:00``; JSON writes a full date-time ``2026-03-02T22:00:00+01:00``
    [D: get_jobs_id examples; O: by3]. Requests may use either form, also in JSON
    [D: put_jobs_id_actionedit JSON example uses the XML form].
    """

    __slots__ = ('hour', 'minute', 'second', 'offset_minutes')

    def __init__(self, hour: int, minute: int, second: int = 0, offset_minutes: int = 0):
        if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
            raise ValueError(f'{hour:02d}:{minute:02d}:{second:02d} is not a time of day')
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offset_minutes = offset_minutes

    @classmethod
    def parse(cls, text: str) -> ClockTime:
        match = _CLOCK_RE.fullmatch(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a time such as 22:00:00.0000000+01:00")
        offset = 0
        zone = match.group('tz')
        if zone and zone != 'Z':
            digits = zone[1:].replace(':', '')
            offset = (int(digits[:2]) * 60 + int(digits[2:])) * (-1 if zone[0] == '-' else 1)
        return cls(int(match.group('h')), int(match.group('m')), int(match.group('s') or 0), offset)

    def _offset(self) -> str:
        sign = '-' if self.offset_minutes < 0 else '+'
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f'{sign}{hours:02d}:{minutes:02d}'

    def xml(self) -> str:
        return f'{self.hour:02d}:{self.minute:02d}:{self.second:02d}.0000000{self._offset()}'

    def json(self, day: str) -> str:
        return f'{day}T{self.hour:02d}:{self.minute:02d}:{self.second:02d}{self._offset()}'

    def __eq__(self, other):
        return isinstance(other, ClockTime) and self.xml() == other.xml()

    def __hash__(self):
        return hash(self.xml())

    def __repr__(self):
        return f'ClockTime({self.xml()})'


def utc(year, month, day, hour=0, minute=0, second=0, microsecond=0) -> datetime:
    return datetime(year, month, day, hour, minute, second, microsecond, tzinfo=timezone.utc)


def format_datetime(value: datetime, profile: str) -> str:
    """EM 12: milliseconds (``…:17.233Z``); EM 13: up to microseconds, trailing zeros trimmed [O: cen, hax; D13.1].

    Whole seconds are written without a fraction (``NextRun`` ``2026-03-02T21:00:00Z`` [D: get_jobs_id]).
    """
    value = value.astimezone(timezone.utc)
    text = value.strftime('%Y-%m-%dT%H:%M:%S')
    if value.microsecond:
        fraction = f'{value.microsecond:06d}'
        fraction = fraction[:3] if profile == 'v12' else fraction.rstrip('0')
        text += '.' + fraction
    return text + 'Z'


def session_time_suffix(value: datetime, profile: str) -> str:
    """Start time in session names: ``2026-03-01 21:00:12`` (EM 12), ``…21:00:12.437413`` (EM 13) [O: hax]."""
    value = value.astimezone(timezone.utc)
    text = value.strftime('%Y-%m-%d %H:%M:%S')
    return text if profile == 'v12' else f'{text}.{value.microsecond:06d}'


def restore_point_name(value: datetime) -> str:
    """``Mar  1 2026  9:00PM`` — the name of restore point links [O: cen, hax v12]."""
    value = value.astimezone(timezone.utc)
    hour12 = value.hour % 12 or 12
    suffix = 'AM' if value.hour < 12 else 'PM'
    return f'{_MONTHS[value.month - 1]} {value.day:>2} {value.year} {hour12:>2}:{value.minute:02d}{suffix}'


def parse_datetime(text: str) -> datetime:
    """ISO 8601, ``Z`` or offset optional (UTC when absent)."""
    text = text.strip()
    if text.endswith(('Z', 'z')):
        text = text[:-1] + '+00:00'
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


_DURATION_RE = re.compile(r'([+-]?)(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s?)?')


def parse_duration(value) -> float:
    """Seconds from a number or a text such as ``90``, ``2.5s``, ``-1d2h``, ``30m``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(' ', '')
    match = _DURATION_RE.fullmatch(text)
    if not text or not match or not any(match.groups()[1:]):
        raise ValueError(f"'{value}' is not a duration such as 90, 2.5s, 30m, 4h or -1d2h")
    sign, days, hours, minutes, seconds = match.groups()
    total = float(days or 0) * 86400 + float(hours or 0) * 3600 + float(minutes or 0) * 60 + float(seconds or 0)
    return -total if sign == '-' else total


def time_spec(value, now: datetime) -> datetime:
    """An absolute ISO date-time, or a duration relative to ``now`` (``-1d``, ``+30d``)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value).strip()
    if re.match(r'^\d{4}-\d{2}-\d{2}', text):
        return parse_datetime(text)
    return now + timedelta(seconds=parse_duration(text))


def new_guid(rng=None) -> str:
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))
