# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points of VMs and the jobs that made them (internal; may change in any release).

A VM restore point (``VmRestorePoint``) is one VM inside a restore point (``RestorePoint``) of a backup
(``Backup``, named after its job) [D: restore-points.md]. The VM restore point links its restore point
(``Up`` ``RestorePointReference``) and backup server; the restore point links its backup (``Up``
``BackupReference``, whose ``Name`` is the backup's, that is the job's, name).

Requests: ``vm_points`` is one paged ``query?type=VmRestorePoint`` per ``CHUNK`` names or references, ``vm_points_by_ids``
one per ``CHUNK`` ids, ``restore_points`` one paged ``query?type=RestorePoint`` per ``CHUNK`` restore points: they grow
with the number of VMs asked for only by one query per forty, never one request per VM.

[O: mph] The filter field ``HierarchyObjRef`` of ``VmRestorePoint`` is not documented but used by a production
client; ``VmDisplayName`` is documented. Every point is checked again here against what was asked for.
"""

from __future__ import annotations

from ._normalize import entity_id, find_link, normalize_backup_server
from ._query import DEFAULT_PAGE_SIZE, all_of, one_of, term
from ._urls import link_id

CHUNK = 40


def _chunks(values, size=CHUNK):
    values = list(dict.fromkeys(values))
    return [values[start:start + size] for start in range(0, len(values), size)]


def point_ref(point):
    return str(point.get('hierarchy_obj_ref') or '')


def point_vm_name(point):
    """The VM name of a VM restore point: ``VmDisplayName``, else ``VmName``, else the part of ``Name`` before ``@``."""
    return point.get('vm_display_name') or point.get('vm_name') or str(point.get('name') or '').split('@', 1)[0] or None


def restore_point_id(point):
    """The id of the restore point a VM restore point belongs to (from its ``Up`` link), or None."""
    return link_id((find_link(point, 'Up', 'RestorePointReference') or {}).get('href'), 'restorePoints')


def backup_of(restore_point):
    """``{"name", "id"}`` of the backup a restore point belongs to (the backup is named after its job)."""
    link = find_link(restore_point, 'Up', 'BackupReference') or {}
    return {'name': link.get('name'), 'id': link_id(link.get('href'), 'backups')}


class RestorePointsApi:
    """Reads VM restore points and their restore points over an open EmClient."""

    def __init__(self, em, page_size=DEFAULT_PAGE_SIZE):
        self.em = em
        self.page_size = page_size

    def vm_points(self, names=(), refs=(), backup_server=None, since=None):
        """VM restore points of VMs with these display names or HierarchyObjRefs, newest first.

        ``backup_server`` (name) and ``since`` (aware datetime, CreationTime at or after it) narrow the query.
        Without names and refs, every VM restore point (since ``since``) is returned.
        """
        narrow = all_of(None if not backup_server else one_of('BackupServerName', [backup_server]),
                        None if since is None else term('CreationTime', '>=', since))
        wanted_names = {str(name).lower() for name in names}
        wanted_refs = {str(ref).lower() for ref in refs}
        selections = [one_of('VmDisplayName', chunk) for chunk in _chunks(names)]
        selections += [one_of('HierarchyObjRef', chunk) for chunk in _chunks(refs)]
        points, seen = [], set()
        for selection in selections or [None]:
            for point in self.em.query('VmRestorePoint', all_of(selection, narrow), sort_desc='CreationTime', page_size=self.page_size):
                uid = str(point.get('uid')).lower()
                if uid in seen or not self._wanted(point, wanted_names, wanted_refs):
                    continue
                seen.add(uid)
                points.append(point)
        points.sort(key=lambda point: str(point.get('creation_time_utc') or ''), reverse=True)
        return points

    @staticmethod
    def _wanted(point, names, refs):
        if not names and not refs:
            return True
        return point_ref(point).lower() in refs or str(point_vm_name(point) or '').lower() in names

    def vm_points_by_ids(self, ids):
        """``{VM restore point id (lower case): VmRestorePoint entity}``: one query per ``CHUNK`` ids, by ``UID``."""
        found = {}
        for chunk in _chunks(ids):
            wanted = {str(point_id).lower() for point_id in chunk}
            expr = one_of('UID', ['urn:veeam:VmRestorePoint:' + point_id for point_id in chunk])
            for point in self.em.query('VmRestorePoint', expr, page_size=self.page_size):
                point_id = str(entity_id(point) or '').lower()
                if point_id in wanted:
                    found[point_id] = point
        return found

    def restore_points(self, vm_points):
        """``{restore point id (lower case): RestorePoint entity}`` of the given VM restore points."""
        ids = [point_id for point_id in (restore_point_id(point) for point in vm_points) if point_id]
        found = {}
        for chunk in _chunks(ids):
            expr = one_of('UID', ['urn:veeam:RestorePoint:' + point_id for point_id in chunk])
            for entity in self.em.query('RestorePoint', expr, page_size=self.page_size):
                found[str(entity_id(entity)).lower()] = entity
        return found


def normalize_vm_point(point, restore_point=None, job=None):
    """A VM restore point as the modules return it; ``job`` (``{"name", "id"}``) when the caller knows it."""
    backup = backup_of(restore_point) if restore_point else {'name': None, 'id': None}
    return {
        'id': entity_id(point),
        'uid': point.get('uid'),
        'name': point.get('name'),
        'vm_name': point_vm_name(point),
        'ref': point.get('hierarchy_obj_ref'),
        'creation_time': point.get('creation_time_utc'),
        'point_type': point.get('point_type'),
        'algorithm': point.get('algorithm'),
        'backup': backup,
        'job': job or {'name': backup['name'], 'id': None},
        'backup_server': normalize_backup_server(point)['name'],
    }
