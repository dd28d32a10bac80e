# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job sessions and task sessions [sessions.md].

``GET /backupSessions`` and ``/backupSessions/{id}/taskSessions`` list the last 30 days only
[D: get_backupsessions; D13.1: get_backupsessions_id_tasksessions]; the same limit is applied to
``/replicaSessions`` and ``/backupTaskSessions`` [I]; single resources and the query service are not
limited [I]. ``/backupSessions`` holds the sessions of VM backup and copy jobs, agent and file
share jobs [D: get_backupsessions_id]. A task session of a replica run is a ``ReplicaTaskSession``,
under ``/replicaTaskSessions`` and ``/replicaSessions/{id}/replicaTaskSessions`` (both limited to the
last 30 days [D: get_replicatasksessions, get_replicasessions_id_replicatasksessions]); one of a backup
run is a ``BackupTaskSession``; neither shows under the other's resources. Sessions are
shown as EM has collected them (collect.py): with ``session_collect_delay`` a run not collected yet
is unknown here (404) and a collected one shows its state of that time.
"""

from __future__ import annotations

from datetime import timedelta

from .. import shapes
from ..collect import seen_session, seen_sessions, seen_task_session, seen_task_sessions
from ..context import ADMIN, USER
from ..model import AGENT, NAS
from ..views import session_entity, session_ref, task_session_entity, task_session_ref
from .common import not_found, reply_list, reply_one, reply_task

LIST_WINDOW = timedelta(days=30)


def _recent(ctx, items):
    oldest = ctx.now - LIST_WINDOW
    return [item for item in items if item.created >= oldest]


def _sessions(ctx, family, kind=None):
    return seen_sessions(ctx, [session for session in ctx.estate.sessions.values()
                               if session.family == family and (kind is None or session.job.kind == kind)])


def _session_or_404(ctx, session_id, family):
    session = ctx.estate.session(session_id, family)
    session = seen_session(ctx, session) if session is not None else None
    if session is None:
        raise not_found('Replica job session' if family == 'replica' else 'Backup job session', session_id)
    return session


def get_backup_sessions(ctx, kind=None):
    ctx.require(ADMIN, USER)
    return reply_list(ctx, 'backup_session', _recent(ctx, _sessions(ctx, 'backup', kind)), 'BackupJobSessions', shapes.BACKUP_JOB_SESSIONS)


def get_agent_backup_sessions(ctx):
    ctx.require(ADMIN)
    return get_backup_sessions(ctx, AGENT)


def get_nas_backup_sessions(ctx):
    ctx.require(ADMIN)
    return get_backup_sessions(ctx, NAS)


def get_backup_session(ctx, session_id):
    ctx.require(ADMIN, USER)
    session = _session_or_404(ctx, session_id, 'backup')
    return reply_one(ctx, 'backup_session', session, 'BackupJobSession', shapes.BACKUP_JOB_SESSION, session_entity, session_ref)


def post_backup_session(ctx, session_id):
    """``?action=stop`` → 202 + ``StopJobSession`` task; Portal Administrator only [D: post_backupsessions_id_stop, security_roles_concept]."""
    ctx.require(ADMIN)
    seen = _session_or_404(ctx, session_id, 'backup')
    ctx.action(('stop',))
    session = ctx.estate.session(seen.id)  # the backup server acts on the run as it is, not as EM shows it
    return reply_task(ctx, ctx.sim.actions.stop_session(ctx.logon, session, ctx.now, ctx.style.profile))


def get_task_sessions_of_session(ctx, session_id):
    ctx.require(ADMIN, USER)
    seen = _session_or_404(ctx, session_id, 'backup')
    items = seen_task_sessions(ctx, _recent(ctx, ctx.estate.session(seen.id).task_sessions))
    return reply_list(ctx, 'task_session', items, 'BackupTaskSessions', shapes.BACKUP_TASK_SESSIONS)


def get_replica_sessions(ctx):
    ctx.require(ADMIN, USER)
    return reply_list(ctx, 'replica_session', _recent(ctx, _sessions(ctx, 'replica')), 'ReplicaJobSessions', shapes.REPLICA_JOB_SESSIONS)


def get_replica_session(ctx, session_id):
    ctx.require(ADMIN, USER)
    session = _session_or_404(ctx, session_id, 'replica')
    return reply_one(ctx, 'replica_session', session, 'ReplicaJobSession', shapes.REPLICA_JOB_SESSION, session_entity, session_ref)


def get_replica_task_sessions(ctx, session_id):
    ctx.require(ADMIN, USER)
    seen = _session_or_404(ctx, session_id, 'replica')
    items = seen_task_sessions(ctx, _recent(ctx, ctx.estate.session(seen.id).task_sessions))
    return reply_list(ctx, 'replica_task_session', items, 'ReplicaTaskSessions', shapes.REPLICA_TASK_SESSIONS)


def _task_sessions(ctx, family):
    ctx.require(ADMIN, USER)
    return seen_task_sessions(ctx, _recent(ctx, ctx.estate.task_sessions_of(family)))


def _task_session_or_404(ctx, task_session_id, family):
    ctx.require(ADMIN, USER)
    task_session = ctx.estate.task_session(task_session_id, family)
    task_session = seen_task_session(ctx, task_session) if task_session is not None else None
    if task_session is None:
        raise not_found('Replica task session' if family == 'replica' else 'Backup task session', task_session_id)
    return task_session


def get_backup_task_sessions(ctx):
    return reply_list(ctx, 'task_session', _task_sessions(ctx, 'backup'), 'BackupTaskSessions', shapes.BACKUP_TASK_SESSIONS)


def get_backup_task_session(ctx, task_session_id):
    task_session = _task_session_or_404(ctx, task_session_id, 'backup')
    return reply_one(ctx, 'task_session', task_session, 'BackupTaskSession', shapes.BACKUP_TASK_SESSION, task_session_entity,
                     task_session_ref)


def get_all_replica_task_sessions(ctx):
    return reply_list(ctx, 'replica_task_session', _task_sessions(ctx, 'replica'), 'ReplicaTaskSessions', shapes.REPLICA_TASK_SESSIONS)


def get_replica_task_session(ctx, task_session_id):
    task_session = _task_session_or_404(ctx, task_session_id, 'replica')
    return reply_one(ctx, 'replica_task_session', task_session, 'ReplicaTaskSession', shapes.REPLICA_TASK_SESSION, task_session_entity,
                     task_session_ref)
