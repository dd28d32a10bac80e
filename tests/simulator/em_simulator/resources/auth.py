# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logon and logon sessions [auth.md; examples/logon-session.*].

* ``POST /api/sessionMngr/?v=latest|v1_7|v1_6|v1_5``: Basic credentials (UTF-8 before base64 [O: vem])
  → ``201``, ``X-RestSvcSessionId`` header and cookie, ``LogonSession`` body [D: http_authentication].
  Bad or missing credentials → ``401`` with ``WWW-Authenticate: Basic Realm=RestSvc`` [D]. A missing
  ``v`` means ``latest`` and an unknown one is a 400 [I]. User names compare case-insensitively [I:
  Windows accounts], passwords exactly.
* ``GET /api/logonSessions`` lists the caller's own session only [I: vpy, vex take element 0].
* ``GET``/``DELETE /api/logonSessions/{id}``: the caller's own session → 200 / 204; an unknown ID →
  500 [O: vem]; another user's session → 403 [I].
"""

from __future__ import annotations

import base64
import binascii
import hmac

from .. import shapes
from ..context import ADMIN, FILE_RESTORE, RESTORE, TOKEN_HEADER, USER
from ..http import ACCESS_DENIED, NULL_REFERENCE, ApiError
from ..views import link
from .root import API_VERSIONS

BAD_CREDENTIALS = 'Authentication failed: the user name or password is incorrect, or the account has no Enterprise Manager role.'
_ALL = (ADMIN, USER, RESTORE, FILE_RESTORE)
_STAFF = (ADMIN, USER)
# Down links of a LogonSession in the order of examples/logon-session.xml, with the roles that get them [I: per role]
_SESSION_LINKS = (
    ('/backupServers', 'BackupServerReferenceList', _STAFF), ('/managedServers', 'ManagedServerReferenceList', (ADMIN,)),
    ('/jobs', 'JobReferenceList', (ADMIN,)), ('/failoverPlans', 'FailoverPlanReferenceList', (ADMIN,)),
    ('/hierarchyRoots', 'HierarchyRootReferenceList', _STAFF), ('/repositories', 'RepositoryReferenceList', _STAFF),
    ('/backups', 'BackupReferenceList', _ALL), ('/restorePoints', 'RestorePointReferenceList', _ALL),
    ('/vmRestorePoints', 'VmRestorePointReferenceList', _ALL), ('/vAppRestorePoints', 'VAppRestorePointReferenceList', _ALL),
    ('/replicas', 'ReplicaReferenceList', _STAFF), ('/vmReplicaPoints', 'VmReplicaPointReferenceList', _STAFF),
    ('/catalog/vms', 'CatalogVmReferenceList', _ALL), ('/backupSessions', 'BackupJobSessionReferenceList', _STAFF),
    ('/restoreSessions', 'RestoreSessionReferenceList', _ALL), ('/replicaSessions', 'ReplicaJobSessionReferenceList', _STAFF),
    ('/backupTaskSessions', 'BackupTaskSessionReferenceList', _STAFF), ('/replicaTaskSessions', 'ReplicaTaskSessionReferenceList', _STAFF),
    ('/security', 'EnterpriseSecuritySettings', (ADMIN,)), ('/wanAccelerators', 'WanAcceleratorReferenceList', (ADMIN,)),
    ('/backupFiles', 'BackupFileReferenceList', _STAFF), ('/externalRepositories', 'ExternalRepositoryReferenceList', _STAFF),
    ('/tasks', 'TaskList', _ALL), ('/querySvc', 'QueryService', _ALL), ('/lookupSvc', 'LookupService', _STAFF),
    ('/reports/summary', 'Report', _STAFF), ('/backupServers?format=Entity', 'BackupServerList', _STAFF),
    ('/managedServers?format=Entity', 'ManagedServerList', (ADMIN,)), ('/backupServers?action=create', None, (ADMIN,)),
    ('/jobs?format=Entity', 'JobList', (ADMIN,)), ('/failoverPlans?format=Entity', 'FailoverPlanList', (ADMIN,)),
    ('/hierarchyRoots?format=Entity', 'HierarchyRootList', _STAFF), ('/repositories?format=Entity', 'RepositoryList', _STAFF),
    ('/backups?format=Entity', 'BackupList', _ALL), ('/restorePoints?format=Entity', 'RestorePointList', _ALL),
    ('/vmRestorePoints?format=Entity', 'VmRestorePointList', _ALL), ('/vAppRestorePoints?format=Entity', 'VAppRestorePointList', _ALL),
    ('/replicas?format=Entity', 'ReplicaList', _STAFF), ('/vmReplicaPoints?format=Entity', 'VmReplicaPointList', _STAFF),
    ('/catalog/vms?format=Entity', 'CatalogVmList', _ALL), ('/backupSessions?format=Entity', 'BackupJobSessionList', _STAFF),
    ('/restoreSessions?format=Entity', 'RestoreSessionList', _ALL), ('/replicaSessions?format=Entity', 'ReplicaJobSessionList', _STAFF),
    ('/backupTaskSessions?format=Entity', 'BackupTaskSessionList', _STAFF),
    ('/replicaTaskSessions?format=Entity', 'ReplicaTaskSessionList', _STAFF), ('/wanAccelerators?format=Entity', 'WanAcceleratorList', (ADMIN,)),
    ('/vCloud', 'VCloudService', _STAFF), ('/backupFiles?format=Entity', 'BackupFileList', _STAFF), ('/agents', 'AgentsService', (ADMIN,)),
    ('/selfService/vSphere', 'VSphereSelfService', _STAFF),
    ('/externalRepositories?format=Entity', 'ExternalRepositoryList', _STAFF), ('/nas', 'NasService', (ADMIN,)),
)


def logon_view(logon, style) -> dict:
    href = style.href(f'/logonSessions/{logon.id}')
    roles = logon.account.roles
    links = [link('Up', style.href('/'), type_='EnterpriseManager')]
    for path, type_, allowed in _SESSION_LINKS:
        if roles.intersection(allowed):
            rel = 'Create' if 'action=create' in path else 'Down'
            links.append(link(rel, style.href(path), 'Summary' if type_ == 'Report' else None, type_))
    links.append(link('Delete', href))
    return {'Href': href, 'Type': 'LogonSession', 'Links': links, 'UserName': logon.account.username, 'SessionId': logon.id}


def _account_of(ctx):
    scheme, _sep, encoded = ctx.request.header('Authorization').strip().partition(' ')
    if scheme.lower() != 'basic' or not encoded:
        return None
    try:
        username, colon, password = base64.b64decode(encoded.strip(), validate=True).decode('utf-8').partition(':')
    except (binascii.Error, UnicodeDecodeError):
        return None
    account = ctx.estate.accounts.get(username.lower()) if colon else None
    if account is None or not hmac.compare_digest(account.password.encode('utf-8'), password.encode('utf-8')):
        return None
    return account


def post_logon(ctx):
    version = ctx.query.get('v', 'latest')
    if version not in ('latest',) + API_VERSIONS:
        raise ApiError(400, f"Unsupported API version '{version}'; use v=latest, v1_7, v1_6 or v1_5.")
    account = _account_of(ctx)
    if account is None:
        raise ApiError(401, BAD_CREDENTIALS, [('WWW-Authenticate', 'Basic Realm=RestSvc')])
    logon = ctx.app.logons.create(account, version)
    ctx.logon = logon
    headers = [(TOKEN_HEADER, logon.token), ('Set-Cookie', f'{TOKEN_HEADER}={logon.token}; Path=/api;')]
    return ctx.reply(201, 'LogonSession', shapes.LOGON_SESSION, logon_view(logon, ctx.style), headers)


def get_logon_sessions(ctx):
    return ctx.reply(200, 'LogonSessions', shapes.LOGON_SESSIONS, {'LogonSession': [logon_view(ctx.logon, ctx.style)]})


def _own_session(ctx, session_id):
    logon = ctx.app.logons.by_id(session_id)
    if logon is None:
        raise ApiError(500, NULL_REFERENCE)
    if logon is not ctx.logon:
        raise ApiError(403, ACCESS_DENIED)
    return logon


def get_logon_session(ctx, session_id):
    logon = _own_session(ctx, session_id)
    return ctx.reply(200, 'LogonSession', shapes.LOGON_SESSION, logon_view(logon, ctx.style))


def delete_logon_session(ctx, session_id):
    ctx.app.logons.remove(_own_session(ctx, session_id))
    return ctx.no_content()
