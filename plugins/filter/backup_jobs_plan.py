# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_plan
short_description: Decide for each job whether it needs a new run before a change
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Plans each job from its latest run, as P(veeamops.em.veeam_job_info#module) returns it with
    O(veeamops.em.veeam_job_info#module:details=last_session).
  - V(running) when the latest run is still going on (it is followed, not started again).
  - V(recent) when O(max_age_minutes) is above V(0) and the latest run ended with one of O(accepted) less than
    O(max_age_minutes) minutes before O(now) (no new run is needed).
  - V(start) otherwise.
  - Each job is planned once; a job that is in the list several times (for example because it protects several
    hosts) is kept at its first place.
  - The role P(veeamops.em.backup_before_change#role) uses this filter to plan the jobs of the play.
positional: _input
options:
  _input:
    description: The jobs, each with C(id) and C(last_session) (V(null) for a job that never ran).
    type: list
    elements: dict
    required: true
  max_age_minutes:
    description:
      - How old, in minutes, a successful latest run may be to count as the backup.
      - V(0) plans V(start) for every job that is not running.
    type: int
    default: 0
  accepted:
    description: The results of a run that count as a backup, for example V([Success, Warning]).
    type: list
    elements: str
    default: [Success]
  now:
    description:
      - The current time in UTC, as Ansible's C(now(utc=true)) gives it, or as an ISO 8601 string (a time with an
        offset is converted to UTC).
      - Defaults to the clock of the controller.
    type: raw
notes:
  - The age of a run is counted from its C(end_time), read to the second as UTC (Enterprise Manager's
    C(EndTimeUTC)). A run whose end time is missing or unreadable has an unknown age, so it is never V(recent).
"""

EXAMPLES = r"""
- name: Read the jobs with their latest runs
  veeamops.em.veeam_job_info:
    name: [Daily VM Backup, SQL Replica]
    details: [last_session]
  register: known
  delegate_to: localhost

- name: Show which jobs a run of the last two hours (Success or Warning) makes unnecessary
  ansible.builtin.debug:
    msg: "{{ known.jobs | veeamops.em.backup_jobs_plan(max_age_minutes=120, accepted=['Success', 'Warning'], now=now(utc=true))
             | selectattr('plan', 'equalto', 'recent') | map(attribute='name') }}"
"""

RETURN = r"""
_value:
  description: The jobs, each once, as given, with the key C(plan) added.
  type: list
  elements: dict
  contains:
    plan:
      description: V(start), V(running) or V(recent).
      type: str
      sample: start
"""

import datetime

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    accepted_results, filter_errors, mapping, mappings, number, unique_by_id, utc_now,
)

TIME_FORMAT = '%Y-%m-%dT%H:%M:%S'


def ended_at(session):
    """When the run ended (naive UTC, to the second), or None when its end time is missing or unreadable."""
    text = session.get('end_time')
    if not isinstance(text, str) or len(text) < 19:
        return None
    try:
        return datetime.datetime.strptime(text[:19], TIME_FORMAT)
    except ValueError:
        return None


def plan_of(session, max_age_minutes, accepted, now):
    """start, running or recent, for a job whose latest run is ``session`` ({} when it never ran)."""
    if boolean(session.get('running'), strict=False):
        return 'running'
    ended = ended_at(session)
    fresh = ended is not None and (now - ended).total_seconds() / 60 < max_age_minutes
    if max_age_minutes > 0 and session.get('result') in accepted and fresh:
        return 'recent'
    return 'start'


@filter_errors('backup_jobs_plan')
def backup_jobs_plan(jobs, max_age_minutes=0, accepted=None, now=None):
    """The jobs, each once, with ``plan`` set to start, running or recent."""
    max_age = number(max_age_minutes, 'max_age_minutes')
    results = accepted_results(accepted)
    moment = utc_now(now)
    planned = []
    for job in unique_by_id(mappings(jobs, 'the jobs')):
        session = mapping(job.get('last_session') or None, 'the last_session of job "%s"' % job.get('name'))
        planned.append(dict(job, plan=plan_of(session, max_age, results, moment)))
    return planned


class FilterModule:

    def filters(self):
        return {'backup_jobs_plan': backup_jobs_plan}
