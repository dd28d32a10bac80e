#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_vm_backup
short_description: Back up single VMs now (quick backup) through Enterprise Manager
version_added: 1.0.0
description:
  - Starts an Enterprise Manager quick backup of each VM given in O(vms), an incremental backup of that VM alone
    by the backup job that protects it, and waits until each one has ended.
  - A VM is given by name or by its reference (HierarchyObjRef), as the inventory plugin
    P(veeamops.em.veeam_em#inventory) names it (host name, host variable C(veeam_hierarchy_obj_ref)).
  - Every VM is resolved before anything is sent. A name that several VMs have, a VM that no job protects, and a VM
    that only replication or backup copy jobs protect fail the task without starting any backup.
  - All quick backups are requested first and then followed together. Each VM's result comes from its own task
    session in the run that its quick backup created, not from the other VMs of the job.
  - With O(max_age_minutes), VMs that already have a recent restore point are skipped.
author:
  - veeamops.em maintainers (@veeamops)
options:
  vms:
    description:
      - The VMs to back up, each a VM name or a VM reference
        (V(urn:VMware:Vm:<hierarchy root id>.<vm id>), also the Hyper-V and Cloud Director forms).
      - A name is matched, without regard to case, among the VMs that jobs protect, directly or through a container
        (folder, tag, host, ...), the same way the inventory plugin finds them. If several VMs have the name, the
        task fails and lists each one with its reference, hierarchy root and jobs; give the reference instead, or
        narrow with O(backup_server).
      - A reference is exact. The inventory's host variable C(veeam_hierarchy_obj_ref) holds it, so
        C("{{ ansible_play_hosts | map('extract', hostvars, 'veeam_hierarchy_obj_ref') }}") backs up the play's hosts.
      - A VM given twice is backed up once and reported at each place.
    type: list
    elements: str
    required: true
  backup_server:
    description:
      - Only consider VMs and jobs of this backup server (its name as Enterprise Manager lists it).
      - Useful when a VM name exists under the hierarchy roots of several backup servers.
    type: str
  max_age_minutes:
    description:
      - Skip a VM whose newest restore point is younger than this many minutes; its RV(vms[].action) is V(skipped)
        and RV(vms[].restore_point) is that point.
      - Any restore point of the VM counts, also one that a backup copy job made.
      - The age is measured with the clock of the host that runs the module against the creation time Enterprise
        Manager reports.
      - Without it, every VM is backed up.
    type: int
  wait:
    description:
      - Wait until the run of every quick backup has ended, then return each VM's result and new restore point.
      - A VM whose backup ends V(Failed) fails the task (after all of them have ended), as does V(Warning) with
        O(fail_on_warning=true); every VM's result is still returned in RV(vms).
      - With V(false) the module still waits for Enterprise Manager's task of each quick backup, so that a refused
        quick backup fails the task and each VM's run is known, but RV(vms[].result) is V(null) for the VMs that started.
    type: bool
    default: true
  fail_on_warning:
    description:
      - With O(wait=true), also fail when a VM's backup ends with V(Warning).
    type: bool
    default: false
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
      - Check mode resolves every VM, chooses its job and backup server, reads the restore points for
        O(max_age_minutes), and reports V(would_start) for the VMs it would back up, without sending any request
        that changes something.
  diff_mode:
    support: none
  idempotent:
    description:
      - When run twice in a row with the same parameters, the second run reports no change.
    support: partial
    details:
      - Without O(max_age_minutes) every run backs the VMs up again.
      - With O(max_age_minutes) a second run within that many minutes skips the VMs backed up by the first.
notes:
  - "EM role: Portal User is enough (Portal Administrator works too). A Portal User may not read jobs, so for such an
    account the module finds the VMs through their restore points, and their jobs through the job sessions of the jobs
    that made those points (the backup of a point is named after its job). A VM that has never been backed up, or whose
    job was renamed since, is then not found; with Portal Administrator VMs are also found through the jobs' objects."
  - A quick backup needs a backup job (type Backup) that protects the VM and has a restore point of it; Enterprise
    Manager runs it on the backup server that owns that job. If several backup jobs protect the VM, the module
    sends the quick backup to the backup server of the first (a job that includes the VM itself before one that
    includes a container of it, then by name); RV(vms[].job) is the job whose run made the backup.
  - The backup server may refuse a quick backup, for example while the job is running; the VM then fails with
    Enterprise Manager's message. Whether it accepts quick backups of several VMs of the same job at once, and
    whether it runs them in one run or in several, depends on the backup server; the module handles both.
  - Each quick backup request is sent once and never repeated. If Enterprise Manager cannot be reached, the
    requests that follow are not sent, and RV(vms) says which VMs were requested.
  - If the logon session expires during the wait (or a task vanishes), the module logs on again and finds each
    affected VM's run among the runs of its backup jobs created since their last run before the requests, as
    the run whose task sessions include the VM.
  - "HTTP requests, for N VMs: logon; one query of hierarchy roots; the job query (one page per 1,000 jobs); for
    names, one restore point query per 40 names and one per 40 of their restore points; with O(max_age_minutes)
    one restore point query per 40 VMs. Then (not in check mode) one query per 40 jobs for their latest runs, one
    POST per VM, one C(GET /tasks) per poll for all tasks together, one query per 40 runs per poll while they run,
    and at the end one query per 40 runs for the task sessions and one per 40 new restore points; logoff. Only
    the POSTs grow with each VM. After a lost task, each poll for its run costs one query per 40 jobs and one per
    40 runs found. With a Portal User account the job query is refused (one request) and one query per 40 jobs of
    job sessions takes its place. The benchmarks measured 24 requests for 10 VMs and 78 for 50 (of them 10 and 50
    POSTs)."
  - Works with C(async) and C(poll); O(wait_timeout) should then be shorter than the C(async) value.
seealso:
  - module: veeamops.em.veeam_job
  - plugin: veeamops.em.veeam_em
    plugin_type: inventory
  - name: Enterprise Manager REST API reference
    description: VM quick backup (C(POST /backupServers/{id}?action=quickbackup)).
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/post_backupservers_id_quickbackup.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: Back up two VMs now and wait until both backups have ended
  veeamops.em.veeam_vm_backup:
    vms:
      - web02
      - dr-db01
  register: backup

- name: Show the new restore point of each VM
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.result }}, restore point {{ item.restore_point.id }} of {{ item.restore_point.creation_time }}"
  loop: "{{ backup.vms }}"
  loop_control:
    label: "{{ item.name }}"

