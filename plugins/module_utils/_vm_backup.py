# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Quick backup of VMs: the decisions and the flow of ``veeamops.em.veeam_vm_backup`` (internal; may change in any release).

The flow:

1. Resolve every VM (``VmResolver``, a job required) and choose its backup job (``backup_jobs``): the quick backup runs on
   the backup server that owns that job, ``POST /backupServers/<id>?action=quickbackup`` [D: backup-servers.md; I: URL
   scoping]. A VM named twice is one VM.
2. With ``max_age_minutes``: one ``query?type=VmRestorePoint`` per 40 VMs for the points created within that age; a VM
   with such a point is skipped. Check mode stops here.
3. The newest run of each job (one query per 40 jobs): only used to recognise the run a quick backup created when its
   task is lost.
4. One POST per VM, all of them first, each sent once; then every task together with ``GET /tasks`` (one request per
   poll) until ``Finished`` (only then does the task link the job session it started [D: tasks.md]) or refused.
5. The run of each VM: its task's ``Related`` ``BackupJobSession`` link. A task that was lost (the logon session expired,
   or the task vanished) or that links no run: [I] the oldest run of the job created since the run read in step 3
   whose task sessions include the VM; polled until it appears, as Enterprise Manager collects runs with a delay.
6. With ``wait``: the runs are followed together (one query per 40 runs still going on per poll) until they stop; then
   their task sessions (one query per 40 runs) give each VM's own result, and the VM restore points those task
   sessions link (one query per 40 points) give each VM's new restore point.

Several VMs of one job may land in one run or in several; each VM's result comes from its own task session, matched
by ``VmUid`` and, for a task session without one, by ``VmDisplayName``.
"""

from __future__ import annotations

from datetime import timedelta

from ._errors import (
    OUTCOME_ACCEPTED,
    OUTCOME_UNKNOWN,
    EmBadResponseError,
    EmConnectionError,
    EmError,
    EmInputError,
    EmTaskError,
    EmTimeoutError,
    EmVmNotProtectedError,
)
from ._jobs import JobsApi
from ._normalize import entity_id, find_link, id_from_uid, normalize_run
from ._restore_points import RestorePointsApi, point_ref
from ._query import all_of, one_of, term
from ._runs import CHUNK, RUN_PAGE_SIZE, STOPPED, RunsApi
from ._tasks import FINISHED, OPERATION_FINISHED, EmWaitTimeoutError, Waiter, WithResult, describe_run, related_id, task_succeeded
from ._times import age_seconds, floor_to_second, parse_time, utc_now
from ._urls import api_path, link_id
from ._vms import VmResolver, check_items, vm_key
from ._wait import WaitingFlow, validate_wait_options

STARTED = 'started'
SKIPPED = 'skipped'
WOULD_START = 'would_start'
BACKUP_JOB_TYPE = 'Backup'
RUN_UID_PREFIX = 'urn:veeam:BackupJobSession:'
POINT_UID_PREFIX = 'urn:veeam:VmRestorePoint:'
# Runs read per job and poll when a lost task's run is searched: the VMs of the job plus a few others' runs.
NEW_RUN_PAGE = 5
# Errors after which no further quick backup is requested: Enterprise Manager could not be reached or did not answer.
TRANSPORT_ERRORS = (EmConnectionError, EmTimeoutError)
ALREADY_REQUESTED = 'Quick backups were already requested for %d VM(s) (see vms in the result); they were not requested again'


class EmVmBackupFailedError(WithResult, EmTaskError):
    """At least one VM's quick backup failed (or warned, with ``fail_on_warning``); every VM's result is in ``vms``."""

    kind = 'vm_backup'
    summary = 'Quick backup failed'


class EmVmBackupIncompleteError(WithResult, EmError):
    """An error after quick backups were requested: the original error, with every VM's state so far in the result."""

    def __init__(self, error, requested):
        super().__init__(error.message, method=error.method, url=error.url, status=error.status, em_message=error.em_message,
                         reason=error.reason, hint=error.hint, outcome=error.outcome or ALREADY_REQUESTED % requested)
        self.kind = error.kind


# --- options and decisions --------------------------------------------------------------------------

