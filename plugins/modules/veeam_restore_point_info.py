#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_restore_point_info
short_description: List the restore points of VMs from Veeam Backup Enterprise Manager, with the job that made each
version_added: 1.0.0
description:
  - Returns the VM restore points that Veeam Backup Enterprise Manager knows, newest first, with the job and backup
    server of each, for the VMs in O(vms), for the jobs in O(jobs), or for every VM.
  - With O(vms), every requested VM is also returned in RV(vms), in request order, with its points; a VM without any
    restore point is returned there with an empty list, not left out.
author:
  - veeamops.em maintainers (@veeamops)
options:
  vms:
    description:
      - The VMs whose points to return, given by name or by reference
        (C(urn:<Platform>:Vm:<HierarchyRootId>.<ObjectRef>), the inventory variable C(veeam_hierarchy_obj_ref)).
      - VMs are resolved as in the other VM-level modules of the collection. A name is matched, without regard to case,
        among the VMs that jobs protect (directly, or through a container where restore points show the VM); a name that
        matches nothing fails, and so does a name that matches several VMs (the message lists them; give the reference,
        or O(backup_server)). A reference is taken as it is, also for a VM that no job protects any more.
      - Without O(vms), the points of every VM (narrowed by the other options) are returned.
    type: list
    elements: str
  jobs:
    description:
      - Only points made by the jobs with this name, or with one of these names (compared without regard to case).
        A backup is named after its job, so the points of a deleted job are found by its former name too.
      - A string is always one name, even when it contains commas; give several names as a list.
      - A name that no job has and no point belongs to gives a warning.
    type: raw
  backup_server:
    description:
      - Only points on the backup server with this name, as Enterprise Manager lists it (compared without regard to case).
        It also narrows how VM names are resolved.
    type: str
  since:
    description:
      - Only points taken at or after this time.
      - An ISO 8601 time (V(2026-03-01T21:00:00Z); a time without zone is UTC) or an age before now, a number followed
        by V(s), V(m), V(h), V(d) or V(w) (V(30m), V(24h), V(7d)).
    type: str
  latest_only:
    description:
      - Only the newest of the matching points of each VM.
    type: bool
    default: false
  query:
    description:
      - A JMESPath expression applied to the list in RV(restore_points); the outcome is returned in RV(query_result).
      - Needs the Python package C(jmespath) on the host that runs the module.
    type: str
extends_documentation_fragment:
  - veeamops.em.connection
  - veeamops.em.connection.modules
  - veeamops.em.attributes
  - veeamops.em.attributes.action_group
  - veeamops.em.attributes.info_module
notes:
  - "HTTP requests per run, with O(vms): one logon, one query of hierarchy roots, one query page per 1000 jobs, one query
    of VM restore points per 40 VM names (to resolve them) and one per 40 VMs (their points, by reference), the restore
    points those points belong to (see below), one logoff. For one VM that is six or seven requests."
  - "Without O(vms): one query page per 1000 jobs, and one query page per 1000 VM restore points (with O(jobs): one query
    of backups, one of their restore points and one of their VM restore points per 40 names, backups and restore
    points instead)."
  - "The restore point of each VM restore point names its job: up to 120 of them are asked for by UID (one query per 40),
    more are read by date, page by page, as long as that takes fewer queries. Requests grow with pages of points, never
    one request per point, per VM or per job. Retries after connection errors or HTTP 502, 503, 504 add requests."
  - The job of a point is the listed job whose name is the name of the point's backup on the same backup server
    (Enterprise Manager names a backup after its job and links no job to it); RV(restore_points[].job.id) is V(null)
    when no listed job matches, for example for a deleted job.
  - The Portal Administrator role reads everything this module needs. Other roles may read restore points but not jobs
    (job ids are then V(null), with a warning) and cannot resolve VM names.
requirements:
  - jmespath (Python package, only for O(query))
seealso:
  - module: veeamops.em.veeam_session_info
  - name: Enterprise Manager REST API, query of VM restore points
    description: The query service call the module uses, and its filter fields.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_vmrestorepoint.html
  - name: Enterprise Manager REST API, restore point entity
    description: How a VM restore point relates to its restore point and backup.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/get_restorepoints_id.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: The newest restore point of two VMs
  veeamops.em.veeam_restore_point_info:
    vms: [db01, app01]
    latest_only: true
  register: newest

- name: Show when each VM was last backed up, and by which job
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.restore_point.creation_time | default('never') }} ({{ item.restore_point.job.name | default('-') }})"
  loop: "{{ newest.vms }}"

- name: Points of the last week of the VMs of the play, by their references from the veeamops.em.veeam_em inventory
  veeamops.em.veeam_restore_point_info:
    vms: "{{ play_vm_refs }}"
    since: 7d
  vars:
    play_vm_refs: "{{ ansible_play_hosts | map('extract', hostvars, 'veeam_hierarchy_obj_ref') | select('defined') | list }}"
  when: play_vm_refs | length > 0
  register: week
  run_once: true
  delegate_to: localhost

- name: Every point a job made in the last 24 hours
  veeamops.em.veeam_restore_point_info:
    jobs: Daily VM Backup
    since: 24h
  register: daily

