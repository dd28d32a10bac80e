# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``/api`` route table: path templates (``{id}`` = one segment), methods and handlers.

Literal segments match case-insensitively and a trailing ``/`` is ignored [I: WCF UriTemplate
matching]. The template doubles as the route name in the request log.
"""

from __future__ import annotations

import re

from .http import ApiError
from .resources import agents, auth, backup_servers, includes, jobs, lookup, nas, query, root, sessions, tasks
from .resources.restore_routes import RESTORE_ROUTES


class Route:
    __slots__ = ('template', 'regex', 'handlers', 'public')

    def __init__(self, template: str, handlers: dict, public: bool = False):
        self.template = template
        pattern = re.escape(template).replace(re.escape('{id}'), '([^/]+)')
        self.regex = re.compile(f'^{pattern}$', re.IGNORECASE)
        self.handlers = handlers
        self.public = public


def _unimplemented(what):
    def handler(ctx, *ids):
        raise ApiError(501, f'{what} is not implemented by this Enterprise Manager simulator.')
    return handler


ROUTES = [
    Route('/api', {'GET': root.get_root}, public=True),
    Route('/api/sessionMngr', {'POST': auth.post_logon}, public=True),
    Route('/api/logonSessions', {'GET': auth.get_logon_sessions}),
    Route('/api/logonSessions/{id}', {'GET': auth.get_logon_session, 'DELETE': auth.delete_logon_session}),
    Route('/api/jobs', {'GET': jobs.get_jobs}),
    Route('/api/jobs/{id}', {'GET': jobs.get_job, 'POST': jobs.post_job, 'PUT': jobs.put_job, 'DELETE': jobs.delete_job}),
    Route('/api/jobs/{id}/includes', {'GET': includes.get_includes, 'POST': includes.post_include}),
    Route('/api/jobs/{id}/includes/{id}', {'GET': includes.get_include, 'DELETE': includes.delete_include}),
    Route('/api/jobs/{id}/backupSessions', {'GET': jobs.get_backup_sessions_of_job}),
    Route('/api/jobs/{id}/replicaSessions', {'GET': jobs.get_replica_sessions_of_job}),
    Route('/api/backupSessions', {'GET': sessions.get_backup_sessions}),
    Route('/api/backupSessions/{id}', {'GET': sessions.get_backup_session, 'POST': sessions.post_backup_session}),
    Route('/api/backupSessions/{id}/taskSessions', {'GET': sessions.get_task_sessions_of_session}),
    Route('/api/backupTaskSessions', {'GET': sessions.get_backup_task_sessions}),
    Route('/api/backupTaskSessions/{id}', {'GET': sessions.get_backup_task_session}),
    Route('/api/replicaSessions', {'GET': sessions.get_replica_sessions}),
    Route('/api/replicaSessions/{id}', {'GET': sessions.get_replica_session}),
    Route('/api/replicaSessions/{id}/replicaTaskSessions', {'GET': sessions.get_replica_task_sessions}),
    Route('/api/replicaTaskSessions', {'GET': sessions.get_all_replica_task_sessions}),
    Route('/api/replicaTaskSessions/{id}', {'GET': sessions.get_replica_task_session}),
    Route('/api/tasks', {'GET': tasks.get_tasks}),
    Route('/api/tasks/{id}', {'GET': tasks.get_task, 'DELETE': tasks.delete_task}),
    Route('/api/backupServers', {'GET': backup_servers.get_servers}),
    Route('/api/backupServers/{id}', {'GET': backup_servers.get_server, 'POST': backup_servers.post_server}),
    Route('/api/backupServers/{id}/jobs', {'GET': backup_servers.get_server_jobs}),
    Route('/api/hierarchyRoots', {'GET': lookup.get_roots}),
    Route('/api/hierarchyRoots/{id}', {'GET': lookup.get_root}),
    Route('/api/lookupSvc', {'GET': lookup.get_lookup_service}),
    Route('/api/lookup', {'GET': lookup.get_lookup}),
    Route('/api/query', {'GET': query.get_query}),
    Route('/api/querySvc', {'GET': query.get_query_service}),
    Route('/api/agents/jobs', {'GET': agents.get_jobs}),
    Route('/api/agents/jobs/{id}', {'GET': agents.get_job, 'POST': agents.post_job}),
    Route('/api/agents/jobs/{id}/includes', {'GET': agents.get_includes}),
    Route('/api/agents/jobs/{id}/includes/{id}', {'GET': agents.get_include}),
    Route('/api/agents/jobs/{id}/backupSessions', {'GET': agents.get_sessions}),
    Route('/api/agents/backupSessions', {'GET': sessions.get_agent_backup_sessions}),
    Route('/api/nas/jobs', {'GET': nas.get_jobs}),
    Route('/api/nas/jobs/{id}', {'GET': nas.get_job}),
    Route('/api/nas/jobs/{id}/start', {'POST': nas.post_start}),
    Route('/api/nas/jobs/{id}/stop', {'POST': nas.post_stop}),
    Route('/api/nas/jobs/{id}/retry', {'POST': nas.post_retry}),
    Route('/api/nas/jobs/{id}/toggleScheduleEnabled', {'POST': nas.post_toggle}),
    Route('/api/nas/jobs/{id}/includes', {'GET': nas.get_includes}),
    Route('/api/nas/jobs/{id}/includes/{id}', {'GET': nas.get_include}),
    Route('/api/nas/jobs/{id}/backupSessions', {'GET': nas.get_sessions}),
    Route('/api/nas/backupSessions', {'GET': sessions.get_nas_backup_sessions}),
]
ROUTES += [Route(template, handlers) for template, handlers in RESTORE_ROUTES]

# EM resources that the simulator's own links point to but that it does not hold (for the restore side: the paths
# below its routes, such as /backups/{id}/backupFiles or /vmRestorePoints/{id}/mounts): 501, not 404
_ELSEWHERE = ('managedServers', 'failoverPlans', 'repositories', 'backups', 'restorePoints', 'vmRestorePoints', 'vAppRestorePoints',
              'replicas', 'vmReplicaPoints', 'catalog', 'restoreSessions', 'security', 'wanAccelerators',
              'backupFiles', 'externalRepositories', 'reports', 'vCloud', 'selfService', 'cloud')
_ELSEWHERE_UNDER = ('/api/jobs/{id}/linkedJobs', '/api/jobs/{id}/linkedBackupRepositories',
                    '/api/backupServers/{id}/externalRepositories',
                    '/api/backupServers/{id}/credentials', '/api/backupServers/{id}/passwords', '/api/backupServers/{id}/managedServers')
_UNIMPLEMENTED = [re.compile(f'^/api/{name}(/.*)?$', re.IGNORECASE) for name in _ELSEWHERE] + [
    re.compile('^/api/(agents|nas)$', re.IGNORECASE)] + [
    re.compile('^' + re.escape(template).replace(re.escape('{id}'), '[^/]+') + '(/.*)?$', re.IGNORECASE) for template in _ELSEWHERE_UNDER]


def normalise(path: str) -> str:
    path = re.sub('/{2,}', '/', path)
    return path.rstrip('/') or '/'


def match(path: str):
    """(route, ids) for a path, or (None, ()) when no template matches."""
    path = normalise(path)
    for route in ROUTES:
        found = route.regex.match(path)
        if found:
            return route, found.groups()
    return None, ()


def unimplemented(path: str):
    """A 501 handler for EM paths outside the simulated families, else None."""
    path = normalise(path)
    for pattern in _UNIMPLEMENTED:
        if pattern.match(path):
            return _unimplemented(f'The resource {path}')
    return None
