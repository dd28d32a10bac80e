# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore side of the estate: repositories, backups, restore points and VM restore points
[repositories.md, restore-points.md], restore sessions and the record of every restore [restore.md].

How runs fill it (README "Restore points"):

* A backup job and every backup copy job has one ``Backup`` (name = job name, ``BackupType``
  ``Standard``) in the repository the scenario assigns to the job (else the first repository of its
  backup server); it appears with its first restore point [I: restore-points.md "once one exists"].
* A run that ends ``Success`` or ``Warning`` adds one ``RestorePoint`` to the job's backup
  (``BackupDateUTC`` = start + 19 s, at most 10 % of the run [I: examples a8cafc11 → b36a86f1]) and
  one ``VmRestorePoint`` per VM whose task session ended ``Success`` or ``Warning``
  (``CreationTimeUTC`` = task start + 25 s, at most half the task [I: examples b12dda93 →
  d3c0e8f2]); a ``Failed`` run and a failed VM add none [I]. With the switch
  ``restore_point_per_vm`` every VM gets a restore point of its own (per-machine backup files;
  both forms occur [O: cen, hax]).
* A backup copy run copies the newest point of every VM that the linked jobs' backups hold at that
  moment into the copy job's backup, dated by the copy run [I]; replica, agent and file share
  runs add nothing (replica points are out of scope).
* Point types per VM and backup [I]: the first point is a full (``Algorithm=Full``,
  ``PointType=Full``), every seventh after it a synthetic full (``SyntheticFull``/``Full``), the
  others increments (``Incremental``/``Increment``); a quick backup is always an increment
  [D: post_backupservers_id_quickbackup "incremental backup"]. The backup file is ``.vbk`` when
  every point in it is a full, else ``.vib``.
* Retention [I]: after each new point only the newest ``RetainCycles`` points of a VM stay in a
  backup (``RetainDaysToKeep`` days when ``RetainLimitType=Days``); a restore point without VM
  points goes too, and so do the links to it (job session ``Related``, task session ``Related``).
  Copy jobs have no retention setting in their entity: their scenario ``retention.cycles`` (14).
