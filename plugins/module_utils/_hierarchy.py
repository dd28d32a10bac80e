# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HierarchyObjRef parsing (internal; may change in any release).

A HierarchyObjRef is ``urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>``, for example
``urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042``. The ObjectRef is the platform's own
id and may itself contain ``:`` and ``.`` (Cloud Director URNs), so the parser splits the first three
``:`` and then the first ``.`` after them.
"""

from __future__ import annotations

from ._errors import EmHierarchyRefError

_FORM = 'urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>'


def parse_hierarchy_obj_ref(ref):
    """Split a HierarchyObjRef into a dict: ``platform``, ``object_type``, ``hierarchy_root_id``, ``object_ref``, ``ref``.

    Raises EmHierarchyRefError when ``ref`` does not have the documented form.
    """
    text = ref if isinstance(ref, str) else ''
    parts = text.split(':', 3)
    if len(parts) != 4 or parts[0].lower() != 'urn' or not parts[1] or not parts[2]:
        raise _malformed(ref, 'expected %s' % _FORM)
    root_id, dot, object_ref = parts[3].partition('.')
    if not dot or not root_id or not object_ref:
        raise _malformed(ref, 'expected <HierarchyRootId>.<ObjectRef> after the third ":"')
    return {
        'platform': parts[1],
        'object_type': parts[2],
        'hierarchy_root_id': root_id,
        'object_ref': object_ref,
        'ref': text,
    }


def _malformed(ref, why):
    return EmHierarchyRefError(reason='%s: %r' % (why, ref),
                               hint='take the reference from an include or from the lookup service instead of building it')
