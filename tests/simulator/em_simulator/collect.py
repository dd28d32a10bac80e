# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What EM has collected of the job sessions on its backup servers (switch ``session_collect_delay``).

EM shows sessions it collects from the backup servers, so a new run shows up a few seconds late
[I: sessions.md "Allow a few seconds for EM to collect the new session", restore-points.md "A point
appears only after EM has collected the backup server's data"]. With ``session_collect_delay`` D > 0
the REST API shows a job session, and each change of it, D simulated seconds after it happened on
the backup server: a run created at C appears (lists, single GETs, the query service) from C + D; a
run that ended at T shows ``State=Stopped``, its ``Result`` and ``EndTimeUTC`` from T + D and is
``Working`` with the progress of T − ε until then. Task sessions (``BackupTaskSession``, ``ReplicaTaskSession``) follow the
same rule. ``/_sim/`` shows the true state; actions (stop, start, retry) act on the true state.
A run's restore points (the ``Related`` links of the job session and of its task sessions) show
with its collected end; the catalog itself (catalog.py) is not delayed [I].

Every change of a live session is recorded (``changes``: (time, snapshot) in time order; runs.py);
a session loaded from the scenario has none and counts as created at ``created`` and finished at
``ended``. A view is the true object when nothing newer has happened since the horizon (always with
D = 0), else a ``Seen…`` copy whose ``rev`` names the snapshot, so cached renderings stay apart.
"""

from __future__ import annotations

from datetime import timedelta

SESSION_FIELDS = ('state', 'result', 'progress', 'ended', 'restore_points')
SESSION_START = ('Starting', 'None', 0, None, ())
TASK_SESSION_FIELDS = ('state', 'result', 'reason', 'ended', 'restore_point')
TASK_SESSION_START = ('Pending', 'None', '', None, None)
SESSION_KINDS = ('backup_session', 'replica_session', 'task_session', 'replica_task_session')


def snapshot(obj, fields) -> tuple:
    """The values of ``fields``; lists (a run's restore points) are copied, later changes must not reach back."""
    return tuple(_frozen(getattr(obj, name)) for name in fields)


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


def record(obj, when, fields) -> None:
    """Remember the state ``obj`` has from ``when`` on (runs.py calls this after each change)."""
    if obj.changes is None:
        obj.changes = []
    obj.changes.append((when, snapshot(obj, fields)))


def horizon(ctx):
    """The backup-server time up to which EM has collected everything; None when there is no delay."""
    delay = ctx.sim.config.session_collect_delay
    return ctx.now - timedelta(seconds=delay) if delay > 0 else None


def _history(obj, fields):
    if obj.changes is not None:
        return obj.changes
    return [(obj.ended, snapshot(obj, fields))] if obj.ended is not None else []


def _collected(obj, at, fields):
    """(index, snapshot) of the newest change of ``obj`` up to ``at`` (-1: its start); None before it existed."""
    if obj.created > at:
        return None
    history = _history(obj, fields)
    index = len(history) - 1
    while index >= 0 and history[index][0] > at:
        index -= 1
    return index, history, (history[index][1] if index >= 0 else None)


class SeenSession:
    """A job session as EM shows it at a horizon (its task sessions: ``seen_task_sessions`` of the true ones)."""

    __slots__ = ('true', 'id', 'uid', 'job', 'family', 'job_type', 'created', 'is_retry', 'trigger', 'state', 'result', 'progress',
                 'ended', 'restore_points', 'rev')

    def __init__(self, session, index, values):
        self.true = session
        for name in ('id', 'uid', 'job', 'family', 'job_type', 'created', 'is_retry', 'trigger'):
            setattr(self, name, getattr(session, name))
        self.state, self.result, self.progress, self.ended, self.restore_points = values
        self.rev = ('seen', index)


class SeenTaskSession:
    """A task session as EM shows it at a horizon; ``session`` is its job session as seen then."""

    __slots__ = ('true', 'id', 'uid', 'vm', 'created', 'total_size', 'session', 'state', 'result', 'reason', 'ended', 'restore_point',
                 'rev')

    def __init__(self, task_session, session, index, values):
        self.true = task_session
        for name in ('id', 'uid', 'vm', 'created', 'total_size'):
            setattr(self, name, getattr(task_session, name))
        self.session = session
        self.state, self.result, self.reason, self.ended, self.restore_point = values
        self.rev = ('seen', index, session.rev)


def seen_session_at(session, at):
    """``session`` as EM shows it at horizon ``at`` (None: not collected yet; the session itself: up to date)."""
    if at is None:
        return session
    found = _collected(session, at, SESSION_FIELDS)
    if found is None:
        return None
    index, history, values = found
    if index == len(history) - 1:
        return session
    return SeenSession(session, index, values if values is not None else SESSION_START)


def seen_task_session_at(task_session, at, session=None):
    if at is None:
        return task_session
    session = seen_session_at(task_session.session, at) if session is None else session
    found = _collected(task_session, at, TASK_SESSION_FIELDS)
    if found is None or session is None:
        return None
    index, history, values = found
    if index == len(history) - 1 and session is task_session.session:
        return task_session
    return SeenTaskSession(task_session, session, index, history[index][1] if index >= 0 else TASK_SESSION_START)


# ------------------------------------------------------------------ per request

def seen_session(ctx, session):
    return seen_session_at(session, horizon(ctx))


def seen_sessions(ctx, sessions) -> list:
    at = horizon(ctx)
    if at is None:
        return list(sessions)
    found = (seen_session_at(session, at) for session in sessions)
    return [item for item in found if item is not None]


def seen_task_session(ctx, task_session):
    return seen_task_session_at(task_session, horizon(ctx))


def seen_task_sessions(ctx, task_sessions) -> list:
    at = horizon(ctx)
    if at is None:
        return list(task_sessions)
    sessions = {}
    result = []
    for item in task_sessions:
        parent = item.session
        if parent.id not in sessions:
            sessions[parent.id] = seen_session_at(parent, at)
        seen = seen_task_session_at(item, at, sessions[parent.id]) if sessions[parent.id] is not None else None
        if seen is not None:
            result.append(seen)
    return result
