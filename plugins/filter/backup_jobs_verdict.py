# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_verdict
short_description: Judge whether the backup of a host succeeded, from the outcomes of the jobs that protect it
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Judges each job that protects a host from its outcome (see P(veeamops.em.backup_jobs_outcome#filter)), then the
    host, and says why in one message.
  - A job succeeded for the host when its outcome has no error and the VM's own result in the run (its task session,
    found by O(refs), else by O(vm_name), without regard to case) is one of O(accepted); when the run does not list
    the VM, the result of the whole run counts. In check mode a job that would be started or whose run would be
    followed counts as succeeded.
  - The host succeeded when every job that protects it succeeded (with O(require_all_jobs=false), when one did), and
    every wanted job was found (O(problems) is empty).
  - A host with neither jobs nor problems is unprotected; it fails, or with O(unprotected=skip) is skipped.
  - The role P(veeamops.em.backup_before_change#role) uses this filter to set C(backup_before_change_result).
positional: _input, runs
options:
  _input:
    description: The jobs that protect the host, as P(veeamops.em.backup_jobs_match#filter) returns them (each with C(id), C(name) and C(backup_server)).
    type: list
    elements: dict
    required: true
  runs:
    description: The outcome of every job, by job id, as P(veeamops.em.backup_jobs_outcome#filter) returns it.
    type: dict
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
    description: Jobs of the host that are not of the types in O(job_types), to explain why it is unprotected.
    type: list
    elements: dict
    default: []
  source:
    description:
      - Where the host's jobs came from, to explain why it is unprotected.
      - V(names) for jobs named for the host, V(inventory) for the host variable C(veeam_jobs), V(lookup) for a
        lookup by VM name.
    type: str
    choices: [names, inventory, lookup]
    default: names
  vm_name:
    description: The name of the host's VM, to find its task session in a run. Defaults to O(host).
    type: str
  refs:
    description: The VM's C(HierarchyObjRef) values, to find its task session in a run (they are tried before O(vm_name)).
    type: list
    elements: str
    default: []
  accepted:
    description: The results that count as a backup.
    type: list
    elements: str
    default: [Success]
  check_mode:
    description: Whether the jobs were only predicted, not started.
    type: bool
    default: false
  require_all_jobs:
    description: V(true) needs every job of the host to succeed; V(false) is content with one.
    type: bool
    default: true
  unprotected:
    description: What happens to a host that no job protects, V(fail) or V(skip) (it then counts as succeeded and is skipped).
    type: str
    choices: [fail, skip]
    default: fail
  job_types:
    description: The job types that count as protecting a host, to explain why it is unprotected.
    type: list
    elements: str
    default: [Backup]
  max_age_minutes:
    description: The maximum age of a run that made a new run unnecessary, for the message.
    type: int
    default: 0
"""

EXAMPLES = r"""
- name: Judge the host and fail it when its backup did not succeed
  ansible.builtin.assert:
    that: verdict.ok
    fail_msg: "{{ verdict.msg }}"
  vars:
    verdict: >-
      {{ host_jobs | veeamops.em.backup_jobs_verdict(outcomes, host=inventory_hostname,
                                                     refs=[veeam_hierarchy_obj_ref | default('')],
                                                     accepted=['Success', 'Warning']) }}
"""

RETURN = r"""
_value:
  description: The verdict on the host, in the form of C(backup_before_change_result).
  type: dict
  contains:
    ok:
      description: Whether the host's backup succeeded (or, for an unprotected host, whether it is skipped).
      type: bool
    skipped:
      description: Whether the host is unprotected and skipped.
      type: bool
    msg:
      description: What happened, in sentences.
      type: str
      sample: >-
        Backup of web01 succeeded. Job "Daily VM Backup" (vbr01.example.com): new run
        "Daily VM Backup@2024-05-01 10:00:00" ended with Success (this VM: Success).
    jobs:
      description: One verdict per job of the host, in the order of the jobs.
      type: list
      elements: dict
      contains:
        id:
          description: The job's id.
          type: str
        name:
          description: The job's name.
          type: str
        backup_server:
          description: The name of the job's backup server.
          type: str
        action:
          description: V(started), V(running), V(recent) or V(would_start), from the outcome.
          type: str
        session:
          description: The name of the run.
          type: str
        end_time:
          description: When the run ended (UTC).
          type: str
        result:
          description: The result of the whole run.
          type: str
        vm_result:
          description: The VM's own result in the run, or an empty string when the run does not list it.
          type: str
        ok:
          description: Whether the job's run counts as the host's backup.
          type: bool
        msg:
          description: One sentence about the job.
          type: str
"""

import re

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    POLICIES, SKIPPED, SOURCES, FilterInputError, accepted_results, backup_state, choice, dig, filter_errors, flag, label, mapping, mappings,
    number, text_list, vm_task_of, why_unprotected,
)


class Host:
    """The host being judged and the rules it is judged by."""

    def __init__(self, name, vm_name, refs, accepted, check_mode, max_age_minutes):
        self.name = name
        self.vm_name = vm_name
        self.refs = refs
        self.accepted = accepted
        self.check_mode = check_mode
        self.max_age_minutes = max_age_minutes


def vm_task(tasks, host):
    """The VM's own task session in a run: by reference first, then by name; {} when the run does not list it."""
    return vm_task_of(tasks, host.refs, host.vm_name)


def _what(outcome, vm_result, host):
    """What happened to the job, as the end of a sentence; an error says why it failed, whatever the action."""
    action = outcome['action']
    if outcome['error'] != '':
        return 'failed: %s' % outcome['error']
    if action == 'would_start':
        return 'would be started'
    if host.check_mode and action == 'running':
        return 'is running; its run "%s" would be followed' % outcome['session']
    if action == 'recent':
        return 'was not started: its run "%s" ended with %s at %s, less than %s minutes ago' % (
            outcome['session'], outcome['result'], outcome['end_time'], host.max_age_minutes)
    return '%s run "%s"%s ended with %s%s' % (
        'new' if action == 'started' else 'the', outcome['session'],
        ', which was already running,' if action == 'running' else '', outcome['result'],
        ' (this VM: %s)' % vm_result if vm_result else '')


def job_verdict(job, outcome, host):
    """The verdict on one job of the host."""
    task = vm_task(mappings(outcome.get('task_sessions'), 'the task_sessions of job "%s"' % job.get('name')), host)
    vm_result = task.get('result') or ''
    judged = vm_result or outcome.get('result')
    predicted = host.check_mode and outcome['action'] in ('would_start', 'running')
    return {
        'id': job.get('id'),
        'name': job.get('name'),
        'backup_server': dig(job, 'backup_server', 'name'),
        'action': outcome['action'],
        'session': outcome['session'],
        'end_time': outcome['end_time'],
        'result': outcome['result'],
        'vm_result': vm_result,
        'ok': outcome['error'] == '' and (predicted or judged in host.accepted),
        'msg': '%s: %s.' % (label(job), re.sub(r'\.$', '', _what(outcome, vm_result, host).strip())),
    }


def _outcome(job, runs):
    outcome = mapping(runs.get(job.get('id')), 'the outcome of job "%s"' % job.get('name'))
    missing = [key for key in ('action', 'session', 'end_time', 'result', 'error') if key not in outcome]
    if missing:
        raise FilterInputError('runs has no outcome (%s) for job "%s" (id %s)' % (', '.join(missing), job.get('name'), job.get('id')))
    return outcome


def _all_good(verdicts, problems, require_all_jobs):
    good = len([verdict for verdict in verdicts if verdict['ok']])
    return not problems and (good == len(verdicts) if require_all_jobs else good > 0)


def _protected_message(host, ok, problems, verdicts):
    state = backup_state(ok, host.check_mode)
    sentences = ['%s.' % problem for problem in problems] + [verdict['msg'] for verdict in verdicts]
    return ('Backup of %s %s. ' % (host.name, state) + ' '.join(sentences)).strip()


@filter_errors('backup_jobs_verdict')
def backup_jobs_verdict(jobs, runs, host, problems=None, other_jobs=None, source='names', vm_name=None, refs=None,
                        accepted=None, check_mode=False, require_all_jobs=True, unprotected='fail', job_types=None,
                        max_age_minutes=0):
    """{'ok', 'skipped', 'msg', 'jobs'}: the verdict on a host."""
    jobs = mappings(jobs, 'the jobs')
    problems = text_list(problems, 'problems')
    runs = mapping(runs, 'runs')
    policy = choice(unprotected, 'unprotected', POLICIES)
    judge = Host(host, host if vm_name is None else vm_name, text_list(refs, 'refs'), accepted_results(accepted),
                 flag(check_mode, 'check_mode'), number(max_age_minutes, 'max_age_minutes'))
    verdicts = [job_verdict(job, _outcome(job, runs), judge) for job in jobs]
    if not jobs and not problems:
        why = why_unprotected(choice(source, 'source', SOURCES), mappings(other_jobs, 'other_jobs'),
                              text_list(['Backup'] if job_types is None else job_types, 'job_types'), judge.vm_name)
        return {'ok': policy == 'skip', 'skipped': policy == 'skip',
                'msg': ('No job protects %s: %s.%s' % (host, why, SKIPPED if policy == 'skip' else '')).strip(),
                'jobs': []}
    ok = _all_good(verdicts, problems, flag(require_all_jobs, 'require_all_jobs'))
    return {'ok': ok, 'skipped': False, 'msg': _protected_message(judge, ok, problems, verdicts), 'jobs': verdicts}


class FilterModule:

    def filters(self):
        return {'backup_jobs_verdict': backup_jobs_verdict}