"""

from __future__ import annotations

import zlib
from collections import Counter
from datetime import timedelta

from .model import COPY_JOB_TYPES, VM, Touchable
from .scenario_base import stable_guid
from .values import restore_point_name

POINT_DATE_DELAY = 19.0
VM_POINT_DELAY = 25.0
SYNTHETIC_FULL_EVERY = 7
DEFAULT_CYCLES = 14
DEFAULT_REPOSITORY = 'Default Backup Repository'
GIB = 1024 ** 3


def ref_key(ref: str) -> str:
    return ref.lower()


def local_part(ref: str) -> str:
    """``vm-1042`` of ``urn:VMware:Vm:<root>.vm-1042`` (the root GUID has no dot)."""
    return ref.split(':', 3)[-1].partition('.')[2] or ref


def ref_platform(ref: str) -> str:
    """``VMware``, ``HyperV`` or ``vCloud`` from a HierarchyObjRef [hierarchy.md]."""
    parts = ref.split(':')
    return parts[1] if len(parts) > 2 else ''


class Repository(Touchable):
    __slots__ = ('id', 'name', 'server', 'kind', 'capacity', 'free_space')

    def __init__(self, id_, name, server, kind='WindowsLocal', capacity=4 * 1024 * GIB, free_space=2 * 1024 * GIB):
        self.id = id_
        self.name = name
        self.server = server
        self.kind = kind
        self.capacity = capacity
        self.free_space = free_space
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:Repository:{self.id}'


class Backup(Touchable):
    """What one job wrote [restore-points.md "Backup entity"]; ``job`` may since have been deleted."""

    __slots__ = ('id', 'name', 'job', 'server', 'repository', 'platform', 'backup_type', 'restore_points')

    def __init__(self, id_, job, repository, platform):
        self.id = id_
        self.name = job.name
        self.job = job
        self.server = job.server
        self.repository = repository
        self.platform = platform
        self.backup_type = 'Standard'
        self.restore_points = []
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:Backup:{self.id}'


class BackupFile:
    """A backup file as far as links name it (``/backupFiles`` itself is not simulated)."""

    __slots__ = ('id', 'name')

    def __init__(self, id_, name):
        self.id = id_
        self.name = name


class RestorePoint(Touchable):
    __slots__ = ('id', 'backup', 'session', 'created', 'backup_file', 'vm_points')

    def __init__(self, id_, backup, session, created):
        self.id = id_
        self.backup = backup
        self.session = session
        self.created = created
        self.backup_file = None
        self.vm_points = []
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:RestorePoint:{self.id}'

    @property
    def name(self):
        """``Mar  1 2026  9:00PM`` [D13.1: get_restorepoints_id; O: cen, hax]."""
        return restore_point_name(self.created)


class VmRestorePoint(Touchable):
    """One VM in a restore point. The VM is kept as ref and name: the inventory object may change later."""

    __slots__ = ('id', 'restore_point', 'vm_ref', 'vm_name', 'created', 'algorithm', 'point_type', 'backup_file', 'task_session')

    def __init__(self, id_, restore_point, vm_ref, vm_name, created, algorithm, point_type):
        self.id = id_
        self.restore_point = restore_point
        self.vm_ref = vm_ref
        self.vm_name = vm_name
        self.created = created
        self.algorithm = algorithm
        self.point_type = point_type
        self.backup_file = None
        self.task_session = None
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:VmRestorePoint:{self.id}'

    @property
    def server(self):
        return self.restore_point.backup.server

    @property
    def platform(self):
        return ref_platform(self.vm_ref)


class RestoreSession(Touchable):
    """An entire-VM restore as EM shows it [restore.md "RestoreSession entity"]."""

    __slots__ = ('id', 'point', 'vm_name', 'server', 'created', 'ended', 'state', 'result', 'progress', 'restored_ref',
                 'failure_message', 'window', 'record')

    def __init__(self, id_, point, created):
        self.id = id_
        self.point = point
        self.vm_name = point.vm_name
        self.server = point.server
        self.created = created
        self.ended = None
        self.state = 'Starting'
        self.result = 'None'
        self.progress = 0
        self.restored_ref = None
        self.failure_message = None
        self.window = None
        self.record = None
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:RestoreSession:{self.id}'

    @property
    def job_type(self):
        return 'RestoreVm'


class RestoreRecord:
    """One accepted restore request, for ``GET /_sim/restores`` (not part of EM)."""

    __slots__ = ('point', 'vm_ref', 'vm_name', 'spec', 'account', 'task_id', 'requested', 'session', 'rejected', 'outcome')

    def __init__(self, point, spec, account, task_id, requested):
        self.point = point
        self.vm_ref = point.vm_ref
        self.vm_name = point.vm_name
        self.spec = spec
        self.account = account
        self.task_id = task_id
        self.requested = requested
        self.session = None
        self.rejected = None
        self.outcome = None


def point_kind(number: int, quick: bool = False) -> tuple:
    """(Algorithm, PointType) of the ``number``-th point (0-based) of a VM in a backup (module docstring)."""
    if quick:
        return 'Incremental', 'Increment'
    if number == 0:
        return 'Full', 'Full'
    if number % SYNTHETIC_FULL_EVERY == 0:
        return 'SyntheticFull', 'Full'
    return 'Incremental', 'Increment'


def point_date(session):
    duration = ((session.ended or session.created) - session.created).total_seconds()
    return session.created + timedelta(seconds=min(POINT_DATE_DELAY, duration * 0.1))


def vm_point_time(task_session):
    ended = task_session.ended or task_session.created
    return task_session.created + timedelta(seconds=min(VM_POINT_DELAY, (ended - task_session.created).total_seconds() / 2))


def _offset_hours(job) -> int:
    daily = (job.schedule.get('Standart') or {}).get('OptionsDaily') or {}
    return int(daily.get('TimeOffsetUtc') or 0)


def backup_file_name(job, point_id, when, full: bool, vm_local_ref=None) -> str:
    """``Daily VM BackupD2026-03-01T220031_4C1E.vib``, or ``<job>.<moref>D…`` per machine [D13.1; O: cs];
    the time is the backup server's local time (the job's UTC offset) [I]."""
    local = when + timedelta(hours=_offset_hours(job))
    tag = f'{zlib.crc32(point_id.encode("ascii")) & 0xFFFF:04X}'
    stem = f'{job.name}.{vm_local_ref}' if vm_local_ref else job.name
    return f'{stem}D{local.strftime("%Y-%m-%dT%H%M%S")}_{tag}.{"vbk" if full else "vib"}'


class _Item:
    """A VM about to get a point: its ref, name, time and the task session that processed it (if any)."""

    __slots__ = ('ref', 'name', 'time', 'task_session')

    def __init__(self, ref, name, time, task_session=None):
        self.ref = ref
        self.name = name
        self.time = time
        self.task_session = task_session


class Catalog:
    def __init__(self, estate):
        self.estate = estate
        self.repositories = {}
        self.backups = {}
        self.backup_of_job = {}
        self.storage = {}          # job id -> {'repository', 'backup_id', 'cycles'} from the scenario
        self.restore_points = {}
        self.vm_points = {}
        self.chains = {}           # backup id -> {vm ref key -> [VmRestorePoint, oldest first]}
        self.created = Counter()   # (backup id, vm ref key) -> points ever made (the point type rule)
        self.restore_sessions = {}
        self.restores = []
        self.restore_outcomes = []  # queued by POST /_sim/restores/outcome: {result, duration, runs, vm, message}
        self.scopes = {}           # account user name (lower) -> [refs], from the scenario
        self.renamed = {}          # ref key of a VM replaced by a restore -> the ref of the restored VM

    # ------------------------------------------------------------------ repositories and backups

    def add_repository(self, repository) -> None:
        key = repository.id.lower()
        if key in self.repositories:
            raise ValueError(f'duplicate repository id {repository.id}')
        self.repositories[key] = repository
        self.estate.changed('repositories')

    def repositories_of(self, server) -> list:
        return [repository for repository in self.repositories.values() if repository.server is server]

    def repository_named(self, key: str, server=None):
        wanted = key.lower()
        for repository in self.repositories.values():
            if wanted in (repository.id.lower(), repository.uid.lower(), repository.name.lower()) and (server is None or repository.server is server):
                return repository
        return None

    def default_repository(self, server):
        mine = self.repositories_of(server)
        if mine:
            return mine[0]
        repository = Repository(stable_guid('repository', server.id), DEFAULT_REPOSITORY, server)
        self.add_repository(repository)
        return repository

    def backup_for(self, job):
        """The job's backup, made on its first restore point."""
        backup = self.backup_of_job.get(job.id.lower())
        if backup is None:
            storage = self.storage.get(job.id.lower(), {})
            repository = storage.get('repository') or self.default_repository(job.server)
            backup = Backup(storage.get('backup_id') or stable_guid('backup', job.id), job, repository, self._backup_platform(job))
            self.backups[backup.id.lower()] = backup
            self.backup_of_job[job.id.lower()] = backup
            self.chains[backup.id.lower()] = {}
            self.estate.changed('backups')
        return backup

    def _backup_platform(self, job) -> str:
        """A copy job's backup holds the VMs of its source jobs: their platform [I]."""
        if job.job_type not in COPY_JOB_TYPES:
            return job.platform
        for source in self._sources(job):
            return source.platform
        return 'VMware'

    def _sources(self, job) -> list:
        jobs = []
        for item in job.linked.get('LinkedJobIncludes') or ():
            source = self.estate.job(str(item.get('LinkedJobUid', '')).rsplit(':', 1)[-1])
            if source is not None:
                jobs.append(source)
        return jobs

    def backups_in(self, repository) -> list:
        return [backup for backup in self.backups.values() if backup.repository is repository]

    # ------------------------------------------------------------------ runs add points

    def record_run(self, session, per_vm: bool = False, ids: dict = None) -> list:
        """Restore points of a finished run (module docstring); ``ids`` fixes ids from the scenario."""
        job = session.job
        if session.result not in ('Success', 'Warning') or job.kind != VM:
            return []
        if job.job_type == 'Backup':
            items = [_Item(task.vm.ref, task.vm.name, vm_point_time(task), task)
                     for task in session.task_sessions if task.result in ('Success', 'Warning')]
        elif job.job_type in COPY_JOB_TYPES:
            date = point_date(session)
            items = [_Item(point.vm_ref, point.vm_name, date) for point in self._newest_source_points(job, session.created)]
        else:
            return []
        if not items:
            return []
        ids = ids or {}
        backup = self.backup_for(job)
        groups = [[item] for item in items] if per_vm else [items]
        made = [self._restore_point(session, backup, group, index, per_vm, ids) for index, group in enumerate(groups)]
        session.touch()
        self.estate.changed('restore_points', 'sessions', 'task_sessions')
        return made

    def _restore_point(self, session, backup, items, index, per_vm, ids):
        point_id = (ids.get('restore_point') if index == 0 else None) or (
            stable_guid('rp', session.id) if index == 0 else stable_guid('rp', session.id, index))
        point = RestorePoint(str(point_id), backup, session, items[0].time if per_vm else point_date(session))
        wanted = {str(key).lower(): str(value) for key, value in (ids.get('vm_points') or {}).items()}
        quick = session.trigger == 'quick_backup'
        for item in items:
            chain_key = (backup.id.lower(), ref_key(item.ref))
            algorithm, point_type = point_kind(self.created[chain_key], quick)
            self.created[chain_key] += 1
            vm_id = wanted and next((wanted[key] for key in (ref_key(item.ref), local_part(item.ref).lower(), item.name.lower())
                                     if key in wanted), None)
            vm_id = vm_id or stable_guid('vmrp', session.id, item.ref)
            vm_point = VmRestorePoint(vm_id, point, item.ref, item.name, item.time, algorithm, point_type)
            point.vm_points.append(vm_point)
        full = all(vm_point.point_type == 'Full' for vm_point in point.vm_points)
        file_id = (ids.get('backup_file') if index == 0 else None) or stable_guid('backup-file', point.id)
        local = local_part(items[0].ref) if per_vm else None
        point.backup_file = BackupFile(str(file_id), backup_file_name(session.job, point.id, point.created, full, local))
        self._add_point(session, backup, point, items)
        return point

    def _add_point(self, session, backup, point, items):
        self.restore_points[point.id.lower()] = point
        backup.restore_points.append(point)
        session.restore_points.append(point)
        chains = self.chains[backup.id.lower()]
        for vm_point, item in zip(point.vm_points, items):
            vm_point.backup_file = point.backup_file
            self.vm_points[vm_point.id.lower()] = vm_point
            chains.setdefault(ref_key(vm_point.vm_ref), []).append(vm_point)
            if item.task_session is not None:
                vm_point.task_session = item.task_session
                item.task_session.restore_point = vm_point
                item.task_session.touch()
            self._retain(session.job, backup, chains[ref_key(vm_point.vm_ref)])

    def _newest_source_points(self, job, when) -> list:
        """The newest point (at ``when``) of every VM in the backups of the copy job's source jobs."""
        newest = {}
        for source in self._sources(job):
            backup = self.backup_of_job.get(source.id.lower())
            if backup is None:
                continue
            for key, chain in self.chains[backup.id.lower()].items():
                found = next((point for point in reversed(chain) if point.created <= when), None)
                if found is not None and (key not in newest or found.created > newest[key].created):
                    newest[key] = found
        return sorted(newest.values(), key=lambda point: (point.created, point.vm_name))

    # ------------------------------------------------------------------ retention

    def _retention(self, job) -> tuple:
        policy = job.settings.get('SimpleRetentionPolicy')
        if policy:
            if str(policy.get('RetainLimitType', 'Cycles')).lower() == 'days':
                return 'days', max(int(policy.get('RetainDaysToKeep') or 1), 1)
            return 'cycles', max(int(policy.get('RetainCycles') or 1), 1)
        return 'cycles', max(int(self.storage.get(job.id.lower(), {}).get('cycles') or DEFAULT_CYCLES), 1)

    def _retain(self, job, backup, chain) -> None:
        kind, limit = self._retention(job)
        if kind == 'cycles':
            while len(chain) > limit:
                self._remove(chain.pop(0))
        else:
            oldest = chain[-1].created - timedelta(days=limit)
            while chain and chain[0].created < oldest:
                self._remove(chain.pop(0))

    def _remove(self, vm_point) -> None:
        self.vm_points.pop(vm_point.id.lower(), None)
        point = vm_point.restore_point
        point.vm_points.remove(vm_point)
        point.touch()
        if vm_point.task_session is not None and vm_point.task_session.restore_point is vm_point:
            vm_point.task_session.restore_point = None
            vm_point.task_session.touch()
        if not point.vm_points:
            self.restore_points.pop(point.id.lower(), None)
            point.backup.restore_points.remove(point)
            if point in point.session.restore_points:
                point.session.restore_points.remove(point)
                point.session.touch()

    # ------------------------------------------------------------------ restore sessions

    def add_restore_session(self, session) -> None:
        self.restore_sessions[session.id.lower()] = session
        self.estate.changed('restore_sessions')

    def restores_of(self, vm_ref: str) -> list:
        key = ref_key(vm_ref)
        return [record for record in self.restores if ref_key(record.vm_ref) == key]

    # ------------------------------------------------------------------ VMs that a restore replaced

    def current_ref(self, ref: str) -> str:
        """The ref a VM has now: a restore with a new managed-object id replaced the old one."""
        seen = set()
        while ref_key(ref) in self.renamed and ref_key(ref) not in seen:
            seen.add(ref_key(ref))
            ref = self.renamed[ref_key(ref)]
        return ref

    def counts(self) -> dict:
        return {'repositories': len(self.repositories), 'backups': len(self.backups), 'restore_points': len(self.restore_points),
                'vm_restore_points': len(self.vm_points), 'restore_sessions': len(self.restore_sessions)}
