# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Group and host names of the veeam_em inventory: sanitising and stable disambiguation (internal; may change in any release).

Names never depend on the order in which Enterprise Manager lists jobs or includes: when several
distinct objects want the same name, *all* of them move to the next, longer form of their name, and
this repeats until every name is unique. The last form of every object is unique by construction.
"""

from __future__ import annotations

import re

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


def unique_names(forms):
    """Give every key a unique name.

    ``forms`` maps each key to its candidate names, shortest first; the last candidate of every key
    must be unique among all keys. Returns ``(names, clashes)``: ``names`` maps key -> chosen name and
    ``clashes`` lists ``(first contested name, [keys])``, one entry per set of keys that competed for
    names (directly, or through a longer name that clashed again).
    """
    level = dict.fromkeys(forms, 0)
    linked = {}
    while True:
        wanted = {}
        for key, candidates in forms.items():
            wanted.setdefault(candidates[min(level[key], len(candidates) - 1)], []).append(key)
        moved = False
        for name, keys in wanted.items():
            if len(keys) < 2:
                continue
            _link(linked, name, keys)
            for key in keys:
                if level[key] < len(forms[key]) - 1:
                    level[key] += 1
                    moved = True
        if not moved:
            names = {key: forms[key][min(level[key], len(forms[key]) - 1)] for key in forms}
            return names, _components(linked, forms)


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


def _components(linked, forms):
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
    """Candidate host names of a VM: the preferred name, then ``<name>_<hierarchy root>_<object ref>``, then its HierarchyObjRef."""
    root = host_part(vm.get('hierarchy_root_name') or vm['hierarchy_root_id'])
    return [preferred, '%s_%s_%s' % (preferred, root, host_part(vm['object_ref'])), vm['hierarchy_obj_ref']]


def backup_server_group_forms(server, prefix):
    """Candidate names of a backup server's group: by name, then with the server id."""
    base = '%sbackup_server_%s' % (prefix, group_part(server['name']) or 'unnamed')
    return [base, '%s_%s' % (base, group_part(server['id']))]


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


def host_names(vms, preferred):
    """Unique host names for ``vms`` (key -> record) from ``preferred`` (key -> name); returns ``(names, warnings)``."""
    names, clashes = unique_names({key: host_forms(preferred[key], vm) for key, vm in vms.items()})
    warnings = []
    for name, keys in clashes:
        listing = ', '.join('%s (%s)' % (names[key], vms[key]['hierarchy_obj_ref']) for key in keys)
        warnings.append('%d different VMs would be host %s, so each gets a longer host name: %s' % (len(keys), name, listing))
    return names, warnings
