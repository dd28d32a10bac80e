# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Representations of the restore side, declared once (XML order and JSON order) like shapes.py.

Sources: repositories.md, restore-points.md, restore.md and their examples (repository-entity.*,
repositories-*, backup-entity.*, restorepoint-entity.*, vmrestorepoint-entity.*,
vmrestorepoints-refs.*, restore-session-*, restore-spec*).
"""

from __future__ import annotations

from .dsl import BOOL, DATETIME, INT, Attr, Child, Elem, Items, Links, Shape

# [repositories.md "Repository entity"; examples/repository-entity.*]
REPOSITORY = Shape('Repository', [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Links(), Elem('Capacity', INT), Elem('FreeSpace', INT), Elem('Kind')])
REPOSITORIES = Shape('Repositories', [Items('Repository', 'Repositories', REPOSITORY)])

# [restore-points.md "Backup entity"; examples/backup-entity.*]
BACKUP = Shape('Backup', [Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Links(), Elem('Platform'), Elem('BackupType')])
BACKUPS = Shape('Backups', [Items('Backup', 'Backups', BACKUP)])

# [restore-points.md "RestorePoint entity"; examples/restorepoint-entity.*]
RESTORE_POINT = Shape('RestorePoint', [Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Links(), Elem('BackupDateUTC', DATETIME)])
RESTORE_POINTS = Shape('RestorePoints', [Items('RestorePoint', 'RestorePoints', RESTORE_POINT)])

# [restore-points.md "VmRestorePoint entity"; examples/vmrestorepoint-entity.*]; SqlInfo is never seen in output
VM_RESTORE_POINT = Shape('VmRestorePoint', [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Attr('VmDisplayName'), Links(), Elem('CreationTimeUTC', DATETIME),
    Elem('VmName'), Elem('Algorithm'), Elem('PointType'), Elem('HierarchyObjRef')],
    json_order=['CreationTimeUTC', 'VmName', 'Algorithm', 'PointType', 'HierarchyObjRef', 'VmDisplayName', 'Name', 'UID', 'Links',
                'Href', 'Type'])
VM_RESTORE_POINTS = Shape('VmRestorePoints', [Items('VmRestorePoint', 'VmRestorePoints', VM_RESTORE_POINT)])

# [restore.md "RestoreSession entity"; examples/restore-session-*]: the job-session members of the base
# type (JobUid, JobName, FailureMessage: unset, so absent in XML), then RestoredObjRef
RESTORE_SESSION = Shape('RestoreSession', [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Attr('VmDisplayName'), Links(), Elem('JobUid'), Elem('JobName'),
    Elem('JobType'), Elem('CreationTimeUTC', DATETIME), Elem('EndTimeUTC', DATETIME), Elem('State'), Elem('Result'),
    Elem('Progress', INT), Elem('FailureMessage'), Elem('RestoredObjRef')],
    json_order=['RestoredObjRef', 'VmDisplayName', 'JobUid', 'JobName', 'JobType', 'CreationTimeUTC', 'EndTimeUTC', 'State', 'Result',
                'Progress', 'FailureMessage', 'Name', 'UID', 'Links', 'Href', 'Type'])
RESTORE_SESSIONS = Shape('RestoreSessions', [Items('RestoreSession', 'RestoreSessions', RESTORE_SESSION)])

# request bodies [restore.md "Request"; examples/restore-spec*]
VM_RESTORE_SPEC = Shape('VmRestoreSpec', [Elem('PowerOnAfterRestore', BOOL), Elem('QuickRollback', BOOL), Elem('KeepOriginalVM', BOOL)])
VM_RESTORE_PARAMETERS = Shape('VmRestoreParameters', [
    Elem('VmRestorePointUid'), Elem('VmNewName'), Elem('DatastoreRef'), Elem('OrgVdcStorageProfileRef'), Elem('LinkedCloneVmTemplateRef')])
VCLOUD_VM_RESTORE_SPEC = Shape('vCloudVmRestoreSpec', [
    Elem('PowerOnAfterRestore', BOOL), Elem('HierarchyRootUid'), Elem('vAppRef'), Child('VmRestoreParameters', VM_RESTORE_PARAMETERS)])
# the schema's other variants [O: tdw RestoreSpecType]: recognised only to refuse them on a VM restore point
OTHER_RESTORE_SPECS = ('vCloudVAppRestoreSpec', 'SqlItemRestoreSpec')
RESTORE_SPEC = Shape('RestoreSpec', [
    Child('VmRestoreSpec', VM_RESTORE_SPEC), Child('vCloudVmRestoreSpec', VCLOUD_VM_RESTORE_SPEC)]
    + [Child(name, Shape(name, [])) for name in OTHER_RESTORE_SPECS])

# QueryResult/Entities lists that the simulator fills (shapes.ENTITY_LISTS) [query.md; O: cen key list]
ENTITY_LISTS = {
    'Backups': ('Backup', 'Backups', BACKUP),
    'Repositories': ('Repository', 'Repositories', REPOSITORY),
    'RestorePoints': ('RestorePoint', 'RestorePoints', RESTORE_POINT),
    'VmRestorePoints': ('VmRestorePoint', 'VmRestorePoints', VM_RESTORE_POINT),
    'RestoreSessions': ('RestoreSession', 'RestoreSessions', RESTORE_SESSION),
}
