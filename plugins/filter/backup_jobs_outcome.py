# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_jobs_outcome
short_description: Assemble the outcome of each planned job from its start, its followed run or its prediction
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Takes the jobs planned by P(veeamops.em.backup_jobs_plan#filter) and what became of them, and returns the
    outcome of each job, by job id.
  - A job planned V(start) is V(started), and its run is the C(session) of its start (or V(would_start) in check
    mode, where nothing is started). A job in O(follow) is V(running), and its run is its latest run in
    O(followed). A job planned V(recent) keeps the latest run it was planned from; so does every job in check mode.
  - The outcome's C(result) is the run's result once the run has ended (its C(state) is V(Stopped)).
  - The outcome's C(error) says why there is no ended run to judge; it is empty when there is one, and in check mode
    unless the prediction failed.
  - The role P(veeamops.em.backup_before_change#role) uses this filter to set C(backup_before_change_runs).
positional: _input
options:
  _input:
    description: The planned jobs, each with C(id), C(name), C(backup_server), C(plan) and C(last_session).
    type: list
    elements: dict
    required: true
  started:
    description:
      - The results of following the starts, as registered by C(ansible.builtin.async_status) in a loop over the
        results of P(veeamops.em.veeam_job#module) started with C(async) in a loop over the planned jobs (the
        planned job of each result is its C(item.item)).
      - A result's C(session) is the job's run; its C(msg) is the error when that run did not end.
    type: list
    elements: dict
    default: []
  predicted:
    description:
      - In check mode, the results of P(veeamops.em.veeam_job#module) with O(veeamops.em.veeam_job#module:action=start)
        registered in a loop over the jobs planned V(start) (the planned job of each result is its C(item)). A failed
        prediction makes its C(msg) the job's error.
    type: list
    elements: dict
    default: []
  follow:
    description: The jobs whose runs were followed instead of started, as P(veeamops.em.backup_jobs_to_follow#filter) returns them.
    type: list
    elements: dict
    default: []
  followed:
    description:
      - The registered result of reading the followed jobs again with P(veeamops.em.veeam_job_info#module) and
        O(veeamops.em.veeam_job_info#module:details=last_session) until their runs ended (its C(jobs), and its C(msg)
        when that failed).
    type: dict
    default: {}
  check_mode:
    description: Whether the jobs were only predicted, not started.
    type: bool
    default: false
  wait_timeout:
    description: The seconds the runs were waited for, for the message about a run that did not end in time.
    type: int
    default: 14400
"""

EXAMPLES = r"""
- name: Collect the outcome of every job
  ansible.builtin.set_fact:
    outcomes: >-
      {{ plan | veeamops.em.backup_jobs_outcome(started=finished.results | default([]), follow=follow,
                                                followed=followed, wait_timeout=3600) }}

- name: Show the jobs whose run did not end in success
  ansible.builtin.debug:
    msg: "{{ outcomes.values() | rejectattr('result', 'equalto', 'Success') | map(attribute='name') }}"
"""

RETURN = r"""
_value:
  description: The outcome of every planned job, by job id.
  type: dict
  contains:
    id:
      description: The job's id.
      type: str
    name:
      description: The job's name.
      type: str
      sample: Daily VM Backup
    backup_server:
      description: The name of the job's backup server.
      type: str
      sample: vbr01.example.com
    action:
      description: V(started), V(running) (followed), V(recent) (not started) or V(would_start) (check mode).
      type: str
      sample: started
    session:
      description: The name of the run, or an empty string when there is none.
      type: str
      sample: Daily VM Backup@2024-05-01 10:00:00
    end_time:
      description: When the run ended (UTC), or an empty string.
      type: str
      sample: '2024-05-01T10:12:41Z'
    result:
      description: The run's result (V(Success), V(Warning) or V(Failed)) once it has ended, else an empty string.
      type: str
      sample: Success
    task_sessions:
      description: The run's task sessions (one per VM), when the start waited for the run; else empty.
      type: list
      elements: dict
    run:
      description:
        - The run the outcome is about (C(id), C(uid), C(name), C(state), C(result), C(creation_time), C(end_time)), as
          the modules return it; V(null) when there is none.
        - In check mode, and for a job planned V(recent), the latest run the job was planned from.
      type: dict
      sample:
        id: 9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
        uid: urn:veeam:BackupJobSession:9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
        name: Daily VM Backup@2024-05-01 10:00:00
        state: Stopped
        result: Success
        creation_time: '2024-05-01T10:00:02.310Z'
        end_time: '2024-05-01T10:12:41.872Z'
    error:
      description: Why there is no ended run to judge, or an empty string.
      type: str
      sample: Its run "Daily VM Backup@2024-05-01 10:00:00" was still Working after 3600 s (backup_before_change_wait_timeout)
"""

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    dig, filter_errors, flag, index_by_id, mapping, mappings, number,
)

STILL_RUNNING = 'Its run "%s" was still %s after %s s (backup_before_change_wait_timeout)'
NO_RUN = 'no run of the job was found'
RUN_KEYS = ('id', 'uid', 'name', 'state', 'result', 'creation_time', 'end_time')


class Known:
    """What became of the planned jobs: their starts, predictions and followed runs, by job id."""

    def __init__(self, started, predicted, follow, followed, check_mode, wait_timeout):
        self.runs = index_by_id(started, lambda result: dig(result, 'item', 'item', 'id'))
        self.predictions = index_by_id(predicted, lambda result: dig(result, 'item', 'id'))
        self.followed_ids = {job.get('id') for job in follow}
        self.latest = index_by_id(mappings(followed.get('jobs'), 'the jobs of followed'), lambda job: job.get('id'))
        self.follow_message = followed.get('msg')
        self.check_mode = check_mode
        self.wait_timeout = wait_timeout


def _action(job, followed, check_mode):
    if check_mode and job.get('plan') == 'start':
        return 'would_start'
    if followed:
        return 'running'
    return 'started' if job.get('plan') == 'start' else job.get('plan')


def _session(job, run, latest, followed, check_mode):
    """The run the outcome is about: the planned one, the followed one, or the started one ({} when none)."""
    if job.get('plan') == 'recent' or check_mode:
        return job.get('last_session') or {}
    if followed:
        return dig(latest, 'last_session') or {}
    return dig(run, 'session') or {}


def _error(known, prediction, run, session, followed):
    """Why there is no ended run to judge ('' when there is one, or in check mode unless the prediction failed)."""
    if boolean(prediction.get('failed'), strict=False):
        return prediction.get('msg', '')
    if known.check_mode or session.get('state') == 'Stopped':
        return ''
    if 'msg' in run and not followed:
        return run['msg']
    if 'state' in session:
        return STILL_RUNNING % (session.get('name'), session.get('state'), known.wait_timeout)
    return (known.follow_message if followed else None) or NO_RUN


def outcome_of(job, known):
    """The outcome of one planned job."""
    followed = job.get('id') in known.followed_ids
    run = known.runs.get(job.get('id'), {})
    session = mapping(_session(job, run, known.latest.get(job.get('id')), followed, known.check_mode),
                      'the run of job "%s"' % job.get('name'))
    ended = session.get('state') == 'Stopped'
    return {
        'id': job.get('id'),
        'name': job.get('name'),
        'backup_server': dig(job, 'backup_server', 'name'),
        'action': _action(job, followed, known.check_mode),
        'session': session.get('name', ''),
        'end_time': session.get('end_time') or '',
        'result': (session.get('result') or '') if ended else '',
        'task_sessions': session.get('task_sessions') or [],
        'run': {key: session.get(key) for key in RUN_KEYS} if session else None,
        'error': str(_error(known, known.predictions.get(job.get('id'), {}), run, session, followed)).strip(),
    }


@filter_errors('backup_jobs_outcome')
def backup_jobs_outcome(plan, started=None, predicted=None, follow=None, followed=None, check_mode=False, wait_timeout=14400):
    """{job id: outcome} for every planned job."""
    known = Known(mappings(started, 'started'), mappings(predicted, 'predicted'), mappings(follow, 'follow'),
                  mapping(followed, 'followed'), flag(check_mode, 'check_mode'), number(wait_timeout, 'wait_timeout'))
    return {job.get('id'): outcome_of(job, known) for job in mappings(plan, 'the planned jobs')}


class FilterModule:

    def filters(self):
        return {'backup_jobs_outcome': backup_jobs_outcome}
