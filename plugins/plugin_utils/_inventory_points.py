# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points in the veeam_em inventory, option ``with_restore_points`` (internal; may change in any release).

Fetch side: ``read_point_summary`` reads the VM restore points of every VM made since a time
(``_restore_point_info.read_vm_points``, with the job entities the inventory listed, so the jobs are not listed twice)
and ``summarize_points`` keeps, per VM, what the inventory shows: its newest point, the number of points and the jobs
that made them. That summary is what the cache stores.

Populate side: ``add_point_vms`` gives every VM record ``last_restore_point``, ``restore_point_count`` and
``protected_by``, and makes a job protect a VM through a container when the job has container includes and made a
restore point of a VM that it does not include directly; such a VM becomes a host when no job includes it.

Which points count [I: a backup is named after its job, restore-points.md]: those whose backup is named after a
selected job on the point's backup server. Points of backup copy jobs do not count: they are copies of points of their
source jobs (counting them would count one backup twice, and what time a copy carries is not documented); a copy job's
group holds its source jobs' groups anyway. Points of jobs that are not selected (filtered out, or deleted) do not
count either. Points of a job without container includes never add a VM to the job, so a VM removed from a job's
direct includes stays out of its group.
"""

from __future__ import annotations

from ansible_collections.veeamops.em.plugins.module_utils._hierarchy import parse_hierarchy_obj_ref
from ansible_collections.veeamops.em.plugins.module_utils._jobs import is_copy_job
from ansible_collections.veeamops.em.plugins.module_utils._query import DEFAULT_PAGE_SIZE
from ansible_collections.veeamops.em.plugins.module_utils._restore_point_info import newest_first, read_vm_points
from ansible_collections.veeamops.em.plugins.module_utils._times import parse_instant, parse_time
from ansible_collections.veeamops.em.plugins.module_utils._vms import CONTAINER, INCLUDE, vm_key

from ._inventory_hosts import backup_server_names, job_entry, job_sort_key, root_info

# The format of veeam_last_restore_point: UTC, to the second (Enterprise Manager writes fractions of varying length).
TIME_FORMAT = '%Y-%m-%dT%H:%M:%SZ'


def counted_jobs(jobs):
    """``{job id (lower case): job uid}`` of the jobs whose restore points count: the selected jobs but backup copy jobs."""
    return {str(job['id']).lower(): job['uid'] for job in jobs if job.get('id') and job.get('uid') and not is_copy_job(job)}


def read_point_summary(em, entities, jobs, since, page_size=DEFAULT_PAGE_SIZE):
    """The restore point summary (``summarize_points``) of the VM restore points made at or after ``since``.

    ``entities`` are the job entities as listed (they name the job of each point), ``jobs`` the selected job records.
    No request when no selected job can count (none, or backup copy jobs only).
    """
    if not counted_jobs(jobs):
        return []
    return summarize_points(read_vm_points(em, None, since, jobs=list(entities), page_size=page_size), jobs, since)


def summarize_points(points, jobs, since=None):
    """Per VM whose points count: ``{"ref", "name", "count", "last", "job_uids"}``, sorted by ``ref``.

    ``points`` are described VM restore points (``read_vm_points``). ``ref`` is the VM's HierarchyObjRef (the smallest
    spelling when points spell it differently), ``name`` the VM name of its newest point, ``last`` the time of its
    newest point (``TIME_FORMAT``; None when no point has a readable time), ``job_uids`` the jobs that made them.
    ``since`` (aware datetime): a point with a readable time before it does not count, also when a server answered the
    query with points its filter should have left out (a point without a readable time counts: the server's filter
    chose it).
    """
    counted = counted_jobs(jobs)
    found = {}
    for point in newest_first(points):
        key = vm_key(point.get('ref'))
        job_uid = counted.get(str((point.get('job') or {}).get('id') or '').lower())
        if key is None or job_uid is None or _before(point.get('creation_time'), since):
            continue
        entry = found.setdefault(key, {'refs': set(), 'name': None, 'count': 0, 'last': None, 'job_uids': set()})
        entry['refs'].add(point['ref'])
        entry['name'] = entry['name'] or point.get('vm_name')
        entry['count'] += 1
        entry['last'] = entry['last'] or _time_text(point.get('creation_time'))
        entry['job_uids'].add(job_uid)
    summary = [{'ref': min(entry['refs']), 'name': entry['name'], 'count': entry['count'], 'last': entry['last'],
                'job_uids': sorted(entry['job_uids'])} for entry in found.values()]
    return sorted(summary, key=lambda record: record['ref'])


def _before(text, since):
    moment = parse_instant(text) if since is not None else None
    return moment is not None and moment < since


def _time_text(text):
    moment = parse_time(text)
    return moment.strftime(TIME_FORMAT) if moment else None


def add_point_vms(vms, containers, jobs, summary, roots=None):
    """The VM records of ``collect_vms`` completed with restore points, plus the VMs only restore points show.

    ``containers`` maps a job uid to its container includes (``collect_vms``), ``summary`` is ``summarize_points``'s.
    Returns a new ``{VM key: record}``; every record has ``restore_point_count``, ``last_restore_point``,
    ``protected_by`` (``include`` when a selected job includes the VM directly, else ``container``) and, in every job
    entry, ``protected_by``.
    """
    by_uid = {job['uid']: job for job in jobs if job.get('uid')}
    result = {key: _with_points(vm, [dict(job, protected_by=INCLUDE) for job in vm['jobs']]) for key, vm in vms.items()}
    for record in summary:
        key = vm_key(record.get('ref'))
        if key is None:
            continue
        direct = {job['uid'] for job in result[key]['jobs']} if key in result else set()
        through = [by_uid[uid] for uid in record.get('job_uids') or [] if uid in by_uid and containers.get(uid) and uid not in direct]
        if key not in result:
            if not through:
                continue
            result[key] = _with_points(_point_vm(record, roots), [])
        vm = result[key]
        vm['jobs'] = sorted(vm['jobs'] + [dict(job_entry(job, None), protected_by=CONTAINER) for job in through], key=job_sort_key)
        vm['backup_servers'] = backup_server_names(vm['jobs'])
        vm['restore_point_count'] = record.get('count') or 0
        vm['last_restore_point'] = record.get('last')
    for vm in result.values():
        vm['protected_by'] = INCLUDE if any(job['protected_by'] == INCLUDE for job in vm['jobs']) else CONTAINER
    return result


def _with_points(vm, jobs):
    return dict(vm, jobs=jobs, restore_point_count=0, last_restore_point=None)


def _point_vm(record, roots):
    """The record of a VM that only restore points show: what its reference and its newest point tell."""
    parts = parse_hierarchy_obj_ref(record['ref'])
    root = root_info(roots, parts['hierarchy_root_id'])
    return {
        'name': record.get('name'),
        'display_name': record.get('name'),
        'hierarchy_obj_ref': record['ref'],
        'platform': parts['platform'],
        'object_type': parts['object_type'],
        'hierarchy_root_id': parts['hierarchy_root_id'],
        'hierarchy_root_name': root.get('name'),
        'hierarchy_root_type': root.get('host_type'),
        'object_ref': parts['object_ref'],
        'jobs': [],
        'backup_servers': [],
    }
