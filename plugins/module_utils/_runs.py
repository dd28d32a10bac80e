# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs (job sessions) and their per-VM task sessions, read by id (internal; may change in any release).

A run is addressed by the type and id in its UID (``urn:veeam:BackupJobSession:<id>``), never through its
``Href``: ``/backupSessions/<id>``, ``/replicaSessions/<id>`` or ``/restoreSessions/<id>``; its task sessions
are ``/backupSessions/<id>/taskSessions`` and ``/replicaSessions/<id>/replicaTaskSessions`` [D: sessions.md].
"""

from __future__ import annotations

from ._errors import EmBadResponseError
from ._normalize import entity_id, normalize_backup_server
from ._query import all_of, any_of, eq, one_of
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


TASK_SESSION_TYPES = {'backupjobsession': 'BackupTaskSession', 'replicajobsession': 'ReplicaTaskSession'}
RUN_PAGE_SIZE = 500
CHUNK = 40


class RunsApi:
    """Queries of runs and of their task sessions over an open EmClient; callers build the filters (``_query``)."""

    def __init__(self, em, page_size=RUN_PAGE_SIZE):
        self.em = em
        self.page_size = page_size

    def runs(self, query_type='BackupJobSession', expr=None, sort_desc='CreationTime', limit=None, sort_asc=None):
        """Runs of ``query_type`` (``BackupJobSession`` or ``ReplicaJobSession``) matching ``expr``, newest first (or
        ascending by the field ``sort_asc`` when given).

        With ``limit`` only the first pages up to that many runs are read.
        """
        found = []
        for run in self.em.query(query_type, expr, sort_asc=sort_asc, sort_desc=None if sort_asc else sort_desc,
                                 page_size=min(self.page_size, limit or self.page_size)):
            found.append(run)
            if limit is not None and len(found) >= limit:
                break
        return found

    def by_uids(self, uids, query_type='BackupJobSession'):
        """``{run uid (lower case): run}`` of the runs with these UIDs: one query per ``CHUNK`` runs, whatever their number."""
        uids = list(dict.fromkeys(str(uid) for uid in uids if uid))
        found = {}
        for start in range(0, len(uids), CHUNK):
            wanted = {uid.lower() for uid in uids[start:start + CHUNK]}
            for run in self.em.query(query_type, one_of('UID', uids[start:start + CHUNK]), page_size=self.page_size):
                uid = str(run.get('uid') or '').lower()
                if uid in wanted:
                    found[uid] = run
        return found

    def latest_by_job_name(self, jobs, query_type='BackupJobSession'):
        """``{(job name, backup server name), both lower case: newest run}`` for ``jobs``, pairs of a job name and the name of
        its backup server ('' for any). One query per ``CHUNK`` jobs, plus one more per round when some jobs of a chunk
        ran much less recently than the others; jobs without runs are absent.
        """
        pairs = {(str(name).lower(), str(server or '').lower()): (name, server) for name, server in jobs}
        keys = sorted(pairs)
        found = {}
        for start in range(0, len(keys), CHUNK):
            missing = {key: pairs[key] for key in keys[start:start + CHUNK]}
            while missing:
                before = len(missing)
                expr = any_of(*(all_of(eq('JobName', name), eq('BackupServerName', server) if server else None)
                                for name, server in missing.values()))
                runs, more = self.em.query_first_page(query_type, expr, sort_desc='CreationTime', page_size=self.page_size)
                for run in runs:
                    name = str(run.get('job_name') or '').lower()
                    for key in [(name, str(normalize_backup_server(run)['name'] or '').lower()), (name, '')]:
                        if key in missing:
                            found[key] = run
                            del missing[key]
                if not more or len(missing) == before:
                    break
        return found

    def task_sessions_of(self, runs):
        """``{run uid (lower case): [task session entities]}``: one query per run type and per ``CHUNK`` runs.

        Task sessions are found by ``JobSessionUid`` [D: get_query_backuptasksession]; runs without any get [].
        """
        found = {str(run.get('uid')).lower(): [] for run in runs}
        by_type = {}
        for run in runs:
            query_type = TASK_SESSION_TYPES.get(run_type(run))
            if query_type is not None:
                by_type.setdefault(query_type, []).append(run.get('uid'))
        for query_type, uids in sorted(by_type.items()):
            for start in range(0, len(uids), CHUNK):
                for item in self.em.query(query_type, one_of('JobSessionUid', uids[start:start + CHUNK]), sort_asc='CreationTime',
                                          page_size=self.page_size):
                    owner = str(item.get('job_session_uid') or '').lower()
                    if owner in found:
                        found[owner].append(item)
        return found

    def task_sessions(self, expr, query_type='BackupTaskSession', sort_desc='CreationTime'):
        """Task sessions matching ``expr`` (for example ``VmDisplayName`` and ``CreationTime`` terms), newest first."""
        return list(self.em.query(query_type, expr, sort_desc=sort_desc, page_size=self.page_size))
