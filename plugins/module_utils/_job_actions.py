# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guards, predictions and the action flow of ``veeamops.em.veeam_job`` (internal; may change in any release).

The flow: find the job; read its latest run (the run state: the Job entity has none); apply
``schedule_enabled`` (``toggleScheduleEnabled`` flips, so it is sent only when the state differs); then
the action, only when the run state allows it. Check mode stops before every POST and reports the
prediction. Action POSTs are sent once and never repeated; their tasks are polled (``_tasks.Waiter``),
and with ``wait`` the run they started is followed to its end.
"""

from __future__ import annotations

from ._errors import EmError, EmInputError, EmTaskError
from ._jobs import KINDS, JobsApi, is_copy_job
from ._normalize import entity_id, normalize_job, normalize_run, normalize_task_session
from ._runs import is_running, task_sessions
from ._tasks import EmWaitTimeoutError, Waiter, WithResult, normalize_task
from ._times import floor_to_second
from ._wait import WaitingFlow, validate_wait_options

PAST = {'start': 'started', 'stop': 'stopped', 'retry': 'retried', 'sync': 'synchronised'}
# Runs take as long as the backup; stopping takes seconds. See the module documentation of ``wait``.
WAIT_BY_DEFAULT = {'start': False, 'retry': False, 'sync': False, 'stop': True}
NEW_RUN_PAGE = 5
LOST_NOTE = "The action's task was lost (%s); its effect was checked through the job instead."


class EmRunFailedError(WithResult, EmTaskError):
    """The run the action started ended with ``Failed`` (or ``Warning`` with ``fail_on_warning``)."""

    kind = 'job_run'
    summary = 'The job run failed'


def validate_options(params):
    """Option checks that need no request; raises EmInputError."""
    kind = KINDS[params['job_kind']]
    action = params.get('action')
    if action and action not in kind.actions:
        raise EmInputError('action=%s is not available for job_kind=%s' % (action, kind.name),
                           hint='%s jobs support %s; sync applies to backup copy jobs (job_kind=vm) only' % (kind.label, ', '.join(kind.actions)))
    validate_wait_options(params)


def wait_wanted(params):
    """``wait`` as given, else the default of the action."""
    if params.get('wait') is not None:
        return params['wait']
    return WAIT_BY_DEFAULT.get(params.get('action'), False)


def schedule_change_needed(job, desired):
    """True when the schedule must be toggled to reach ``desired``; EmInputError when it cannot be."""
    if bool(job.get('schedule_enabled')) == bool(desired):
        return False
    if not job.get('schedule_configured'):
        raise EmInputError('Job "%s" has no schedule configured, so its schedule cannot be %s' % (job.get('name'), 'enabled' if desired else 'disabled'),
                           hint='configure a schedule for the job in the Veeam Backup & Replication console first')
    return True


def action_guard(job, latest, action):
    """None when ``action`` should be sent, else why it is not needed (changed=false). EmInputError when it cannot apply."""
    name, job_type = job.get('name'), job.get('job_type')
    if action == 'sync' and not is_copy_job(job):
        raise EmInputError('Job "%s" is a %s job; sync applies to backup copy jobs only' % (name, job_type),
                           hint='use action=start for backup and replication jobs')
    if action in ('start', 'retry') and is_copy_job(job):
        raise EmInputError('Job "%s" is a %s job; backup copy jobs are not started with %s' % (name, job_type, action),
                           hint='use action=sync to start a backup copy job')
    running = is_running(latest)
    if action == 'stop':
        return None if running else 'Job "%s" is not running; nothing to stop' % name
    if running:
        return 'Job "%s" is already running (run "%s" is %s); not %s' % (name, latest.get('name'), latest.get('state'), PAST[action])
    if action == 'retry':
        if latest is None:
            return 'Job "%s" has never run; nothing to retry' % name
        if latest.get('result') != 'Failed':
            return 'Job "%s" was not retried: its last run ended with %s, and retry only applies after a failed run' % (name, latest.get('result'))
    return None


class JobActionFlow(WaitingFlow):
    """One execution of the module over an open EmClient; ``execute()`` returns the result dict or raises an EmError."""

    def __init__(self, em, params, check_mode=False, diff_mode=False, warn=None, waiter_factory=Waiter):
        super().__init__(em, params, check_mode, warn, waiter_factory)
        self.diff_mode = diff_mode
        self.kind = KINDS[params['job_kind']]
        self.jobs = JobsApi(em, self.kind)
        self.job = self.latest = self.task = self.run = self.task_sessions = None
        self.lost = None
        self.before = self.after = None
        self.messages = []

    @property
    def name(self):
        return self.job.get('name')

    def execute(self):
        try:
            return self._execute()
        except EmError as exc:
            if isinstance(exc, EmWaitTimeoutError) and self.job:
                exc.message = 'Job "%s": %s' % (self.name, exc.message)
            if isinstance(exc, WithResult):
                exc.result = self.partial_result()
            raise

    def _execute(self):
        params = self.params
        self.job = self.jobs.find(params.get('name'), params.get('id'), params.get('uid'), params.get('backup_server'))
        self.latest = self.jobs.latest_run(self.job)
        self.before = {'schedule_enabled': bool(self.job.get('schedule_enabled')), 'running': is_running(self.latest)}
        self.after = dict(self.before)
        if params.get('schedule_enabled') is not None:
            self._apply_schedule(params['schedule_enabled'])
        if params.get('action'):
            self._apply_action(params['action'])
        return self.result()

    # --- schedule ---------------------------------------------------------------------------------

    def _apply_schedule(self, desired):
        word = 'enabled' if desired else 'disabled'
        if not schedule_change_needed(self.job, desired):
            self.messages.append('The schedule of job "%s" is already %s.' % (self.name, word))
            return
        self.after['schedule_enabled'] = bool(desired)
        if self.check_mode:
            self.changed = True
            self.messages.append('The schedule of job "%s" would be %s.' % (self.name, word))
            return
        # Finished, not OperationFinished: the next read (and the next run of the task) must see the new state.
        request = self.kind.action_path(self.job, 'toggleScheduleEnabled')
        if self._send(request, 'change the schedule of job "%s"' % self.name, accept_operation_finished=False):
            self.job = self.waiter.poll(lambda previous: self.jobs.get(self.job),
                                        lambda job: bool(job.get('schedule_enabled')) == bool(desired),
                                        lambda job: 'the schedule of job "%s" is not %s yet' % (self.name, word))
            self.messages.append('The schedule of job "%s" was %s. %s' % (self.name, word, LOST_NOTE % self.lost))
            return
        self.job = self.jobs.get(self.job)
        self.messages.append('The schedule of job "%s" was %s.' % (self.name, word))

    # --- actions ----------------------------------------------------------------------------------

    def _apply_action(self, action):
        reason = action_guard(self.job, self.latest, action)
        self.run = self.latest
        if reason:
            self.messages.append(reason + '.')
            return
        self.after['running'] = action != 'stop'
        if self.check_mode:
            self.changed = True
            self.messages.append('Job "%s" would be %s.' % (self.name, PAST[action]))
            return
        previous = self.latest
        # OperationFinished with Success=true is enough: the command is done on the backup server, and what
        # follows is read from the job's runs [tasks.md]; the sync example stops there.
        request = self.jobs.stop_path(self.job, previous) if action == 'stop' else self.kind.action_path(self.job, action)
        lost = self._send(request, '%s job "%s"' % (action, self.name), accept_operation_finished=True)
        wait = wait_wanted(self.params)
        if action == 'stop':
            if wait or lost:
                self._follow(previous)
        else:
            self.run = self._new_run(previous) if wait or lost else None
            if wait:
                self._follow(self.run)
        self.messages.append(self._action_message(action, wait, lost))
        if wait:
            self._finish_run(action)

    def _send(self, request, what, accept_operation_finished):
        """POST the action once and wait for its task; True when the task could no longer be read (effect unconfirmed)."""
        outcome = self.send_task(what, *request, accept_operation_finished=accept_operation_finished)
        self.lost = outcome.lost
        return outcome.lost is not None

    def _follow(self, run):
        self.run = run
        try:
            self.run = self.waiter.follow_run(run)
        except EmWaitTimeoutError as exc:
            self.run = exc.last or run
            raise

    def _new_run(self, previous):
        """The run this action created: newer than the one read before the POST, compared on EM's own timestamps.

        [I] Enterprise Manager collects new runs from the backup server, so it may take a few polls to appear.
        """
        since = floor_to_second(previous.get('creation_time_utc')) if previous else None
        previous_id = str(entity_id(previous)).lower() if previous else None

        def fetch(_previous):
            for run in self.jobs.runs(self.job, since, NEW_RUN_PAGE):
                if str(entity_id(run)).lower() != previous_id:
                    return run
            return None

        return self.waiter.poll(fetch, lambda run: run is not None, lambda run: 'no new run of job "%s" has appeared yet' % self.name)

    def _finish_run(self, action):
        self.task_sessions = self._read_task_sessions()
        result = self.run.get('result')
        if action == 'stop':
            return
        if result == 'Failed' or (result == 'Warning' and self.params.get('fail_on_warning')):
            raise EmRunFailedError('Job "%s" ran and ended with result %s' % (self.name, result), em_message=self._failure_text(),
                                   reason='run "%s" ended at %s' % (self.run.get('name'), self.run.get('end_time_utc')),
                                   hint=('set fail_on_warning=false to accept runs that end with warnings' if result == 'Warning'
                                         else 'see the run in the Veeam console; action=retry processes the failed objects again'))

    def _read_task_sessions(self):
        try:
            return task_sessions(self.em, self.run)
        except EmError as exc:
            self.warn('The per-VM task sessions of run "%s" could not be read: %s' % (self.run.get('name'), exc))
            return None

    def _failure_text(self):
        texts = [self.run.get('failure_message')] if self.run.get('failure_message') else []
        for item in self.task_sessions or []:
            if item.get('result') in ('Failed', 'Warning') and item.get('reason'):
                texts.append('%s: %s' % (item.get('vm_display_name') or item.get('name'), item['reason']))
        return '; '.join(texts) or None

    def _action_message(self, action, wait, lost):
        text = 'Job "%s" was %s.' % (self.name, PAST[action])
        if wait:
            text += ' Its run "%s" ended with %s after %d s.' % (self.run.get('name'), self.run.get('result'), round(self.waiter.elapsed))
        return text + (' ' + LOST_NOTE % self.lost if lost else '')

    # --- requests and results ---------------------------------------------------------------------

    def _run_result(self):
        if self.run is None:
            return None
        run = normalize_run(self.run)
        if self.task_sessions is not None:
            run['task_sessions'] = [normalize_task_session(item) for item in self.task_sessions]
        return run

    def partial_result(self):
        """What is known when something fails: fail_json gets these keys beside ``msg``."""
        return {
            'changed': self.changed,
            'job': normalize_job(self.job) if self.job else None,
            'task': normalize_task(self.task),
            'session': self._run_result(),
        }

    def result(self):
        result = self.partial_result()
        result['msg'] = ' '.join(self.messages)
        if self.diff_mode:
            result['diff'] = {'before': self.before, 'after': self.after}
        return result
