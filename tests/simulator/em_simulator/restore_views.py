# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore-side objects (catalog.py) as representation data with their links, like views.py.

Link sets and their order follow the examples (repository-entity, repositories-refs, backup-entity,
restorepoint-entity, vmrestorepoint-entity, vmrestorepoints-refs, restore-session-entity); the
reference forms of backups, restore points and restore sessions have no example and follow the
pattern of the others [I]: the entity's ``Up`` links, an ``Alternate`` link to ``?format=Entity``
of the entity type, then its ``Down``/``Related`` lists. Importing this module registers the
fragment kinds ``repository``, ``backup``, ``restore_point``, ``vm_restore_point`` and
``restore_session`` with views.py.
"""

from __future__ import annotations

from . import restore_shapes as shapes
from .values import session_time_suffix
from .views import FRAGMENT_KINDS, REF_VIEWS, link, vm_point_name


def _server_up(server, style):
    return link('Up', style.href(f'/backupServers/{server.id}'), server.name, 'BackupServerReference')


# ------------------------------------------------------------------ repositories [repositories.md]

def _repository_downs(repository, style):
    base = style.href(f'/repositories/{repository.id}')
    return [link('Down', f'{base}/backups', type_='BackupReferenceList'), link('Down', f'{base}/replicas', type_='ReplicaReferenceList')]


def repository_ref(repository, style) -> dict:
    base = style.href(f'/repositories/{repository.id}')
    links = [_server_up(repository.server, style), link('Alternate', f'{base}?format=Entity', repository.name, 'Repository')]
    return {'Type': 'RepositoryReference', 'Href': base, 'Name': repository.name, 'UID': repository.uid,
            'Links': links + _repository_downs(repository, style)}


def repository_entity(repository, style) -> dict:
    base = style.href(f'/repositories/{repository.id}')
    links = [_server_up(repository.server, style), link('Alternate', base, repository.name, 'RepositoryReference')]
    return {'Href': f'{base}?format=Entity', 'Type': 'Repository', 'Name': repository.name, 'UID': repository.uid,
            'Links': links + _repository_downs(repository, style), 'Capacity': repository.capacity,
            'FreeSpace': repository.free_space, 'Kind': repository.kind}


# ------------------------------------------------------------------ backups [restore-points.md "Backup entity"]

def _backup_links(backup, style, alternate):
    base = style.href(f'/backups/{backup.id}')
    repository = backup.repository
    return [link('Up', style.href(f'/repositories/{repository.id}'), repository.name, 'RepositoryReference'),
            _server_up(backup.server, style), alternate,
            link('Down', f'{base}/restorePoints', type_='RestorePointReferenceList'),
            link('Down', f'{base}/backupFiles', type_='BackupFileReferenceList')]


def backup_ref(backup, style) -> dict:
    base = style.href(f'/backups/{backup.id}')
    return {'Type': 'BackupReference', 'Href': base, 'Name': backup.name, 'UID': backup.uid,
            'Links': _backup_links(backup, style, link('Alternate', f'{base}?format=Entity', backup.name, 'Backup'))}


def backup_entity(backup, style) -> dict:
    base = style.href(f'/backups/{backup.id}')
    return {'Href': f'{base}?format=Entity', 'Type': 'Backup', 'Name': backup.name, 'UID': backup.uid,
            'Links': _backup_links(backup, style, link('Alternate', base, backup.name, 'BackupReference')),
            'Platform': backup.platform, 'BackupType': backup.backup_type}


# ------------------------------------------------------------------ restore points [restore-points.md "RestorePoint entity"]

def _point_links(point, style, alternate):
    base = style.href(f'/restorePoints/{point.id}')
    backup = point.backup
    return [link('Up', style.href(f'/backups/{backup.id}'), backup.name, 'BackupReference'), _server_up(backup.server, style), alternate,
            link('Down', f'{base}/vmRestorePoints', type_='VmRestorePointReferenceList'),
            link('Related', f'{base}/backupFiles', type_='BackupFileReferenceList')]


def restore_point_ref(point, style) -> dict:
    base = style.href(f'/restorePoints/{point.id}')
    return {'Type': 'RestorePointReference', 'Href': base, 'Name': point.name, 'UID': point.uid,
            'Links': _point_links(point, style, link('Alternate', f'{base}?format=Entity', point.name, 'RestorePoint'))}


def restore_point_entity(point, style) -> dict:
    base = style.href(f'/restorePoints/{point.id}')
    return {'Href': f'{base}?format=Entity', 'Type': 'RestorePoint', 'Name': point.name, 'UID': point.uid,
            'Links': _point_links(point, style, link('Alternate', base, point.name, 'RestorePointReference')),
            'BackupDateUTC': point.created}


# ------------------------------------------------------------------ VM restore points [restore-points.md "VmRestorePoint entity"]

def _vm_point_ups(point, style):
    parent = point.restore_point
    return [_server_up(point.server, style),
            link('Up', style.href(f'/restorePoints/{parent.id}'), parent.name, 'RestorePointReference'),
            link('Up', style.href(f'/backupFiles/{point.backup_file.id}'), point.backup_file.name, 'BackupFileReference')]


def vm_point_ref(point, style) -> dict:
    base = style.href(f'/vmRestorePoints/{point.id}')
    name = vm_point_name(point, style)
    return {'Type': 'VmRestorePointReference', 'Href': base, 'Name': name, 'UID': point.uid,
            'Links': _vm_point_ups(point, style) + [link('Alternate', f'{base}?format=Entity', name, 'VmRestorePoint')]}


def vm_point_entity(point, style) -> dict:
    base = style.href(f'/vmRestorePoints/{point.id}')
    name = vm_point_name(point, style)
    links = [link('Restore', f'{base}?action=restore')] + _vm_point_ups(point, style) + [
        link('Alternate', base, name, 'VmRestorePointReference'), link('Down', f'{base}/mounts', type_='VmRestorePointMountList'),
        link('Create', f'{base}/mounts', type_='VmRestorePointMount')]
    return {'Href': f'{base}?format=Entity', 'Type': 'VmRestorePoint', 'Name': name, 'UID': point.uid, 'VmDisplayName': point.vm_name,
            'Links': links, 'CreationTimeUTC': point.created, 'VmName': point.vm_name, 'Algorithm': point.algorithm,
            'PointType': point.point_type, 'HierarchyObjRef': point.vm_ref}


# ------------------------------------------------------------------ restore sessions [restore.md "RestoreSession entity"]

def restore_session_name(session, style) -> str:
    """``<vm>@<start time>`` [D: get_restoresessions_id]."""
    return f'{session.vm_name}@{session_time_suffix(session.created, style.profile)}'


def restore_session_ref(session, style) -> dict:
    base = style.href(f'/restoreSessions/{session.id}')
    name = restore_session_name(session, style)
    return {'Type': 'RestoreSessionReference', 'Href': base, 'Name': name, 'UID': session.uid,
            'Links': [_server_up(session.server, style), link('Alternate', f'{base}?format=Entity', name, 'RestoreSession')]}


def restore_session_entity(session, style) -> dict:
    base = style.href(f'/restoreSessions/{session.id}')
    name = restore_session_name(session, style)
    point = session.point
    links = [_server_up(session.server, style), link('Alternate', base, name, 'RestoreSessionReference'),
             link('Related', style.href(f'/vmRestorePoints/{point.id}'), vm_point_name(point, style), 'VmRestorePointReference')]
    return {'Href': f'{base}?format=Entity', 'Type': 'RestoreSession', 'Name': name, 'UID': session.uid,
            'VmDisplayName': session.vm_name, 'Links': links, 'JobUid': None, 'JobName': None, 'JobType': session.job_type,
            'CreationTimeUTC': session.created, 'EndTimeUTC': session.ended, 'State': session.state, 'Result': session.result,
            'Progress': session.progress, 'FailureMessage': session.failure_message, 'RestoredObjRef': session.restored_ref}


FRAGMENT_KINDS.update({
    'repository': (repository_entity, shapes.REPOSITORY, 'Repository'),
    'backup': (backup_entity, shapes.BACKUP, 'Backup'),
    'restore_point': (restore_point_entity, shapes.RESTORE_POINT, 'RestorePoint'),
    'vm_restore_point': (vm_point_entity, shapes.VM_RESTORE_POINT, 'VmRestorePoint'),
    'restore_session': (restore_session_entity, shapes.RESTORE_SESSION, 'RestoreSession'),
})
REF_VIEWS.update({'repository': repository_ref, 'backup': backup_ref, 'restore_point': restore_point_ref, 'vm_restore_point': vm_point_ref,
                  'restore_session': restore_session_ref})
