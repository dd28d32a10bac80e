# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_vm_target
short_description: Decide which VM a quick backup of a host backs up, or why the host gets none
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - The first decision of the role P(veeamops.em.backup_before_change#role) with
    C(backup_before_change_method=quick_backup), made for each host before anything is sent.
  - A host is protected when one of its jobs (O(_input)) is a backup job (C(job_type) V(Backup)), since a quick backup
    runs the backup job that protects the VM. Jobs of other types do not count.
  - A host with O(problems) (jobs named for it that do not exist, or several jobs of that name) gets no quick backup
    and fails, as with the method V(job).
  - A host that no backup job protects is unprotected; it fails, or with O(unprotected=skip) is skipped.
  - 'The VM of a protected host: its reference when O(refs) holds exactly one VM reference (the inventory variable
    C(veeam_hierarchy_obj_ref), or the one VM a lookup by name found); its name O(vm_name) when O(refs) is empty.
    Several VM references (a lookup found several VMs with that name) fail the host: a quick backup backs up exactly
    the host''s VM. A reference that is not a VM reference fails the host too.'
  - Nothing here reads Enterprise Manager; the module M(veeamops.em.veeam_vm_backup) then resolves the VM.
positional: _input
options:
  _input:
    description:
      - The jobs that protect the host, each with C(name) and C(job_type) (as P(veeamops.em.backup_jobs_match#filter)
        or P(veeamops.em.backup_jobs_of_vm#filter) return them, or the entries of the inventory variable C(veeam_jobs)).
    type: list
    elements: dict
    required: true
  host:
    description: The host's name, for the message.
    type: str
    required: true
  problems:
    description: The wanted jobs that could not be found, as P(veeamops.em.backup_jobs_match#filter) returns them.
    type: list
    elements: str
    default: []
  other_jobs:
    description: Jobs of the host that are not of the types in C(backup_before_change_job_types), to explain why it is unprotected.
    type: list
    elements: dict
    default: []
  source:
    description: Where the host's jobs came from, to explain why it is unprotected (see P(veeamops.em.backup_jobs_verdict#filter)).
    type: str
    choices: [names, inventory, lookup]
    default: names
  vm_name:
    description: The name of the host's VM. Defaults to O(host).
    type: str
  refs:
    description: The references (HierarchyObjRef) of the host's VM as far as they are known.
    type: list
    elements: str
    default: []
  unprotected:
    description: What happens to a host that no backup job protects, V(fail) or V(skip).
    type: str
    choices: [fail, skip]
    default: fail
  check_mode:
    description: Whether the role runs in check mode (for the wording of the message).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Decide the VM of the host
  ansible.builtin.set_fact:
    target: >-
      {{ veeam_jobs | veeamops.em.backup_vm_target(host=inventory_hostname, source='inventory',
                                                   refs=[veeam_hierarchy_obj_ref]) }}

- name: Back up the VMs of the play's protected hosts
  veeamops.em.veeam_vm_backup:
    vms: "{{ ansible_play_hosts | map('extract', hostvars, 'target') | selectattr('send') | map(attribute='vm') | unique }}"
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
_value:
  description: The decision for the host.
  type: dict
  contains:
    host:
      description: The host.
      type: str
    vm:
      description: The VM to give to M(veeamops.em.veeam_vm_backup) (a reference or a name), or V(null) when the host gets no quick backup.
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
    ref:
      description: The VM's reference when it is known (one reference in O(refs)), else V(null).
      type: str
    name:
      description: The VM's name, O(vm_name).
      type: str
    send:
      description: Whether the host's VM is backed up.
      type: bool
    ok:
      description: For a host that gets no quick backup, whether it stays in the play (skipped); V(null) for a host whose VM is backed up.
      type: bool
    skipped:
      description: Whether the host is unprotected and skipped.
      type: bool
    msg:
      description: Why the host gets no quick backup, in sentences; an empty string for a host whose VM is backed up.
      type: str
      sample: >-
        No backup job protects db01: its jobs SQL Replica are not backup jobs, and a quick backup runs the backup job
        that protects the VM (backup_before_change_method=job starts them).
"""

from ansible_collections.veeamops.em.plugins.module_utils._vms import vm_key
from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    POLICIES, SKIPPED, SOURCES, backup_state, choice, filter_errors, flag, mappings, text_list, why_unprotected,
)

BACKUP = 'Backup'
NOT_BACKUP_JOBS = ('its jobs %s are not backup jobs, and a quick backup runs the backup job that protects the VM '
                   '(backup_before_change_method=job starts them)')
SEVERAL_VMS = ('%d VMs are named "%s" (%s), and a quick backup backs up exactly the host\'s VM; set the host variable '
               'veeam_hierarchy_obj_ref to the reference of its VM (the veeamops.em.veeam_em inventory sets it)')
NO_NAME = 'The name of its VM is empty; set backup_before_change_vm_name or veeam_name'
NOT_A_VM = ('"%s" is not a VM reference (urn:<Platform>:Vm:<HierarchyRootId>.<ObjectRef>); correct the host variable '
            'veeam_hierarchy_obj_ref')


def _distinct_refs(refs):
    """The references, each VM once (by the collection's VM identity); texts that are no VM reference stay as they are."""
    seen, distinct = set(), []
    for ref in refs:
        key = vm_key(ref) or ('text', ref)
        if key not in seen:
            seen.add(key)
            distinct.append(ref)
    return distinct


def _decision(host, vm=None, ref=None, name=None, send=False, ok=False, skipped=False, msg=''):
    return {'host': host, 'vm': vm, 'ref': ref, 'name': name, 'send': send, 'ok': None if send else ok, 'skipped': skipped,
            'msg': msg}


def _unprotected(host, what, why, policy, name, ref):
    skip = policy == 'skip'
    return _decision(host, ref=ref, name=name, ok=skip, skipped=skip,
                     msg=('No %s protects %s: %s.%s' % (what, host, why, SKIPPED if skip else '')).strip())


@filter_errors('backup_vm_target')
def backup_vm_target(jobs, host, problems=None, other_jobs=None, source='names', vm_name=None, refs=None, unprotected='fail',
                     check_mode=False):
    """The VM a quick backup of ``host`` backs up, or why the host gets none (see RETURN)."""
    jobs = mappings(jobs, 'the jobs')
    problems = text_list(problems, 'problems')
    other_jobs = mappings(other_jobs, 'other_jobs')
    source = choice(source, 'source', SOURCES)
    policy = choice(unprotected, 'unprotected', POLICIES)
    state = backup_state(False, flag(check_mode, 'check_mode'))
    name = host if vm_name is None else str(vm_name)
    found = _distinct_refs([ref for ref in text_list(refs, 'refs') if ref.strip()])
    ref = found[0] if len(found) == 1 else None
    if problems:
        return _decision(host, ref=ref, name=name, msg='Backup of %s %s. %s.' % (host, state, '. '.join(problems)))
    if not any(job.get('job_type') == BACKUP for job in jobs):
        others = [job for job in jobs + other_jobs if job.get('job_type') != BACKUP]
        if others:
            return _unprotected(host, 'backup job', NOT_BACKUP_JOBS % ', '.join(str(job.get('name')) for job in others), policy, name, ref)
        return _unprotected(host, 'job', why_unprotected(source, [], [], name), policy, name, ref)
    if len(found) > 1:
        return _decision(host, name=name, msg='Backup of %s %s. %s.' % (host, state, SEVERAL_VMS % (len(found), name, ', '.join(found))))
    if ref is not None and vm_key(ref) is None:
        return _decision(host, name=name, msg='Backup of %s %s. %s.' % (host, state, NOT_A_VM % ref))
    if ref is None and not name.strip():
        return _decision(host, name=name, msg='Backup of %s %s. %s.' % (host, state, NO_NAME))
    return _decision(host, vm=ref or name.strip(), ref=ref, name=name, send=True)


class FilterModule:

    def filters(self):
        return {'backup_vm_target': backup_vm_target}
