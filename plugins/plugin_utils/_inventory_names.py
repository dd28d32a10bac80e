# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Group and host names of the veeam_em inventory: sanitising and stable disambiguation (internal; may change in any release).

Names never depend on the order in which Enterprise Manager lists jobs or includes: when several
distinct objects want the same name, or an object wants a name that is taken (a host wants a group's
name, ``all``, ``ungrouped`` or ``localhost``), *all* of them move to the next, longer form of their
name, and this repeats until every name is unique and free. A last form that is still shared or taken
gets a number, so the result is collision-free by construction.
"""

from __future__ import annotations

import re
from collections import Counter

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError

# Ansible's rule for group names: letters, digits and underscores (Unicode letters included).
_NOT_WORD = re.compile(r'[^\w]+')
_UNDERSCORES = re.compile(r'_{2,}')
# Host name suffixes: keep characters that are safe in host patterns (no ':' ',' '!' '&' '*' '[' ']').
_NOT_HOST_SAFE = re.compile(r'[^A-Za-z0-9._-]+')


def group_part(text):
    """``"Daily VM Backup (SQL)"`` -> ``"daily_vm_backup_sql"``: lower case, every run of other characters one ``_``."""
    return _UNDERSCORES.sub('_', _NOT_WORD.sub('_', str(text or '').lower())).strip('_')


def host_part(text):
    """A host name suffix part: ``urn:vcloud:vm:6b2d`` -> ``urn_vcloud_vm_6b2d``."""
    return _UNDERSCORES.sub('_', _NOT_HOST_SAFE.sub('_', str(text or ''))).strip('_')


def unique_names(forms, taken=()):
    """Give every key a unique name that is not in ``taken``.

    ``forms`` maps each key to its candidate names, shortest first. A candidate is contested when another key
    wants it too or when it is in ``taken``: every key that wants a contested name moves on to its next
    candidate, and this repeats until no key can move. A key whose last candidate is still contested then gets
    that candidate with the first free suffix ``_2``, ``_3``, ... (keys taken in the order of their names, then
    of the keys), so no name is shared or taken whatever the order of ``forms``.

    Returns ``(names, clashes)``: ``names`` maps key -> chosen name and ``clashes`` lists ``(first contested
    name, [keys])``, one entry per set of keys that competed for names (with each other or with ``taken``,
    directly or through a longer name that clashed again).
    """
    taken = frozenset(taken)
    level = dict.fromkeys(forms, 0)
    linked = {}
    moved = True
    while moved:
        wanted = {}
        for key in forms:
            wanted.setdefault(_candidate(forms, level, key), []).append(key)
        moved = False
        for name, keys in wanted.items():
            if len(keys) < 2 and name not in taken:
                continue
            _link(linked, name, keys)
            for key in keys:
                if level[key] < len(forms[key]) - 1:
                    level[key] += 1
                    moved = True
    names = {key: _candidate(forms, level, key) for key in forms}
    names.update(_numbered(names, taken))
    return names, _components(linked)


def _candidate(forms, level, key):
    return forms[key][min(level[key], len(forms[key]) - 1)]


def _numbered(names, taken):
    """The keys whose name is still shared or taken, each with the first free ``<name>_<n>`` (n from 2)."""
    counts = Counter(names.values())
    stuck = sorted((key for key, name in names.items() if counts[name] > 1 or name in taken), key=lambda key: (names[key], repr(key)))
    used = set(taken) | {name for name in names.values() if counts[name] == 1}
    numbered = {}
    for key in stuck:
        number = 2
        while '%s_%d' % (names[key], number) in used:
            number += 1
        numbered[key] = '%s_%d' % (names[key], number)
        used.add(numbered[key])
    return numbered


def _link(linked, name, keys):
    """Record that ``keys`` competed for ``name``: merge their clash sets (first contested name, set of keys)."""
    merged_keys = set(keys)
    names = [name]
    for key in keys:
        if key in linked:
            names.append(linked[key][0])
            merged_keys |= linked[key][1]
    entry = (min(names, key=lambda item: (len(item), item)), merged_keys)
    for key in merged_keys:
        linked[key] = entry


def _components(linked):
    seen = {}
    for key, (name, keys) in linked.items():
        seen[id(linked[key])] = (name, sorted(keys, key=repr))
    return sorted(seen.values(), key=lambda item: (item[0], repr(item[1])))


def job_group_forms(job, prefix):
    """Candidate names of a job's group: by name, then with the backup server, then with the job id."""
    base = '%sjob_%s' % (prefix, group_part(job['name']) or 'unnamed')
    server = group_part((job.get('backup_server') or {}).get('name'))
    with_server = '%s_%s' % (base, server) if server else base
    return [base, with_server, '%s_%s' % (base, group_part(job['id'] or job['uid']))]


