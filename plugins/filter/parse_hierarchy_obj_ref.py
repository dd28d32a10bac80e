# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: parse_hierarchy_obj_ref
short_description: Split a Veeam Enterprise Manager HierarchyObjRef into its parts
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Enterprise Manager names the VMs and containers of jobs by a C(HierarchyObjRef) of the form
    C(urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>), for example
    V(urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042).
  - This filter returns its parts. The object reference may itself contain C(:) and C(.) (Cloud Director
    references such as V(urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec)); everything after the first C(.) that
    follows the third C(:) belongs to it.
  - A value that does not have this form is an error; use O(strict=false) to get V(null) parts instead.
options:
  _input:
    description: The HierarchyObjRef, for example the C(hierarchy_obj_ref) of a job include.
    type: str
    required: true
  strict:
    description:
      - When V(true), a malformed reference fails the task with a message that shows it.
      - When V(false), a malformed reference gives a result whose parts are all V(null), with RV(_value.ref) set.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Show the vCenter object id of a VM include
  ansible.builtin.debug:
    msg: "{{ ('urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042' | veeamops.em.parse_hierarchy_obj_ref).object_ref }}"
  # => vm-1042

- name: Group the includes of a job by object type
  ansible.builtin.debug:
    msg: "{{ job.includes | map(attribute='hierarchy_obj_ref') | map('veeamops.em.parse_hierarchy_obj_ref')
             | map(attribute='object_type') | list }}"
  vars:
    job:
      includes:
        - hierarchy_obj_ref: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
        - hierarchy_obj_ref: urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v2101
  # => ['Vm', 'Folder']

- name: Tolerate values that are not references
  ansible.builtin.debug:
    msg: "{{ 'not-a-reference' | veeamops.em.parse_hierarchy_obj_ref(strict=false) }}"
  # => {'platform': None, 'object_type': None, 'hierarchy_root_id': None, 'object_ref': None, 'ref': 'not-a-reference'}
"""

RETURN = r"""
_value:
  description: The parts of the reference.
  type: dict
  contains:
    platform:
      description: V(VMware), V(HyperV) or V(vCloud), as written in the reference.
      type: str
      sample: VMware
    object_type:
      description: The object type, for example V(Vm), V(Folder), V(Tag), V(Cluster), V(Host) or V(Vapp).
      type: str
      sample: Vm
    hierarchy_root_id:
      description: The id of the hierarchy root (the vCenter, Hyper-V host or SCVMM, or Cloud Director) that holds the object.
      type: str
      sample: 1790e16e-e712-4c24-a47c-dc3b62a4c27f
    object_ref:
      description: The platform's own id of the object (vSphere managed-object reference, Hyper-V GUID, Cloud Director URN).
      type: str
      sample: vm-1042
    ref:
      description: The reference itself.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmHierarchyRefError
from ansible_collections.veeamops.em.plugins.module_utils._hierarchy import parse_hierarchy_obj_ref as parse_ref

PARTS = ('platform', 'object_type', 'hierarchy_root_id', 'object_ref')


def parse_hierarchy_obj_ref(value, strict=True):
    """``urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>`` -> dict of the parts."""
    try:
        return parse_ref(value if isinstance(value, str) else str(value))
    except EmHierarchyRefError as exc:
        if strict:
            raise AnsibleFilterError('veeamops.em.parse_hierarchy_obj_ref: %s' % exc) from None
        parts = dict.fromkeys(PARTS)
        parts['ref'] = value
        return parts


class FilterModule:

    def filters(self):
        return {'parse_hierarchy_obj_ref': parse_hierarchy_obj_ref}
