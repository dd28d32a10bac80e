# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what the veeam_em inventory needs from Enterprise Manager into plain data (internal; may change in any release).

The result of ``fetch_inventory_data`` is what the inventory cache stores: lists and dicts of strings,
numbers, booleans and None, with no credentials, tokens or Ansible objects. Requests over the open
``EmClient``: one paged ``type=HierarchyRoot`` query and the jobs API's paged job query (whose entities
embed their includes; see ``_jobs.JobsApi.includes_of`` for Enterprise Manager versions that leave them out),
with ``with_last_session`` the latest-run queries of ``JobsApi.latest_runs``, and with ``restore_point_days`` the
restore point queries of ``_inventory_points.read_point_summary`` (a few per page of points).
"""

from __future__ import annotations

from ansible_collections.veeamops.em.plugins.module_utils._jobs import JobCriteria, JobsApi
from ansible_collections.veeamops.em.plugins.module_utils._normalize import (
    normalize_include,
    normalize_job,
    normalize_linked_job,
    normalize_run,
)
from ansible_collections.veeamops.em.plugins.module_utils._query import DEFAULT_PAGE_SIZE
from ansible_collections.veeamops.em.plugins.module_utils._times import parse_since
from ansible_collections.veeamops.em.plugins.module_utils._vms import hierarchy_roots

from ._inventory_points import read_point_summary

# Version of the cached data layout; cached data of another version is read again from Enterprise Manager.
# 3: "restore_points" (with restore_point_days).
DATA_FORMAT = 3
_INCLUDE_KEYS = ('id', 'name', 'display_name', 'hierarchy_obj_ref', 'platform', 'object_type', 'hierarchy_root_id', 'object_ref')
_RUN_KEYS = ('state', 'result', 'running', 'creation_time', 'end_time')


def job_record(entity, includes, linked):
    """The plain-data summary of one job that the inventory keeps."""
    summary = normalize_job(entity)
    record = {key: summary[key] for key in ('name', 'id', 'uid', 'job_type', 'platform', 'schedule_enabled')}
    record['backup_server'] = summary['backup_server']
    record['includes'] = [_include_record(obj) for obj in includes]
    record['linked_job_uids'] = sorted(uid for uid in (normalize_linked_job(obj)['job_uid'] for obj in linked) if uid)
    return record


def _include_record(obj):
    include = normalize_include(obj)
    return {key: include[key] for key in _INCLUDE_KEYS}


def run_record(entity):
    """State, result and times of a job's latest run; None when the job never ran."""
    if entity is None:
        return None
    run = normalize_run(entity)
    return {key: run[key] for key in _RUN_KEYS}


def points_since(days):
    """The start of the restore point window: ``days`` days before now, to the second."""
    return parse_since('%dd' % days, 'restore_point_days').replace(microsecond=0)


def fetch_inventory_data(em, criteria=None, selection=None, with_last_session=False, page_size=DEFAULT_PAGE_SIZE, restore_point_days=None):
    """Everything the inventory shows, as plain data: ``{"format", "hierarchy_roots", "jobs", "warnings"}``, and with
    ``restore_point_days`` (``with_restore_points``) ``"restore_points"``, the summary of the VM restore points made
    within that many days (``_inventory_points.summarize_points``)."""
    api = JobsApi(em, page_size=page_size)
    roots = hierarchy_roots(em, page_size)
    entities = [job for job in api.list(criteria or JobCriteria()) if selection is None or not selection.excludes(job.get('name'))]
    includes = api.includes_of(entities)
    jobs = []
    for entity in entities:
        objects, linked = includes.get(entity.get('uid')) or [], api.linked_jobs(entity)
        if selection is None or selection.accepts(entity, objects, linked):
            jobs.append(job_record(entity, objects, linked))
    if with_last_session:
        latest = api.latest_runs(jobs)
        for job in jobs:
            job['last_session'] = run_record(latest.get(job['uid']))
    data = {'format': DATA_FORMAT, 'hierarchy_roots': roots, 'jobs': jobs, 'warnings': list(api.warnings)}
    if restore_point_days is not None:
        data['restore_points'] = read_point_summary(em, entities, jobs, points_since(restore_point_days), page_size)
    return data
