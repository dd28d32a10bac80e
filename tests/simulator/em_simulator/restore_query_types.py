# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query types of the restore side: ``VmRestorePoint``, ``RestorePoint``, ``Backup``, ``Repository``,
``RestoreSession`` [restore-points.md, repositories.md, restore.md; D: get_query_<type>].

Fields are the documented ones, plus ``HierarchyObjRef`` on ``VmRestorePoint``, which a production
client filters on [O: mph]. ``Type`` is the filter name of ``PointType`` (VM restore points) and of
``JobType`` (restore sessions) [D]. Roles [D: security_roles_concept]: restore points and backups
for every role that may restore (VM and file restore operators too [I: file restore operators
read the points they restore files from]), repositories for Portal Administrator and Portal User,
restore sessions for all roles. For a VM Restore Operator with ``restore_scope_lists=hide`` the
VM restore points outside its scope are left out (README "Restore").
"""

from __future__ import annotations

from .context import ADMIN, FILE_RESTORE, RESTORE, USER
from .query_filter import FieldType
from .query_types import DATETIME, INT, RESULT, STRING, QueryType
from .restore_scope import visible_points
from .restore_views import restore_session_name
from .views import vm_point_name

POINT_TYPE = FieldType.ENUM('Full', 'Increment', 'ReverseIncrement')
ALGORITHM = FieldType.ENUM('Full', 'ReversedIncremental', 'Incremental', 'SyntheticFull')
BACKUP_PLATFORM = FieldType.ENUM('VMware', 'HyperV', 'vCloud', 'AgentForLinux', 'AgentForWindows', 'CustomPlatform')
BACKUP_TYPE = FieldType.ENUM('Standard', 'ParentBackup', 'ChildBackup')
RESTORE_JOB_TYPE = FieldType.ENUM('FileLevelRestore', 'RestoreVm')
RESTORE_STATE = FieldType.ENUM('Starting', 'Stopping', 'Working', 'Stopped')
READERS = (ADMIN, USER, RESTORE, FILE_RESTORE)
STAFF = (ADMIN, USER)


class ScopedQueryType(QueryType):
    """A query type whose records may depend on the caller: ``restrict(ctx, records)`` after the (cached) filter and sort."""

    def __init__(self, *args, restrict=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.restrict = restrict


def _server_fields(get_server):
    return {'BackupServerUid': (STRING, lambda obj, style: get_server(obj).uid),
            'BackupServerName': (STRING, lambda obj, style: get_server(obj).name)}


def _vm_point_fields():
    fields = {
        'UID': (STRING, lambda point, style: point.uid), 'Name': (STRING, vm_point_name),
        'CreationTime': (DATETIME, lambda point, style: point.created), 'Type': (POINT_TYPE, lambda point, style: point.point_type),
        'Algorithm': (ALGORITHM, lambda point, style: point.algorithm),
        'RestorePointId': (STRING, lambda point, style: point.restore_point.uid),
        'RestorePointName': (STRING, lambda point, style: point.restore_point.name),
        'VmDisplayName': (STRING, lambda point, style: point.vm_name)}
    fields.update(_server_fields(lambda point: point.server))
    fields['HierarchyObjRef'] = (STRING, lambda point, style: point.vm_ref)
    return fields


def _point_fields():
    fields = {'UID': (STRING, lambda point, style: point.uid), 'Name': (STRING, lambda point, style: point.name),
              'CreationTime': (DATETIME, lambda point, style: point.created),
              'BackupUid': (STRING, lambda point, style: point.backup.uid), 'BackupName': (STRING, lambda point, style: point.backup.name)}
    fields.update(_server_fields(lambda point: point.backup.server))
    return fields


def _backup_fields():
    return {'UID': (STRING, lambda backup, style: backup.uid), 'Name': (STRING, lambda backup, style: backup.name),
            'RepositoryUid': (STRING, lambda backup, style: backup.repository.uid),
            'RepositoryName': (STRING, lambda backup, style: backup.repository.name),
            'Platform': (BACKUP_PLATFORM, lambda backup, style: backup.platform),
            'BackupType': (BACKUP_TYPE, lambda backup, style: backup.backup_type),
            'JobUid': (STRING, lambda backup, style: backup.job.uid), 'JobName': (STRING, lambda backup, style: backup.job.name)}


def _repository_fields():
    fields = {'UID': (STRING, lambda repository, style: repository.uid), 'Name': (STRING, lambda repository, style: repository.name),
              'FreeSpace': (INT, lambda repository, style: repository.free_space),
              'Capacity': (INT, lambda repository, style: repository.capacity)}
    fields.update(_server_fields(lambda repository: repository.server))
    return fields


def _restore_session_fields():
    fields = {'UID': (STRING, lambda session, style: session.uid), 'Name': (STRING, restore_session_name),
              'Type': (RESTORE_JOB_TYPE, lambda session, style: session.job_type),
              'CreationTime': (DATETIME, lambda session, style: session.created),
              'EndTime': (DATETIME, lambda session, style: session.ended), 'State': (RESTORE_STATE, lambda session, style: session.state),
              'Result': (RESULT, lambda session, style: session.result)}
    fields.update(_server_fields(lambda session: session.server))
    fields['VmDisplayName'] = (STRING, lambda session, style: session.vm_name)
    return fields


def _catalog(collection):
    return lambda ctx: list(getattr(ctx.estate.catalog, collection).values())


RESTORE_QUERY_TYPES = {qt.name.lower(): qt for qt in (
    ScopedQueryType('VmRestorePoint', _vm_point_fields(), _catalog('vm_points'), READERS, ('Entities', 'VmRestorePoints'),
                    'vm_restore_point', ('restore_points',), restrict=visible_points),
    QueryType('RestorePoint', _point_fields(), _catalog('restore_points'), READERS, ('Entities', 'RestorePoints'), 'restore_point',
              ('restore_points',)),
    QueryType('Backup', _backup_fields(), _catalog('backups'), READERS, ('Entities', 'Backups'), 'backup', ('backups', 'jobs')),
    QueryType('Repository', _repository_fields(), _catalog('repositories'), STAFF, ('Entities', 'Repositories'), 'repository',
              ('repositories',)),
    QueryType('RestoreSession', _restore_session_fields(), _catalog('restore_sessions'), READERS, ('Entities', 'RestoreSessions'),
              'restore_session', ('restore_sessions',)),
)}
