# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Wait for Enterprise Manager tasks and runs (internal; may change in any release).

Every asynchronous call answers ``202`` with a ``Task`` that moves ``Running`` -> ``OperationFinished``
(done on the backup server) -> ``Finished`` (stored in Enterprise Manager's database). A finished task
of a job action only means "triggered"; the run itself (a job session) ends in ``State=Stopped``.

``Waiter`` polls both with an adaptive interval (from ``interval`` growing by half up to
``max_interval``) and one deadline for everything it waits for; it never sleeps past the deadline.
Clock and sleep are injectable (``clock=``, ``sleep=``); without them the module-level ``monotonic()``
and ``pause()`` are used, which tests replace.

Tasks belong to the logon session that created them: after a re-logon (idle expiry) the old task is
unknown to Enterprise Manager, and a task can also vanish while it is polled (Enterprise Manager then
answers 500 ``There is no backup task with id [task-N] in current rest session`` [O: mph; tasks.md]).
``wait_task`` raises ``EmTaskLostError`` in both cases, so that the caller checks the effect through the
job's runs or entity instead.
"""

from __future__ import annotations

import time

from ._errors import EmHttpError, EmTaskError, EmTimeoutError
from ._runs import STOPPED, get_run
from ._shapes import TASK
from ._urls import api_path, link_id

RUNNING = 'Running'
OPERATION_FINISHED = 'OperationFinished'
FINISHED = 'Finished'
DEFAULT_WAIT_TIMEOUT = 3600
DEFAULT_POLL_INTERVAL = 2.0
DEFAULT_POLL_MAX_INTERVAL = 30.0
BACKOFF_FACTOR = 1.5
_FETCH_FIRST = object()


def monotonic():
    """The waiter's default clock in seconds (tests replace this function, or pass ``clock=``)."""
    return time.monotonic()


def pause(seconds):
    """The waiter's default sleep (tests replace this function, or pass ``sleep=``)."""
    time.sleep(seconds)


class WithResult:
    """Mixin for errors that carry the partial module result (job, task, run, changed) into ``fail_json``."""

    result = None

    def details(self):
        details = super().details()  # pylint: disable=no-member
        details.update(self.result or {})
        return details


class EmTaskFailedError(WithResult, EmTaskError):
    """A task finished with ``Result Success="false"``; ``em_message`` is Enterprise Manager's message, ``task`` the task."""

    task = None


class EmTaskLostError(EmTaskError):
    """The task can no longer be read: the logon session that created it expired, or Enterprise Manager dropped it."""

    kind = 'task_lost'
    summary = 'The task can no longer be read'


class EmWaitTimeoutError(WithResult, EmTimeoutError):
    """``wait_timeout`` ran out; the message says what was still pending and for how long it was waited."""

    kind = 'wait_timeout'
    summary = 'Timed out'
    last = None  # the last value polled (task or run entity)
    default_hint = 'raise wait_timeout, or set wait=false and look at the run later with veeamops.em.veeam_job_info (details=last_session)'


def normalize_task(task):
    """The stable summary of a Task entity (None for None)."""
    if not task:
        return None
    result = task.get('result') or {}
    return {
        'id': task.get('task_id'),
        'operation': task.get('operation'),
        'state': task.get('state'),
        'success': result.get('success'),
        'message': result.get('message'),
        'href': task.get('href'),
    }


def task_done(task, accept_operation_finished):
    """Whether polling can stop: ``Finished``, or ``OperationFinished`` when the caller accepts it."""
    state = (task or {}).get('state')
    return state == FINISHED or (accept_operation_finished and state == OPERATION_FINISHED)


def task_succeeded(task):
    return bool(((task or {}).get('result') or {}).get('success'))


def describe_task(task):
    task = task or {}
    return 'task %s (%s) is %s' % (task.get('task_id'), task.get('operation'), task.get('state'))


def describe_run(run):
    if not run:
        return 'no run yet'
    return 'run "%s" is %s at %s%%' % (run.get('name'), run.get('state'), run.get('progress'))


class Backoff:
    """Intervals that start at ``floor`` and grow by ``factor`` up to ``ceiling``."""

    def __init__(self, floor, ceiling, factor=BACKOFF_FACTOR):
        self.floor = float(floor)
        self.ceiling = max(float(ceiling), self.floor)
        self.factor = factor
        self.current = self.floor

    def next(self):
        value = self.current
        self.current = min(self.ceiling, self.current * self.factor)
        return value


class Waiter:
    """Poll Enterprise Manager until something is done, within one deadline counted from construction."""

    def __init__(self, em, timeout=DEFAULT_WAIT_TIMEOUT, interval=DEFAULT_POLL_INTERVAL, max_interval=DEFAULT_POLL_MAX_INTERVAL,
                 clock=None, sleep=None):
        self.em = em
        self.timeout = float(timeout)
        self.interval = float(interval)
        self.max_interval = float(max_interval)
        self._clock = clock or monotonic
        self._sleep = sleep or pause
        self.started = self._clock()
        self.polls = 0

    @property
    def elapsed(self):
        return max(0.0, self._clock() - self.started)

    def remaining(self):
        return self.timeout - self.elapsed

    def poll(self, fetch, done, describe, first=_FETCH_FIRST):
        """Call ``fetch(previous)`` until ``done(value)``; raise EmWaitTimeoutError (naming ``describe(value)``) at the deadline.

        With ``first`` the first value is already known (for example the task in the POST answer) and is
        checked before anything is fetched.
        """
        backoff = Backoff(self.interval, self.max_interval)
        value = self._fetch(fetch, None) if first is _FETCH_FIRST else first
        while not done(value):
            remaining = self.remaining()
            if remaining <= 0:
                error = EmWaitTimeoutError('Timed out after %d s (wait_timeout=%g): %s' % (round(self.elapsed), self.timeout, describe(value)))
                error.last = value
                raise error
            self._sleep(min(backoff.next(), remaining))
            value = self._fetch(fetch, value)
        return value

    def _fetch(self, fetch, previous):
        self.polls += 1
        return fetch(previous)

    def wait_task(self, task, accept_operation_finished=False):
        """Poll a task (``GET /tasks/<TaskId>``) until it is done; returns the last Task entity seen.

        Raises EmTaskLostError when the task cannot be read any more: the client had to log on again (tasks
        belong to the logon session that created them), or Enterprise Manager answers that the task does
        not exist (HTTP 500 or 404 [O: mph]).
        """
        logon_count = self.em.logon_count
        path = api_path('tasks', task.get('task_id'))

        def fetch(previous):
            try:
                return self.em.get(path, shape=TASK)
            except EmHttpError as exc:
                relogged = self.em.logon_count != logon_count
                if relogged or exc.status in (404, 500):
                    why = 'it belonged to the expired logon session' if relogged else 'Enterprise Manager no longer knows it'
                    raise EmTaskLostError(reason='%s: %s' % (task.get('task_id'), why), method=exc.method, url=exc.url, status=exc.status,
                                          em_message=exc.em_message) from None
                raise

        return self.poll(fetch, lambda current: task_done(current, accept_operation_finished), describe_task, first=task)

    def wait_tasks(self, tasks, done=None):
        """Poll several tasks of this logon session together until each is done or lost; returns ``{task id: TaskOutcome}``.

        One ``GET /tasks`` per poll lists every task of the logon session [D: get_tasks], so the cost does not grow with
        the number of tasks. ``done(task)`` decides when a task needs no more polling (default: ``Finished``). A task is
        lost when the client had to log on again (tasks belong to the logon session that created them) or when the list
        no longer holds it (tasks can vanish [O: mph; tasks.md]).
        """
        done = done or (lambda task: task_done(task, False))
        logon_count = self.em.logon_count
        outcomes = {str(task.get('task_id')): TaskOutcome(task) for task in tasks}

        def pending():
            return [outcome for outcome in outcomes.values() if outcome.lost is None and not done(outcome.task)]

        def lose(why):
            for outcome in pending():
                outcome.lost = '%s: %s' % (outcome.task.get('task_id'), why)

        def fetch(_previous):
            try:
                listed = self.em.items('tasks', TASK)
            except EmHttpError:
                if self.em.logon_count == logon_count:
                    raise
                listed = None
            if self.em.logon_count != logon_count:
                lose('it belonged to the expired logon session')
                return outcomes
            by_id = {str(task.get('task_id')): task for task in listed}
            for outcome in pending():
                task = by_id.get(str(outcome.task.get('task_id')))
                if task is None:
                    outcome.lost = '%s: Enterprise Manager no longer lists it' % outcome.task.get('task_id')
                else:
                    outcome.task = task
            return outcomes

        def describe(_outcomes):
            going = pending()
            return '%d of %d tasks still running, among them %s' % (len(going), len(outcomes), describe_task(going[0].task if going else None))

        return self.poll(fetch, lambda _outcomes: not pending(), describe, first=outcomes)

    def follow_run(self, run, shape=None):
        """Poll a run (job or restore session) by its id until its state is ``Stopped``; returns the last entity seen."""
        kwargs = {} if shape is None else {'shape': shape}
        return self.poll(lambda previous: get_run(self.em, run, **kwargs), lambda current: current.get('state') == STOPPED,
                         describe_run, first=run)

    def follow_runs(self, runs, shape=None):
        """Follow several runs together until every one has stopped; returns them in the given order.

        Each round polls only the runs still going on, and the interval grows as in ``poll``; one deadline for all.
        """
        current = list(runs)

        def fetch(previous):
            kwargs = {} if shape is None else {'shape': shape}
            return [run if run.get('state') == STOPPED else get_run(self.em, run, **kwargs) for run in previous]

        def describe(values):
            going = [run for run in values if run.get('state') != STOPPED]
            return '%d of %d runs still going on, among them %s' % (len(going), len(values), describe_run(going[0] if going else None))

        return self.poll(fetch, lambda values: all(run.get('state') == STOPPED for run in values), describe, first=current)


class TaskOutcome:
    """What an action's task came to: the last Task entity seen, and why it could no longer be read (None when it could)."""

    __slots__ = ('task', 'lost')

    def __init__(self, task, lost=None):
        self.task = task
        self.lost = lost


def run_task(em, waiter, what, path, params=None, body=None, method='POST', accept_operation_finished=True):
    """Send an action once and wait for its task; returns a TaskOutcome.

    A task that ends with ``Success=false`` raises EmTaskFailedError with Enterprise Manager's message (``what`` says
    what could not be done, e.g. ``'start job "X"'``). A task that can no longer be read is returned with ``lost`` set:
    the caller then checks the effect another way. EmWaitTimeoutError carries the last task seen in ``last``.
    """
    task = em.post_task(path, params, body, method)[0]
    try:
        task = waiter.wait_task(task, accept_operation_finished)
    except EmTaskLostError as exc:
        return TaskOutcome(task, exc.reason)
    except EmWaitTimeoutError as exc:
        exc.last = exc.last or task
        raise
    if not task_succeeded(task):
        message = (task.get('result') or {}).get('message')
        error = EmTaskFailedError('Enterprise Manager could not %s' % what, em_message=message,
                                  reason='task %s (%s) ended %s with Success=false' % (task.get('task_id'), task.get('operation'), task.get('state')))
        error.task = task
        raise error
    return TaskOutcome(task)


def related_id(task, collection):
    """The id of the entity a finished task links (``Related`` link into ``/api/<collection>/<id>``), or None."""
    for link in (task or {}).get('links') or []:
        if link.get('rel') == 'Related':
            found = link_id(link.get('href'), collection)
            if found:
                return found
    return None