- name: VMs of one backup server without a point in the last two days
  veeamops.em.veeam_restore_point_info:
    vms: [db01, dc01, file01]
    backup_server: vbr01.lab.local
    since: 2d
    latest_only: true
  register: recent

- name: Report them
  ansible.builtin.debug:
    msg: "{{ recent.vms | selectattr('restore_point', 'none') | map(attribute='name') | list }}"

- name: Full points only, as a list of names and times
  veeamops.em.veeam_restore_point_info:
    vms: db01
    query: "[?point_type=='Full'].{vm: vm_name, time: creation_time, job: job.name}"
  register: fulls
"""

RETURN = r"""
restore_points:
  description: The matching VM restore points, newest first (each point once, also when a VM was requested twice).
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Id of the VM restore point (what a restore starts from).
      type: str
      sample: d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35
    uid:
      description: UID of the VM restore point.
      type: str
      sample: urn:veeam:VmRestorePoint:d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35
    name:
      description: Name of the point (VM name and time).
      type: str
      sample: web01@2026-03-01 21:02:05
    vm_name:
      description: The VM name the point was taken under.
      type: str
      sample: web01
    ref:
      description: The VM's reference (HierarchyObjRef) as the point records it.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
    creation_time:
      description: When the point was taken (UTC, ISO 8601).
      type: str
      sample: '2026-03-01T21:02:05.283Z'
    point_type:
      description: V(Full), V(Increment) or V(ReverseIncrement).
      type: str
      sample: Increment
    algorithm:
      description: V(Full), V(Incremental), V(ReversedIncremental) or V(SyntheticFull).
      type: str
      sample: Incremental
    job:
      description: The job that made the point; C(id) is V(null) when no listed job matches (a deleted job, or an
        account that may not read jobs).
      type: dict
      contains:
        name:
          description: Job name (the backup's name when no listed job matches).
          type: str
          sample: Daily VM Backup
        id:
          description: Job id.
          type: str
          sample: 47752464-8e77-407a-a936-132173ac15f5
    backup:
      description: The backup the point belongs to (C(name), C(id)); a backup is named after its job.
      type: dict
      sample: {name: Daily VM Backup, id: 5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05}
    backup_server:
      description: Name of the backup server that holds the point.
      type: str
      sample: vbr01.lab.local
    restore_point_id:
      description: Id of the restore point (C(RestorePoint)) the VM's point belongs to; a job run links the restore points it
        made, so this ties the point to the run.
      type: str
      sample: b36a86f1-0417-4378-83c0-639f1cb433ba
vms:
  description:
    - One entry per VM in O(vms), in request order, with its points.
    - A VM without any matching point has an empty RV(vms[].restore_points) and a V(null) RV(vms[].restore_point).
  returned: when O(vms) is set
  type: list
  elements: dict
  contains:
    name:
      description: VM name (V(null) when only a reference was given and Enterprise Manager knows no name for it).
      type: str
      sample: db01
    ref:
      description: The VM's reference (HierarchyObjRef).
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1108
    platform:
      description: V(VMware), V(HyperV) or V(vCloud), from the reference.
      type: str
      sample: VMware
    hierarchy_root:
      description: Name of the vCenter, Hyper-V host or Cloud Director that holds the VM.
      type: str
      sample: vc01.lab.local
    hierarchy_root_id:
      description: Id of that hierarchy root.
      type: str
      sample: 1790e16e-e712-4c24-a47c-dc3b62a4c27f
    backup_server:
      description: The backup server of the hierarchy root (else of the VM's jobs or points).
      type: str
      sample: vbr01.lab.local
    restore_point:
      description: The VM's newest matching point (the same keys as an entry of RV(restore_points)); V(null) when it has none.
      type: dict
      sample: {id: d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35, vm_name: db01, creation_time: '2026-03-01T21:02:05.283Z',
               job: {name: Daily VM Backup, id: 47752464-8e77-407a-a936-132173ac15f5}}
    restore_points:
      description: The VM's matching points, newest first (the same keys as an entry of RV(restore_points)).
      type: list
      elements: dict
      sample: []
query_result:
  description: The outcome of O(query) applied to RV(restore_points).
  returned: when O(query) is set
  type: raw
  sample: [{vm: db01, time: '2026-02-27T21:03:11.120Z', job: Daily VM Backup}]
"""

from ansible_collections.veeamops.em.plugins.module_utils._jmespath import compile_expression, with_query_result
from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._restore_point_info import PointFilter, gather_points

ARGUMENT_SPEC = {
    'vms': {'type': 'list', 'elements': 'str'},
    'jobs': {'type': 'raw'},
    'backup_server': {'type': 'str'},
    'since': {'type': 'str'},
    'latest_only': {'type': 'bool', 'default': False},
    'query': {'type': 'str'},
}


def prepare(params):
    """Every option checked before any request: the filters, and the JMESPath expression."""
    return PointFilter.from_params(params), compile_expression(params['query'], 'query')


def gather(em, prepared, warn=None):
    flt, expression = prepared
    return with_query_result(gather_points(em, flt, warn), expression, 'restore_points', 'the restore point list')


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(lambda em, prepared: gather(em, prepared, module.warn), prepare=prepare)


if __name__ == '__main__':
    main()
