# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The record the backup_before_change role keeps per host (internal; may change in any release).

The fact ``veeam_backup_before_change`` names the backup a later rollback returns to; the role
veeamops.em.rollback_change reads it (plugins/filter/rollback_plan.py). Both methods of the role build it here, so
that it always has the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping

SESSION_KEYS = ('id', 'name', 'result', 'creation_time', 'end_time')
POINT_KEYS = ('id', 'uid', 'creation_time')
JOB_KEYS = ('name', 'id')


def _subset(value, keys):
    """The ``keys`` of a dictionary (missing ones are None), or None when ``value`` is not a non-empty dictionary."""
    if not isinstance(value, Mapping) or not value:
        return None
    return {key: value.get(key) for key in keys}


def session_of(run):
    """A run as the record shows it: ``id``, ``name``, ``result``, ``creation_time``, ``end_time``; None without a run."""
    return _subset(run, SESSION_KEYS)


def point_of(point):
    """A VM restore point as the record shows it: ``id``, ``uid``, ``creation_time``; None without an id or UID."""
    found = _subset(point, POINT_KEYS)
    if found is None or not (found['id'] or found['uid']):
        return None
    return found


def record(ref=None, name=None, result=None, method=None, backup_server=None, job=None, session=None, restore_point=None,
           recorded_at=None, note=None):
    """The fact ``veeam_backup_before_change`` of one host, always with the same keys."""
    return {
        'ref': ref or None,
        'name': name or None,
        'result': result or None,
        'method': method,
        'backup_server': backup_server or None,
        'job': _subset(job, JOB_KEYS),
        'session': session,
        'restore_point': restore_point,
        'recorded_at': recorded_at,
        'note': note or None,
    }
