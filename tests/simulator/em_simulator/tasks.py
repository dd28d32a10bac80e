# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks: ``Running`` → ``OperationFinished`` → ``Finished`` in simulated time [tasks.md].

A task belongs to the logon session that created it and is numbered ``task-1``, ``task-2``, … per
logon session [D: tasks_intro; I: counter per session]. The accepted request's effect is applied
when the task reaches ``OperationFinished`` (the backup server has done it); the outcome decides
``Result``, which appears only once the task has left ``Running`` [D: get_tasks_id].
``OperationFinished`` carries ``Message=OperationFinished`` [D: post_jobs_id_actionsync], or the
failure text when the operation failed [I]. The effect runs even if the task was deleted or its
logon session ended: the request was accepted [I].

An operation that has to wait for something on the backup server (a quick backup queued behind a
running job, quick_backup.py) answers ``Waiting``: the task stays ``Running`` until the operation
calls back with its outcome, and then goes on as above from that moment [I].
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from .model import Task


class Outcome(NamedTuple):
    success: bool
    message: str
    related: tuple = None  # ('Job', job) or ('BackupJobSession', session): the task's Related link


class Waiting(NamedTuple):
    """The operation goes on later: ``hook(finish)`` keeps ``finish(when, outcome)`` and calls it once the operation is done."""

    hook: object


def done(message: str = 'Ok', related: tuple = None) -> Outcome:
    return Outcome(True, message, related)


def failed(message: str) -> Outcome:
    return Outcome(False, message)


class TaskEngine:
    def __init__(self, events, settings):
        self.events = events
        self.settings = settings

    def create(self, logon, operation: str, now, effect) -> Task:
        """A new task of ``logon``; ``effect(when) -> Outcome`` (or ``Waiting``) runs when it is due to reach OperationFinished."""
        logon.task_counter += 1
        task = Task(f'task-{logon.task_counter}', logon, operation)
        logon.tasks[task.id] = task
        self.events.at(now + timedelta(seconds=self.settings().task_duration), self._operation_finished, task, effect)
        return task

    def finished_at(self, operation_finished):
        """When a task that reached OperationFinished at ``operation_finished`` becomes Finished."""
        return operation_finished + timedelta(seconds=self.settings().task_duration / 2)

    def _operation_finished(self, when, task, effect):
        outcome = effect(when)
        if isinstance(outcome, Waiting):
            outcome.hook(lambda later, result: self._reached(later, task, result))
            return
        self._reached(when, task, outcome)

    def _reached(self, when, task, outcome):
        task.state = 'OperationFinished'
        task.success = outcome.success
        task.message = 'OperationFinished' if outcome.success else outcome.message
        task.touch()
        self.events.at(self.finished_at(when), self._finished, task, outcome)

    @staticmethod
    def _finished(when, task, outcome):
        task.state = 'Finished'
        task.message = outcome.message
        task.related = outcome.related
        task.touch()
