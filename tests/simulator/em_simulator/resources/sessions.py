# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job sessions and task sessions [sessions.md].

``GET /backupSessions`` and ``/backupSessions/{id}/taskSessions`` list the last 30 days only
[D: get_backupsessions; D13.1: get_backupsessions_id_tasksessions]; the same limit is applied to
``/replicaSessions`` and ``/backupTaskSessions`` [I]; single resources and the query service are not
limited [I]. ``/backupSessions`` holds the sessions of VM backup and copy jobs, agent and file
share jobs [D: get_backupsessions_id]. Replica task sessions are not simulated (501). Sessions are
shown as EM has collected them (collect.py): with ``session_collect_delay`` a run not collected yet
is unknown here (404) and a collected one shows its state of that time.
"""

from __future__ import annotations

from datetime import timedelta

from .. import shapes
from ..collect import seen_session, seen_sessions, seen_task_session, seen_task_sessions
from ..context import ADMIN, USER
from ..http import ApiError
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
    _session_or_404(ctx, session_id, 'replica')
    raise ApiError(501, 'Replica task sessions are not implemented by this Enterprise Manager simulator.')


def get_backup_task_sessions(ctx):
    ctx.require(ADMIN, USER)
    items = seen_task_sessions(ctx, _recent(ctx, ctx.estate.task_sessions.values()))
    return reply_list(ctx, 'task_session', items, 'BackupTaskSessions', shapes.BACKUP_TASK_SESSIONS)


def get_backup_task_session(ctx, task_session_id):
    ctx.require(ADMIN, USER)
    task_session = ctx.estate.task_sessions.get(task_session_id.lower())
    task_session = seen_task_session(ctx, task_session) if task_session is not None else None
    if task_session is None:
        raise not_found('Backup task session', task_session_id)
    return reply_one(ctx, 'task_session', task_session, 'BackupTaskSession', shapes.BACKUP_TASK_SESSION, task_session_entity,
                     task_session_ref)
