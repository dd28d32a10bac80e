#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check ansible-inventory's answer for other_source.yml followed by the veeam_em source over files/hostile.yml.

Usage: check_hostile.py LIST_JSON GRAPH_TEXT STDERR_TEXT

LIST_JSON is the output of ``ansible-inventory --list``, GRAPH_TEXT of ``--graph``, STDERR_TEXT the error output
of the --list run. Every VM whose name is a group name or a name of the controller must be a host of its own,
named as the plugin's documentation says, with one warning naming it; the job groups must hold exactly their
VMs, as hosts and not as child groups; the group of the other source must keep exactly its hosts and variables;
of two backup copy jobs that are each other's source, one group is a child of the other, with a warning.
Prints every problem and exits 1 when there is one.
"""

from __future__ import annotations

import json
import re
import sys

from compare_inventory import plain

ROOT = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
REF = 'urn:VMware:Vm:%s.%%s' % ROOT
# HierarchyObjRef -> the host name the documentation promises.
HOSTS = {
    REF % 'vm-100': 'web01',
    REF % 'vm-101': REF % 'vm-101',  # "all", whose longer name the VM vm-110 is called
    REF % 'vm-102': 'ungrouped_vc01.lab.local_vm-102',
    REF % 'vm-103': 'localhost_vc01.lab.local_vm-103',
    REF % 'vm-104': '127.0.0.1_vc01.lab.local_vm-104',
    REF % 'vm-105': '::1_vc01.lab.local_vm-105',
    REF % 'vm-106': 'veeam_job_daily_vm_backup_vc01.lab.local_vm-106',
    REF % 'vm-107': 'webservers_vc01.lab.local_vm-107',
    REF % 'vm-108': 'WebServers',
    REF % 'vm-109': 'Veeam_Job_Daily_VM_Backup',
    REF % 'vm-110': 'all_vc01.lab.local_vm-101_vc01.lab.local_vm-110',
}
OTHER_HOSTS = ['web-static01', 'web-static02']
WARNINGS = [
    '2 VMs would be host all, which is a group that every Ansible inventory has',
    '1 VM would be host ungrouped, which is a group that every Ansible inventory has',
    '1 VM would be host localhost, which is a name that Ansible gives the controller',
    '1 VM would be host 127.0.0.1, which is a name that Ansible gives the controller',
    '1 VM would be host ::1, which is a name that Ansible gives the controller',
    '1 VM would be host veeam_job_daily_vm_backup, which is the name of a group of this inventory source',
    '1 VM would be host webservers, which is the name of a group that is already in the inventory',
    'group veeam_job_copy_east is not made a child of group veeam_job_copy_west: the source jobs of backup copy jobs link them '
    'in a circle',
]
# The only child group of the plugin's groups: Copy West is the source of Copy East (and the other way round, left out).
CHILDREN = {'veeam_job_copy_east': ['veeam_job_copy_west']}


def squeezed(text):
    """``text`` without whitespace: ansible-core before 2.19 wraps warnings, also at hyphens."""
    return re.sub(r'\s+', '', text)


def check_hosts(inventory, problems):
    hostvars = inventory['_meta']['hostvars']
    ours = {variables['veeam_hierarchy_obj_ref']: name for name, variables in hostvars.items() if 'veeam_hierarchy_obj_ref' in variables}
    if ours != HOSTS:
        problems.append('hosts by HierarchyObjRef: expected %s, got %s' % (HOSTS, ours))
    groups = set(inventory) - {'_meta'}
    problems.extend('host %s is also a group' % name for name in sorted(set(hostvars) & groups))
    problems.extend('host %s is a name of the controller' % name for name in sorted(set(hostvars) & {'localhost', '127.0.0.1', '::1'}))


def check_groups(inventory, problems):
    expected = {
        'veeam_job_daily_vm_backup': {'hosts': ['web01']},
        'veeam_job_odd_names': {'hosts': sorted(name for ref, name in HOSTS.items() if ref != REF % 'vm-100')},
        'webservers': {'hosts': OTHER_HOSTS},
    }
    for name, content in expected.items():
        actual = {key: sorted(value) for key, value in inventory.get(name, {}).items()}
        if actual != content:
            problems.append('group %s: expected %s, got %s' % (name, content, actual))
    for name in ('ungrouped',):
        if inventory.get(name, {}).get('hosts') or inventory.get(name, {}).get('children'):
            problems.append('group %s is not empty: %s' % (name, inventory[name]))
    for name, content in inventory.items():
        if name not in ('_meta', 'all') and sorted(content.get('children') or []) != CHILDREN.get(name, []):
            problems.append('group %s: expected the child groups %s, got %s' % (name, CHILDREN.get(name, []), content.get('children')))
    for host in OTHER_HOSTS:
        if inventory['_meta']['hostvars'].get(host) != {'http_port': 8080}:
            problems.append('host %s of the other source: expected the variables {"http_port": 8080}, got %s' % (
                host, inventory['_meta']['hostvars'].get(host)))


def graph_members(graph, group):
    """What ``--graph`` shows right below the first ``@group:``: host names, and ``@child:`` for child groups."""
    lines = [re.match(r'^([ |]*)--(.*)$', line) for line in graph.splitlines()]
    for index, line in enumerate(lines):
        if line and line.group(2) == '@%s:' % group:
            members = []
            for item in lines[index + 1:]:
                if not item or len(item.group(1)) <= len(line.group(1)):
                    break
                if len(item.group(1)) == len(line.group(1)) + 3:
                    members.append(item.group(2))
            return members
    return None


def check_graph(graph, problems):
    for group, members in (('veeam_job_daily_vm_backup', ['web01']), ('webservers', OTHER_HOSTS)):
        if graph_members(graph, group) != members:
            problems.append('--graph, group %s: expected %s, got %s' % (group, members, graph_members(graph, group)))


def check_warnings(stderr, problems):
    text = squeezed(stderr)
    for warning in WARNINGS:
        if text.count(squeezed(warning)) != 1:
            problems.append('expected the warning "%s..." once, found it %d times' % (warning, text.count(squeezed(warning))))
    for ref, name in HOSTS.items():
        if name != HOSTS[REF % 'vm-100'] and name not in ('WebServers', 'Veeam_Job_Daily_VM_Backup') and squeezed('%s (%s' % (name, ref)) not in text:
            problems.append('no warning names host %s (%s)' % (name, ref))
    for marker in ('Traceback', 'Found both group and host', 'localhost-like', '[ERROR]', 'ERROR!'):
        if marker in stderr:
            problems.append('the error output shows %r' % marker)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding='utf-8') as stream:
        inventory = plain(json.load(stream))
    with open(argv[1], encoding='utf-8') as stream:
        graph = stream.read()
    with open(argv[2], encoding='utf-8') as stream:
        stderr = stream.read()
    problems = []
    check_hosts(inventory, problems)
    check_groups(inventory, problems)
    check_graph(graph, problems)
    check_warnings(stderr, problems)
    for problem in problems:
        print('hostile names: %s' % problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
