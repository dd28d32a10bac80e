# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Routes of the restore side (templates and handlers, as in routes.py, which adds them to its table)."""

from __future__ import annotations

from . import backups, repositories, restore_sessions, vm_restore_points

RESTORE_ROUTES = [
    ('/api/repositories', {'GET': repositories.get_repositories}),
    ('/api/repositories/{id}', {'GET': repositories.get_repository}),
    ('/api/repositories/{id}/backups', {'GET': repositories.get_repository_backups}),
    ('/api/backupServers/{id}/repositories', {'GET': repositories.get_server_repositories}),
    ('/api/backups', {'GET': backups.get_backups}),
    ('/api/backups/{id}', {'GET': backups.get_backup}),
    ('/api/backups/{id}/restorePoints', {'GET': backups.get_backup_points}),
    ('/api/restorePoints', {'GET': backups.get_restore_points}),
    ('/api/restorePoints/{id}', {'GET': backups.get_restore_point}),
    ('/api/restorePoints/{id}/vmRestorePoints', {'GET': backups.get_point_vm_points}),
    ('/api/vmRestorePoints', {'GET': vm_restore_points.get_vm_points}),
    ('/api/vmRestorePoints/{id}', {'GET': vm_restore_points.get_vm_point, 'POST': vm_restore_points.post_vm_point}),
    ('/api/restoreSessions', {'GET': restore_sessions.get_restore_sessions}),
    ('/api/restoreSessions/{id}', {'GET': restore_sessions.get_restore_session}),
]
