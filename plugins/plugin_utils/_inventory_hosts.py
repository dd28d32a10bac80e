# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hosts of the veeam_em inventory: one per distinct VM HierarchyObjRef found in job includes (internal; may change in any release).

``collect_vms`` turns the plain data of ``_inventory_fetch`` into VM records and, per job, the includes
that are not VMs (folders, tags, clusters, hosts, datastores, ...; and references that do not parse).
``_inventory_points`` adds the VMs that restore points show (``with_restore_points``).
Nothing here depends on the order of jobs or includes: every list is sorted and every choice between
differing values is made on the values themselves.
"""

from __future__ import annotations

from collections import Counter

from ansible_collections.veeamops.em.plugins.module_utils._vms import vm_key

VAR_PREFIX = 'veeam_'
JOB_KEYS = ('name', 'id', 'uid', 'job_type', 'platform', 'schedule_enabled', 'backup_server')
HOST_VARS = ('name', 'display_name', 'hierarchy_obj_ref', 'platform', 'object_type', 'hierarchy_root_id', 'hierarchy_root_name',
             'hierarchy_root_type', 'object_ref', 'jobs', 'backup_servers')
POINT_VARS = ('last_restore_point', 'restore_point_count', 'protected_by')


def is_vm(include):
    """A VM include: its HierarchyObjRef is a VM reference (``_vms.vm_key``, the collection's one VM identity rule)."""
    return vm_key(include['hierarchy_obj_ref']) is not None


def _most_common(values):
    """The most frequent non-empty value, ties broken by sort order; None when there is none."""
    counts = Counter(value for value in values if value not in (None, ''))
    if not counts:
        return None
    return min(counts.items(), key=lambda item: (-item[1], str(item[0])))[0]


def job_sort_key(job):
    return (str(job.get('name') or ''), str((job.get('backup_server') or {}).get('name') or ''), str(job.get('uid') or ''))


def root_info(roots, root_id):
    return (roots or {}).get(str(root_id or '').lower()) or {}


def container_record(include, roots):
    """An include that is not a VM, as listed in ``veeam_container_includes``."""
    root = root_info(roots, include.get('hierarchy_root_id'))
    record = {key: include.get(key) for key in ('name', 'display_name', 'hierarchy_obj_ref', 'platform', 'object_type',
                                                'hierarchy_root_id', 'object_ref')}
    record['hierarchy_root_name'] = root.get('name')
    return record


def collect_vms(jobs, roots=None):
    """Return ``(vms, containers)``: ``vms`` maps a VM key to its record, ``containers`` maps a job uid to its non-VM includes."""
    seen = {}
    containers = {}
    for job in jobs:
        others = []
        for include in job.get('includes') or []:
            if not is_vm(include):
                others.append(container_record(include, roots))
                continue
            entry = seen.setdefault(vm_key(include['hierarchy_obj_ref']), {'includes': [], 'jobs': []})
            entry['includes'].append(include)
            entry['jobs'].append(job_entry(job, include.get('id')))
        containers[job['uid']] = sorted(others, key=lambda item: (str(item['hierarchy_obj_ref']), str(item['name'])))
    vms = {key: _vm_record(entry, roots) for key, entry in seen.items()}
    return vms, containers


def job_entry(job, object_in_job_id):
    """A job as a VM's record lists it: the ``JOB_KEYS``, the id of the VM's include in it (None when the job protects
    the VM through a container) and the job's latest run (``with_last_session``; not a host variable of its own)."""
    entry = {key: job.get(key) for key in JOB_KEYS}
    entry.update(object_in_job_id=object_in_job_id, last_session=job.get('last_session'))
    return entry


def backup_server_names(jobs):
    """The names of the backup servers of these jobs, sorted."""
    return sorted({job['backup_server']['name'] for job in jobs if (job.get('backup_server') or {}).get('name')})


def _vm_record(entry, roots):
    includes = entry['includes']
    refs = sorted({include['hierarchy_obj_ref'] for include in includes})
    first = min(includes, key=lambda include: include['hierarchy_obj_ref'])
    root = root_info(roots, first['hierarchy_root_id'])
    jobs = sorted(entry['jobs'], key=job_sort_key)
    name = _most_common(include.get('name') for include in includes)
    return {
        'name': name,
        'display_name': _most_common(include.get('display_name') for include in includes) or name,
        'hierarchy_obj_ref': refs[0],
        'platform': first['platform'],
        'object_type': first['object_type'],
        'hierarchy_root_id': first['hierarchy_root_id'],
        'hierarchy_root_name': root.get('name'),
        'hierarchy_root_type': root.get('host_type'),
        'object_ref': first['object_ref'],
        'jobs': jobs,
        'backup_servers': backup_server_names(jobs),
    }


def host_vars(vm, with_last_session=False, with_restore_points=False):
    """The host variables of a VM (plain data, not yet marked unsafe); ``with_restore_points`` needs a record that
    ``_inventory_points.add_point_vms`` completed."""
    variables = {VAR_PREFIX + key: vm[key] for key in HOST_VARS}
    variables[VAR_PREFIX + 'jobs'] = [{key: value for key, value in job.items() if key != 'last_session'} for job in vm['jobs']]
    if with_last_session:
        variables[VAR_PREFIX + 'last_sessions'] = [_last_session(job) for job in vm['jobs']]
    if with_restore_points:
        variables.update((VAR_PREFIX + key, vm[key]) for key in POINT_VARS)
    return variables


def _last_session(job):
    session = job.get('last_session') or {}
    item = {'job_name': job.get('name'), 'job_uid': job.get('uid')}
    item.update({key: session.get(key) for key in ('state', 'result', 'running', 'creation_time', 'end_time')})
    return item


def unparsed_include_warnings(jobs):
    """One warning per include whose HierarchyObjRef does not parse (it stays in ``veeam_container_includes``)."""
    warnings = []
    for job in jobs:
        for include in job.get('includes') or []:
            if not include.get('object_type'):
                warnings.append('job "%s" on %s includes %r (%s), which is not a HierarchyObjRef of the form '
                                'urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>; it is listed in veeam_container_includes of '
                                "the job's group instead of becoming a host" % (
                                    job.get('name'), (job.get('backup_server') or {}).get('name'), include.get('hierarchy_obj_ref'),
                                    include.get('name')))
    return warnings
