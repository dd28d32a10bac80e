# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_to_follow
short_description: Find the runs to follow without starting their jobs
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Takes the jobs planned by P(veeamops.em.backup_jobs_plan#filter) and the results of starting the jobs planned
    V(start), and returns the jobs whose run is to be followed rather than started.
  - A job is followed when it is planned V(running), or when its start found a run already going on
    (P(veeamops.em.veeam_job#module) answered C(changed=false) with a running C(session)).
  - With O(latest), only the jobs whose latest run is still going on in O(latest) remain, so that the list is
    empty once every followed run has ended.
  - The role P(veeamops.em.backup_before_change#role) uses this filter to wait for the runs that were already going
    on.
positional: _input, started
options:
  _input:
    description: The planned jobs, each with C(id) and C(plan).
    type: list
    elements: dict
    required: true
  started:
    description:
      - The results of following the starts, as registered by C(ansible.builtin.async_status) in a loop over the
        results of P(veeamops.em.veeam_job#module) started with C(async) in a loop over the planned jobs (the
        planned job of each result is its C(item.item)).
    type: list
    elements: dict
    default: []
  latest:
    description:
      - The followed jobs as read again by P(veeamops.em.veeam_job_info#module) with
        O(veeamops.em.veeam_job_info#module:details=last_session).
      - When given, a job remains only when it is in this list with a C(last_session) that is still running.
    type: list
    elements: dict
"""

EXAMPLES = r"""
- name: Wait until the runs that were already going on have ended
  veeamops.em.veeam_job_info:
    name: "{{ plan | veeamops.em.backup_jobs_to_follow(finished.results) | map(attribute='name') | unique }}"
    details: [last_session]
  register: followed
  until: plan | veeamops.em.backup_jobs_to_follow(finished.results, latest=followed.jobs) | length == 0
  retries: 240
  delay: 15
  delegate_to: localhost
"""

RETURN = r"""
_value:
  description: The planned jobs to follow, as given, first those planned V(running), then those found running when started.
  type: list
  elements: dict
"""

from collections.abc import Mapping

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    dig, filter_errors, index_by_id, mappings,
)


def found_running(result):
    """Whether a start answered that a run was already going on: nothing changed, and the session runs."""
    return result.get('changed') is False and dig(result, 'session', 'running') is True


def to_follow(plan, started):
    """The planned jobs to follow: planned running, then those whose start found a run going on."""
    running = [job for job in plan if job.get('plan') == 'running']
    found = [dig(result, 'item', 'item') for result in started if found_running(result)]
    return running + [job for job in found if isinstance(job, Mapping)]


def still_running(jobs, latest):
    """The jobs whose latest run in ``latest`` is still going on."""
    current = index_by_id(latest, lambda job: job.get('id'))
    return [job for job in jobs if dig(current.get(job.get('id')), 'last_session', 'running')]


@filter_errors('backup_jobs_to_follow')
def backup_jobs_to_follow(plan, started=None, latest=None):
    """The planned jobs whose runs are followed (and, with ``latest``, are still going on)."""
    jobs = to_follow(mappings(plan, 'the planned jobs'), mappings(started, 'started'))
    if latest is None:
        return jobs
    return still_running(jobs, mappings(latest, 'latest'))


class FilterModule:

    def filters(self):
        return {'backup_jobs_to_follow': backup_jobs_to_follow}
