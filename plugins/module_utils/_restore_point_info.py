# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points of VMs with the job and backup server that hold them, as veeam_restore_point_info returns them
(internal; may change in any release). ``read_vm_points`` is the reusable read: the points of a set of VMs, or of
every VM since a time, each with its job.

A VM restore point names its restore point, whose backup is named after the job that made it [D: get_backups_id];
the job is found among the listed jobs by that name and the backup server (``JobIndex``), so ``job.id`` is set when a
listed job matches (a deleted job's points keep its name and a null id).

Requests (pages of 1000): VM restore points, one paged query per 40 VMs (all VMs: one paged query); their restore
points, by UID (one query per 40) or by date (see ``RestorePointsApi.restore_points``), so a few pages per 1000 points;
the jobs, one query per 1000 jobs. Points of named jobs without VMs: their backups, restore points and VM points, one
query per 40 names, backups and restore points.
"""

from __future__ import annotations

from ._errors import EmPermissionError
from ._jobs import JobCriteria, JobsApi
from ._query import DEFAULT_PAGE_SIZE
from ._restore_points import JobIndex, RestorePointsApi, backup_of, normalize_vm_point, restore_point_id
from ._session_info import first_per_key, names_option
from ._times import parse_instant, parse_since, parse_time
from ._vms import INCLUDE, VmResolver, check_items, is_vm_ref, vm_key


class PointFilter:
    """What the module was asked: VMs (names or references), job names, backup server, since, newest point only."""

    def __init__(self, vms=None, jobs=None, backup_server=None, since=None, latest_only=False):
        self.vms = vms
        self.jobs = list(jobs or [])
        self.backup_server = backup_server or None
        self.since = since
        self.latest_only = bool(latest_only)

    @classmethod
    def from_params(cls, params, now=None):
        """The filter from module options; EmInputError for a bad VM entry, job name or ``since``, before any request."""
        vms = params.get('vms')
        since = params.get('since')
        if vms is not None:
            vms = check_items(vms, 'vms')
        return cls(vms=vms, jobs=names_option(params.get('jobs'), 'jobs'), backup_server=params.get('backup_server'),
                   since=None if since in (None, '') else parse_since(since, 'since', now).replace(microsecond=0),
                   latest_only=params.get('latest_only'))

    def matches(self, point):
        """Whether a described point belongs to one of the named jobs (by the job's or the backup's name, without regard to case)."""
        if not self.jobs:
            return True
        names = {str(name).lower() for name in self.jobs}
        return str(point['job']['name'] or '').lower() in names or str(point['backup']['name'] or '').lower() in names


def _identity(point):
    return vm_key(point.get('ref')) or str(point.get('ref') or point.get('vm_name') or '').lower()


def newest_first(points):
    """Described points sorted by creation time, newest first, ties by id; points without a readable time last."""
    moments = [(parse_instant(point['creation_time']), point) for point in points]
    dated = sorted(((moment, str(point['id'] or ''), index) for index, (moment, point) in enumerate(moments) if moment), reverse=True)
    return [moments[index][1] for _moment, _id, index in dated] + [point for moment, point in moments if not moment]


def newest_per_vm(points):
    """The first point of each VM in ``points`` (newest first), in that order."""
    return first_per_key(points, _identity)


def describe_points(vm_points, parents, index):
    """VM restore points as the modules return them, with backup (from ``parents``), job (from ``index``) and the id of their
    restore point, newest first."""
    backups = {key: backup_of(parent) for key, parent in parents.items()}
    described = []
    for point in vm_points:
        parent_id = restore_point_id(point)
        item = normalize_vm_point(point)
        item['backup'] = backups.get(str(parent_id).lower()) or {'name': None, 'id': None}
        item['job'] = index.job_of(item['backup']['name'], item['backup_server']) if item['backup']['name'] else {'name': None, 'id': None}
        item['restore_point_id'] = parent_id
        described.append(item)
    return newest_first(described)


def read_vm_points(em, refs=None, since=None, backup_server=None, jobs=None, page_size=DEFAULT_PAGE_SIZE, read=()):
    """Described VM restore points (``normalize_vm_point`` with ``job``), newest first.

    ``refs``: HierarchyObjRefs of the VMs (None: every VM); ``since`` (aware datetime): points taken at or after it;
    ``backup_server``: on that backup server; ``jobs``: the job entities that name the jobs (None: listed here when there
    are points); ``read``: raw VM restore points the caller already read (by reference, narrowed alike) to add.
    """
    api = RestorePointsApi(em, page_size)
    points = list(read)
    if refs is None or refs:
        queried = api.vm_points(refs=list(refs or ()), backup_server=backup_server, since=since)
        if refs is not None:
            wanted = {vm_key(ref) for ref in refs}
            queried = [point for point in queried if vm_key(point.get('hierarchy_obj_ref')) in wanted]
        seen = {str(point.get('uid')).lower() for point in points}
        points += [point for point in queried if str(point.get('uid')).lower() not in seen]
    if not points:
        return []
    index = JobIndex(_listed(em, jobs, backup_server, page_size))
    return describe_points(points, api.restore_points(points, backup_server), index)


def read_by_resolver(items, targets, resolver, since=None):
    """``(keys, points)``: the VMs whose points the resolver read by reference (references that no listed job includes
    directly), and those points taken at or after ``since``; the caller need not ask for them again."""
    keys = {vm_key(item) for item, target in zip(items, targets) if is_vm_ref(item) and target.get('protected_by') != INCLUDE}
    points = [point for point in resolver.vm_points
              if vm_key(point.get('hierarchy_obj_ref')) in keys and taken_since(point, since)]
    return keys, points


def taken_since(point, since):
    """Whether a VM restore point was taken at or after ``since`` (every point when ``since`` is None)."""
    return since is None or (parse_time(point.get('creation_time_utc')) or since) >= since


def read_job_points(em, names, since=None, backup_server=None, jobs=None, page_size=DEFAULT_PAGE_SIZE):
    """Described VM restore points of the jobs with these names, newest first: their backups (``JobName``), the restore
    points of those backups and the VM restore points in them, all by query."""
    api = RestorePointsApi(em, page_size)
    parents = api.restore_points_of_backups(api.backups_of_jobs(names, backup_server), backup_server)
    points = api.vm_points_in(list(parents.values()), backup_server, since)
    return describe_points(points, parents, JobIndex(_listed(em, jobs, backup_server, page_size)))


def list_jobs(em, backup_server=None, warn=None, page_size=DEFAULT_PAGE_SIZE):
    """The VM jobs (on ``backup_server``) that name the jobs of points; [] with a warning for an account that may not read
    jobs (HTTP 403: Portal User, restore operators [D: auth.md]), whose points then show job names without ids."""
    try:
        return JobsApi(em, page_size=page_size).list(JobCriteria(backup_servers=backup_server))
    except EmPermissionError:
        (warn or (lambda message: None))('This account may not read jobs (HTTP 403); the jobs of restore points are named after '
                                         'their backups, without job ids')
        return []


def _listed(em, jobs, backup_server, page_size):
    return list_jobs(em, backup_server, None, page_size) if jobs is None else jobs


def by_vm(points):
    """``{VM identity: [points]}`` (order kept), to hand each requested VM its points without a scan per VM."""
    grouped = {}
    for point in points:
        grouped.setdefault(_identity(point), []).append(point)
    return grouped


def vm_entry(target, grouped):
    """One requested VM with its points (newest first) and its newest point (None when it has none); ``grouped``: ``by_vm``."""
    own = grouped.get(vm_key(target.get('ref'))) or []
    return {'name': target.get('name') or (own[0]['vm_name'] if own else None), 'ref': target.get('ref'), 'platform': target.get('platform'),
            'hierarchy_root': target.get('hierarchy_root'), 'hierarchy_root_id': target.get('hierarchy_root_id'),
            'backup_server': target.get('backup_server'), 'restore_point': own[0] if own else None, 'restore_points': own}


def unknown_job_names(flt, index, points):
    """Names in ``jobs`` that no listed job has and no point belongs to (most likely misspelt)."""
    seen = {str(point['job']['name'] or '').lower() for point in points} | {str(point['backup']['name'] or '').lower() for point in points}
    return [name for name in flt.jobs if not index.has_name(name) and name.lower() not in seen]


def gather_points(em, flt, warn=None):
    """The module result for ``flt`` (a PointFilter) over an open client."""
    warn = warn or (lambda message: None)
    targets = None
    if flt.vms:
        resolver = VmResolver(em, flt.backup_server)
        targets = resolver.resolve(flt.vms, require_job=False)
        for warning in resolver.warnings:
            warn(warning)
        jobs = resolver.listed_jobs
        keys, known = read_by_resolver(flt.vms, targets, resolver, flt.since)
        refs = [target['ref'] for target in targets if vm_key(target['ref']) not in keys]
        points = read_vm_points(em, refs, flt.since, flt.backup_server, jobs, read=known)
    else:
        jobs = list_jobs(em, flt.backup_server, warn)
        if flt.jobs:
            points = read_job_points(em, flt.jobs, flt.since, flt.backup_server, jobs)
        else:
            points = read_vm_points(em, None, flt.since, flt.backup_server, jobs)
    points = [point for point in points if flt.matches(point)]
    for name in unknown_job_names(flt, JobIndex(jobs), points):
        warn('No job named "%s" is listed%s, and no restore point belongs to one' % (
            name, ' on backup server "%s"' % flt.backup_server if flt.backup_server else ''))
    if flt.latest_only:
        points = newest_per_vm(points)
    result = {'changed': False, 'restore_points': points}
    if targets is not None:
        grouped = by_vm(points)
        result['vms'] = [vm_entry(target, grouped) for target in targets]
    return result