def validate_options(params):
    """Checks that need no request (the VM list, ages, the wait options); raises EmInputError."""
    check_items(params.get('vms'))
    validate_wait_options(params)
    age = params.get('max_age_minutes')
    if age is not None and age < 0:
        raise EmInputError('max_age_minutes must not be negative', reason='got %s' % age,
                           hint='give the age in minutes of a restore point that makes a new backup unnecessary, or leave it out')


def backup_jobs(target):
    """The backup jobs that may run the quick backup of a resolved VM, the chosen one first: the jobs of type Backup that
    protect it (a direct include before a container, then by name), on the backup server of the first. The quick backup
    is sent to that backup server. EmVmNotProtectedError when no backup job protects the VM.

    [I] Which job the backup server uses when several backup jobs protect the VM is not documented; the run the quick
    backup creates names the job that actually ran, the result reports that one, and a lost task's run is searched
    among the runs of all of them.
    """
    jobs = [job for job in target['jobs'] if job.get('job_type') == BACKUP_JOB_TYPE]
    label = '"%s" (%s)' % (target['name'], target['ref']) if target.get('name') else target['ref']
    if not jobs:
        others = ', '.join('"%s" (%s)' % (job['name'], job['job_type']) for job in target['jobs'])
        raise EmVmNotProtectedError('No backup job protects VM %s' % label,
                                    reason='a quick backup runs a job of type Backup; this VM is protected only by %s' % others,
                                    hint='add the VM to a backup job (veeamops.em.veeam_job_object), or start the job that protects it '
                                         '(veeamops.em.veeam_job)')
    server_id = jobs[0].get('backup_server_id')
    if not server_id:
        raise EmBadResponseError('Enterprise Manager answered something this collection cannot read',
                                 reason='job "%s" that protects VM %s links no backup server' % (jobs[0]['name'], label),
                                 hint='report this answer of Enterprise Manager')
    return [job for job in jobs if str(job.get('backup_server_id') or '').lower() == server_id.lower()]


def _created(point):
    return parse_time(point.get('creation_time_utc'))


def newest_points(points):
    """``{vm_key: the VM's newest restore point}`` of the given VM restore points (points without a readable time lose)."""
    newest = {}
    for point in points:
        key = vm_key(point_ref(point))
        if key is None:
            continue
        current = newest.get(key)
        if current is None or (_created(point) is not None and (_created(current) is None or _created(point) > _created(current))):
            newest[key] = point
    return newest


def younger_than(point, max_age_minutes, now):
    """Whether a restore point was created less than ``max_age_minutes`` before ``now`` (a point from the future is young)."""
    age = age_seconds(point.get('creation_time_utc'), now)
    return age is not None and age < max_age_minutes * 60


def quick_backup_task_done(task):
    """``Finished`` (the task then links the run it started), or refused already at ``OperationFinished``."""
    state = (task or {}).get('state')
    return state == FINISHED or (state == OPERATION_FINISHED and not task_succeeded(task))


def own_task_session(task_sessions, ref, name):
    """The task session of the VM ``ref`` among a run's task sessions: by ``VmUid``, else (for task sessions without a
    ``VmUid``) by ``VmDisplayName`` when exactly one has the VM's name; None when the run has none of the VM."""
    key = vm_key(ref)
    for item in task_sessions:
        if key is not None and vm_key(item.get('vm_uid')) == key:
            return item
    if not name:
        return None
    named = [item for item in task_sessions if not item.get('vm_uid') and str(item.get('vm_display_name') or '').lower() == name.lower()]
    return named[0] if len(named) == 1 else None


def point_id_of(task_session):
    """The id of the VM restore point a task session created (its ``Related`` ``VmRestorePoint`` link), or None."""
    return link_id((find_link(task_session, 'Related', 'VmRestorePoint') or {}).get('href'), 'vmRestorePoints')


def session_summary(run):
    """A run as each VM's ``session`` shows it."""
    if not run:
        return None
    summary = normalize_run(run)
    return {key: summary[key] for key in ('id', 'uid', 'name', 'state', 'result', 'creation_time', 'end_time')}


def point_summary(point_id, point=None):
    """A VM restore point as each VM's ``restore_point`` shows it (only the id is known while the point is not read)."""
    point_id = point_id or (entity_id(point) if point else None)
    return {'id': point_id, 'uid': (point or {}).get('uid') or (POINT_UID_PREFIX + point_id if point_id else None),
            'creation_time': (point or {}).get('creation_time_utc')}


