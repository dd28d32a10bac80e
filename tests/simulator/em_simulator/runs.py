# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job runs: job sessions and their task sessions moving through their states in simulated time.

Timeline of a run of duration D [I: sessions.md "Simulator notes"]:

* ``0``: the session appears, ``State=Starting``, ``Result=None``, ``Progress=0``; one task
  session per processed VM, ``State=Pending``.
* ``0.1·D``: ``State=Working``; the VMs are processed one after the other over the rest of D
  (``InProgress`` then ``Completed``) and ``Progress`` rises with the elapsed share (at most 99).
* ``D``: ``State=Stopped``, ``Progress=100``, ``EndTimeUTC`` set, ``Result`` as planned.
  Immediate backup copy sessions keep ``Progress=0`` [O: hax v12].

A planned ``Warning`` or ``Failed`` marks the last VM so (``Reason`` set); the others succeed [I].
A VM that joins a run while it is ``Starting`` (quick backup, quick_backup.py) gets its task session
then, and the VMs' turns are planned again over the same run.
When a run has stopped, ``idle_hooks`` start what waited for the job (queued quick backups).
Stopping a run: ``Stopping`` at once, ``Stopped`` with ``Result=Failed`` a moment later [I: VBR
marks runs stopped by a user as failed; jobs.md "Simulator state model"].
"""

from __future__ import annotations

import zlib
from datetime import timedelta

from .collect import SESSION_FIELDS, TASK_SESSION_FIELDS, record
from .model import JobSession, TaskSession
from .values import new_guid

STARTING_SHARE = 0.1
STOP_DELAY = 1.0
WARNING_REASON = 'Unable to quiesce the guest file system: VMware Tools are not running. Processing continued without application-aware processing.'
FAILED_REASON = 'Error: Failed to create VM snapshot. The operation is not allowed in the current state.'
STOPPED_REASON = 'Job has been stopped by user.'


def vm_size(vm) -> int:
    """A stable size in bytes per VM (20–220 GiB)."""
    return (20 + zlib.crc32(vm.ref.encode('utf-8')) % 200) * 1024 ** 3


class RunEngine:
    def __init__(self, estate, events, settings):
        self.estate = estate
        self.events = events
        self.settings = settings
        self.running = set()
        self.idle_hooks = []  # hook(job, when) once a run of the job has stopped (queued quick backups start then)

    # ------------------------------------------------------------------ outcome planning

    def plan(self, job):
        """(result, duration) of the next run: queued outcome, else the job's own, else the defaults."""
        if job.outcomes:
            result, duration, remaining = job.outcomes[0]
            if remaining <= 1:
                job.outcomes.popleft()
            else:
                job.outcomes[0] = (result, duration, remaining - 1)
            return result or job.run_result or 'Success', duration or job.run_duration or self.settings().run_duration
        return job.run_result or 'Success', job.run_duration or self.settings().run_duration

    # ------------------------------------------------------------------ lifecycle

    def start(self, job, when, is_retry=False, vms=None, trigger='start'):
        """Create a job session at ``when`` and schedule its course; returns the session.

        ``trigger`` says what started it (model.TRIGGERS); ``vms`` limits the run to those VMs (quick backup).
        """
        session = JobSession(new_guid(), job, when, is_retry, trigger)
        session.planned = self.plan(job)
        session.changes = []  # a live run: every change is recorded (collect.py)
        self.estate.add_session(session)
        for vm in self.estate.processed_vms(job) if vms is None else vms:
            self._add_task_session(session, vm, when)
        self.running.add(session)
        job.touch()
        self._schedule(session)
        return session

    def add_vm(self, session, vm, when) -> None:
        """Add a VM to a run that has not begun processing VMs (``Starting``): its task session appears now, and the
        VMs' turns are planned again over the same run (quick backup, ``quick_backup_busy_job=merge``)."""
        self._add_task_session(session, vm, when)
        session.epoch += 1  # the events planned so far no longer apply
        session.touch()
        self._schedule(session)

    def _add_task_session(self, session, vm, when):
        task_session = TaskSession(new_guid(), session, vm, when, vm_size(vm))
        task_session.changes = []
        self.estate.add_task_session(task_session)

    def _schedule(self, session) -> None:
        """Plan the course of a live run from its start (module docstring): its steps, and each VM's turn."""
        result, duration = session.planned
        when, epoch = session.created, session.epoch
        working_at = when + timedelta(seconds=duration * STARTING_SHARE)
        finish = when + timedelta(seconds=duration)
        session.window = (working_at, finish)
        self.events.at(working_at, self._working, session, epoch)
        task_sessions = session.task_sessions
        slot = (duration * (1 - STARTING_SHARE)) / max(len(task_sessions), 1)
        for index, task_session in enumerate(task_sessions):
            start = working_at + timedelta(seconds=slot * index)
            last = index == len(task_sessions) - 1
            outcome = result if last else 'Success'
            self.events.at(start, self._vm_started, task_session, epoch)
            # the last VM ends exactly with the run (before it, in event order), whatever the rounding of the slots
            self.events.at(finish if last else start + timedelta(seconds=slot), self._vm_finished, task_session, epoch, outcome)
        self.events.at(finish, self._finished, session, epoch, result)

    def _working(self, when, session, epoch):
        if session.epoch == epoch and session.state == 'Starting':
            session.state = 'Working'
            self._changed(session, when)

    def _vm_started(self, when, task_session, epoch):
        if task_session.session.epoch == epoch:
            task_session.state = 'InProgress'
            self._changed_task_session(task_session, when)

    def _vm_finished(self, when, task_session, epoch, outcome):
        if task_session.session.epoch != epoch:
            return
        task_session.state = 'Completed'
        task_session.result = outcome
        task_session.reason = {'Warning': WARNING_REASON, 'Failed': FAILED_REASON}.get(outcome, '')
        task_session.ended = when
        self._changed_task_session(task_session, when)

    def _finished(self, when, session, epoch, result):
        if session.epoch != epoch:
            return
        self._close(session, when, result, progress=0 if session.job_type == 'ImmediateBackupCopy' else 100)

    def _close(self, session, when, result, progress):
        session.state = 'Stopped'
        session.result = result
        session.ended = when
        session.progress = progress
        self.estate.catalog.record_run(session, self.settings().restore_point_per_vm)
        self.running.discard(session)
        session.job.touch()
        self._changed(session, when)
        for hook in self.idle_hooks:
            hook(session.job, when)

    def stop(self, session, when) -> bool:
        """Begin stopping a running session; False when it is not running."""
        if session.state in ('Stopped', 'Stopping'):
            return False
        session.epoch += 1
        session.state = 'Stopping'
        self._changed(session, when)
        self.events.at(when + timedelta(seconds=STOP_DELAY), self._stopped, session, session.epoch)
        return True

    def _stopped(self, when, session, epoch):
        if session.epoch != epoch:
            return
        for task_session in session.task_sessions:
            if task_session.state != 'Completed':
                task_session.state = 'Completed'
                task_session.result = 'Failed'
                task_session.reason = STOPPED_REASON
                task_session.ended = when
                self._changed_task_session(task_session, when)
        self._close(session, when, 'Failed', progress=session.progress)

    # ------------------------------------------------------------------ progress

    def update_progress(self, now) -> None:
        for session in list(self.running):
            if session.state != 'Working' or session.job_type == 'ImmediateBackupCopy':
                continue
            progress = self._progress(session, now)
            if progress != session.progress:
                session.progress = progress
                self._changed(session, now)

    @staticmethod
    def _progress(session, now) -> int:
        working_at, end = session.window
        share = (now - working_at).total_seconds() / max((end - working_at).total_seconds(), 1e-6)
        return min(99, max(0, int(share * 100)))

    def _changed(self, session, when):
        session.touch()
        record(session, when, SESSION_FIELDS)
        self.estate.changed('sessions')

    def _changed_task_session(self, task_session, when):
        task_session.touch()
        record(task_session, when, TASK_SESSION_FIELDS)
        self.estate.changed('task_sessions')
