# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Groups of the veeam_em inventory (internal; may change in any release).

``plan_groups`` decides every group, its hosts, variables and child groups as plain data; the inventory
plugin only applies the plan. Groups, with the default prefix ``veeam_``:

* ``veeam_job_<job name>`` for every selected job (the VMs it includes; ``veeam_container_includes``
  lists its other includes; a backup copy job has the groups of its source jobs as children);
* ``veeam_job_type_<job type>``, ``veeam_backup_server_<server name>`` and ``veeam_platform_<platform>``
  for the VMs of jobs of that type, of that backup server, and of that platform.

All our group names compete in one pool: when names clash (two jobs called alike, or a job called
"Type Backup" next to the job-type group ``veeam_job_type_backup``), each clashing job or backup server
group gets a longer name (see ``_inventory_names``), and a warning names them.
"""

from __future__ import annotations

from ._inventory_names import backup_server_group_forms, group_part, job_group_forms, unique_names

CONTAINERS_VAR = 'veeam_container_includes'


def _new_group():
    return {'hosts': set(), 'vars': {}, 'children': set()}


def _server_key(server):
    server = server or {}
    return server.get('id') or server.get('name')


def _group_forms(jobs, vms, prefix):
    forms = {('job', job['uid']): job_group_forms(job, prefix) for job in jobs}
    servers = {}
    for vm in vms.values():
        for job in vm['jobs']:
            if _server_key(job.get('backup_server')):
                servers[_server_key(job['backup_server'])] = job['backup_server']
            if job.get('job_type'):
                forms[('job_type', group_part(job['job_type']))] = ['%sjob_type_%s' % (prefix, group_part(job['job_type']))]
        forms[('platform', group_part(vm['platform']))] = ['%splatform_%s' % (prefix, group_part(vm['platform']))]
    for key, server in servers.items():
        forms[('backup_server', key)] = backup_server_group_forms({'name': server.get('name') or key, 'id': key}, prefix)
    return forms


def _describe(key, jobs_by_uid):
    kind, ident = key
    if kind == 'job':
        job = jobs_by_uid[ident]
        return 'job "%s" on %s (%s)' % (job['name'], (job.get('backup_server') or {}).get('name'), job['uid'])
    return '%s %s' % (kind.replace('_', ' '), ident)


def _clash_warnings(clashes, names, jobs_by_uid):
    warnings = []
    for name, keys in clashes:
        parts = ['%s -> group %s' % (_describe(key, jobs_by_uid), names[key]) for key in keys]
        warnings.append('%d groups would be named %s, so each gets a longer name: %s' % (len(keys), name, '; '.join(parts)))
    return warnings


def plan_groups(jobs, vms, host_names, containers, prefix='veeam_'):
    """Return ``(plan, warnings)``; ``plan`` maps a group name to ``{"hosts": set, "vars": dict, "children": set}``."""
    names, clashes = unique_names(_group_forms(jobs, vms, prefix))
    jobs_by_uid = {job['uid']: job for job in jobs}
    job_group_by_uid = {uid.lower(): names[('job', uid)] for uid in jobs_by_uid}
    plan = {}
    for job in jobs:
        group = plan.setdefault(names[('job', job['uid'])], _new_group())
        if containers.get(job['uid']):
            group['vars'][CONTAINERS_VAR] = containers[job['uid']]
        for source_uid in job.get('linked_job_uids') or []:
            child = job_group_by_uid.get(str(source_uid).lower())
            if child and child != names[('job', job['uid'])]:
                group['children'].add(child)
    for key, vm in vms.items():
        host = host_names[key]
        plan.setdefault(names[('platform', group_part(vm['platform']))], _new_group())['hosts'].add(host)
        for job in vm['jobs']:
            member_of = [('job', job['uid']), ('job_type', group_part(job.get('job_type'))), ('backup_server', _server_key(job.get('backup_server')))]
            for group_key in member_of:
                if group_key in names:
                    plan.setdefault(names[group_key], _new_group())['hosts'].add(host)
    return plan, _clash_warnings(clashes, names, jobs_by_uid)