def _newer(run, previous):
    """Whether ``run`` belongs to one of the jobs of ``previous`` (job UID, lower case: its run read before the POSTs, or
    None) and is not older than that run, nor that run itself."""
    job_uid = str(run.get('job_uid') or '').lower()
    if job_uid not in previous:
        return False
    before = previous[job_uid]
    if before is None:
        return True
    if str(run.get('uid')).lower() == str(before.get('uid')).lower():
        return False
    created, baseline = parse_time(run.get('creation_time_utc')), floor_to_second(before.get('creation_time_utc'))
    return created is None or baseline is None or created >= baseline


def result_of(entity):
    """``Result`` of a run or task session; None while it has none (Enterprise Manager writes ``None``)."""
    result = (entity or {}).get('result')
    return None if result in (None, '', 'None') else result


def is_failure(result, fail_on_warning):
    return result == 'Failed' or (result == 'Warning' and bool(fail_on_warning))


# --- one VM -----------------------------------------------------------------------------------------

class VmQuickBackup:
    """One VM on its way through the flow, and its result (``as_result``)."""

    def __init__(self, target, jobs):
        self.target = target
        self.jobs = jobs
        self.job = jobs[0]
        self.action = None
        self.task = None
        self.lost = None
        self.failure = None  # why the quick backup did not happen: refused, request failed, not requested
        self.run_uid = None
        self.run = None
        self.task_session = None
        self.point = None
        self.skip_reason = None
        self.em_says = None  # Enterprise Manager's own text about a refused or failed request
        self.shown = None  # how messages name the VM when another VM of the request has its name
        self.waited = False

    @property
    def ref(self):
        return self.target['ref']

    @property
    def name(self):
        return self.target['name']

    @property
    def label(self):
        return self.shown or self.name or self.ref

    def result(self):
        if self.failure:
            return 'Failed'
        if not self.waited or self.action != STARTED:
            return None
        if self.task_session is None:
            return 'Failed'
        return result_of(self.task_session) or 'Failed'

    def reason(self):
        if self.failure:
            return self.failure
        if self.skip_reason:
            return self.skip_reason
        if self.waited and self.action == STARTED:
            if self.task_session is None:
                return 'run "%s" ended without a task session of this VM' % (self.run or {}).get('name')
            if not result_of(self.task_session):
                return 'its task session in run "%s" ended without a result' % (self.run or {}).get('name')
            return self.task_session.get('reason') or None
        return None

    def em_text(self):
        """Enterprise Manager's own words on why this VM failed or warned: the refusal, or its task session's reason."""
        if self.em_says:
            return self.em_says
        return (self.task_session or {}).get('reason') or None

    def job_result(self):
        """The job that ran the quick backup (from its run), else the job chosen for it."""
        if self.run and self.run.get('job_uid'):
            return {'name': self.run.get('job_name'), 'id': id_from_uid(self.run.get('job_uid'))}
        return {'name': self.job['name'], 'id': self.job['id']}

    def as_result(self):
        session = session_summary(self.run)
        if session is None and self.run_uid:
            session = {'id': id_from_uid(self.run_uid), 'uid': self.run_uid, 'name': None, 'state': None, 'result': None,
                       'creation_time': None, 'end_time': None}
        return {
            'name': self.name,
            'ref': self.ref,
            'hierarchy_root': self.target.get('hierarchy_root'),
            'backup_server': self.job.get('backup_server') or self.target.get('backup_server'),
            'job': self.job_result(),
            'action': self.action,
            'result': self.result(),
            'reason': self.reason(),
            'session': session,
            'restore_point': self.point,
        }

    def sentence(self):
        """One sentence about this VM for ``msg``."""
        result, reason = self.result(), self.reason()
        if self.action == SKIPPED:
            return '%s: skipped, %s.' % (self.label, reason)
        if self.action == WOULD_START:
            return '%s: a quick backup would start (job "%s" on %s).' % (self.label, self.job['name'], self.job.get('backup_server'))
        if self.failure:
            return '%s: Failed, %s.' % (self.label, self.failure.rstrip('.'))
        run = ' (run "%s")' % self.run.get('name') if self.run and self.run.get('name') else ''
        if result is None:
            return '%s: quick backup started%s.' % (self.label, run)
        return '%s: quick backup ended with %s%s%s.' % (self.label, result, run, ': %s' % reason.rstrip('.') if reason else '')


