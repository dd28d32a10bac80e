# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/restoreSessions`` [restore.md "Restore sessions"; examples/restore-session-*].

Every role [D: security_roles_concept]. The list holds the sessions of the last 30 days
[D: get_restoresessions]; single sessions are not limited [I]. There is no stop action [D].
"""

from __future__ import annotations

from datetime import timedelta

from .. import restore_shapes as shapes
from ..context import ADMIN, FILE_RESTORE, RESTORE, USER
from ..restore_views import restore_session_entity, restore_session_ref
from .common import not_found, reply_list, reply_one

LIST_WINDOW = timedelta(days=30)
READERS = (ADMIN, USER, RESTORE, FILE_RESTORE)


def get_restore_sessions(ctx):
    ctx.require(*READERS)
    oldest = ctx.now - LIST_WINDOW
    sessions = [session for session in ctx.estate.catalog.restore_sessions.values() if session.created >= oldest]
    return reply_list(ctx, 'restore_session', sessions, 'RestoreSessions', shapes.RESTORE_SESSIONS)


def get_restore_session(ctx, session_id):
    ctx.require(*READERS)
    session = ctx.estate.catalog.restore_sessions.get(session_id.lower())
    if session is None:
        raise not_found('Restore session', session_id)
    return reply_one(ctx, 'restore_session', session, 'RestoreSession', shapes.RESTORE_SESSION, restore_session_entity, restore_session_ref)
