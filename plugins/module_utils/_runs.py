# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs (job sessions) and their per-VM task sessions, read by id (internal; may change in any release).

A run is addressed by the type and id in its UID (``urn:veeam:BackupJobSession:<id>``), never through its
``Href``: ``/backupSessions/<id>``, ``/replicaSessions/<id>`` or ``/restoreSessions/<id>``; its task sessions
are ``/backupSessions/<id>/taskSessions`` and ``/replicaSessions/<id>/replicaTaskSessions`` [D: sessions.md].
"""

from __future__ import annotations

from ._errors import EmBadResponseError
from ._normalize import entity_id
from ._shapes import RUN, TASK_SESSION
from ._urls import api_path

STOPPED = 'Stopped'
# Run type (from the UID, lower case) -> (collection, task session sub-collection or None).
RUN_COLLECTIONS = {
    'backupjobsession': ('backupSessions', 'taskSessions'),
    'replicajobsession': ('replicaSessions', 'replicaTaskSessions'),
    'restoresession': ('restoreSessions', None),
}


def run_type(run):
    """``backupjobsession``, ``replicajobsession`` or ``restoresession`` from the run's UID (else its ``type``)."""
    uid = str(run.get('uid') or '')
    parts = uid.split(':')
    if len(parts) >= 4 and parts[0].lower() == 'urn':
        return parts[2].lower()
    return str(run.get('type') or '').lower()


def _collections(run):
    collections = RUN_COLLECTIONS.get(run_type(run))
    if collections is None:
        raise EmBadResponseError('Enterprise Manager answered something this collection cannot read',
                                 reason='a run with UID %r is not a backup, replica or restore session' % run.get('uid'))
    return collections


def run_path(run):
    """``backupSessions/<id>`` (or the replica or restore collection) of a run entity."""
    return api_path(_collections(run)[0], entity_id(run))


def is_running(run):
    return run is not None and run.get('state') != STOPPED


def get_run(em, run, shape=RUN):
    """The run read again by its id."""
    return em.get(run_path(run), params={'format': 'Entity'}, shape=shape)


def task_sessions(em, run):
    """The per-VM task sessions of a backup or replica run; None for runs that have none (restores)."""
    collection, sub = _collections(run)
    if sub is None:
        return None
    return em.items(api_path(collection, entity_id(run), sub), TASK_SESSION, params={'format': 'Entity'})
