# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_record
short_description: Record a host's backup by its jobs' runs, for a later rollback
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Builds the fact C(veeam_backup_before_change) of a host that the role P(veeamops.em.backup_before_change#role)
    backed up with C(backup_before_change_method=job), from the host's verdict (see
    P(veeamops.em.backup_jobs_verdict#filter)) and the outcome of its jobs (see P(veeamops.em.backup_jobs_outcome#filter)).
    P(veeamops.em.rollback_plan#filter) reads it.
  - 'The run recorded: among the host''s jobs that succeeded for it, the one whose run ended last; when none did, the
    first job with a run; else the first job. C(session) is that run (C(id), C(name), C(result), C(creation_time),
    C(end_time)), C(job) its job, C(result) the VM''s own result in it (the whole run''s when the run does not list the
    VM), V(null) when the run did not end.'
  - C(restore_point) is always V(null) with this method. The job's run names the VM restore points through the task
    sessions' links, which the role does not read; a rollback then restores the newest point at or before the run's
    end (C(session.end_time)), which is the point of that run unless a later run of another job made a newer one.
  - C(ref) is the VM's reference when exactly one is known (O(refs)), else the one of the VM's task session in the run.
  - In check mode C(result), C(session) and C(restore_point) are V(null), and C(note) says so. A host that no job
    protects, or whose jobs could not be found, gets a record with V(null) values and the verdict's message as C(note).
positional: _input, runs
options:
  _input:
    description: The host's verdict, as P(veeamops.em.backup_jobs_verdict#filter) returns it (C(backup_before_change_result)).
    type: dict
    required: true
  runs:
    description: The outcome of every job, by job id, as P(veeamops.em.backup_jobs_outcome#filter) returns it (C(backup_before_change_runs)).
    type: dict
    required: true
  vm_name:
    description: The name of the host's VM.
    type: str
    required: true
  refs:
    description: The VM's references (HierarchyObjRef) as far as they are known.
    type: list
    elements: str
    default: []
  check_mode:
    description: Whether the jobs were only predicted, not started.
    type: bool
    default: false
  now:
    description:
      - The current time in UTC, as Ansible's C(now(utc=true)) gives it, or as an ISO 8601 string; the record's
        C(recorded_at). Defaults to the clock of the controller.
    type: raw
"""

EXAMPLES = r"""
- name: Keep the host's record for a later rollback
  ansible.builtin.set_fact:
    veeam_backup_before_change: >-
      {{ backup_before_change_result | veeamops.em.backup_jobs_record(backup_before_change_runs, vm_name=inventory_hostname,
                                                                      refs=[veeam_hierarchy_obj_ref], now=now(utc=true)) }}
"""

RETURN = r"""
_value:
  description: The fact C(veeam_backup_before_change) (the same keys as with the method V(quick_backup)).
  type: dict
  contains:
    ref:
      description: The VM's reference, or V(null).
      type: str
    name:
      description: The VM's name.
      type: str
    result:
      description: The VM's result in the recorded run (V(Success), V(Warning), V(Failed)), or V(null).
      type: str
    method:
      description: V(job).
      type: str
    backup_server:
      description: The backup server of the recorded job.
      type: str
    job:
      description: The recorded job (C(name), C(id)), or V(null).
      type: dict
    session:
      description: The recorded run (C(id), C(name), C(result), C(creation_time), C(end_time)), or V(null).
      type: dict
    restore_point:
      description: Always V(null) with this method (see the description).
      type: dict
    recorded_at:
      description: When the record was made (UTC).
      type: str
      sample: '2026-03-02T10:19:20Z'
    note:
      description: Why there is no backup to return to, or which job ran and how it went when it did not succeed; V(null) otherwise.
      type: str
"""

from ansible_collections.veeamops.em.plugins.module_utils._vms import vm_key
from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    filter_errors, flag, iso_time, mapping, mappings, text_list, utc_now, vm_task_of,
)
from ansible_collections.veeamops.em.plugins.plugin_utils._backup_vms import record, session_of

METHOD = 'job'
CHECK_MODE = 'check mode: nothing was backed up'


def chosen_job(jobs):
    """The job verdict to record: the successful one whose run ended last, else the first with a run, else the first."""
    good = [job for job in jobs if job.get('ok') and job.get('session')]
    if good:
        return max(good, key=lambda job: str(job.get('end_time') or ''))
    with_run = [job for job in jobs if job.get('session')]
    if with_run:
        return with_run[0]
    return jobs[0] if jobs else None


def _one_ref(refs):
    keys = {vm_key(ref) or ('text', ref) for ref in refs}
    return refs[0] if len(keys) == 1 else None


@filter_errors('backup_jobs_record')
def backup_jobs_record(verdict, runs, vm_name, refs=None, check_mode=False, now=None):
    """The fact veeam_backup_before_change of a host backed up by its jobs."""
    verdict = mapping(verdict, 'the verdict')
    runs = mapping(runs, 'runs')
    refs = [ref for ref in text_list(refs, 'refs') if ref.strip()]
    check_mode = flag(check_mode, 'check_mode')
    recorded_at = iso_time(utc_now(now))
    job = chosen_job(mappings(verdict.get('jobs'), 'the jobs of the verdict'))
    if job is None:
        return record(ref=_one_ref(refs), name=vm_name, method=METHOD, recorded_at=recorded_at,
                      note=('%s; ' % CHECK_MODE if check_mode else '') + str(verdict.get('msg') or 'no job protects the host'))
    outcome = mapping(runs.get(job.get('id')), 'the outcome of job "%s"' % job.get('name'))
    task = vm_task_of(mappings(outcome.get('task_sessions'), 'the task_sessions of job "%s"' % job.get('name')), refs, vm_name)
    ref = _one_ref(refs) or task.get('vm_uid')
    fields = dict(ref=ref, name=vm_name, method=METHOD, backup_server=job.get('backup_server'),
                  job={'name': job.get('name'), 'id': job.get('id')}, recorded_at=recorded_at)
    if check_mode:
        return record(note='%s; %s' % (CHECK_MODE, job.get('msg')), **fields)
    # The verdict's result is empty until the run has ended; the VM's own result counts before the whole run's.
    result = (job.get('vm_result') or job.get('result')) if job.get('result') else None
    note = None if job.get('ok') and job.get('action') in ('started', 'running') else job.get('msg')
    return record(result=result, session=session_of(outcome.get('run')), note=note, **fields)


class FilterModule:

    def filters(self):
        return {'backup_jobs_record': backup_jobs_record}
