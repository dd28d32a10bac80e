# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookup service: objects of the virtual infrastructure by name and type under a hierarchy root, or by
HierarchyObjRef (internal; may change in any release).

``GET /api/lookup?host=<HierarchyRoot UID>&name=<name>&type=<Type>`` lists the objects of that type and name under one
hierarchy root (``name=*``: all of them); ``GET /api/lookup?hierarchyRef=<ref>`` gives the one object with that
reference [hierarchy.md "Lookup service"]. Both answer ``HierarchyItems`` of ``HierarchyItem`` (``ObjectRef``,
``ObjectType``, ``ObjectName``).

Enterprise Manager compares names without regard to case; whether it matches the whole name or a part is not
documented [I], so every item is checked again here: its name (without regard to case), its type and the hierarchy
root of its reference must be those asked for. Two objects may share a name under one root (two folders in two
datacenters, two tags in two categories [I: vSphere allows it]); the caller decides what to do with several matches.

Requests: one per (name, type, root) asked for, except that several names of one type under one root are looked up
with one ``name=*`` request (``lookup_requests``).
"""

from __future__ import annotations

from ._errors import EmHierarchyRefError
from ._hierarchy import parse_hierarchy_obj_ref
from ._shapes import HIERARCHY_ITEM

ALL = '*'
# The object types of veeam_job_object, as each platform's lookup service spells them [hierarchy.md "GET /lookup" type values].
LOOKUP_TYPES = {
    'vmware': {'vm': 'Vm', 'tag': 'Tag', 'folder': 'Folder', 'host': 'Host', 'cluster': 'Cluster', 'datacenter': 'Datacenter',
               'resource_pool': 'ResourcePool', 'datastore': 'Datastore', 'vapp': 'VirtualApp'},
    'hyperv': {'vm': 'Vm', 'host': 'Host', 'cluster': 'Cluster'},
    'vcloud': {'vm': 'Vm', 'vapp': 'Vapp', 'datastore': 'Datastore'},
}
OBJECT_TYPES = ('vm', 'tag', 'folder', 'host', 'cluster', 'datacenter', 'resource_pool', 'datastore', 'vapp')
# Enterprise Manager's object types back to the words of veeam_job_object (others become snake_case: VmGroup -> vm_group).
_OBJECT_TYPE_OF = {'virtualapp': 'vapp', 'vapp': 'vapp', 'resourcepool': 'resource_pool'}
# The platform of a hierarchy root by its HostType [hierarchy.md "Hierarchy roots"].
_PLATFORM_OF_HOST_TYPE = {'vc': 'VMware', 'esx': 'VMware', 'esxi': 'VMware', 'hvserver': 'HyperV', 'hvcluster': 'HyperV',
                          'scvmm': 'HyperV', 'vcdsystem': 'vCloud'}


def root_uid(root_id):
    """``<id>`` -> ``urn:veeam:HierarchyRoot:<id>``, the form the ``host`` parameter takes [D: get_lookup example]."""
    return 'urn:veeam:HierarchyRoot:%s' % root_id


def root_platform(host_type):
    """``VMware``, ``HyperV`` or ``vCloud`` for a hierarchy root's HostType; None when the type is not known."""
    return _PLATFORM_OF_HOST_TYPE.get(str(host_type or '').lower())


def lookup_type(platform, object_type):
    """The lookup service's type for one of OBJECT_TYPES on ``platform``; None when the platform has no such objects.

    A platform this collection does not know is asked with the vSphere spelling, the most complete list.
    """
    types = LOOKUP_TYPES.get(str(platform or '').lower(), LOOKUP_TYPES['vmware'])
    return types.get(object_type)


def types_of(platform):
    """The OBJECT_TYPES that ``platform`` offers, in the documented order."""
    types = LOOKUP_TYPES.get(str(platform or '').lower(), LOOKUP_TYPES['vmware'])
    return [name for name in OBJECT_TYPES if name in types]


def object_type_of(em_type):
    """Enterprise Manager's object type (``Vm``, ``VirtualApp``, ``VmGroup``) in the words of the module (``vm``, ``vapp``, ``vm_group``)."""
    if not em_type:
        return None
    text = str(em_type)
    known = _OBJECT_TYPE_OF.get(text.lower())
    if known:
        return known
    words = []
    for index, char in enumerate(text):
        if char.isupper() and index and (text[index - 1].islower() or (index + 1 < len(text) and text[index + 1].islower())):
            words.append('_')
        words.append(char.lower())
    return ''.join(words)