def host_forms(preferred, vm):
    """Candidate host names of a VM: the preferred name, then ``<name>_<hierarchy root>_<object ref>``, then its HierarchyObjRef.

    The HierarchyObjRef is unique per VM (``_inventory_hosts.vm_key``) and, holding ``:``, never the name of one of
    our groups; should it still be taken (a group of another source named so), ``unique_names`` numbers it.
    """
    root = host_part(vm.get('hierarchy_root_name') or vm['hierarchy_root_id'])
    return [preferred, '%s_%s_%s' % (preferred, root, host_part(vm['object_ref'])), vm['hierarchy_obj_ref']]


def backup_server_group_forms(server, prefix):
    """Candidate names of a backup server's group: by name, then with the server id."""
    base = '%sbackup_server_%s' % (prefix, group_part(server['name']) or 'unnamed')
    return [base, '%s_%s' % (base, group_part(server['id']))]


# Groups that every ansible-core inventory has; none of our groups or hosts may be called so.
RESERVED_GROUP_NAMES = ('all', 'ungrouped')
# The names ansible-core treats as the controller (ansible.constants.LOCALHOST, the same in 2.16 and 2.21): a host of
# that name becomes the inventory's localhost. The plugin passes the running ansible-core's own tuple.
LOCALHOST_NAMES = ('127.0.0.1', 'localhost', '::1')

HOSTNAME_KEYWORDS = ('name', 'display_name', 'object_ref', 'hierarchy_obj_ref')


def is_template(entry):
    return '{{' in entry or '{%' in entry


def check_hostnames(preferences):
    """Validate the ``hostnames`` option: keywords or Jinja templates; returns the list of entries."""
    entries = list(preferences or ['name'])
    for entry in entries:
        if not isinstance(entry, str) or not (entry in HOSTNAME_KEYWORDS or is_template(entry)):
            raise EmInputError('Invalid entry in hostnames', reason=repr(entry),
                               hint='use %s or a Jinja template such as "{{ veeam_name }}.example.com"' % ', '.join(HOSTNAME_KEYWORDS))
    return entries


def preferred_host_name(vm, variables, preferences, render):
    """The first non-empty value among the ``hostnames`` preferences; the VM's HierarchyObjRef when none gives one.

    ``render(template, variables)`` renders a template entry and returns None to skip it.
    """
    for entry in preferences:
        value = vm.get(entry) if entry in HOSTNAME_KEYWORDS else render(entry, variables)
        if value is not None and str(value).strip():
            return str(value).strip()
    return vm['hierarchy_obj_ref']


def taken_host_names(group_names, existing_groups=(), localhost_names=LOCALHOST_NAMES):
    """The names no host of this source may have, each with the reason: ``{name: "what it is"}``.

    A host named like a group is hidden by the group in host patterns (and ``InventoryData.add_child`` and
    ``set_variable`` would take the group for it); a host named like one of ``localhost_names``
    (ansible-core's ``C.LOCALHOST``) becomes the host that ``localhost`` and ``delegate_to: localhost`` mean.
    Ansible compares these names exactly, so a name that differs only in case is not taken.
    """
    taken = dict.fromkeys(group_names, 'the name of a group of this inventory source')
    taken.update(dict.fromkeys(existing_groups, 'the name of a group that is already in the inventory (from another source)'))
    taken.update(dict.fromkeys(localhost_names, 'a name that Ansible gives the controller (the implicit localhost)'))
    taken.update(dict.fromkeys(RESERVED_GROUP_NAMES, 'a group that every Ansible inventory has'))
    return taken


def host_names(vms, preferred, taken=None):
    """Unique host names for ``vms`` (key -> record) from ``preferred`` (key -> name); returns ``(names, warnings)``.

    ``taken`` maps the names no host may have to the reason (see ``taken_host_names``).
    """
    taken = taken or {}
    names, clashes = unique_names({key: host_forms(preferred[key], vm) for key, vm in vms.items()}, taken)
    warnings = []
    for name, keys in clashes:
        listing = ', '.join(_renamed(names[key], preferred[key], name, vms[key]) for key in keys)
        if name in taken:
            outcome = 'it gets a longer host name' if len(keys) == 1 else 'each gets a longer host name'
            warnings.append('%s would be host %s, which is %s, so %s: %s' % (_count(len(keys), 'VM', 'VMs'), name, taken[name], outcome, listing))
        else:
            warnings.append('%d different VMs would be host %s, so each gets a longer host name: %s' % (len(keys), name, listing))
    return names, warnings


def _renamed(host, preferred, contested, vm):
    """``host (HierarchyObjRef)``, with the name the VM wanted when that is not the contested one."""
    wanted = '' if preferred == contested else ', named %s' % preferred
    return '%s (%s%s)' % (host, vm['hierarchy_obj_ref'], wanted)


def _count(number, one, many):
    return '%d %s' % (number, one if number == 1 else many)
