# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects of a VM job: the ``objects`` option, object identity, resolution of names and references, and the plan
of ``veeamops.em.veeam_job_object`` (internal; may change in any release). The flow is in ``_job_object_flow``.

Identity of an object: a VM as ``_vms.vm_key`` compares VMs; any other object by platform, type and hierarchy root id
without regard to case and its own id exactly (``_lookup.ref_key``).

Resolution happens before any change: names through the lookup service under the hierarchy roots of the job's backup
server and platform (``ObjectResolver``), references with one ``lookup?hierarchyRef=`` each, only when they are to be
added (Enterprise Manager needs the object's name with it). An unknown or ambiguous name fails, listing candidates.
"""

from __future__ import annotations

from ._errors import EmAmbiguousJobError, EmHierarchyRefError, EmInputError, EmNotFoundError, WithCandidates
from ._hierarchy import parse_hierarchy_obj_ref
from ._lookup import LookupApi, ask_key, lookup_type, object_type_of, ref_key, root_platform, root_uid, types_of
from ._normalize import normalize_backup_server
from ._vms import hierarchy_roots, vm_key

PRESENT = 'present'
ABSENT = 'absent'
OBJECT_KEYS = ('name', 'type', 'hierarchy_root')
REF_EXAMPLE = 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042'
MAX_CANDIDATES = 10


class EmObjectNotFoundError(WithCandidates, EmNotFoundError):
    """No object of that name and type under the hierarchy roots searched, or no object with that reference."""

    kind = 'object_not_found'
    summary = 'Object not found'


class EmAmbiguousObjectError(EmAmbiguousJobError):
    """More than one object has that name and type; ``candidates`` lists them."""

    kind = 'ambiguous_object'
    summary = 'More than one object matches'


class EmEmptyJobError(EmInputError):
    """The change would leave the job without objects, which Enterprise Manager does not allow."""

    kind = 'empty_job'
    summary = 'A job needs at least one object'


# --- options ------------------------------------------------------------------------------------------

def check_options(params):
    """The ``objects`` option as a list of specs (``ref``, ``name``, ``type``, ``hierarchy_root``); raises EmInputError."""
    if params.get('exclusive') and params.get('state') == ABSENT:
        raise EmInputError('exclusive=true applies to state=present only',
                           hint='leave exclusive out to remove the objects given, or use state=present to make them the only ones')
    items = params.get('objects')
    if not isinstance(items, list):
        raise EmInputError('Option objects must be a list', reason='got %r' % (items,))
    return [_check_item(item, index) for index, item in enumerate(items)]


def _check_item(item, index):
    where = 'objects[%d]' % index
    if isinstance(item, str):
        text = item.strip()
        try:
            parts = parse_hierarchy_obj_ref(text)
        except EmHierarchyRefError:
            raise EmInputError('Invalid entry in %s: %r' % (where, item),
                               hint='give a HierarchyObjRef (for example %s) or a mapping with name and type, for example '
                                    '{name: web01, type: vm}' % REF_EXAMPLE) from None
        return {'ref': text, 'name': None, 'type': object_type_of(parts['object_type']), 'hierarchy_root': None}
    if not isinstance(item, dict):
        raise EmInputError('Invalid entry in %s: %r' % (where, item), hint='give a HierarchyObjRef or a mapping with name and type')
    unknown = sorted(str(key) for key in item if key not in OBJECT_KEYS)
    if unknown:
        raise EmInputError('Unknown key in %s: %s' % (where, ', '.join(unknown)), hint='the keys are name, type and hierarchy_root')
    name, object_type, root = item.get('name'), item.get('type'), item.get('hierarchy_root')
    if not isinstance(name, str) or not name.strip():
        raise EmInputError('%s needs a name' % where, reason='got %r' % (name,), hint='the name as vCenter, Hyper-V or Cloud Director shows it')
    if object_type not in types_of('vmware') + types_of('hyperv') + types_of('vcloud'):
        raise EmInputError('%s needs a type' % where, reason='got %r' % (object_type,),
                           hint='use one of vm, tag, folder, host, cluster, datacenter, resource_pool, datastore, vapp')
    if root is not None and (not isinstance(root, str) or not root.strip()):
        raise EmInputError('Invalid hierarchy_root in %s: %r' % (where, root), hint='give the name or the UID of a hierarchy root')
    return {'ref': None, 'name': name.strip(), 'type': object_type, 'hierarchy_root': root.strip() if root else None}


# --- identity and entries -----------------------------------------------------------------------------

def object_key(ref):
    """The identity of an object reference (see the module docstring); a malformed reference is its own text."""
    key = vm_key(ref)
    if key is not None:
        return key
    try:
        return ref_key(parse_hierarchy_obj_ref(ref))
    except EmHierarchyRefError:
        return ('', '', '', str(ref))


def entry(name, ref, object_type, object_id=None):
    """An object as the module returns it, with its identity in ``key`` (dropped by ``public``)."""
    return {'name': name, 'ref': ref, 'type': object_type, 'id': object_id, 'key': object_key(ref)}


def include_entry(obj):
    """An ObjectInJob as an entry."""
    ref = obj.get('hierarchy_obj_ref')
    try:
        object_type = object_type_of(parse_hierarchy_obj_ref(ref)['object_type'])
    except EmHierarchyRefError:
        object_type = None
    return entry(obj.get('name') or obj.get('display_name'), ref, object_type, obj.get('object_in_job_id'))


def public(entries):
    return [{key: value for key, value in item.items() if key != 'key'} for item in entries]


def describe(item):
    """``vm "web01"`` (or the reference when the name is not known)."""
    if item.get('name') is None:
        return str(item.get('ref'))
    return '%s "%s"' % (item.get('type') or 'object', item['name'])


def describe_all(items):
    texts = [describe(item) for item in items]
    return texts[0] if len(texts) == 1 else '%s and %s' % (', '.join(texts[:-1]), texts[-1])


# --- the plan -----------------------------------------------------------------------------------------

def plan_changes(current, wanted, state, exclusive):
    """``(adds, removes, refusal)``: the entries to add and the includes to remove, or why the change is refused.

    ``state=present`` adds every wanted object the job does not have; with ``exclusive`` it also removes every object
    that is not wanted. ``state=absent`` removes the wanted objects the job has. A change that would leave the job
    without objects is refused (``refusal`` says why; ``adds`` and ``removes`` are then empty).
    """
    current_keys = {item['key'] for item in current}
    wanted_keys = {item['key'] for item in wanted}
    adds, seen = [], set()
    if state == PRESENT:
        for item in wanted:
            if item['key'] not in current_keys and item['key'] not in seen:
                seen.add(item['key'])
                adds.append(item)
        removes = [item for item in current if item['key'] not in wanted_keys] if exclusive else []
    else:
        removes = [item for item in current if item['key'] in wanted_keys]
    if removes and len(current) - len(removes) + len(adds) <= 0:
        why = 'exclusive=true with an empty list of objects' if state == PRESENT else 'state=absent'
        return [], [], '%s would remove all %d objects of the job' % (why, len(current))
    return adds, removes, None


def after_plan(current, adds, removes):
    """The objects of the job once the plan is applied (new ones without id)."""
    removed = {id(item) for item in removes}
    return [item for item in current if id(item) not in removed] + [dict(item, id=None) for item in adds]


# --- resolution ---------------------------------------------------------------------------------------

def job_roots(roots, job):
    """The hierarchy roots whose objects ``job`` can hold: those of its backup server and of its platform."""
    server = str(normalize_backup_server(job)['name'] or '').lower()
    platform = str(job.get('platform') or '').lower()
    chosen = []
    for root in roots.values():
        own_platform = str(root_platform(root['host_type']) or '').lower()
        if server and str(root['backup_server'] or '').lower() != server:
            continue
        if platform and own_platform and own_platform != platform:
            continue
        chosen.append(root)
    return chosen


def root_label(root):
    return '%s (%s, backup server %s)' % (root['name'] or root['id'], root_platform(root['host_type']) or root['host_type'], root['backup_server'])


def _belongs(root):
    return 'it belongs to backup server %s and holds %s objects' % (root['backup_server'], root_platform(root['host_type']) or root['host_type'])


def pick_root(text, roots, usable, job):
    """The one hierarchy root that ``text`` (name, UID or id) names among ``usable``; EmInputError otherwise."""
    wanted = text.lower()
    hits = [root for root in roots.values() if wanted in (str(root['name'] or '').lower(), root['id'].lower(), root_uid(root['id']).lower())]
    hits.sort(key=lambda root: root not in usable)
    listing = ', '.join(root_label(root) for root in usable) or 'none'
    if not hits:
        raise EmInputError('No hierarchy root "%s"' % text, reason='the hierarchy roots of job "%s" are: %s' % (job.get('name'), listing),
                           hint='give the name or the UID (urn:veeam:HierarchyRoot:<id>) of one of them')
    if hits[0] not in usable:
        raise EmInputError('Hierarchy root "%s" cannot hold objects of job "%s"' % (text, job.get('name')),
                           reason='%s; the job is a %s job of backup server %s' % (
                               _belongs(hits[0]), job.get('platform'), normalize_backup_server(job)['name']),
                           hint='use one of: %s' % listing)
    return hits[0]


def _candidate(root, item):
    return {'name': item['name'], 'ref': item['ref'], 'type': object_type_of(item['parts']['object_type']), 'hierarchy_root': root['name']}


class ObjectResolver:
    """Resolves the ``objects`` specs of one job to entries; every failure comes before any change."""

    def __init__(self, em, job):
        self.em = em
        self.job = job
        self.lookup = LookupApi(em)
        self._roots = None
        self._where = {}

    @property
    def roots(self):
        """``(all roots, the roots the job can use)``, read once (one paged HierarchyRoot query)."""
        if self._roots is None:
            roots = hierarchy_roots(self.em)
            self._roots = (roots, job_roots(roots, self.job))
        return self._roots

    def resolve(self, specs, current, state):
        """One entry per spec, in order. A reference is looked up (for its name) only when it is to be added."""
        by_key = {item['key']: item for item in current}
        names = [spec for spec in specs if spec['ref'] is None]
        found = self._find_names(names) if names else {}
        resolved = []
        for spec in specs:
            if spec['ref'] is None:
                resolved.append(self._choose(spec, found))
            elif object_key(spec['ref']) in by_key:
                known = by_key[object_key(spec['ref'])]
                resolved.append(entry(known['name'], known['ref'], known['type']))
            elif state == PRESENT:
                resolved.append(self._by_ref(spec['ref']))
            else:
                resolved.append(entry(None, spec['ref'], spec['type']))
        return resolved

    # --- names ----------------------------------------------------------------------------------------

    def _searched(self, spec):
        """``[(root, lookup type)]`` that a name spec is looked up under."""
        roots, usable = self.roots
        if spec['hierarchy_root']:
            root = pick_root(spec['hierarchy_root'], roots, usable, self.job)
            em_type = lookup_type(root_platform(root['host_type']) or self.job.get('platform'), spec['type'])
            if em_type is None:
                raise EmInputError('Hierarchy root %s has no objects of type %s' % (root_label(root), spec['type']),
                                   hint='its types are %s' % ', '.join(types_of(root_platform(root['host_type']))))
            return [(root, em_type)]
        searched = []
        for root in usable:
            em_type = lookup_type(root_platform(root['host_type']) or self.job.get('platform'), spec['type'])
            if em_type is not None:
                searched.append((root, em_type))
        if not searched:
            offered = sorted({name for root in usable for name in types_of(root_platform(root['host_type']) or self.job.get('platform'))})
            raise EmInputError('No hierarchy root of job "%s" has objects of type %s' % (self.job.get('name'), spec['type']),
                               reason='the hierarchy roots of the job are: %s' % (', '.join(root_label(root) for root in usable) or 'none'),
                               hint='their types are %s' % (', '.join(offered) or 'none'))
        return searched

    def _find_names(self, specs):
        asks = []
        for spec in specs:
            searched = self._searched(spec)
            self._where[id(spec)] = searched
            asks.extend((root['id'], em_type, spec['name']) for root, em_type in searched)
        return self.lookup.find(asks)

    def _choose(self, spec, found):
        searched = self._where[id(spec)]
        hits, near = [], []
        for root, em_type in searched:
            matching, similar = found[ask_key(root['id'], em_type, spec['name'])]
            hits.extend((root, item) for item in matching)
            near.extend((root, item) for item in similar)
        where = ', '.join(root['name'] or root['id'] for root, _type in searched)
        if not hits:
            candidates = [_candidate(root, item) for root, item in near[:MAX_CANDIDATES]]
            names = ', '.join(sorted({str(item['name']) for item in candidates}))
            raise EmObjectNotFoundError('No %s named "%s" under hierarchy root %s' % (spec['type'], spec['name'], where),
                                        reason='the lookup service lists no %s of that name; names compare without regard to case' % spec['type'],
                                        hint='check the name%s and the type, or give the object\'s HierarchyObjRef' % (
                                            ' (similar names: %s)' % names if names else ''),
                                        candidates=candidates)
        if len(hits) > 1:
            candidates = [_candidate(root, item) for root, item in hits[:MAX_CANDIDATES]]
            listing = '; '.join('%s (hierarchy root %s)' % (item['ref'], item['hierarchy_root']) for item in candidates)
            several_roots = len({root['id'] for root, _item in hits}) > 1
            raise EmAmbiguousObjectError('%d objects of type %s are named "%s": %s' % (len(hits), spec['type'], spec['name'], listing),
                                         candidates=candidates,
                                         hint=('add hierarchy_root to the object, or give its HierarchyObjRef' if several_roots
                                               else 'give the HierarchyObjRef of the object you mean'))
        item = hits[0][1]
        return entry(item['name'] or spec['name'], item['ref'], spec['type'])

    # --- references -----------------------------------------------------------------------------------

    def _by_ref(self, ref):
        """An object to add by reference: it must be under a hierarchy root of the job, and the lookup service must know it."""
        parts = parse_hierarchy_obj_ref(ref)
        roots, usable = self.roots
        root = roots.get(parts['hierarchy_root_id'].lower())
        if root is None or root not in usable:
            where = ('its hierarchy root %s: %s' % (root['name'], _belongs(root)) if root
                     else 'Enterprise Manager lists no hierarchy root with id %s' % parts['hierarchy_root_id'])
            raise EmInputError('Object %s cannot be added to job "%s"' % (ref, self.job.get('name')),
                               reason='%s; the job is a %s job of backup server %s' % (
                                   where, self.job.get('platform'), normalize_backup_server(self.job)['name']),
                               hint='take the reference from the lookup service or from an include of a job of that backup server')
        found = self.lookup.by_ref(ref)
        if found is None:
            raise EmObjectNotFoundError('No object %s' % ref, reason='the lookup service does not know this reference',
                                        hint='the object may have been deleted or moved to another host; look it up by name and type')
        return entry(found['name'] or parts['object_ref'], found['ref'], object_type_of(found['parts']['object_type']))
