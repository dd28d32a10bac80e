# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_match
short_description: Match the jobs wanted for a host with the jobs Enterprise Manager lists
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Finds each wanted job among the jobs that P(veeamops.em.veeam_job_info#module) returned, and says why when a
    wanted job cannot be found exactly once.
  - An entry with C(id) (as the host variable C(veeam_jobs) of the P(veeamops.em.veeam_em#inventory) inventory
    plugin has them) matches the job with that id.
  - An entry with C(backup_server) matches the job with that C(name) on that backup server (the server's name
    compared without regard to case).
  - Any other entry matches the jobs with that C(name); several jobs of that name (on different backup servers)
    are ambiguous.
  - Job names are compared exactly, as Enterprise Manager lists them.
  - The role P(veeamops.em.backup_before_change#role) uses this filter to find the jobs of each host.
positional: _input, known
options:
  _input:
    description:
      - The wanted jobs. Each is a job name, or a dictionary with C(name) and either C(id) or C(backup_server) (the
        backup server's name, or a dictionary with its C(name)).
    type: list
    elements: raw
    required: true
  known:
    description: The jobs as P(veeamops.em.veeam_job_info#module) returns them (RV(veeamops.em.veeam_job_info#module:jobs)).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Read the jobs
  veeamops.em.veeam_job_info:
    name: [Daily VM Backup, Nightly Backup]
  register: known
  delegate_to: localhost

- name: Match the wanted jobs; stop when one is unknown or ambiguous
  ansible.builtin.assert:
    that: matched.problems == []
    fail_msg: "{{ matched.problems | join('; ') }}"
  vars:
    matched: "{{ ['Daily VM Backup', {'name': 'Nightly Backup', 'backup_server': 'vbr02.example.com'}]
                 | veeamops.em.backup_jobs_match(known.jobs) }}"
"""

RETURN = r"""
_value:
  description: The matched jobs and what could not be matched.
  type: dict
  contains:
    jobs:
      description: The jobs of O(known) that matched an entry exactly once, each once, in the order of the entries.
      type: list
      elements: dict
    problems:
      description:
        - One sentence (without a final full stop) per entry that matched no job or several jobs, in the order of
          the entries.
      type: list
      elements: str
      sample:
        - No job named "Daily Backup" in Enterprise Manager
        - Several jobs are named "Nightly Backup" (on vbr01.example.com, vbr02.example.com); add backup_server to this
          entry of backup_before_change_jobs
"""

from collections.abc import Mapping

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    filter_errors, items, mappings, same_text, server_name, unique_by_id,
)

STALE = ('Job "%s"%s protects this host according to the inventory variable veeam_jobs, but Enterprise Manager does not '
         'list it (any more); refresh the inventory (for example ansible-inventory --flush-cache)')
MISSING = 'No job named "%s"%s in Enterprise Manager'
AMBIGUOUS = 'Several jobs are named "%s" (on %s); add backup_server to this entry of backup_before_change_jobs'


def _entry(value):
    """A wanted job as a dictionary: a plain value is a job name."""
    return value if isinstance(value, Mapping) else {'name': str(value)}


def _candidates(entry, known, server):
    """The known jobs that the entry names."""
    if 'id' in entry:
        return [job for job in known if job.get('id') == entry['id']]
    name = str(entry.get('name', ''))
    named = [job for job in known if job.get('name') == name]
    if server:
        return [job for job in named if same_text(server_name(job.get('backup_server')), server)]
    return named


def _problem(entry, found, server):
    """Why the entry did not match exactly one job."""
    where = ' on backup server %s' % server if server else ''
    if 'id' in entry:
        return STALE % (entry.get('name'), where)
    if not found:
        return MISSING % (entry['name'] if 'name' in entry else entry, where)
    return AMBIGUOUS % (entry.get('name'), ', '.join(server_name(job.get('backup_server')) for job in found))


@filter_errors('backup_jobs_match')
def backup_jobs_match(wanted, known):
    """{'jobs': the known jobs that match an entry exactly once, 'problems': why the other entries did not match}."""
    known = mappings(known, 'known')
    jobs = []
    problems = []
    for entry in (_entry(value) for value in items(wanted, 'the wanted jobs')):
        server = server_name(entry.get('backup_server'))
        found = _candidates(entry, known, server)
        if len(found) == 1:
            jobs.extend(found)
        else:
            problems.append(_problem(entry, found, server))
    return {'jobs': unique_by_id(jobs), 'problems': problems}


class FilterModule:

    def filters(self):
        return {'backup_jobs_match': backup_jobs_match}
