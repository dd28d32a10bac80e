# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Asynchronous operations: each answers with a task whose outcome says what happened.

Errors of the operation itself are not HTTP errors: the request is accepted (``202``) and the task
ends with ``Result Success="false"`` and a message [I: errors.md]. The documented messages are used
where they exist [D: post_jobs_id_action*, post_backupsessions_id_stop]; the failure messages are
the simulator's wording [I], chosen to say what went wrong and what to do instead.

Wrong-state rules (README "Wrong-state actions"):

* start of a running job, or of a backup copy job (those start with ``sync`` [D: post_jobs_id_actionstart]) → failure;
* stop of an idle job → success, nothing happens [I: jobs.md "Simulator suggestion"];
* retry unless the last run ``Failed`` [D: post_jobs_id_actionretry], or while running → failure;
* sync of a job that is not a backup copy job, or of a running one → failure;
* toggleScheduleEnabled of a job without a configured schedule → failure [I];
* stop of a session that is not running → failure [I: sessions.md "Simulator notes"];
* delete of a running job → failure [I]; objects in jobs: membership.py.
"""

from __future__ import annotations

from .edit import apply_edit, clone_job, edit_problem
from .model import AGENT, COPY_JOB_TYPES, NAS, VM
from .tasks import done, failed
from .values import session_time_suffix

OPERATIONS = {
    VM: {'start': 'StartJob', 'stop': 'StopJob', 'retry': 'RetryJob', 'sync': 'StartJobSync', 'clone': 'CloneJob',
         'toggleScheduleEnabled': 'UpdateJob', 'edit': 'EditJob', 'delete': 'DeleteJob'},
    AGENT: {'start': 'StartJob', 'stop': 'StopAgentJob', 'retry': 'RetryAgentJob', 'toggleScheduleEnabled': 'UpdateJob'},
    NAS: {'start': 'StartNasJob', 'stop': 'StopNasJob', 'retry': 'RetryNasJob', 'toggleScheduleEnabled': 'UpdateJob'},
}
COUNTER = {'start': 'start', 'stop': 'stop', 'retry': 'retry', 'sync': 'sync', 'clone': 'clone',
           'toggleScheduleEnabled': 'toggle', 'edit': 'edit', 'delete': 'delete'}


def _rejected(message):
    return lambda when: failed(message)


class Actions:
    def __init__(self, sim):
        self.sim = sim

    @property
    def estate(self):
        return self.sim.estate

    def job_action(self, logon, job, action: str, now, body=None):
        """Accept ``action`` on ``job`` (an ``OPERATIONS`` key valid for its kind); returns the task."""
        job.counts[COUNTER[action]] += 1
        handler = getattr(self, '_' + ('toggle' if action == 'toggleScheduleEnabled' else action))
        effect = handler(job, now, body)
        return self.sim.tasks.create(logon, OPERATIONS[job.kind][action], now, effect)

    def reject(self, logon, job, action: str, now, message: str):
        """Accept ``action`` and fail its task with ``message`` (a request that parses but cannot apply)."""
        job.counts[COUNTER[action]] += 1
        return self.sim.tasks.create(logon, OPERATIONS[job.kind][action], now, _rejected(message))

    # ------------------------------------------------------------------ runs

    def _alive(self, job) -> bool:
        return self.estate.job(job.id) is job

    def _run_effect(self, job, message, is_retry=False, trigger='start'):
        job.pending_runs += 1

        def effect(when):
            job.pending_runs -= 1
            if not self._alive(job):
                return failed(f'Job "{job.name}" no longer exists.')
            self.sim.runs.start(job, when, is_retry=is_retry, trigger=trigger)
            return done(message)
        return effect

    def _start(self, job, now, body):
        if job.kind == VM and job.job_type in COPY_JOB_TYPES:
            return _rejected(f'Job "{job.name}" is a backup copy job: start it with the sync action.')
        if job.busy:
            return _rejected(f'Job "{job.name}" is already running.')
        return self._run_effect(job, f'Job "{job.name}" triggered to start.')

    def _stop(self, job, now, body):
        def effect(when):
            session = job.running_session()
            if session is not None:
                self.sim.runs.stop(session, when)
            return done(f'Job "{job.name}" triggered to stop.')
        return effect

    def _retry(self, job, now, body):
        if job.kind == VM and job.job_type in COPY_JOB_TYPES:
            return _rejected(f'Job "{job.name}" cannot be retried: backup copy jobs are started with the sync action.')
        if job.busy:
            return _rejected(f'Job "{job.name}" cannot be retried: the job is running.')
        last = job.last_finished_session()
        if last is None or last.result != 'Failed':
            return _rejected(f'Job "{job.name}" cannot be retried: the last job session did not fail.')
        return self._run_effect(job, f'Job "{job.name}" triggered to retry.', is_retry=True, trigger='retry')

    def _sync(self, job, now, body):
        if job.job_type not in COPY_JOB_TYPES:
            return _rejected(f'Job "{job.name}" is not a backup copy job: sync applies to backup copy jobs only.')
        if job.busy:
            return _rejected(f'Job "{job.name}" is already running.')
        return self._run_effect(job, f'Job "{job.name}" triggered to sync.', trigger='sync')

    # ------------------------------------------------------------------ settings

    def _toggle(self, job, now, body):
        if not job.schedule_configured:
            return _rejected(f'Job "{job.name}" has no schedule configured: configure a schedule before enabling it.')

        def effect(when):
            job.schedule_enabled = not job.schedule_enabled
            if job.schedule_enabled:
                self.sim.scheduler.enabled(job, when)
            job.touch()
            self.estate.changed('jobs')
            return done()
        return effect

    def _edit(self, job, now, body):
        def effect(when):
            if not self._alive(job):
                return failed(f'Job "{job.name}" no longer exists.')
            problem = edit_problem(job, body, self.estate)
            if problem:
                return failed(problem)
            apply_edit(job, body, self.estate, self.sim.scheduler, when)
            return done()
        return effect

    def _clone(self, job, now, spec):
        name = (spec.get('JobName') or '').strip()
        if not name:
            return _rejected('The JobName of the clone is required.')
        if len(name) > 50:
            return _rejected(f'The JobName "{name}" is longer than 50 characters.')
        for other in self.estate.jobs.values():
            if other.server is job.server and other.name.lower() == name.lower():
                return _rejected(f'Job with name "{name}" already exists on backup server "{job.server.name}".')
        catalog = self.estate.catalog
        storage = {key: value for key, value in catalog.storage.get(job.id.lower(), {}).items() if key != 'backup_id'}
        if spec.get('RepositoryUid'):  # where the clone writes its backup [D: post_jobs_id_actionclone]
            storage['repository'] = catalog.repository_named(str(spec['RepositoryUid']), job.server)
            if storage['repository'] is None:
                return _rejected(f'Repository "{spec["RepositoryUid"]}" is not a repository of backup server "{job.server.name}".')

        def effect(when):
            clone = clone_job(job, dict(spec, JobName=name), self.estate)
            catalog.storage[clone.id.lower()] = storage
            self.sim.scheduler.arm(clone)
            return done('Ok', ('Job', clone))
        return effect

    def _delete(self, job, now, body):
        if job.busy:
            return _rejected(f'Job "{job.name}" cannot be deleted while it is running.')

        def effect(when):
            if self._alive(job):
                self.estate.remove_job(job)
            return done()
        return effect

    # ------------------------------------------------------------------ session stop

    def stop_session(self, logon, session, now, profile):
        name = f'{session.job.name}@{session_time_suffix(session.created, profile)}'
        if session.state in ('Stopped', 'Stopping'):
            effect = _rejected(f'Job Session "{name}" cannot be stopped: it is not running (State {session.state}).')
        else:
            def effect(when):
                self.sim.runs.stop(session, when)
                return done(f'Job Session "{name}" triggered to stop.')
        return self.sim.tasks.create(logon, 'StopJobSession', now, effect)
