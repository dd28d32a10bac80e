# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Groups of the veeam_em inventory (internal; may change in any release).

``plan_groups`` decides every host name and every group, its hosts, variables and child groups as plain
data; the inventory plugin only applies the plan, through calls that cannot take a host for a group.
Groups, with the default prefix ``veeam_``:

* ``veeam_job_<job name>`` for every selected job (the VMs it includes; ``veeam_container_includes``
  lists its other includes; a backup copy job has the groups of its source jobs as children);
* ``veeam_job_type_<job type>``, ``veeam_backup_server_<server name>`` and ``veeam_platform_<platform>``
  for the VMs of jobs of that type, of that backup server, and of that platform.

All our group names compete in one pool: when names clash (two jobs called alike, or a job called
"Type Backup" next to the job-type group ``veeam_job_type_backup``), each clashing job or backup server
group gets a longer name (see ``_inventory_names``), and a warning names them. Host names are decided after
the group names: a VM named like one of our groups, like a group already in the inventory, like ``all``,
``ungrouped`` or like the controller (``localhost``) gets a longer host name, and a warning names it.
"""

from __future__ import annotations

from ._inventory_names import (
    LOCALHOST_NAMES,
    RESERVED_GROUP_NAMES,
    backup_server_group_forms,
    group_part,
    host_names,
    job_group_forms,
    taken_host_names,
    unique_names,
)

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


def group_names(jobs, vms, prefix='veeam_'):
    """Return ``(names, warnings)``: ``names`` maps a group key (``("job", uid)``, ``("job_type", type)``, ...) to its name.

    Our names never are ``all`` or ``ungrouped``: they start with ``<prefix>job_``, ``<prefix>backup_server_`` or
    ``<prefix>platform_``, and ``unique_names`` keeps them off those names in any case.
    """
    names, clashes = unique_names(_group_forms(jobs, vms, prefix), RESERVED_GROUP_NAMES)
    return names, _clash_warnings(clashes, names, {job['uid']: job for job in jobs})


def plan_groups(jobs, vms, preferred, containers, prefix='veeam_', existing_groups=(), localhost_names=LOCALHOST_NAMES):
    """Decide every host name and group of the inventory; returns ``(plan, warnings)``.

    ``preferred`` maps a VM key to the host name the ``hostnames`` option gives it; ``existing_groups`` are the
    groups already in the inventory (other sources, and ``all`` and ``ungrouped``). Host names avoid our group names,
    the existing groups, the reserved groups and the ``localhost_names`` (see ``taken_host_names``).
    ``plan`` is ``{"hosts": {VM key: host name}, "groups": {group name: {"hosts": set, "vars": dict, "children": set}}}``;
    ``children`` are names of our groups, ``hosts`` names from ``plan["hosts"]``.
    """
    names, group_warnings = group_names(jobs, vms, prefix)
    hosts, host_warnings = host_names(vms, preferred, taken_host_names(names.values(), existing_groups, localhost_names))
    groups, link_warnings = _members(jobs, vms, names, hosts, containers)
    return {'hosts': hosts, 'groups': groups}, host_warnings + group_warnings + link_warnings


def _members(jobs, vms, names, hosts, containers):
    groups = {}
    for job in jobs:
        group = groups.setdefault(names[('job', job['uid'])], _new_group())
        if containers.get(job['uid']):
            group['vars'][CONTAINERS_VAR] = containers[job['uid']]
    for key, vm in vms.items():
        groups.setdefault(names[('platform', group_part(vm['platform']))], _new_group())['hosts'].add(hosts[key])
        for job in vm['jobs']:
            member_of = [('job', job['uid']), ('job_type', group_part(job.get('job_type'))), ('backup_server', _server_key(job.get('backup_server')))]
            for group_key in member_of:
                if group_key in names:
                    groups.setdefault(names[group_key], _new_group())['hosts'].add(hosts[key])
    warnings = _add_children(groups, _source_links(jobs, names))
    return groups, warnings


def _source_links(jobs, names):
    """``(copy job group, source job group)`` for every source job of a backup copy job that is selected too."""
    group_by_uid = {job['uid'].lower(): names[('job', job['uid'])] for job in jobs}
    links = set()
    for job in jobs:
        for source_uid in job.get('linked_job_uids') or []:
            child = group_by_uid.get(str(source_uid).lower())
            if child:
                links.add((names[('job', job['uid'])], child))
    return sorted(links)


def _add_children(groups, links):
    """Make the source jobs' groups children of the copy jobs' groups, leaving out every link that would close a loop.

    Ansible refuses a group that contains itself (directly or through children), and Enterprise Manager data may link
    jobs in a circle; links are taken in sorted order, so the same links are left out whatever the order of jobs.
    """
    warnings = []
    for parent, child in links:
        if parent == child or parent in _descendants(groups, child):
            warnings.append('group %s is not made a child of group %s: the source jobs of backup copy jobs link them in a circle, '
                            'and an Ansible group cannot contain itself' % (child, parent))
            continue
        groups[parent]['children'].add(child)
    return warnings


def _descendants(groups, name):
    found, stack = set(), [name]
    while stack:
        for child in groups[stack.pop()]['children']:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found
