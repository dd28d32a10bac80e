# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what the veeam_em inventory needs from Enterprise Manager into plain data (internal; may change in any release).

The result of ``fetch_inventory_data`` is what the inventory cache stores: lists and dicts of strings,
numbers, booleans and None, with no credentials, tokens or Ansible objects. Requests over the open
``EmSession``: one paged ``type=HierarchyRoot`` query, one paged ``type=Job&format=Entities`` query
(job entities embed their includes), and with ``with_last_session`` the latest-session queries of
``JobsApi.latest_sessions``.
"""

from __future__ import annotations

from ansible_collections.veeamops.em.plugins.module_utils._jobs import JobsApi
from ansible_collections.veeamops.em.plugins.module_utils._normalize import (
    entity_id,
    normalize_backup_server,
    normalize_include,
    normalize_job,
    normalize_linked_job,
    normalize_session,
)
from ansible_collections.veeamops.em.plugins.module_utils._query import DEFAULT_PAGE_SIZE

from ._inventory_query import job_view

# Version of the cached data layout; cached data of another version is read again from Enterprise Manager.
DATA_FORMAT = 1
_INCLUDE_KEYS = ('id', 'name', 'display_name', 'hierarchy_obj_ref', 'platform', 'object_type', 'hierarchy_root_id', 'object_ref')
_SESSION_KEYS = ('state', 'result', 'running', 'creation_time', 'end_time')


def hierarchy_roots(session, page_size=DEFAULT_PAGE_SIZE):
    """``{root id (lower case): {"id", "name", "host_type", "backup_server"}}`` from the query service."""
    roots = {}
    for entity in session.query('HierarchyRoot', sort_asc='Name', page_size=page_size):
        root_id = str(entity.get('hierarchy_root_id') or entity_id(entity) or '')
        if root_id:
            roots[root_id.lower()] = {'id': root_id, 'name': entity.get('name'), 'host_type': entity.get('host_type'),
                                      'backup_server': normalize_backup_server(entity)['name']}
    return roots


def job_record(entity, includes, linked):
    """The plain-data summary of one job that the inventory keeps."""
    summary = normalize_job(entity)
    record = {key: summary[key] for key in ('name', 'id', 'uid', 'job_type', 'platform', 'schedule_enabled')}
    record['backup_server'] = summary['backup_server']
    record['includes'] = [_include_record(obj) for obj in includes if isinstance(obj, dict)]
    record['linked_job_uids'] = sorted(uid for uid in (normalize_linked_job(obj)['job_uid'] for obj in linked if isinstance(obj, dict)) if uid)
    return record


def _include_record(obj):
    include = normalize_include(obj)
    return {key: include[key] for key in _INCLUDE_KEYS}


def session_record(entity):
    """State, result and times of a job's latest session; None when the job never ran."""
    if entity is None:
        return None
    session = normalize_session(entity)
    return {key: session[key] for key in _SESSION_KEYS}


def fetch_inventory_data(session, job_filter=None, selection=None, with_last_session=False, page_size=DEFAULT_PAGE_SIZE):
    """Everything the inventory shows, as plain data: ``{"format", "hierarchy_roots", "jobs"}``."""
    api = JobsApi(session)
    roots = hierarchy_roots(session, page_size)
    jobs = []
    for entity in session.query('Job', job_filter, sort_asc='Name', page_size=page_size):
        if selection is not None and selection.excludes(entity.get('name')):
            continue
        includes = api.includes(entity)
        if selection is not None and selection.needs_view and not selection.accepts(job_view(entity, includes)):
            continue
        jobs.append(job_record(entity, includes, api.linked_jobs(entity)))
    if with_last_session:
        latest = api.latest_sessions(jobs)
        for job in jobs:
            job['last_session'] = session_record(latest.get(job['uid']))
    return {'format': DATA_FORMAT, 'hierarchy_roots': roots, 'jobs': jobs}