# --- the flow ---------------------------------------------------------------------------------------

class VmBackupFlow(WaitingFlow):
    """One execution of the module over an open EmClient; ``execute()`` returns the result dict or raises an EmError."""

    def __init__(self, em, params, check_mode=False, warn=None, waiter_factory=Waiter):
        super().__init__(em, params, check_mode, warn, waiter_factory)
        self.jobs = JobsApi(em)
        self.runs_api = RunsApi(em)
        self.points_api = RestorePointsApi(em)
        self.entries = []  # one per requested VM, in request order
        self.units = []  # one per distinct VM
        self.previous = {}
        self.runs = {}
        self.stopped = None

    @property
    def wait(self):
        return self.params.get('wait') is not False

    def execute(self):
        try:
            return self._execute()
        except EmError as exc:
            requested = len([unit for unit in self.units if unit.action == STARTED])
            if isinstance(exc, EmWaitTimeoutError):
                exc.message = 'Quick backup of %d VM(s): %s' % (len(self.units), exc.message)
            elif not isinstance(exc, WithResult) and requested:
                exc = EmVmBackupIncompleteError(exc, requested)
            if isinstance(exc, WithResult):
                exc.result = self.partial_result()
            raise exc

    def _execute(self):
        self._resolve()
        if self.params.get('max_age_minutes') is not None:
            self._skip_young(self.params['max_age_minutes'])
        todo = [unit for unit in self.units if unit.action is None]
        if self.check_mode:
            for unit in todo:
                unit.action = WOULD_START
            self.changed = bool(todo)
            return self.result()
        if todo:
            self.previous = self.jobs.latest_runs(self._jobs_of(todo))
            self._request(todo)
            self._wait_tasks()
            self._find_lost_runs()
            self._read_runs()
            if self.wait:
                self._read_outcomes()
        result = self.result()
        failed = [unit for unit in self.units if is_failure(unit.result(), self.params.get('fail_on_warning'))]
        if failed:
            raise EmVmBackupFailedError('Quick backup failed for %d of %d VM(s): %s' % (
                len(failed), len(self.units), ', '.join('%s (%s)' % (unit.label, unit.result()) for unit in failed)),
                reason='; '.join('%s: %s' % (unit.label, unit.reason()) for unit in failed if not unit.em_text() and unit.reason()) or None,
                em_message='; '.join('%s: %s' % (unit.label, unit.em_text()) for unit in failed if unit.em_text()) or None,
                hint=self._failure_hint(failed))
        return result

    # --- resolving ------------------------------------------------------------------------------------

    def _resolve(self):
        resolver = VmResolver(self.em, self.params.get('backup_server'))
        targets = resolver.resolve(self.params['vms'])
        for warning in resolver.warnings:
            self.warn(warning)
        units = {}
        for target in targets:
            key = vm_key(target['ref'])
            if key not in units:
                units[key] = VmQuickBackup(target, backup_jobs(target))
            self.entries.append(units[key])
        self.units = list(units.values())
        names = [str(unit.name).lower() for unit in self.units]
        for unit in self.units:
            if names.count(str(unit.name).lower()) > 1:
                unit.shown = '%s (%s)' % (unit.name, unit.target.get('hierarchy_root') or unit.ref)

    def _skip_young(self, max_age):
        now = utc_now()
        points = self.points_api.vm_points(refs=[unit.ref for unit in self.units], since=now - timedelta(minutes=max_age))
        newest = newest_points(points)
        for unit in self.units:
            point = newest.get(vm_key(unit.ref))
            if point is not None and younger_than(point, max_age, now):
                unit.action = SKIPPED
                unit.point = point_summary(entity_id(point), point)
                unit.skip_reason = 'its newest restore point (%s) is younger than %s minutes' % (point.get('creation_time_utc'), max_age)

    @staticmethod
    def _jobs_of(units):
        jobs = {}
        for unit in units:
            for job in unit.jobs:
                jobs.setdefault(str(job['uid']).lower(), job)
        return list(jobs.values())

    # --- requesting ---------------------------------------------------------------------------------

    def _request(self, units):
        """One POST per VM, each sent once; a transport failure stops the requests that follow it."""
        for unit in units:
            if self.stopped is not None:
                unit.failure = 'not requested, because an earlier quick backup request could not reach Enterprise Manager'
                continue
            path = api_path('backupServers', unit.job['backup_server_id'])
            self.start_waiting()
            unit.action = STARTED
            try:
                unit.task = self.em.post_task(path, {'action': 'quickbackup'}, {'VmRef': unit.ref})[0]
            except EmError as exc:
                self._request_failed(unit, exc)
                continue
            self.changed = True

    def _request_failed(self, unit, exc):
        if exc.outcome == OUTCOME_ACCEPTED:
            # Enterprise Manager took the request; its run is searched like that of a lost task.
            self.changed = True
            unit.lost = 'the answer to the request could not be read: %s' % exc
            return
        if exc.outcome == OUTCOME_UNKNOWN:
            self.changed = True
        unit.failure = 'the quick backup request failed: %s' % exc
        unit.em_says = exc.em_message
        if isinstance(exc, TRANSPORT_ERRORS):
            self.stopped = exc

    def _wait_tasks(self):
        units = [unit for unit in self.units if unit.task is not None]
        if not units:
            return
        try:
            outcomes = self.waiter.wait_tasks([unit.task for unit in units], done=quick_backup_task_done)
        except EmWaitTimeoutError as exc:
            for unit in units:
                unit.task = exc.last[str(unit.task.get('task_id'))].task
            raise
        for unit in units:
            outcome = outcomes[str(unit.task.get('task_id'))]
            unit.task = outcome.task
            if outcome.lost is not None:
                unit.lost = 'its task was lost (%s)' % outcome.lost
            elif not task_succeeded(unit.task):
                message = (unit.task.get('result') or {}).get('message')
                unit.failure = 'Enterprise Manager refused the quick backup: %s' % (message or 'task %s ended with Success=false' % unit.task.get('task_id'))
                unit.em_says = message
            else:
                run_id = related_id(unit.task, 'backupSessions')
                if run_id:
                    unit.run_uid = RUN_UID_PREFIX + run_id
                else:
                    unit.lost = 'its task %s finished without a link to the run it started' % unit.task.get('task_id')

    # --- runs ---------------------------------------------------------------------------------------

    def _find_lost_runs(self):
        """[I] The run of each VM whose task was lost: the oldest run of one of its backup jobs created since the run read
        before the POSTs (``self.previous``) whose task sessions include the VM. Polled until every such VM has one."""
        lost = [unit for unit in self.units if unit.lost is not None and unit.run_uid is None]
        if not lost:
            return
        jobs = self._jobs_of(lost)

        def fetch(_previous):
            missing = [unit for unit in lost if unit.run_uid is None]
            wanted = {str(job['uid']).lower() for unit in missing for job in unit.jobs}
            candidates = self._new_runs([job for job in jobs if str(job['uid']).lower() in wanted], len(missing))
            candidates.sort(key=lambda run: (parse_time(run.get('creation_time_utc')) is None, str(run.get('creation_time_utc') or '')))
            sessions = self.runs_api.task_sessions_of(candidates)
            for unit in missing:
                uids = {str(job['uid']).lower() for job in unit.jobs}
                for run in candidates:
                    if str(run.get('job_uid')).lower() in uids and own_task_session(sessions.get(str(run.get('uid')).lower(), []), unit.ref, unit.name):
                        unit.run_uid, unit.run = run.get('uid'), run
                        break
            return None

        def describe(_value):
            missing = [unit for unit in lost if unit.run_uid is None]
            return 'no run of job "%s" with VM %s has appeared since %s' % (missing[0].job['name'], missing[0].label, missing[0].lost)

        self.waiter.poll(fetch, lambda _value: all(unit.run_uid for unit in lost), describe)

    def _new_runs(self, jobs, count):
        """The runs of ``jobs`` created since each one's run read before the POSTs: one query per 40 jobs, its first page
        only (newest first, ``count`` + NEW_RUN_PAGE runs per job, at most RUN_PAGE_SIZE)."""
        found = []
        for start in range(0, len(jobs), CHUNK):
            chunk = jobs[start:start + CHUNK]
            previous = {str(job['uid']).lower(): self.previous.get(job['uid']) for job in chunk}
            times = [floor_to_second(run.get('creation_time_utc')) if run else None for run in previous.values()]
            since = None if None in times else min(times)
            expr = all_of(one_of('JobUid', [job['uid'] for job in chunk]), None if since is None else term('CreationTime', '>=', since))
            runs, _more = self.em.query_first_page('BackupJobSession', expr, sort_desc='CreationTime',
                                                   page_size=min(RUN_PAGE_SIZE, len(chunk) * (count + NEW_RUN_PAGE)))
            found.extend(run for run in runs if _newer(run, previous))
        return found

    def _read_runs(self):
        """The runs of the quick backups: read once, or with ``wait`` followed together until every one has stopped."""
        uids = list(dict.fromkeys(unit.run_uid for unit in self.units if unit.run_uid))
        if not uids:
            return
        for unit in self.units:
            if unit.run is not None:
                self.runs[str(unit.run_uid).lower()] = unit.run

        def going():
            return [uid for uid in uids if (self.runs.get(uid.lower()) or {}).get('state') != STOPPED]

        def fetch(_previous):
            self.runs.update(self.runs_api.by_uids(going()))
            self._attach_runs()
            return None

        def describe(_value):
            still = going()
            run = self.runs.get(still[0].lower()) if still else None
            text = describe_run(run) if run else 'run %s is not listed yet' % (still[0] if still else None)
            return '%d of %d runs still going on, among them %s' % (len(still), len(uids), text)

        if not self.wait:
            fetch(None)
            return
        self.waiter.poll(fetch, lambda _value: not going(), describe)

    def _attach_runs(self):
        for unit in self.units:
            if unit.run_uid and str(unit.run_uid).lower() in self.runs:
                unit.run = self.runs[str(unit.run_uid).lower()]

    def _read_outcomes(self):
        """Each VM's own task session in its run, and the VM restore point that task session created."""
        units = [unit for unit in self.units if unit.run is not None]
        sessions = self.runs_api.task_sessions_of([self.runs[uid] for uid in dict.fromkeys(str(unit.run_uid).lower() for unit in units)])
        for unit in units:
            unit.waited = True
            unit.task_session = own_task_session(sessions.get(str(unit.run.get('uid')).lower(), []), unit.ref, unit.name)
        point_ids = {unit: point_id_of(unit.task_session) for unit in units if unit.task_session is not None}
        points = self.points_api.vm_points_by_ids([point_id for point_id in point_ids.values() if point_id])
        for unit, point_id in point_ids.items():
            if point_id:
                unit.point = point_summary(point_id, points.get(point_id.lower()))

    # --- results ------------------------------------------------------------------------------------

    @staticmethod
    def _failure_hint(failed):
        again = 'see vms for each VM; run the task again with max_age_minutes so that the VMs backed up now are skipped'
        if all(unit.result() == 'Warning' for unit in failed):
            return 'set fail_on_warning=false to accept backups that end with warnings; ' + again
        if any(unit.failure and 'refused' in unit.failure for unit in failed):
            return 'a quick backup needs a backup job that is not running and has a restore point of the VM; ' + again
        return again

    def partial_result(self):
        """What fail_json gets beside ``msg``: ``changed`` and every requested VM's result."""
        return {'changed': self.changed, 'vms': [unit.as_result() for unit in self.entries]}

    def message(self):
        counts = {}
        for unit in self.units:
            counts[unit.action] = counts.get(unit.action, 0) + 1
        words = {STARTED: 'started', SKIPPED: 'skipped', WOULD_START: 'would start', None: 'not started'}
        parts = ['%d %s' % (counts[action], words[action]) for action in (STARTED, WOULD_START, SKIPPED, None) if counts.get(action)]
        head = 'Quick backup of %d VM(s): %s.' % (len(self.units), ', '.join(parts))
        return ' '.join([head] + [unit.sentence() for unit in self.units])

    def result(self):
        result = self.partial_result()
        result['msg'] = self.message()
        return result
