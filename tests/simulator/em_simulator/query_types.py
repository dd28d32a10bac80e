# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query types of ``GET /api/query``: their filter/sort fields, records, roles and result placement.

Field tables are those of query.md "Filter/sort fields" and sessions.md [D: get_query_<type>];
``BackupTaskSession`` has ``JobUid``/``JobName`` although its entity carries only ``JobSessionUid``,
and no ``VmUid`` [D: get_query_backuptasksession]; ``ReplicaTaskSession`` has the same fields
[D: get_query_replicatasksession] and holds the task sessions of replica runs, which
``BackupTaskSession`` does not. The restore-side types are in
restore_query_types.py. Enumerations compare by
declaration index [D: query_comparison]; ``Result`` is ``None`` < ``Success`` < ``Warning`` <
``Failed`` — ``None`` (the run has no result yet) first [I]. Records come in the order the
estate holds them (creation order) unless sorted [I].
"""

from __future__ import annotations

from .collect import seen_sessions, seen_task_sessions
from .context import ADMIN, FILE_RESTORE, RESTORE, USER
from .model import AGENT, NAS, VM
from .query_filter import FieldType
from .views import session_name, task_session_name

STRING, BOOL, INT, DATETIME = FieldType.STRING, FieldType.BOOL, FieldType.INT, FieldType.DATETIME
VM_JOB_TYPE = FieldType.ENUM('Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy')
PLATFORM = FieldType.ENUM('VMware', 'HyperV', 'vCloud', 'CustomPlatform')
SESSION_JOB_TYPE = FieldType.ENUM('Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy', 'ImmediateBackupCopyWorker',
                                  'AgentBackup', 'AgentManagement', 'NasBackup')
SESSION_STATE = FieldType.ENUM('Starting', 'Stopping', 'Working', 'Pausing', 'Resuming', 'Stopped')
RESULT = FieldType.ENUM('None', 'Success', 'Warning', 'Failed')
TASK_SESSION_STATE = FieldType.ENUM('Pending', 'InProgress', 'Completed')
TASK_STATE = FieldType.ENUM('Running', 'OperationFinished', 'Finished')
AGENT_PLATFORM = FieldType.ENUM('AgentForWindows', 'AgentForLinux')


class QueryType:
    """``fields``: declared name -> (FieldType, getter(record, style))."""

    def __init__(self, name, fields, records, roles, placement, kind, generations=()):
        self.name = name
        self.fields = fields
        self.field_types = {field: spec[0] for field, spec in fields.items()}
        self.getters = {field.lower(): spec[1] for field, spec in fields.items()}
        self.records = records
        self.roles = roles
        self.placement = placement      # ('Entities'|'Resources', list key, always resources?)
        self.kind = kind                # views fragment kind
        self.generations = generations  # estate collections whose changes alter the records; None = never cache


def _server_fields(get_server):
    return {'BackupServerUid': (STRING, lambda obj, style: get_server(obj).uid),
            'BackupServerName': (STRING, lambda obj, style: get_server(obj).name)}


def _job_fields(job_type, platform, with_next_run=True):
    fields = {'UID': (STRING, lambda job, style: job.uid), 'Name': (STRING, lambda job, style: job.name),
              'Description': (STRING, lambda job, style: job.description)}
    if with_next_run:
        fields['NextRun'] = (DATETIME, lambda job, style: job.next_run if job.schedule_configured and job.schedule_enabled else None)
    if job_type is not None:
        fields['JobType'] = (job_type, lambda job, style: job.job_type)
        fields['Platform'] = (platform, lambda job, style: job.platform)
    fields['ScheduleConfigured'] = (BOOL, lambda job, style: job.schedule_configured)
    fields['ScheduleEnabled'] = (BOOL, lambda job, style: job.schedule_enabled)
    fields.update(_server_fields(lambda job: job.server))
    return fields


def _session_fields():
    fields = {
        'UID': (STRING, lambda session, style: session.uid), 'Name': (STRING, session_name),
        'JobType': (SESSION_JOB_TYPE, lambda session, style: session.job_type), 'JobUid': (STRING, lambda session, style: session.job.uid),
        'JobName': (STRING, lambda session, style: session.job.name), 'CreationTime': (DATETIME, lambda session, style: session.created),
        'EndTime': (DATETIME, lambda session, style: session.ended), 'State': (SESSION_STATE, lambda session, style: session.state),
        'Result': (RESULT, lambda session, style: session.result), 'IsRetry': (BOOL, lambda session, style: session.is_retry)}
    fields.update(_server_fields(lambda session: session.job.server))
    return fields


def _task_session_fields():
    fields = {
        'UID': (STRING, lambda item, style: item.uid), 'Name': (STRING, task_session_name),
        'CreationTime': (DATETIME, lambda item, style: item.created), 'EndTime': (DATETIME, lambda item, style: item.ended),
        'State': (TASK_SESSION_STATE, lambda item, style: item.state), 'Result': (RESULT, lambda item, style: item.result),
        'Reason': (STRING, lambda item, style: item.reason), 'TotalSize': (INT, lambda item, style: item.total_size),
        'JobSessionUid': (STRING, lambda item, style: item.session.uid), 'JobUid': (STRING, lambda item, style: item.session.job.uid),
        'JobName': (STRING, lambda item, style: item.session.job.name)}
    fields.update(_server_fields(lambda item: item.session.job.server))
    fields['VmDisplayName'] = (STRING, lambda item, style: item.vm.name)
    return fields


def _include_fields():
    fields = {'UID': (STRING, lambda include, style: include.id), 'Name': (STRING, lambda include, style: include.name),
              'JobUid': (STRING, lambda include, style: include.job.uid), 'JobName': (STRING, lambda include, style: include.job.name)}
    fields.update(_server_fields(lambda include: include.job.server))
    return fields


def _sessions_of(family):
    return lambda ctx: seen_sessions(ctx, [session for session in ctx.estate.sessions.values() if session.family == family])


def _task_sessions_of(family):
    return lambda ctx: seen_task_sessions(ctx, ctx.estate.task_sessions_of(family))


STAFF = (ADMIN, USER)
ALL = (ADMIN, USER, RESTORE, FILE_RESTORE)
QUERY_TYPES = {qt.name.lower(): qt for qt in (
    QueryType('Job', _job_fields(VM_JOB_TYPE, PLATFORM), lambda ctx: ctx.estate.jobs_of(VM), (ADMIN,), ('Entities', 'Jobs'), 'job',
              ('jobs',)),
    QueryType('ObjectInJob', _include_fields(), lambda ctx: [include for include in ctx.estate.includes.values() if include.job.kind == VM],
              (ADMIN,), ('Resources', 'sInObjectJob'), 'include', ('includes', 'jobs')),
    QueryType('BackupJobSession', _session_fields(), _sessions_of('backup'), STAFF, ('Entities', 'BackupJobSessions'), 'backup_session',
              ('sessions',)),
    QueryType('ReplicaJobSession', _session_fields(), _sessions_of('replica'), STAFF, ('Entities', 'ReplicaJobSessions'),
              'replica_session', ('sessions',)),
    QueryType('BackupTaskSession', _task_session_fields(), _task_sessions_of('backup'), STAFF, ('Entities', 'BackupTaskSessions'),
              'task_session', ('task_sessions', 'jobs')),
    QueryType('ReplicaTaskSession', _task_session_fields(), _task_sessions_of('replica'), STAFF, ('Entities', 'ReplicaTaskSessions'),
              'replica_task_session', ('task_sessions', 'jobs')),
    QueryType('BackupServer', {'UID': (STRING, lambda server, style: server.uid), 'Name': (STRING, lambda server, style: server.name),
                               'Description': (STRING, lambda server, style: server.description),
                               'IpOrDnsName': (STRING, lambda server, style: server.name), 'Port': (INT, lambda server, style: server.port),
                               'Version': (STRING, lambda server, style: server.build)},
              lambda ctx: list(ctx.estate.servers.values()), STAFF, ('Entities', 'BackupServers'), 'server', ('servers',)),
    QueryType('HierarchyRoot', dict({'UID': (STRING, lambda root, style: root.uid), 'Name': (STRING, lambda root, style: root.name),
                                     'UniqueId': (STRING, lambda root, style: root.unique_id),
                                     'HostType': (STRING, lambda root, style: root.host_type)}, **_server_fields(lambda root: root.server)),
              lambda ctx: list(ctx.estate.roots.values()), STAFF, ('Entities', 'HierarchyRoots'), 'root', ('roots',)),
    QueryType('Task', {'TaskId': (STRING, lambda task, style: task.id), 'State': (TASK_STATE, lambda task, style: task.state),
                       'Operation': (STRING, lambda task, style: task.operation)},
              lambda ctx: list(ctx.logon.tasks.values()), ALL, ('Resources', 'Tasks'), 'task', None),
    QueryType('AgentBackupJob', _job_fields(FieldType.ENUM('AgentBackup'), AGENT_PLATFORM, with_next_run=False),
              lambda ctx: ctx.estate.jobs_of(AGENT), (ADMIN,), ('Entities', 'AgentBackupJob'), 'agent_job', ('jobs',)),
    QueryType('NasJob', _job_fields(None, None), lambda ctx: ctx.estate.jobs_of(NAS), (ADMIN,), ('Entities', 'NASJobs'), 'nas_job', ('jobs',)),
)}

# every type EM documents [D: query_type]; those not above answer 501
DOCUMENTED_TYPES = {name.lower() for name in (
    'AgentBackupJob', 'AgentProtectionGroup', 'AgentRestorePoint', 'Backup', 'BackupFile', 'BackupJobSession', 'BackupServer',
    'BackupTaskSession', 'CdpPolicy', 'CdpReplica', 'CdpReplicaSession', 'CdpReplicaTaskSession', 'CloudGateway', 'CloudTenant',
    'CloudReplica', 'CloudHardwarePlan', 'CloudPublicIp', 'CloudFailoverPlan', 'CloudGatewayPool', 'CloudFailoverSession',
    'CloudVmReplicaPoint', 'Credentials', 'DiscoveredComputer', 'FailoverPlan', 'FileServer', 'HierarchyRoot', 'Job', 'ManagedServer',
    'NasJob', 'NasObject', 'ObjectInJob', 'Passwords', 'Replica', 'ReplicaJobSession', 'ReplicaTaskSession', 'Repository',
    'RestorePoint', 'RestoreSession', 'Task', 'vAppReplicaPoint', 'vAppRestorePoint', 'VCloudOrganizationConfig', 'VlanConfiguration',
    'VmReplicaPoint', 'VmRestorePoint', 'VsphereSelfServiceConfig', 'WanAccelerator')}

# the restore side (restore_query_types.py imports this module, so it is registered last)
from .restore_query_types import RESTORE_QUERY_TYPES  # noqa: E402  pylint: disable=wrong-import-position

QUERY_TYPES.update(RESTORE_QUERY_TYPES)
