# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The objects of the simulated estate.

Every object that is rendered has ``id`` and ``rev``; ``touch()`` bumps ``rev`` so cached
renderings (render.Fragment) are not reused after a change.
"""

from __future__ import annotations

from collections import deque

# job kinds and their URL families / UID kinds [jobs.md, agent-and-nas-jobs.md]
VM, AGENT, NAS = 'vm', 'agent', 'nas'
UID_KIND = {VM: 'Job', AGENT: 'AgentBackupJob', NAS: 'NasJob'}
VM_JOB_TYPES = ('Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy')
COPY_JOB_TYPES = ('BackupCopy', 'ImmediateBackupCopy')
SESSION_JOB_TYPE = {'Backup': 'Backup', 'Replica': 'Replica', 'BackupCopy': 'BackupCopy',
                    'ImmediateBackupCopy': 'ImmediateBackupCopy', 'AgentBackup': 'AgentBackup', 'NasBackup': 'NasBackup'}
RESULTS = ('Success', 'Warning', 'Failed')
ROLES = ('PortalAdministrator', 'PortalUser', 'RestoreOperator', 'FileRestoreOperator')
# what started a run: the schedule, a job action, a quick backup (GET /_sim/jobs shows it)
TRIGGERS = ('schedule', 'start', 'retry', 'sync', 'quick_backup')


class Touchable:
    __slots__ = ('rev',)

    def touch(self) -> None:
        self.rev += 1


class BackupServer(Touchable):
    __slots__ = ('id', 'name', 'description', 'port', 'build', 'wcf_port', 'thumbprint')

    def __init__(self, id_, name, description='', port=9392, build='12.3.2.4465', wcf_port=9405, thumbprint=''):
        self.id = id_
        self.name = name
        self.description = description
        self.port = port
        self.build = build
        self.wcf_port = wcf_port
        self.thumbprint = thumbprint
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:BackupServer:{self.id}'


class HierarchyRoot(Touchable):
    """A vCenter, Hyper-V host/cluster/SCVMM or Cloud Director added to a backup server [hierarchy.md]."""

    __slots__ = ('id', 'name', 'host_type', 'unique_id', 'server', 'platform', 'objects')

    def __init__(self, id_, name, host_type, unique_id, server, platform):
        self.id = id_
        self.name = name
        self.host_type = host_type
        self.unique_id = unique_id
        self.server = server
        self.platform = platform
        self.objects = []
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:HierarchyRoot:{self.id}'


class InventoryObject:
    """A VM or container under a hierarchy root; ``ref`` is its HierarchyObjRef."""

    __slots__ = ('ref', 'root', 'type', 'local_ref', 'name', 'parents')

    def __init__(self, root, type_, local_ref, name, parents=()):
        self.root = root
        self.type = type_
        self.local_ref = local_ref
        self.name = name
        self.parents = tuple(parents)
        self.ref = f'urn:{root.platform}:{type_}:{root.id}.{local_ref}'

    @property
    def is_vm(self):
        return self.type == 'Vm'


class Include(Touchable):
    """An object in a job: VM/container (VM jobs), computer or protection group (agent), share (NAS)."""

    __slots__ = ('id', 'job', 'ref', 'name', 'display_name', 'guest_processing', 'nas')

    def __init__(self, id_, job, ref, name, display_name=None, guest_processing=None, nas=None):
        self.id = id_
        self.job = job
        self.ref = ref
        self.name = name
        self.display_name = display_name if display_name is not None else name
        self.guest_processing = guest_processing
        self.nas = nas
        self.rev = 0


class Job(Touchable):
    """A VM, agent or NAS job with its settings, includes, run history and test hooks."""

    __slots__ = ('id', 'name', 'kind', 'job_type', 'platform', 'server', 'description', 'schedule_configured',
                 'schedule_enabled', 'next_run', 'schedule', 'settings', 'includes', 'linked', 'storage',
                 'sessions', 'run_duration', 'run_result', 'outcomes', 'counts', 'pending_runs', 'pending_includes',
                 'quick_runs', 'quick_run')

    def __init__(self, id_, name, kind, job_type, platform, server, description=''):
        self.id = id_
        self.name = name
        self.kind = kind
        self.job_type = job_type
        self.platform = platform
        self.server = server
        self.description = description
        self.schedule_configured = True
        self.schedule_enabled = True
        self.next_run = None
        self.schedule = {}
        self.settings = {}
        self.includes = []
        self.linked = {'LinkedJobIncludes': [], 'LinkedBackupIncludes': [], 'LinkedBackupRepositoryIncludes': []}
        self.storage = None
        self.sessions = []
        self.run_duration = None
        self.run_result = None
        self.outcomes = deque()
        self.counts = {'start': 0, 'stop': 0, 'retry': 0, 'sync': 0, 'toggle': 0, 'edit': 0, 'clone': 0,
                       'include_add': 0, 'include_remove': 0, 'delete': 0}
        self.counts['quick_backup'] = 0
        self.pending_runs = 0
        self.pending_includes = []  # added on the backup server, not yet shown by EM (include_visibility_delay)
        self.quick_runs = deque()  # quick-backup runs accepted and not started yet, in order (quick_backup.py)
        self.quick_run = None  # the newest quick-backup run (quick_backup_busy_job=merge joins it while it has not begun)
        self.rev = 0

    @property
    def uid(self):
        return f'urn:veeam:{UID_KIND[self.kind]}:{self.id}'

    @property
    def session_family(self):
        return 'replica' if self.job_type == 'Replica' else 'backup'

    def running_session(self):
        for session in reversed(self.sessions):
            if session.state != 'Stopped':
                return session
        return None

    @property
    def busy(self) -> bool:
        """Running, or a start accepted whose session does not exist yet."""
        return self.pending_runs > 0 or self.running_session() is not None

    def last_finished_session(self):
        for session in reversed(self.sessions):
            if session.state == 'Stopped':
                return session
        return None


class JobSession(Touchable):
    """One run of a job [sessions.md]; ``family`` is ``backup`` or ``replica``.

    ``restore_points`` are the RestorePoints (catalog.py) the run created, ``trigger`` one of TRIGGERS.
    """

    __slots__ = ('id', 'job', 'family', 'job_type', 'created', 'ended', 'state', 'result', 'progress', 'is_retry',
                 'task_sessions', 'restore_points', 'trigger', 'epoch', 'window', 'changes', 'planned')

    def __init__(self, id_, job, created, is_retry=False, trigger='start'):
        self.id = id_
        self.job = job
        self.family = job.session_family
        self.job_type = SESSION_JOB_TYPE.get(job.job_type, job.job_type)
        self.created = created
        self.ended = None
        self.state = 'Starting'
        self.result = 'None'
        self.progress = 0
        self.is_retry = is_retry
        self.task_sessions = []
        self.restore_points = []
        self.trigger = trigger
        self.epoch = 0
        self.window = None
        self.changes = None  # (time, state) of each change of a live run, for EM's delayed view (collect.py)
        self.planned = None  # (result, duration) of a live run (runs.py)
        self.rev = 0

    @property
    def uid(self):
        kind = 'ReplicaJobSession' if self.family == 'replica' else 'BackupJobSession'
        return f'urn:veeam:{kind}:{self.id}'


class TaskSession(Touchable):
    """Processing of one VM within a job session [sessions.md "Backup task sessions", "ReplicaTaskSession"]: a
    ``BackupTaskSession``, or a ``ReplicaTaskSession`` when its session is a replica run.

    ``restore_point`` is the VmRestorePoint (catalog.py) the task created, if any.
    """

    __slots__ = ('id', 'session', 'vm', 'created', 'ended', 'state', 'result', 'reason', 'total_size', 'restore_point', 'changes')

    def __init__(self, id_, session, vm, created, total_size):
        self.id = id_
        self.session = session
        self.vm = vm
        self.created = created
        self.ended = None
        self.state = 'Pending'
        self.result = 'None'
        self.reason = ''
        self.total_size = total_size
        self.restore_point = None
        self.changes = None  # as JobSession.changes
        self.rev = 0

    @property
    def uid(self):
        kind = 'ReplicaTaskSession' if self.session.family == 'replica' else 'BackupTaskSession'
        return f'urn:veeam:{kind}:{self.id}'


class Account:
    __slots__ = ('username', 'password', 'roles')

    def __init__(self, username, password, roles):
        self.username = username
        self.password = password
        self.roles = frozenset(roles)


class LogonSession:
    """A logon session: its token, its owner, its tasks [auth.md, tasks.md]; times in real seconds."""

    __slots__ = ('id', 'token', 'account', 'api_version', 'created', 'created_wall', 'last_used', 'tasks', 'task_counter')

    def __init__(self, id_, token, account, api_version, now):
        self.id = id_
        self.token = token
        self.account = account
        self.api_version = api_version
        self.created = now
        self.created_wall = None
        self.last_used = now
        self.tasks = {}
        self.task_counter = 0


class Task(Touchable):
    """The asynchronous handle of an accepted request [tasks.md]."""

    __slots__ = ('id', 'logon', 'operation', 'state', 'success', 'message', 'related', 'reads')

    def __init__(self, id_, logon, operation):
        self.id = id_
        self.logon = logon
        self.operation = operation
        self.state = 'Running'
        self.success = None
        self.message = None
        self.related = None
        self.reads = 0  # GET /tasks/{id} answers so far (task_vanish_after_polls)
        self.rev = 0
