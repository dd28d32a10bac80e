# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points of VMs and the jobs that made them (internal; may change in any release).

A VM restore point (``VmRestorePoint``) is one VM inside a restore point (``RestorePoint``) of a backup
(``Backup``, named after its job) [D: restore-points.md]. The VM restore point links its restore point
(``Up`` ``RestorePointReference``) and backup server; the restore point links its backup (``Up``
``BackupReference``, whose ``Name`` is the backup's, that is the job's, name).

Requests: ``vm_points`` is one paged ``query?type=VmRestorePoint`` per ``CHUNK`` names or references, ``vm_points_by_ids``
one per ``CHUNK`` ids, ``restore_points`` one paged ``query?type=RestorePoint`` per ``CHUNK`` restore points: they grow
with the number of VMs asked for only by one query per forty, never one request per VM; for many VM restore points,
``restore_points`` reads their restore points by date instead when that takes fewer pages than asking by UID.
The points of jobs (``backups_of_jobs``, ``restore_points_of_backups``, ``vm_points_in``) cost one query per
``CHUNK`` names, backups and restore points.

[O: mph] The filter field ``HierarchyObjRef`` of ``VmRestorePoint`` is not documented but used by a production
client; ``VmDisplayName`` is documented. Every point is checked again here against what was asked for.
"""

from __future__ import annotations

from datetime import timedelta

from ._normalize import entity_id, find_link, normalize_backup_server
from ._query import DEFAULT_PAGE_SIZE, all_of, gather_pages, one_of, term
from ._times import parse_time
from ._urls import link_id

CHUNK = 40
# restore_points: up to this many restore points, ask by UID; the date window starts this long before the oldest VM point
# (a VM restore point is taken after the restore point it belongs to is dated, within the run [I: examples, restore-points.md]).
WINDOW_FROM = 3 * CHUNK
WINDOW_SLACK = timedelta(days=1)


def _chunks(values, size=CHUNK):
    values = list(dict.fromkeys(values))
    return [values[start:start + size] for start in range(0, len(values), size)]


def _server_narrowing(backup_server):
    return one_of('BackupServerName', [backup_server] if backup_server else [])


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

    def restore_points(self, vm_points, backup_server=None):
        """``{restore point id (lower case): RestorePoint entity}`` of the given VM restore points, in few pages.

        Up to ``WINDOW_FROM`` restore points are asked for by UID (one query per ``CHUNK``). More are read as the restore
        points dated from ``WINDOW_SLACK`` before the oldest VM point on (on ``backup_server`` when given), newest first,
        page by page while that takes fewer queries than asking by UID; whatever the window did not hold is then asked
        for by UID (``_query.gather_pages``). So the cost is at most about twice the cheaper way, and mostly a few pages.
        """
        wanted = {}
        for point in vm_points:
            point_id = restore_point_id(point)
            if point_id:
                wanted.setdefault(point_id.lower(), point_id)
        found = {}
        if len(wanted) > WINDOW_FROM:
            found = self._window(vm_points, wanted, backup_server)
        found.update(self.restore_points_by_id([point_id for key, point_id in wanted.items() if key not in found]))
        return found

    def restore_points_by_id(self, ids):
        """``{restore point id (lower case): RestorePoint entity}``: one query per ``CHUNK`` ids."""
        found = {}
        for chunk in _chunks([point_id for point_id in ids if point_id]):
            expr = one_of('UID', ['urn:veeam:RestorePoint:' + point_id for point_id in chunk])
            for entity in self.em.query('RestorePoint', expr, page_size=self.page_size):
                found[str(entity_id(entity)).lower()] = entity
        return found

    def _window(self, vm_points, wanted, backup_server):
        times = [moment for moment in (parse_time(point.get('creation_time_utc')) for point in vm_points) if moment is not None]
        if not times:
            return {}
        expr = all_of(term('CreationTime', '>=', min(times) - WINDOW_SLACK), _server_narrowing(backup_server))
        return gather_pages(self.em, 'RestorePoint', expr, set(wanted), entity_id, self.page_size, 'CreationTime', CHUNK)

    def backups_of_jobs(self, names, backup_server=None):
        """Backup entities of the jobs with these names (``query?type=Backup`` by ``JobName`` [D: get_query_backup]), on
        ``backup_server`` when given (the Backup query has no server field: checked on the backup's link)."""
        found = []
        for chunk in _chunks(names):
            for backup in self.em.query('Backup', one_of('JobName', chunk), sort_asc='Name', page_size=self.page_size):
                server = normalize_backup_server(backup)['name']
                if not backup_server or str(server or '').lower() == backup_server.lower():
                    found.append(backup)
        return found

    def restore_points_of_backups(self, backups, backup_server=None):
        """``{restore point id (lower case): RestorePoint}`` of these backups (``BackupUid`` [D: get_query_restorepoint])."""
        found = {}
        for chunk in _chunks([backup.get('uid') for backup in backups if backup.get('uid')]):
            expr = all_of(one_of('BackupUid', chunk), _server_narrowing(backup_server))
            for entity in self.em.query('RestorePoint', expr, sort_desc='CreationTime', page_size=self.page_size):
                found[str(entity_id(entity)).lower()] = entity
        return found

    def vm_points_in(self, restore_points, backup_server=None, since=None):
        """VM restore points of these restore points (``RestorePointId`` [D: get_query_vmrestorepoint]), newest first."""
        narrow = all_of(_server_narrowing(backup_server), None if since is None else term('CreationTime', '>=', since))
        points, seen = [], set()
        for chunk in _chunks([entity.get('uid') for entity in restore_points if entity.get('uid')]):
            for point in self.em.query('VmRestorePoint', all_of(one_of('RestorePointId', chunk), narrow), sort_desc='CreationTime',
                                       page_size=self.page_size):
                uid = str(point.get('uid')).lower()
                if uid not in seen:
                    seen.add(uid)
                    points.append(point)
        return points


class JobIndex:
    """Jobs by name and backup server, to name the job of a backup: a backup is named after its job [D: get_backups_id]
    and lives on its job's backup server. Names compare without regard to case, as Enterprise Manager compares them."""

    def __init__(self, jobs):
        self.jobs = {}
        for job in jobs or []:
            key = (str(job.get('name') or '').lower(), str(normalize_backup_server(job)['name'] or '').lower())
            self.jobs.setdefault(key, job)

    def job_of(self, backup_name, backup_server):
        """``{"name", "id"}`` of the job that made a backup; the backup's name and a null id when no listed job matches."""
        job = self.jobs.get((str(backup_name or '').lower(), str(backup_server or '').lower()))
        if job is None:
            return {'name': backup_name, 'id': None}
        return {'name': job.get('name'), 'id': entity_id(job)}

    def has_name(self, name):
        return any(key[0] == str(name).lower() for key in self.jobs)


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
