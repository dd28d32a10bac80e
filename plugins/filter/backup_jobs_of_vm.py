# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_of_vm
short_description: Find the jobs that include a VM, by the VM's name
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Looks a VM up by name among the objects that jobs include, as P(veeamops.em.veeam_job_info#module) returns them
    with O(veeamops.em.veeam_job_info#module:details=includes), and returns the jobs that include it.
  - A job matches when one of its includes is a VM (its C(object_type) is V(Vm)) whose C(name) or C(display_name)
    equals O(name) without regard to case.
  - Only VMs that a job includes directly are found. A VM that a job protects because it includes the VM's folder,
    tag, cluster, host, resource pool, datastore or vApp is not listed in the job, so this filter does not find
    that job. Two VMs with the same name cannot be told apart, so the jobs of both are returned.
  - The role P(veeamops.em.backup_before_change#role) uses this filter to find the jobs of a host by its VM name.
positional: _input, name
options:
  _input:
    description: The jobs, each with C(id), C(name), C(job_type) and C(includes).
    type: list
    elements: dict
    required: true
  name:
    description: The VM's name.
    type: str
    required: true
  job_types:
    description:
      - The job types that count, for example V([Backup]) or V([Backup, Replica]).
      - Matching jobs of other types are returned in RV(_value.other_jobs) instead of RV(_value.jobs).
      - V(null) counts every type.
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Read every job with the objects it includes
  veeamops.em.veeam_job_info:
    details: [includes]
  register: all_jobs
  delegate_to: localhost
  run_once: true

- name: Show the backup jobs that include the host's VM
  ansible.builtin.debug:
    msg: "{{ (all_jobs.jobs | veeamops.em.backup_jobs_of_vm(inventory_hostname, job_types=['Backup'])).jobs
             | map(attribute='name') }}"
"""

RETURN = r"""
_value:
  description: The jobs that include the VM and the VM's references.
  type: dict
  contains:
    jobs:
      description:
        - The matching jobs of the types in O(job_types), each once, as given, in the order of the jobs (first
          those that include the VM under its name, then those that include it under its display name).
      type: list
      elements: dict
    other_jobs:
      description: The matching jobs of other types, in the same order.
      type: list
      elements: dict
    refs:
      description: The C(hierarchy_obj_ref) of every matching include, each once.
      type: list
      elements: str
      sample: [urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042]
"""

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    FilterInputError, filter_errors, mappings, same_text, text_list, unique_by_id,
)


def _vm_includes(jobs):
    """(job, include) for every include of a job that is a VM."""
    for job in jobs:
        for include in mappings(job.get('includes'), 'the includes of job "%s"' % job.get('name')):
            if include.get('object_type') == 'Vm':
                yield job, include


def _matches(jobs, name):
    """(job, include) pairs whose include is a VM called ``name``: by name first, then by display name."""
    pairs = list(_vm_includes(jobs))
    by_name = [pair for pair in pairs if same_text(pair[1].get('name'), name)]
    by_display_name = [pair for pair in pairs if same_text(pair[1].get('display_name'), name)]
    return by_name + by_display_name


@filter_errors('backup_jobs_of_vm')
def backup_jobs_of_vm(jobs, name, job_types=None):
    """The jobs (of ``job_types``) that include a VM called ``name``, the others, and the VM's references."""
    if not isinstance(name, str):
        raise FilterInputError('name must be a string, not %s' % type(name).__name__)
    matches = _matches(mappings(jobs, 'the jobs'), name)
    found = unique_by_id([job for job, include in matches])
    types = None if job_types is None else text_list(job_types, 'job_types')
    refs = []
    for job, include in matches:
        ref = include.get('hierarchy_obj_ref')
        if ref and ref not in refs:
            refs.append(ref)
    return {
        'jobs': [job for job in found if types is None or job.get('job_type') in types],
        'other_jobs': [job for job in found if types is not None and job.get('job_type') not in types],
        'refs': refs,
    }


class FilterModule:

    def filters(self):
        return {'backup_jobs_of_vm': backup_jobs_of_vm}
