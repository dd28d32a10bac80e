# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VM quick backup: ``POST /backupServers/{id}?action=quickbackup`` [backup-servers.md].

The backup server runs the backup job that protects the VM, for that VM only, as an extra run of
the job (trigger ``quick_backup``); the finished task links that run (``Related`` ``BackupJobSession``)
[D: post_backupservers_id_quickbackup; I: backup-servers.md "Limitations"].

Checked when the request arrives, a failure being a failed task [I: backup-servers.md "Failure reporting"]:
the VM exists, a backup job of that backup server protects it (directly or through a container; the
switch ``quick_backup_job`` picks the first or the last of several, in estate order [I]), and that
job has a restore point. The reference says that a quick backup "fails or waits if the job is
already running" [I]; the switch ``quick_backup_busy_job`` says what happens when the job is busy
(running, or a start accepted whose run has not begun):

* ``refuse`` (default): the task fails.
* ``merge``: the request joins the job's quick-backup run that has not begun processing VMs (its
  start accepted, or the run ``Starting``): one run processes every VM requested so, each with its
  own task session, and each of their tasks links that run. Otherwise it is refused as above.
* ``queue``: the request gets a run of its own, started once the job's current run and the quick
  backups queued before it have ended; its task stays ``Running`` until that run starts.

Every quick-backup run goes through the job's queue (``Job.quick_runs``): it is taken into account
when its task reaches ``OperationFinished`` and starts at once if the job is idle.
"""

from __future__ import annotations

from .model import VM
from .tasks import Waiting, done, failed

OPERATION = 'QuickBackup'


class QuickRun:
    """A quick-backup run of a job, from its acceptance: the VMs it will process, then its session."""

    __slots__ = ('vms', 'due', 'session', 'waiting')

    def __init__(self, vm):
        self.vms = [vm]
        self.due = False  # its task reached OperationFinished: it starts as soon as the job is idle
        self.session = None
        self.waiting = []  # finish(when, outcome) of the tasks that wait for the run to start

    @property
    def joinable(self) -> bool:
        """No VM processed yet: the run has not started, or it is still ``Starting``."""
        return self.session is None or self.session.state == 'Starting'


def linked(session):
    return done('Ok', ('BackupJobSession', session))


class QuickBackups:
    def __init__(self, sim):
        self.sim = sim
        sim.runs.idle_hooks.append(self.start_due)

    @property
    def estate(self):
        return self.sim.estate

    def request(self, logon, server, vm_ref: str, now):
        """Accept a quick backup of ``vm_ref`` on ``server``; returns the task."""
        vm = self.estate.inventory_object(vm_ref)
        job = self.protecting_job(server, vm) if vm is not None and vm.is_vm else None
        if job is not None:
            job.counts['quick_backup'] += 1
        problem = self._problem(server, vm_ref, vm, job)
        effect = (lambda when: failed(problem)) if problem else self._accept(job, vm, now)
        return self.sim.tasks.create(logon, OPERATION, now, effect)

    def protecting_job(self, server, vm):
        """The backup job of ``server`` that runs the quick backup of ``vm`` (switch ``quick_backup_job``), or None."""
        covering = {vm.ref.lower()} | self.estate.ancestors(vm)
        jobs = [job for job in self.estate.jobs.values()
                if job.kind == VM and job.job_type == 'Backup' and job.server is server
                and any(include.ref.lower() in covering for include in job.includes)]
        if not jobs:
            return None
        return jobs[-1] if self.sim.config.quick_backup_job == 'last' else jobs[0]

    def _problem(self, server, vm_ref, vm, job):
        if vm is None or not vm.is_vm:
            return f'VM "{vm_ref}" was not found in the virtual infrastructure.'
        if job is None:
            return f'VM "{vm.name}" is not processed by any backup job of backup server "{server.name}".'
        if job.busy and not self._may_wait(job):
            return f'Job "{job.name}" that protects VM "{vm.name}" is running; quick backup is not possible now.'
        if not any(session.result in ('Success', 'Warning') for session in job.sessions):
            return f'VM "{vm.name}" has no restore point yet: run job "{job.name}" first.'
        return None

    def _may_wait(self, job) -> bool:
        """Whether a quick backup of the busy ``job`` is accepted (switch ``quick_backup_busy_job``)."""
        mode = self.sim.config.quick_backup_busy_job
        return mode == 'queue' or (mode == 'merge' and job.quick_run is not None and job.quick_run.joinable)

    def _accept(self, job, vm, now):
        """The effect of an accepted request: a run of its own, or (merge) a place in the job's run not begun yet."""
        if job.busy and self.sim.config.quick_backup_busy_job == 'merge':
            run = job.quick_run
            self._join(run, vm, now)
            return lambda when: self._outcome(run)
        run = QuickRun(vm)
        job.quick_runs.append(run)
        job.quick_run = run
        job.pending_runs += 1

        def effect(when):
            run.due = True
            self.start_due(job, when)
            return self._outcome(run)
        return effect

    def _join(self, run, vm, now) -> None:
        if any(item is vm for item in run.vms):
            return  # the VM is in that run already: its task links the run too [I]
        run.vms.append(vm)
        if run.session is not None:
            self.sim.runs.add_vm(run.session, vm, now)

    @staticmethod
    def _outcome(run):
        if run.session is not None:
            return linked(run.session)
        return Waiting(run.waiting.append)

    def start_due(self, job, when) -> None:
        """Start the job's next quick-backup run if it is due and the job is idle: no run, and no start accepted
        other than the quick backups waiting in the queue."""
        queue = job.quick_runs
        if not queue or not queue[0].due or job.running_session() is not None or job.pending_runs != len(queue):
            return
        run = queue.popleft()
        job.pending_runs -= 1
        run.session = self.sim.runs.start(job, when, vms=list(run.vms), trigger='quick_backup')
        for finish in run.waiting:
            finish(when, linked(run.session))
        run.waiting.clear()
