#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_job_object
short_description: Add VMs, tags, folders and other objects to a Veeam job, or remove them, through Enterprise Manager
version_added: 1.0.0
description:
  - Manages the objects (includes) of a backup or replication job known to Veeam Backup Enterprise Manager,
    that is VMs and containers such as vSphere tags, folders, hosts, clusters, datacenters, resource pools,
    datastores and vApps.
  - Objects are given by name and type, resolved through Enterprise Manager's lookup service under the hierarchy
    roots (vCenter, Hyper-V, Cloud Director servers) of the job's backup server, or by their C(HierarchyObjRef).
    An unknown or ambiguous name fails before anything is changed, listing the candidates.
  - Idempotent by reference. O(state=present) adds the objects the job does not have; O(exclusive=true) also removes
    every other object. O(state=absent) removes the objects given.
  - Agent backup jobs and file share backup jobs are out of scope (Enterprise Manager manages their objects
    differently); backup copy jobs take jobs, not objects, and are refused.
author:
  - veeamops.em maintainers (@veeamops)
options:
  name:
    description:
      - Name of the job, exactly as Enterprise Manager shows it (case-sensitive).
      - If several backup servers have a job with this name, add O(backup_server) or use O(id) or O(uid);
        the failure message lists the candidates.
      - Exactly one of O(name), O(id) and O(uid) is required.
    type: str
  id:
    description:
      - Id of the job (the GUID in C(/api/jobs/<id>)).
    type: str
  uid:
    description:
      - UID of the job, for example V(urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5).
    type: str
  backup_server:
    description:
      - Name of the backup server that owns the job, as Enterprise Manager lists it (case-insensitive).
      - Needed only when the job name exists on several backup servers.
    type: str
  objects:
    description:
      - The objects to add or remove. Each item is either a C(HierarchyObjRef) string
        (C(urn:<Platform>:<Type>:<HierarchyRootId>.<ObjectRef>), for example the inventory variable
        C(veeam_hierarchy_obj_ref) of a host of the P(veeamops.em.veeam_em#inventory) inventory, or an
        include's C(hierarchy_obj_ref) from P(veeamops.em.veeam_job_info#module)), or a mapping with these keys.
      - C(name) (required) is the object's name as vCenter, Hyper-V or Cloud Director shows it; Enterprise Manager
        compares it without regard to case. A folder is named by its own name, not its path; a vSphere tag by its
        name without the category.
      - C(type) (required) is one of V(vm), V(tag), V(folder), V(host), V(cluster), V(datacenter), V(resource_pool),
        V(datastore), V(vapp). vSphere offers all of them; Hyper-V V(vm), V(host) and V(cluster); Cloud Director
        V(vm), V(vapp) and V(datastore).
      - C(hierarchy_root) (optional) is the name or UID (V(urn:veeam:HierarchyRoot:<id>)) of the hierarchy root to
        look in. Needed only when the name exists under several hierarchy roots of the job's backup server.
      - A name is looked up under the hierarchy roots of the job's backup server whose platform is the job's;
        it must match exactly one object. Two objects of one name under one root (two folders called alike in
        two datacenters) can only be told apart by their reference.
      - With O(state=present), a reference that the job does not include yet is checked with the lookup service
        first (it must belong to a hierarchy root of the job's backup server), because Enterprise Manager needs
        the object's name with it.
      - References are compared by platform, type and hierarchy root without regard to case, and by the object's
        own id exactly.
    type: list
    elements: raw
    required: true
  state:
    description:
      - V(present) adds the objects that the job does not include yet.
      - V(absent) removes the objects that the job includes; objects it does not include are ignored.
        A name must still resolve (a misspelt name fails instead of doing nothing); an object deleted from the
        virtual infrastructure can be removed by its reference.
    type: str
    choices: [present, absent]
    default: present
  exclusive:
    description:
      - With O(state=present), make the job's objects exactly O(objects), adding the missing ones and then removing
        all others.
      - New objects are added before any is removed, so replacing a job's only object works, although
        Enterprise Manager does not let the last object of a job be removed.
      - A change that would leave the job without objects (an empty O(objects), or O(state=absent) with every
        object of the job) is refused before anything is sent, because Enterprise Manager does not allow it.
      - Not allowed with O(state=absent).
    type: bool
    default: false
  wait_timeout:
    description:
      - Maximum number of seconds the module waits in total, counted from its first change request.
      - This covers Enterprise Manager's task of every addition and removal and the wait until Enterprise Manager
        lists the changed objects.
      - When it runs out the module fails with what it has done so far.
extends_documentation_fragment:
  - veeamops.em.connection
  - veeamops.em.connection.modules
  - veeamops.em.wait
  - veeamops.em.attributes
  - veeamops.em.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Check mode finds the job, reads its objects and resolves the objects given (all read requests), then
        reports what would be added and removed without sending any change.
  diff_mode:
    support: full
    details:
      - The diff shows the job's objects (name, type and reference) before and after the change.
  idempotent:
    description:
      - When run twice in a row with the same parameters, the second run reports no change.
    support: full
    details:
      - Objects are compared by reference, so a second run sends no addition or removal.
notes:
  - The account needs the Portal Administrator role in Enterprise Manager.
  - "Changes are sent in this order: every addition, then every removal. Each request is sent once (never
    repeated, also after a connection error) and its task is waited for until it is V(Finished). A failed task
    fails the module with Enterprise Manager's message; the failure says which additions and removals were
    already done, and RV(added) and RV(removed) list them."
  - "Enterprise Manager may list a new object only some time after its task has finished. The module reads the
    job's objects again until every added object is listed (with its id, in RV(added)) and every removed one is
    gone, within O(wait_timeout)."
  - If the task of a change can no longer be read (the logon session expired during a long wait, or Enterprise
    Manager dropped the task), the change is confirmed through the job's objects instead.
  - "What is sent: C(POST /api/jobs/<id>/includes) with only C(HierarchyObjRef) and C(HierarchyObjName) (the name
    the lookup service gives; for a reference, the name C(GET /api/lookup?hierarchyRef=<ref>) gives), so
    Enterprise Manager applies its default guest processing options to a new object; C(DELETE
    /api/jobs/<id>/includes/<ObjectInJobId>) to remove one."
  - "HTTP requests: logon; one query for the job; C(GET /api/jobs/<id>/includes); when a name is given, or a
    reference is to be added, one query of the hierarchy roots; per type and hierarchy root searched, one
    C(GET /api/lookup?host=<root UID>&name=<name>&type=<Type>) for each name, or a single one with V(name=*) when
    several names of that type are looked up there; one C(GET /api/lookup?hierarchyRef=<ref>) per reference to be
    added; per change its request and at least one task poll; at least one more
    C(GET /api/jobs/<id>/includes) after changes; logoff. A run that changes nothing (the second run) sends no
    addition or removal."
  - Objects that a container (folder, tag, host, ...) brings into the job are not objects of the job; to leave
    a VM out of a folder include, use exclusions in the Veeam console.
seealso:
  - module: veeamops.em.veeam_job_info
    description: Lists a job's objects with O(veeamops.em.veeam_job_info#module:details=includes).
  - plugin: veeamops.em.veeam_em
    plugin_type: inventory
    description: Makes hosts of the VMs jobs protect, with C(veeam_hierarchy_obj_ref).
  - name: Enterprise Manager REST API reference
    description: Objects in jobs and the lookup service.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/em_web_api_reference.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: Add a VM and a vSphere tag to a job
  veeamops.em.veeam_job_object:
    name: Dev Backup
    objects:
      - {name: new01, type: vm}
      - {name: Backup-Gold, type: tag}
  register: dev_objects

- name: Show the ids Enterprise Manager gave the new objects
  ansible.builtin.debug:
    msg: "{{ dev_objects.added | map(attribute='id') | list }}"

- name: Add a folder by reference (two folders are called Production, so the name alone is ambiguous)
  veeamops.em.veeam_job_object:
    name: Dev Backup
    objects:
      - urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v3307

- name: Remove the tag again
  veeamops.em.veeam_job_object:
    name: Dev Backup
    objects:
      - {name: Backup-Gold, type: tag}
    state: absent

- name: Make two VMs the only objects of a job (they are added first, then the others are removed)
  veeamops.em.veeam_job_object:
    name: Test Lab Backup
    objects:
      - {name: test01, type: vm}
      - {name: test02, type: vm, hierarchy_root: vc01.lab.local}
    exclusive: true
  register: test_lab

- name: Show what changed
  ansible.builtin.debug:
    msg: "added {{ test_lab.added | map(attribute='name') | list }}, removed {{ test_lab.removed | map(attribute='name') | list }}"

# Connection options can also be set once for every module of the collection.
- name: Protect the VMs of an inventory group with a job identified by its UID
  module_defaults:
    group/veeamops.em.veeam:
      url: "{{ em_url }}"
      username: "{{ em_username }}"
      password: "{{ em_password }}"
      ca_path: "{{ em_ca_path }}"
  block:
    - name: Add the VM web02 to File Server Backup by its reference
      veeamops.em.veeam_job_object:
        uid: urn:veeam:Job:4e6a8c0b-2d3f-4c5e-9a7b-1f3d5b7c9ea2
        objects:
          - urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1043
"""

RETURN = r"""
msg:
  description: What the module did or found, in one sentence or more.
  returned: always
  type: str
  sample: 'Job "Dev Backup": added vm "new01" and tag "Backup-Gold".'
job:
  description: The job (the same keys as RV(veeamops.em.veeam_job#module:job)).
  returned: when the job was found
  type: dict
  sample:
    name: Dev Backup
    id: 3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91
    uid: urn:veeam:Job:3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91
    job_type: Backup
    platform: VMware
    description: Development VMs
    backup_server: {name: vbr01.lab.local, id: af37938e-191c-4df1-891e-3a49c7a3bec7, uid: 'urn:veeam:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7'}
    schedule_configured: true
    schedule_enabled: false
    next_run: null
    href: https://em01.lab.local:9398/api/jobs/3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91?format=Entity
added:
  description:
    - The objects added, in the order of O(objects). In check mode the objects that would be added (without id).
    - On a failure, the objects added before it.
  returned: always
  type: list
  elements: dict
  contains: &object
    name:
      description: Name of the object (for an added object, the name the lookup service gives).
      type: str
      sample: new01
    ref:
      description: C(HierarchyObjRef) of the object.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1300
    type:
      description:
        - Type of the object in the words of the C(type) key of O(objects) (V(vm), V(tag), V(folder), ...); other types of
          Enterprise Manager in snake case (for example V(vm_group), V(storage_pod)); V(null) for a reference that
          is not well-formed.
      type: str
      sample: vm
    id:
      description:
        - Id of the object in the job (C(ObjectInJobId)), the last part of C(/api/jobs/<id>/includes/<id>).
        - V(null) in check mode for objects that would be added.
      type: str
      sample: 8d0e4f6a-2b3c-4d5e-9f1a-7b8c9d0e1f2a
  sample:
    - {name: new01, ref: 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1300', type: vm, id: 8d0e4f6a-2b3c-4d5e-9f1a-7b8c9d0e1f2a}
removed:
  description:
    - The objects removed, in the order the job listed them. In check mode the objects that would be removed.
    - On a failure, the objects removed before it.
  returned: always
  type: list
  elements: dict
  contains: *object
  sample:
    - {name: test01, ref: 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1210', type: vm, id: c1a2b3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d}
objects:
  description:
    - The objects of the job after the run, as Enterprise Manager lists them (in check mode, as they would be).
  returned: success
  type: list
  elements: dict
  contains: *object
  sample:
    - {name: test01, ref: 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1210', type: vm, id: c1a2b3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d}
    - {name: new01, ref: 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1300', type: vm, id: 8d0e4f6a-2b3c-4d5e-9f1a-7b8c9d0e1f2a}
candidates:
  description:
    - The objects that match an ambiguous name, or the jobs that match an ambiguous job name.
    - For an unknown name, the objects of that type whose names contain it or are part of it, among those the lookup
      service answered with (often none).
  returned: when the module fails because a name matches no object, several objects, or several jobs
  type: list
  elements: dict
  sample:
    - {name: Production, ref: 'urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v2101', type: folder, hierarchy_root: vc01.lab.local}
    - {name: Production, ref: 'urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v3307', type: folder, hierarchy_root: vc01.lab.local}
"""

from ansible_collections.veeamops.em.plugins.module_utils._job_object_flow import JobObjectsFlow
from ansible_collections.veeamops.em.plugins.module_utils._job_objects import check_options
from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._wait import validate_wait_options, wait_argument_spec

ARGUMENT_SPEC = {
    'name': {'type': 'str'},
    'id': {'type': 'str'},
    'uid': {'type': 'str'},
    'backup_server': {'type': 'str'},
    'objects': {'type': 'list', 'elements': 'raw', 'required': True},
    'state': {'type': 'str', 'choices': ['present', 'absent'], 'default': 'present'},
    'exclusive': {'type': 'bool', 'default': False},
    **wait_argument_spec(),
}


def prepare(params):
    validate_wait_options(params)
    return check_options(params)


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, mutually_exclusive=[('name', 'id', 'uid')],
                      required_one_of=[('name', 'id', 'uid')])
    module.run(lambda em, specs: JobObjectsFlow(em, module.params, specs, module.check_mode, module.diff_mode).execute(), prepare=prepare)


if __name__ == '__main__':
    main()