- name: Back up a VM whose name two vCenters have, by its reference
  veeamops.em.veeam_vm_backup:
    vms:
      - urn:VMware:Vm:8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03.vm-2042

- name: Back up a VM by name on one backup server only
  veeamops.em.veeam_vm_backup:
    vms: [web01]
    backup_server: vbr02.lab.local

- name: Back up only the VMs without a restore point of the last two hours
  veeamops.em.veeam_vm_backup:
    vms: [web02, file01, dr-db01]
    max_age_minutes: 120
    wait_timeout: 7200

- name: See which VMs would be backed up, and by which job
  veeamops.em.veeam_vm_backup:
    vms: [web02, sql-hv01]
  check_mode: true
  register: plan

- name: Start the backups without waiting for them to end
  veeamops.em.veeam_vm_backup:
    vms: [web02, sql-hv01]
    wait: false
"""

RETURN = r"""
msg:
  description: A summary, then one sentence per VM.
  returned: always
  type: str
  sample: >-
    Quick backup of 2 VM(s): 2 started. web02: quick backup ended with Success (run "Daily VM Backup@2026-03-02 10:15:02").
    dr-db01: quick backup ended with Success (run "DR Site Backup@2026-03-02 10:15:03").
vms:
  description:
    - One entry per item of O(vms), in the same order.
    - Also returned when the task fails, with what is known of every VM.
  returned: when every VM was resolved
  type: list
  elements: dict
  contains:
    name:
      description: Name of the VM.
      type: str
      sample: web02
    ref:
      description: Reference (HierarchyObjRef) of the VM.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1043
    hierarchy_root:
      description: Name of the VM's hierarchy root (vCenter, Hyper-V host or cluster, Cloud Director).
      type: str
      sample: vc01.lab.local
    backup_server:
      description: The backup server that ran (or would run) the quick backup.
      type: str
      sample: vbr01.lab.local
    job:
      description:
        - The job that ran the quick backup (C(name), C(id)), from its run when it is known, else the job chosen
          for the VM.
      type: dict
      sample: {name: Daily VM Backup, id: 47752464-8e77-407a-a936-132173ac15f5}
    action:
      description:
        - V(started) when the quick backup request was sent (RV(vms[].result) says whether it was refused or failed).
        - V(skipped) when O(max_age_minutes) made it unnecessary.
        - V(would_start) in check mode.
        - V(null) when the request was not sent because an earlier request could not reach Enterprise Manager.
      type: str
      sample: started
    result:
      description:
        - V(Success), V(Warning) or V(Failed), from the VM's own task session in the run.
        - V(Failed) also when Enterprise Manager refused the quick backup or the request failed.
        - V(null) for skipped VMs, in check mode, and for started VMs when not waiting.
      type: str
      sample: Success
    reason:
      description:
        - Why the VM failed, warned or was skipped (Enterprise Manager's text where there is one); V(null) otherwise.
      type: str
      sample: 'its newest restore point (2026-03-02T09:15:41.117Z) is younger than 120 minutes'
    session:
      description:
        - The run (job session) that made the quick backup (C(id), C(uid), C(name), C(state), C(result),
          C(creation_time), C(end_time)); its C(result) is the run's, for all the VMs it processed.
        - V(null) when no run was started.
      type: dict
      sample:
        id: 9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
        uid: urn:veeam:BackupJobSession:9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
        name: Daily VM Backup@2026-03-02 10:15:02
        state: Stopped
        result: Success
        creation_time: '2026-03-02T10:15:02.310Z'
        end_time: '2026-03-02T10:19:14.872Z'
    restore_point:
      description:
        - The VM restore point the quick backup created (C(id), C(uid), C(creation_time)), when the run has ended
          and created one; for a skipped VM, its newest restore point. V(null) otherwise.
        - C(creation_time) is V(null) when Enterprise Manager does not list the point (yet).
      type: dict
      sample:
        id: 3f1c9e27-8a4b-4d6e-b2f0-5c7a9d1e3b46
        uid: urn:veeam:VmRestorePoint:3f1c9e27-8a4b-4d6e-b2f0-5c7a9d1e3b46
        creation_time: '2026-03-02T10:15:27.310Z'
"""

from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._vm_backup import VmBackupFlow, validate_options
from ansible_collections.veeamops.em.plugins.module_utils._wait import wait_argument_spec

ARGUMENT_SPEC = {
    'vms': {'type': 'list', 'elements': 'str', 'required': True},
    'backup_server': {'type': 'str'},
    'max_age_minutes': {'type': 'int'},
    'wait': {'type': 'bool', 'default': True},
    **wait_argument_spec(),
    'fail_on_warning': {'type': 'bool', 'default': False},
}


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(lambda em, _prepared: VmBackupFlow(em, module.params, module.check_mode, module.warn).execute(), prepare=validate_options)


if __name__ == '__main__':
    main()
