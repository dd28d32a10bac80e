# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Times: Enterprise Manager's date-times, and the ``since`` options of the modules (internal; may change in any release).

Enterprise Manager writes UTC date-times such as ``2026-03-01T21:00:12.437Z`` (``CreationTimeUTC``) and
compares filter values of the form ``"2026-03-01T21:00:12Z"``. Options take an ISO 8601 time
(``2026-03-01T21:00:00Z``, ``2026-03-01 22:00+01:00``, a date alone) or an age (``30m``, ``24h``, ``7d``,
``2w``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ._errors import EmInputError

_EM_TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$',
                      re.IGNORECASE)
_AGE = re.compile(r'^(\d+(?:\.\d+)?)\s*([smhdw])$', re.IGNORECASE)
_AGE_UNITS = {'s': 'seconds', 'm': 'minutes', 'h': 'hours', 'd': 'days', 'w': 'weeks'}


def utc_now():
    """The current time, aware, in UTC (tests replace this function)."""
    return datetime.now(timezone.utc)


def parse_time(text):
    """An ISO 8601 date-time as an aware UTC datetime without fraction of a second, or None when it is not one.

    A time without zone is taken as UTC, as Enterprise Manager's own fields are.
    """
    match = _EM_TIME.match(str(text or '').strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=timezone.utc)
    except ValueError:
        return None
    if zone and zone.upper() != 'Z':
        digits = zone[1:].replace(':', '')
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment = moment - offset if zone[0] == '+' else moment + offset
    return moment


# Enterprise Manager's date-times, floored to the second (the name it had in the job actions).
floor_to_second = parse_time

_FRACTION = re.compile(r'\d{2}:\d{2}:\d{2}[.,](\d+)')


def parse_instant(text):
    """Like ``parse_time``, but keeping the fraction of a second (to the microsecond): for durations and ordering."""
    moment = parse_time(text)
    if moment is None:
        return None
    match = _FRACTION.search(str(text))
    if match:
        moment += timedelta(microseconds=int((match.group(1) + '000000')[:6]))
    return moment


def parse_since(value, option='since', now=None):
    """``value`` as an aware UTC datetime: an ISO 8601 time, or an age before ``now`` (``30m``, ``24h``, ``7d``, ``2w``).

    Raises EmInputError naming ``option`` for anything else, before any request is sent.
    """
    text = str(value or '').strip()
    age = _AGE.match(text)
    if age:
        amount, unit = float(age.group(1)), age.group(2).lower()
        try:
            return (now or utc_now()) - timedelta(**{_AGE_UNITS[unit]: amount})
        except (OverflowError, ValueError):
            raise EmInputError('Invalid value for option %s: %r' % (option, text), reason='that age reaches before the year 1',
                               hint='give a shorter age, or an ISO 8601 time such as 2026-03-01T21:00:00Z') from None
    moment = parse_time(text)
    if moment is None:
        raise EmInputError('Invalid value for option %s: %r' % (option, text),
                           hint='give an ISO 8601 time such as 2026-03-01T21:00:00Z, or an age such as 30m, 24h or 7d')
    return moment


def age_seconds(text, now=None):
    """Seconds between an Enterprise Manager date-time and ``now``; None when ``text`` is not a date-time."""
    moment = parse_time(text)
    if moment is None:
        return None
    return ((now or utc_now()) - moment).total_seconds()
