#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_vm_restore
short_description: Restore a VM to its original location from a Veeam restore point through Enterprise Manager
version_added: 1.0.0
description:
  - Restores one VM entirely from one of its restore points, through Veeam Backup Enterprise Manager. The VM is
    restored to its B(original location), the only target Enterprise Manager's REST API offers for an entire VM
    restore; the VM there is replaced by its state at the restore point, and what changed since is lost.
  - The VM is named as in the other VM-level modules of the collection (C(veeamops.em.veeam_vm_backup)), by its
    C(HierarchyObjRef), which is exact, or by its name among the VMs that Enterprise Manager knows restore points of.
  - The restore point is the VM's newest by default, or the one given by O(restore_point), or the newest created at
    or before O(point_in_time). A point given by id must be a point of this VM.
  - Because a restore destroys the current state of the VM, the module refuses to restore unless O(confirm=true), and
    says so before it sends any request. Check mode needs no O(confirm); it resolves the VM and the point and reports
    what would be restored.
  - The restore request is sent once and never repeated. With O(wait=true) the module follows Enterprise Manager's
    task and then the restore session to its end; a restore that ends with C(Failed) fails the task, with Enterprise
    Manager's message and the restore session in the result.
author:
  - veeamops.em maintainers (@veeamops)
options:
  vm:
    description:
      - The VM to restore, by its C(HierarchyObjRef) (for example
        V(urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042), the inventory variable
        C(veeam_hierarchy_obj_ref)), or its name.
      - A name is compared without regard to case with the names of the VMs that jobs include and that restore points
        show. A name that matches no VM, or several (the same name under two vCenters, for example), fails before
        anything is sent and lists the candidates; give the reference then, or narrow with O(backup_server).
    type: str
    required: true
  backup_server:
    description:
      - Name of the backup server whose restore points to use, as Enterprise Manager lists it (case-insensitive).
      - Narrows the VM lookup by name and the restore points considered.
    type: str
  restore_point:
    description:
      - The VM restore point to restore from, by its id (a GUID) or its UID (V(urn:veeam:VmRestorePoint:<id>)), as
        C(veeamops.em.veeam_restore_point_info) returns them.
      - It must be a point of O(vm); a point of another VM fails before anything is sent.
      - Mutually exclusive with O(point_in_time). Without both, the VM's newest point is restored.
    type: str
  point_in_time:
    description:
      - Restore the newest point created at or before this time. Times are compared to the second.
      - An ISO 8601 time (V(2026-03-01T21:00:00Z), V(2026-03-01 22:00+01:00); without a zone it is UTC, as
        Enterprise Manager's times are), or an age before now (V(30m), V(24h), V(7d), V(2w)).
      - When the VM has no point at or before that time, the module fails before anything is sent and names the
        oldest point there is.
    type: str
  power_on:
    description:
      - Power the VM on after the restore (C(PowerOnAfterRestore)).
    type: bool
    default: false
  quick_rollback:
    description:
      - Restore incrementally (C(QuickRollback)); only the blocks that changed since the restore point are written
        back, which relies on changed block tracking. Use it after a problem in the guest OS, not after a hardware or
        storage failure.
      - Available for VMware vSphere and Hyper-V VMs (C(VmRestoreSpec)); Enterprise Manager documents its effect for
        VMware only, so on Hyper-V the module warns. Cloud Director VMs have no such option; V(true) fails for them
        before anything is sent.
    type: bool
    default: false
  confirm:
    description:
      - Must be V(true) for the module to restore. Without it the module fails before it sends any request, because a
        restore replaces the VM with its state at the restore point.
      - Not needed in check mode, which never restores; its message then says that O(confirm=true) is needed to apply.
    type: bool
    default: false
  wait:
    description:
      - Follow the restore to its end, that is Enterprise Manager's task, then the restore session until it has stopped. A
        restore session that ends with C(Failed) fails the task; C(Warning) does not.
      - With V(false) the module still waits for the task (a refused restore fails the task), reads the restore
        session once and returns it while it runs.
    type: bool
    default: true
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
      - Check mode resolves the VM and the restore point, reads the job and backup server of the point, and reports what
        would be restored; it sends no restore request and needs no O(confirm).
  diff_mode:
    support: none
  idempotent:
    description:
      - When run twice in a row with the same parameters, the second run reports no change.
    support: none
    details:
      - Every run restores the VM again (C(changed=true)); a restore cannot tell whether the VM is still in the state
        of the restore point.
notes:
  - The EM role needed is Portal Administrator, or VM Restore Operator with a restore scope that holds the VM. A
    restore operator may not read jobs or hierarchy roots, so the VM is then identified by its restore points only (the
    module warns), and the C(id) of RV(restore_point.job) is V(null).
  - Enterprise Manager restores entire VMs of VMware vSphere, Hyper-V and Cloud Director, to their original location
    only. An entire VM restore needs the Enterprise or Enterprise Plus edition of Veeam Backup & Replication and is not
    available for points on storage snapshots, Veeam Agent backups or plug-in backups.
  - The restore request (C(POST /vmRestorePoints/<id>?action=restore)) is sent once and never repeated, also after a
    connection error. The module waits for its task until V(Finished), because only then does the task link the
    restore session.
  - If the logon session expires during the wait (for example after a network outage), the module logs on again; the
    old task can no longer be read, so the restore session is found among the VM's restore sessions started since the
    request (RV(msg) says so). The restore session itself is read by id, whatever the logon session.
  - "HTTP requests: logon; a query of hierarchy roots and one of the jobs (both read once, whatever the estate);
    for a VM name, one query of restore points by name and one of their restore points; one query of the VM's
    restore points; one of the chosen point's restore point; then the restore request, a few task polls, one read of
    the restore session and one per poll while O(wait) follows it; logoff. Polls grow from O(poll_interval) to
    O(poll_max_interval)."
  - A restored VM can come back with a new reference (C(RestoredObjRef) in RV(restore_session.restored_ref)); RV(msg) then
    says so. Its old restore points keep the old reference, so its name may match two references until the inventory is
    refreshed; give the new reference then.
  - Works with C(async) and C(poll); O(wait_timeout) should then be shorter than the C(async) value. The role
    P(veeamops.em.rollback_change#role) restores the VMs of several hosts this way, all at the same time.
seealso:
  - name: Enterprise Manager REST API reference
    description: Entire VM restore and restore sessions.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/em_web_api_reference.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: See which restore point of db01 would be restored (check mode needs no confirm)
  veeamops.em.veeam_vm_restore:
    vm: db01
  check_mode: true
  register: planned

- name: Show the point
  ansible.builtin.debug:
    msg: "{{ planned.restore_point.name }} of job {{ planned.restore_point.job.name }} ({{ planned.restore_point.creation_time }})"

- name: Restore db01 from its newest restore point and power it on
  veeamops.em.veeam_vm_restore:
    vm: db01
    power_on: true
    confirm: true
  register: restored

- name: Restore exactly the point that check mode showed, incrementally
  veeamops.em.veeam_vm_restore:
    vm: "{{ planned.vm.ref }}"
    restore_point: "{{ planned.restore_point.uid }}"
    quick_rollback: true
    power_on: true
    confirm: true

- name: Note when the change starts
  ansible.builtin.set_fact:
    change_started: "{{ now(utc=true, fmt='%Y-%m-%dT%H:%M:%SZ') }}"  # such as 2026-03-01T23:00:00Z

- name: Restore the web01 of vCenter vc01, by its reference, to its newest point from before the change
  veeamops.em.veeam_vm_restore:
    vm: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
    point_in_time: "{{ change_started }}"
    power_on: true
    confirm: true

- name: Start a restore of app01 to its newest point that is at least a day old, without following it
  veeamops.em.veeam_vm_restore:
    vm: app01
    point_in_time: 24h
    wait: false
    confirm: true
  register: started

- name: Show the restore session that goes on
  ansible.builtin.debug:
    msg: "{{ started.restore_session.name }} is {{ started.restore_session.state }}"
"""

RETURN = r"""
msg:
  description: What the module did or would do, in one or more sentences.
  returned: always
  type: str
  sample: >-
    VM "db01" (urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1108) was restored from restore point
    "db01@2026-03-01 21:03:40" (created 2026-03-01T21:03:40.120Z, job "Daily VM Backup", backup server
    vbr01.lab.local): restore session "db01@2026-03-02 11:05:31" ended with Success after 1097 s.
changed:
  description: Whether a restore was started (in check mode, whether one would be).
  returned: always
  type: bool
  sample: true
vm:
  description: The VM, as resolved.
  returned: when the VM was resolved
  type: dict
  contains:
    name:
      description: VM name.
      type: str
      sample: db01
    ref:
      description: The VM's HierarchyObjRef.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1108
    platform:
      description: V(VMware), V(HyperV) or V(vCloud), from the reference.
      type: str
      sample: VMware
    hierarchy_root:
      description: Name of the vCenter, Hyper-V host or Cloud Director that holds the VM; V(null) when this account may not read it.
      type: str
      sample: vc01.lab.local
    hierarchy_root_id:
      description: Id of that hierarchy root.
      type: str
      sample: 1790e16e-e712-4c24-a47c-dc3b62a4c27f
    backup_server:
      description: The backup server of the hierarchy root, else of the restore point.
      type: str
      sample: vbr01.lab.local
restore_point:
  description: The VM restore point restored from (or that would be).
  returned: when a point was chosen
  type: dict
  contains:
    id:
      description: Id of the VM restore point.
      type: str
      sample: d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35
    uid:
      description: UID of the VM restore point.
      type: str
      sample: urn:veeam:VmRestorePoint:d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35
    name:
      description: Name of the point (VM name and time).
      type: str
      sample: db01@2026-03-01 21:03:40
    vm_name:
      description: The VM name the point was taken under.
      type: str
      sample: db01
    ref:
      description: The VM's HierarchyObjRef as the point records it.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1108
    creation_time:
      description: When the point was taken (UTC, ISO 8601).
      type: str
      sample: '2026-03-01T21:03:40.120Z'
    point_type:
      description: V(Full), V(Increment) or V(ReverseIncrement).
      type: str
      sample: Increment
    algorithm:
      description: V(Full), V(Incremental), V(ReversedIncremental) or V(SyntheticFull).
      type: str
      sample: Incremental
    backup:
      description: The backup the point belongs to (C(name), C(id)); a backup is named after its job.
      type: dict
      sample: {name: Daily VM Backup, id: 5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05}
    job:
      description: The job that made the point (C(name), C(id)); C(id) is V(null) when the job is not among the VM's jobs
        (a backup copy job, or an account that may not read jobs).
      type: dict
      sample: {name: Daily VM Backup, id: 47752464-8e77-407a-a936-132173ac15f5}
    backup_server:
      description: The backup server that holds the point.
      type: str
      sample: vbr01.lab.local
task:
  description: Enterprise Manager's task of the restore request, as last seen; V(null) when nothing was sent.
  returned: always
  type: dict
  contains:
    id:
      description: Task id (per logon session).
      type: str
      sample: task-1
    operation:
      description: V(StartVMRestore).
      type: str
      sample: StartVMRestore
    state:
      description: V(Running), V(OperationFinished) or V(Finished).
      type: str
      sample: Finished
    success:
      description: Whether Enterprise Manager started the restore; V(null) while the task runs.
      type: bool
      sample: true
    message:
      description: Enterprise Manager's message.
      type: str
      sample: Ok
    href:
      description: URL of the task.
      type: str
      sample: https://em01.lab.local:9398/api/tasks/task-1
restore_session:
  description: The restore session the request started, as last seen; V(null) when nothing was sent.
  returned: always
  type: dict
  contains:
    id:
      description: Restore session id.
      type: str
      sample: e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63
    uid:
      description: Restore session UID.
      type: str
      sample: urn:veeam:RestoreSession:e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63
    name:
      description: Session name (VM name and start time).
      type: str
      sample: db01@2026-03-02 11:05:31
    vm_name:
      description: The VM's name as the session shows it.
      type: str
      sample: db01
    state:
      description: V(Starting), V(Working), V(Stopping) or V(Stopped).
      type: str
      sample: Stopped
    result:
      description: V(Success), V(Warning) or V(Failed); V(null) while the session runs.
      type: str
      sample: Success
    progress:
      description: Progress in percent.
      type: int
      sample: 100
    creation_time:
      description: Start time (UTC, ISO 8601).
      type: str
      sample: '2026-03-02T11:05:31.870Z'
    end_time:
      description: End time (UTC, ISO 8601); V(null) while the session runs.
      type: str
      sample: '2026-03-02T11:23:48.327Z'
    running:
      description: Whether the session is still running.
      type: bool
      sample: false
    restored_ref:
      description: The restored VM's HierarchyObjRef (C(RestoredObjRef)); it may differ from RV(vm.ref) because the restored VM
        can get a new managed-object id. V(null) while the session runs or when Enterprise Manager does not say.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1203
    restore_point_id:
      description: Id of the restore point the session restored from (its C(Related) link), when Enterprise Manager names it.
      type: str
      sample: d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35
    failure_message:
      description: Failure text when Enterprise Manager gives one (usually V(null)).
      type: str
    backup_server:
      description: The backup server that ran the restore.
      type: str
      sample: vbr01.lab.local
    href:
      description: URL of the restore session.
      type: str
      sample: https://em01.lab.local:9398/api/restoreSessions/e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63?format=Entity
"""

from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._vm_restore import VmRestoreFlow, validate_options
from ansible_collections.veeamops.em.plugins.module_utils._wait import wait_argument_spec

ARGUMENT_SPEC = {
    'vm': {'type': 'str', 'required': True},
    'backup_server': {'type': 'str'},
    'restore_point': {'type': 'str'},
    'point_in_time': {'type': 'str'},
    'power_on': {'type': 'bool', 'default': False},
    'quick_rollback': {'type': 'bool', 'default': False},
    'confirm': {'type': 'bool', 'default': False},
    'wait': {'type': 'bool', 'default': True},
    **wait_argument_spec(),
}


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, mutually_exclusive=[('restore_point', 'point_in_time')])
    module.run(lambda em, prepared: VmRestoreFlow(em, module.params, prepared, module.check_mode, module.warn).execute(),
               prepare=lambda params: validate_options(params, module.check_mode))


if __name__ == '__main__':
    main()