def lookup_requests(asks):
    """The lookup requests for ``asks`` (``(root id, lookup type, name)`` triples): ``[(root id, type, name or '*')]``.

    One request per name, unless a root is asked for several names of one type: then one ``name=*`` request lists them
    all (fewer requests; the answer holds every object of that type under the root). Order follows the first ask.
    """
    groups = {}
    for root_id, em_type, name in asks:
        key = (str(root_id).lower(), str(em_type).lower())
        group = groups.setdefault(key, {'root_id': root_id, 'type': em_type, 'names': []})
        if str(name).lower() not in [item.lower() for item in group['names']]:
            group['names'].append(str(name))
    return [(group['root_id'], group['type'], group['names'][0] if len(group['names']) == 1 else ALL) for group in groups.values()]


def hierarchy_item(item):
    """One HierarchyItem as ``{"name", "ref", "em_type", "parts"}`` (``parts``: the parsed reference, None when malformed)."""
    ref = item.get('object_ref')
    try:
        parts = parse_hierarchy_obj_ref(ref)
    except EmHierarchyRefError:
        parts = None
    return {'name': item.get('object_name'), 'ref': ref, 'em_type': item.get('object_type'), 'parts': parts}


def matches(item, name, em_type, root_id):
    """Whether a hierarchy item (``hierarchy_item``) is the object asked for: name and type without regard to case, and a
    well-formed reference of that type under that root."""
    parts = item['parts']
    if parts is None or name is None or str(item['name'] or '').lower() != str(name).lower():
        return False
    if parts['object_type'].lower() != str(em_type).lower() or parts['hierarchy_root_id'].lower() != str(root_id).lower():
        return False
    return item['em_type'] is None or str(item['em_type']).lower() == str(em_type).lower()


def similar(item, name, em_type, root_id):
    """Whether an item that does not match has a name that contains ``name`` or is part of it (without regard to case)."""
    if matches(item, name, em_type, root_id) or not matches(item, item['name'], em_type, root_id):
        return False
    own, wanted = str(item['name']).lower(), str(name).lower()
    return bool(own) and bool(wanted) and (wanted in own or own in wanted)


class LookupApi:
    """Reads the lookup service over an open EmClient; answers are checked against the HierarchyItem shape."""

    def __init__(self, em):
        self.em = em

    def by_name(self, root_id, name, em_type):
        """Every object of ``em_type`` named ``name`` (``*``: all) under the root, as ``hierarchy_item`` dicts, unchecked."""
        items = self.em.items('lookup', HIERARCHY_ITEM, params={'host': root_uid(root_id), 'name': name, 'type': em_type})
        return [hierarchy_item(item) for item in items]

    def by_ref(self, ref):
        """The object with reference ``ref``, or None (an answer about another reference counts as none)."""
        wanted = parse_hierarchy_obj_ref(ref)
        for item in self.em.items('lookup', HIERARCHY_ITEM, params={'hierarchyRef': ref}):
            found = hierarchy_item(item)
            if found['parts'] is not None and same_ref(found['parts'], wanted):
                return found
        return None

    def find(self, asks):
        """``{(root id, type, name) lower case: (matching items, similar items)}`` for ``asks``, with the requests of
        ``lookup_requests``. Similar items are those of the answer whose name contains the name asked for, or the other
        way round (what a partial match of Enterprise Manager, or a ``name=*`` listing, brought along)."""
        found = {}
        answers = {}
        for root_id, em_type, name in lookup_requests(asks):
            answers[(str(root_id).lower(), str(em_type).lower())] = self.by_name(root_id, name, em_type)
        for root_id, em_type, name in asks:
            items = answers[(str(root_id).lower(), str(em_type).lower())]
            found[ask_key(root_id, em_type, name)] = ([item for item in items if matches(item, name, em_type, root_id)],
                                                      [item for item in items if similar(item, name, em_type, root_id)])
        return found


def ask_key(root_id, em_type, name):
    """The key of one ask in the answer of ``LookupApi.find``."""
    return (str(root_id).lower(), str(em_type).lower(), str(name).lower())


def same_ref(parts, other):
    """Two parsed references name the same object: platform, type and root without regard to case, the object's own id exactly."""
    return ref_key(parts) == ref_key(other)


def ref_key(parts):
    """The identity of a parsed reference (as ``_vms.vm_key`` compares VMs)."""
    return (parts['platform'].lower(), parts['object_type'].lower(), parts['hierarchy_root_id'].lower(), parts['object_ref'])
