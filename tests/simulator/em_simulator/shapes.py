# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every EM representation the simulator serves, declared once (XML order and JSON order).

Sources: the element tables of the reference pages and the files in examples/ (names in brackets).
"""

from __future__ import annotations

from .dsl import BOOL, CLOCK, DATETIME, INT, Attr, Child, Elem, Items, Links, List, Repeat, Shape, StrList, Text
from .restore_shapes import ENTITY_LISTS as RESTORE_ENTITY_LISTS

# ------------------------------------------------------------------ common

LINK = Shape('Link', [Attr('Href'), Attr('Name'), Attr('Type'), Attr('Rel')], json_order=['Rel', 'Href', 'Name', 'Type'])

# EntityReferences/Ref and EntityRef [examples/jobs-refs.*, query-job-refs.*]
REF = Shape('Ref', [Attr('Type'), Attr('Href'), Attr('Name'), Attr('UID'), Links()],
            json_order=['Links', 'UID', 'Name', 'Href', 'Type'])
ENTITY_REFERENCES = Shape('EntityReferences', [Items('Ref', 'Refs', REF)])

# Error [errors.md; examples/error-*]
ERROR = Shape('Error', [Attr('Message'), Attr('StatusCode', INT), Attr('Status'),
                        Elem('FirstChanceExceptionMessage'), Elem('StackTrace')],
              json_order=['FirstChanceExceptionMessage', 'Message', 'StackTrace', 'Status', 'StatusCode'])

# ------------------------------------------------------------------ entry point and logon [auth.md]

SUPPORTED_VERSION = Shape('SupportedVersion', [Attr('Name'), Links()], json_order=['Links', 'Name'])
ENTERPRISE_MANAGER = Shape('EnterpriseManager', [
    Attr('Href'), Attr('Type'), Links(), List('SupportedVersions', 'SupportedVersion', 'SupportedVersions', SUPPORTED_VERSION)])
LOGON_SESSION = Shape('LogonSession', [Attr('Href'), Attr('Type'), Links(), Elem('UserName'), Elem('SessionId')])
LOGON_SESSIONS = Shape('LogonSessions', [Items('LogonSession', 'LogonSessions', LOGON_SESSION)])

# ------------------------------------------------------------------ schedule [jobs.md "JobScheduleOptions/Standart"]

RETRY_OPTIONS = Shape('RetryOptions', [
    Elem('RetryTimes', INT), Elem('RetryTimeout', INT), Elem('RetrySpecified', BOOL, json_name='RetrySpecified1')])
DAY = Shape('Day', [Attr('Name'), Text()], json_order=['Name', 'Value'])
OPTIONS_DAILY = Shape('OptionsDaily', [
    Attr('Enabled', BOOL), Elem('Kind'), Repeat('Days'), Elem('Time', CLOCK), Elem('TimeOffsetUtc', INT)])
OPTIONS_MONTHLY = Shape('OptionsMonthly', [
    Attr('Enabled', BOOL), Elem('Time', CLOCK), Elem('TimeOffsetUtc', INT), Elem('DayNumberInMonth'), Elem('DayOfWeek'),
    Repeat('Months'), Elem('DayOfMonth', INT)])
OPTIONS_PERIODICALLY = Shape('OptionsPeriodically', [
    Attr('Enabled', BOOL), Elem('Kind'), Elem('FullPeriod', INT), List('Schedule', 'Day', 'Days', DAY)])
OPTIONS_CONTINUOUS = Shape('OptionsContinuous', [Attr('Enabled', BOOL), List('Schedule', 'Day', 'Days', DAY)])
OPTIONS_BACKUP_WINDOW = Shape('OptionsBackupWindow', [Attr('Enabled', BOOL), List('TimePeriods', 'Day', 'Days', DAY)])
OPTIONS_DAISY_CHAINING = Shape('OptionsDaisyChaining', [Attr('Enabled', BOOL), Elem('PreviousJobUid')])
STANDART = Shape('Standart', [
    Child('RetryOptions', RETRY_OPTIONS), Elem('WaitForBackupCompletion', BOOL), Elem('BackupCompetitionWaitingPeriodMin', INT),
    Child('OptionsDaily', OPTIONS_DAILY), Child('OptionsMonthly', OPTIONS_MONTHLY), Child('OptionsPeriodically', OPTIONS_PERIODICALLY),
    Child('OptionsContinuous', OPTIONS_CONTINUOUS), Child('OptionsBackupWindow', OPTIONS_BACKUP_WINDOW),
    Child('OptionsDaisyChaining', OPTIONS_DAISY_CHAINING)])
IMMEDIATE_COPY_MODE = Shape('ImmediateCopyMode', [Child('OptionsContinuous', OPTIONS_CONTINUOUS)])
JOB_SCHEDULE_OPTIONS = Shape('JobScheduleOptions', [
    Child('Standart', STANDART), Child('ImmediateCopyMode', IMMEDIATE_COPY_MODE), Links(), Attr('Href'), Attr('Type')])

# ------------------------------------------------------------------ guest processing [jobs.md "GuestProcessingOptions"]

VSS_SNAPSHOT_OPTIONS = Shape('VssSnapshotOptions', [
    Elem('VssSnapshotMode'), Elem('IsCopyOnly', BOOL), Elem('UsePersistentGuestAgent', BOOL, omit_null=True)])
FS_INDEXING_OPTIONS = Shape('GuestFSIndexingOptions', [
    Elem('FileSystemIndexingMode'), StrList('IncludedIndexingFolders'), StrList('ExcludedIndexingFolders')])
SQL_BACKUP_OPTIONS = Shape('SqlBackupOptions', [
    Elem('TransactionLogsProcessing'), Elem('BackupLogsFrequencyMin', INT), Elem('UseDbBackupRetention', BOOL), Elem('RetainDays', INT)])
GUEST_PROCESSING_OPTIONS = Shape('GuestProcessingOptions', [
    # legacy properties: JSON only, always null [D: resource_representation_for_ke]
    Elem('AppAwareProcessingMode'), Elem('FileSystemIndexingMode'), Elem('IncludedIndexingFolders'),
    Elem('ExcludedIndexingFolders'), Elem('CredentialsId'),
    Child('VssSnapshotOptions', VSS_SNAPSHOT_OPTIONS), Child('WindowsGuestFSIndexingOptions', FS_INDEXING_OPTIONS),
    Child('LinuxGuestFSIndexingOptions', FS_INDEXING_OPTIONS), Child('SqlBackupOptions', SQL_BACKUP_OPTIONS),
    Elem('WindowsCredentialsId'), Elem('LinuxCredentialsId'),
    # not modelled: always null in JSON, absent in XML [examples/job-entity.json]
    Elem('FSFileExcludeOptions'), Elem('OracleBackupOptions')])

# ------------------------------------------------------------------ includes [jobs.md "Includes"]

OBJECT_IN_JOB = Shape('ObjectInJob', [
    Attr('Type'), Attr('Href'), Links(), Elem('ObjectInJobId'), Elem('HierarchyObjRef'), Elem('Name'), Elem('DisplayName'),
    Child('GuestProcessingOptions', GUEST_PROCESSING_OPTIONS)])
OBJECTS_IN_JOB = Shape('ObjectsInJob', [Items('ObjectInJob', 'ObjectInJobs', OBJECT_IN_JOB)])
CREATE_OBJECT_IN_JOB_SPEC = Shape('CreateObjectInJobSpec', [
    Elem('HierarchyObjRef'), Elem('HierarchyObjName'), Elem('Order', INT), Child('GuestProcessingOptions', GUEST_PROCESSING_OPTIONS)])

# ------------------------------------------------------------------ retention [jobs.md "JobInfo variants"]

GFS_WEEKLY = Shape('Weekly', [Elem('Enabled', BOOL), Elem('RetentionPeriod', INT), Elem('SelectedDay')])
GFS_MONTHLY = Shape('Monthly', [Elem('Enabled', BOOL), Elem('RetentionPeriod', INT), Elem('SelectedWeek')])
GFS_YEARLY = Shape('Yearly', [Elem('Enabled', BOOL), Elem('RetentionPeriod', INT), Elem('SelectedMonth')])
GFS_RETENTION_POLICY = Shape('GfsRetentionPolicy', [
    Attr('Enabled', BOOL), Child('Weekly', GFS_WEEKLY), Child('Monthly', GFS_MONTHLY), Child('Yearly', GFS_YEARLY)])
SIMPLE_RETENTION_POLICY = Shape('SimpleRetentionPolicy', [
    Elem('RetainCycles', INT), Elem('RetainDaysToKeep', INT), Elem('RetainLimitType')])
ADVANCED_STORAGE_OPTIONS = Shape('AdvancedStorageOptions', [Elem('PasswordKeyId')])

# ------------------------------------------------------------------ JobInfo [jobs.md; examples/job-entity*.xml]

LINKED_JOB_OBJECT = Shape('LinkedJobObject', [Elem('ObjectInJobId'), Elem('LinkedJobUid')])
LINKED_BACKUP = Shape('LinkedBackup', [Elem('ObjectInJobId'), Elem('LinkedBackupUid')])
LINKED_BACKUP_REPOSITORY = Shape('LinkedBackupRepository', [Elem('ObjectInJobId'), Elem('LinkedBackupRepositoryUid')])
_INCLUDES = List('Includes', 'ObjectInJob', 'ObjectInJobs', OBJECT_IN_JOB)
_LINKED_JOBS = List('LinkedJobIncludes', 'LinkedJobObject', 'LinkedJobObjects', LINKED_JOB_OBJECT)
_LINKED_BACKUPS = List('LinkedBackupIncludes', 'LinkedBackup', 'LinkedBackups', LINKED_BACKUP)
_LINKED_REPOSITORIES = List('LinkedBackupRepositoryIncludes', 'LinkedBackupRepository', 'LinkedBackupRepositories',
                            LINKED_BACKUP_REPOSITORY)
BACKUP_JOB_INFO = Shape('BackupJobInfo', [
    _INCLUDES, Child('GuestProcessingOptions', GUEST_PROCESSING_OPTIONS), Child('AdvancedStorageOptions', ADVANCED_STORAGE_OPTIONS),
    Child('GfsRetentionPolicy', GFS_RETENTION_POLICY), Child('SimpleRetentionPolicy', SIMPLE_RETENTION_POLICY)])
REPLICA_JOB_INFO = Shape('ReplicaJobInfo', [_INCLUDES, Child('GuestProcessingOptions', GUEST_PROCESSING_OPTIONS)])
BACKUP_COPY_JOB_INFO = Shape('BackupCopyJobInfo', [
    _INCLUDES, _LINKED_JOBS, Child('AdvancedStorageOptions', ADVANCED_STORAGE_OPTIONS), _LINKED_BACKUPS])
IMMEDIATE_BACKUP_COPY_JOB_INFO = Shape('ImmediateBackupCopyJobInfo', [_LINKED_JOBS, _LINKED_BACKUPS, _LINKED_REPOSITORIES])
JOB_INFO = Shape('JobInfo', [
    Child('BackupJobInfo', BACKUP_JOB_INFO), Elem('FileCopyJobInfo'), Child('ReplicaJobInfo', REPLICA_JOB_INFO),
    Child('BackupCopyJobInfo', BACKUP_COPY_JOB_INFO), Child('ImmediateBackupCopyJobInfo', IMMEDIATE_BACKUP_COPY_JOB_INFO)])
JOB_INFO_VARIANTS = {
    'Backup': 'BackupJobInfo', 'Replica': 'ReplicaJobInfo', 'BackupCopy': 'BackupCopyJobInfo',
    'ImmediateBackupCopy': 'ImmediateBackupCopyJobInfo'}

# ------------------------------------------------------------------ Job [jobs.md "Job entity"]

_JOB_HEAD = [Attr('Type'), Attr('Href'), Attr('Name'), Attr('UID'), Links()]
_JOB_SCHEDULE = [Elem('ScheduleConfigured', BOOL), Elem('ScheduleEnabled', BOOL), Elem('NextRun', DATETIME),
                 Child('JobScheduleOptions', JOB_SCHEDULE_OPTIONS)]
JOB = Shape('Job', _JOB_HEAD + [Elem('JobType'), Elem('Platform'), Elem('Description')] + _JOB_SCHEDULE
            + [Child('JobInfo', JOB_INFO)])
JOBS = Shape('Jobs', [Items('Job', 'Jobs', JOB)])

JOB_CLONE_INFOS = {
    # [D: post_jobs_id_actionclone] child per source job type, elements in XML order
    'BackupJobCloneInfo': Shape('BackupJobCloneInfo', [
        Elem('JobName'), Elem('FolderName'), Elem('RepositoryUid'), Elem('Description')]),
    'ReplicaJobCloneInfo': Shape('ReplicaJobCloneInfo', [Elem('JobName'), Elem('VmSuffix'), Elem('Description')]),
    'BackupCopyJobCloneInfo': Shape('BackupCopyJobCloneInfo', [
        Elem('JobName'), Elem('JobFileName'), Elem('RepositoryUid'), Elem('Description')]),
    'ImmediateBackupCopyJobCloneInfo': Shape('ImmediateBackupCopyJobCloneInfo', [
        Elem('JobName'), Elem('Description'), Elem('RepositoryUid'), Elem('JobFileName')]),
}
JOB_CLONE_SPEC = Shape('JobCloneSpec', [Child(name, shape) for name, shape in JOB_CLONE_INFOS.items()])
CLONE_INFO_FOR_JOB_TYPE = {
    'Backup': 'BackupJobCloneInfo', 'Replica': 'ReplicaJobCloneInfo', 'BackupCopy': 'BackupCopyJobCloneInfo',
    'ImmediateBackupCopy': 'ImmediateBackupCopyJobCloneInfo'}

# ------------------------------------------------------------------ agent and NAS jobs [agent-and-nas-jobs.md]

OBJECT_IN_AGENT_BACKUP_JOB = Shape('ObjectInAgentBackupJob', [
    Attr('Type'), Attr('Href'), Links(), Elem('ObjectInJobId'), Elem('Name'), Elem('DisplayName'),
    Child('GuestProcessingOptions', GUEST_PROCESSING_OPTIONS)])
OBJECTS_IN_AGENT_BACKUP_JOB = Shape('ObjectsInAgentBackupJob', [
    Items('ObjectInAgentBackupJob', 'ObjectInAgentBackupJobs', OBJECT_IN_AGENT_BACKUP_JOB)])
AGENT_JOB_INFO = Shape('AgentJobInfo', [
    List('Includes', 'ObjectInAgentBackupJob', 'ObjectInAgentBackupJobs', OBJECT_IN_AGENT_BACKUP_JOB),
    Child('GuestProcessingOptions', GUEST_PROCESSING_OPTIONS), Child('GfsRetentionPolicy', GFS_RETENTION_POLICY),
    Child('SimpleRetentionPolicy', SIMPLE_RETENTION_POLICY)])
AGENT_BACKUP_JOB = Shape('AgentBackupJob', _JOB_HEAD + [Elem('JobType'), Elem('Platform'), Elem('Description')] + _JOB_SCHEDULE
                         + [Child('JobInfo', AGENT_JOB_INFO)])
AGENT_BACKUP_JOBS = Shape('AgentBackupJobs', [Items('AgentBackupJob', 'AgentBackupJobs', AGENT_BACKUP_JOB)])

NAS_OBJECT = Shape('NASObject', [
    Attr('Type'), Attr('Href'), Links(), Elem('HierarchyObjRef'), Elem('ObjectInJobId'), Elem('FileOrFolder'), Elem('FileServerUid'),
    List('InclusionMask', 'Extension', 'Extensions', 'str'), List('ExclusionMask', 'Extension', 'Extensions', 'str')])
NAS_OBJECTS = Shape('NASObjects', [Items('NASObject', 'NASObjects', NAS_OBJECT)])
NAS_ACL = Shape('ACL', [Elem('FileAttributesChangeTrackingMode')])
NAS_ADVANCED_STORAGE_OPTIONS = Shape('AdvancedStorageOptions', [Child('ACL', NAS_ACL)])
NAS_STORAGE_OPTIONS = Shape('StorageOptions', [
    Elem('BackupRepositoryUid'), Elem('ShorttermRetentionType'), Elem('ShorttermRetentionPeriod', INT),
    Elem('LongtermRetentionEnabled', BOOL), Elem('KeepFileVersionsHistoryOptions'),
    Child('AdvancedStorageOptions', NAS_ADVANCED_STORAGE_OPTIONS)])
NAS_JOB = Shape('NASJob', _JOB_HEAD + [
    Elem('Description'), List('Includes', 'NASObject', 'NASObjects', NAS_OBJECT), Child('StorageOptions', NAS_STORAGE_OPTIONS)]
    + _JOB_SCHEDULE)
NAS_JOBS = Shape('NASJobs', [Items('NASJob', 'NASJobs', NAS_JOB)])

# ------------------------------------------------------------------ tasks [tasks.md; examples/task-*]

TASK_RESULT = Shape('Result', [Attr('Success', BOOL), Elem('Message')])
TASK = Shape('Task', [Attr('Type'), Attr('Href'), Links(), Elem('TaskId'), Elem('State'), Elem('Operation'), Child('Result', TASK_RESULT)])
TASKS = Shape('Tasks', [Items('Task', 'Tasks', TASK)])

# ------------------------------------------------------------------ sessions [sessions.md; examples/backup-session-*]

_SESSION_MEMBERS = [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Links(), Elem('JobUid'), Elem('JobName'), Elem('JobType'),
    Elem('CreationTimeUTC', DATETIME), Elem('EndTimeUTC', DATETIME), Elem('State'), Elem('Result'), Elem('Progress', INT),
    Elem('FailureMessage'), Elem('IsRetry', BOOL)]
BACKUP_JOB_SESSION = Shape('BackupJobSession', _SESSION_MEMBERS, json_first=['IsRetry'])
BACKUP_JOB_SESSIONS = Shape('BackupJobSessions', [Items('BackupJobSession', 'BackupJobSessions', BACKUP_JOB_SESSION)])
REPLICA_JOB_SESSION = Shape('ReplicaJobSession', _SESSION_MEMBERS, json_first=['IsRetry'])
REPLICA_JOB_SESSIONS = Shape('ReplicaJobSessions', [Items('ReplicaJobSession', 'ReplicaJobSessions', REPLICA_JOB_SESSION)])
BACKUP_TASK_SESSION = Shape('BackupTaskSession', [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Attr('VmDisplayName'), Links(), Elem('JobSessionUid'),
    Elem('CreationTimeUTC', DATETIME), Elem('EndTimeUTC', DATETIME), Elem('State'), Elem('Result'), Elem('Reason'),
    Elem('TotalSize', INT), Elem('VmUid')],
    json_order=['JobSessionUid', 'CreationTimeUTC', 'EndTimeUTC', 'State', 'Result', 'Reason', 'TotalSize', 'VmUid',
                'VmDisplayName', 'Name', 'UID', 'Links', 'Href', 'Type'])
BACKUP_TASK_SESSIONS = Shape('BackupTaskSessions', [Items('BackupTaskSession', 'BackupTaskSessions', BACKUP_TASK_SESSION)])
# as BackupTaskSession without VmUid [D: get_replicatasksessions_id; D13.1: get_query_replicatasksession]; JSON order by
# analogy [I; examples/replica-task-session-entity.json]
REPLICA_TASK_SESSION = Shape('ReplicaTaskSession', [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Attr('VmDisplayName'), Links(), Elem('JobSessionUid'),
    Elem('CreationTimeUTC', DATETIME), Elem('EndTimeUTC', DATETIME), Elem('State'), Elem('Result'), Elem('Reason'),
    Elem('TotalSize', INT)],
    json_order=['JobSessionUid', 'CreationTimeUTC', 'EndTimeUTC', 'State', 'Result', 'Reason', 'TotalSize',
                'VmDisplayName', 'Name', 'UID', 'Links', 'Href', 'Type'])
REPLICA_TASK_SESSIONS = Shape('ReplicaTaskSessions', [Items('ReplicaTaskSession', 'ReplicaTaskSessions', REPLICA_TASK_SESSION)])

# ------------------------------------------------------------------ backup servers [backup-servers.md]

BACKUP_SERVER = Shape('BackupServer', [
    Attr('Href'), Attr('Type'), Attr('Name'), Attr('UID'), Links(), Elem('Description'), Elem('Port', INT), Elem('Version'),
    Elem('WcfPort', INT), Elem('VbrCertificateThumbprint')])
BACKUP_SERVERS = Shape('BackupServers', [Items('BackupServer', 'BackupServers', BACKUP_SERVER)])
QUICK_BACKUP_STARTUP_SPEC = Shape('QuickBackupStartupSpec', [Elem('VmRef')])

# ------------------------------------------------------------------ hierarchy and lookup [hierarchy.md]

HIERARCHY_ROOT = Shape('HierarchyRoot', [
    Attr('Type'), Attr('Href'), Attr('Name'), Attr('UID'), Links(), Elem('HierarchyRootId'), Elem('UniqueId'), Elem('HostType')])
HIERARCHY_ROOTS = Shape('HierarchyRoots', [Items('HierarchyRoot', 'HierarchyRoots', HIERARCHY_ROOT)])
HIERARCHY_ITEM = Shape('HierarchyItem', [
    Attr('Type'), Attr('Href'), Links(), Elem('ObjectRef'), Elem('ObjectType'), Elem('ObjectName')])
HIERARCHY_ITEMS = Shape('HierarchyItems', [Items('HierarchyItem', 'HierarchyItems', HIERARCHY_ITEM)])
SERVICE = Shape('Service', [Attr('Href'), Attr('Type'), Links()])  # LookupSvc, QuerySvc [examples/lookupsvc.xml]

# ------------------------------------------------------------------ query result [query.md]

# Entities keys in the order EM 12 emits them, typos included [O: cen]
ENTITY_LIST_KEYS = (
    'Jobs', 'FailoverPlans', 'Backups', 'Replicas', 'Repositories', 'RestorePoints', 'VmRestorePoints', 'VAppRestorePoints',
    'VmReplicaPoints', 'BackupJobSessions', 'ReplicaJobSessions', 'ReplicaTaskSessions', 'RestoreSessions', 'HierarchyRoots',
    'BackupTaskSessions', 'BackupServers', 'ManagedServers', 'EnterpiseRoles', 'EnterpiseAccounts', 'WanAccelerators',
    'CloudGateways', 'CloudTenants', 'CloudReplicas', 'VCloudOrganizationConfigs', 'BackupFiles', 'VSphereSelfServiceConfigs',
    'CloudPublicIps', 'CloudHardwarePlans', 'CloudVmReplicaPoints', 'AgentRestorePoints', 'AgentBackupJob', 'CloudGatewayPools',
    'CloudFailoverPlans', 'ExternalRepositories', 'VlanConfigurations', 'CloudFailoverSessions', 'AgentProtectionGroups',
    'DiscoveredComputers', 'FileServers', 'NASJobs', 'CdpReplicas', 'CdpReplicaVms', 'CdpPolicies', 'CdpReplicaSessions',
    'CdpReplicaTaskSessions', 'VAppReplicaPoints', 'VmCdpReplicas', 'VAppCdpReplicas', 'VAppCdpReplicaVms', 'SystemSessions')
# list key -> (item element, JSON plural, item shape) for the lists the simulator fills
ENTITY_LISTS = {
    'Jobs': ('Job', 'Jobs', JOB),
    'BackupJobSessions': ('BackupJobSession', 'BackupJobSessions', BACKUP_JOB_SESSION),
    'ReplicaJobSessions': ('ReplicaJobSession', 'ReplicaJobSessions', REPLICA_JOB_SESSION),
    'HierarchyRoots': ('HierarchyRoot', 'HierarchyRoots', HIERARCHY_ROOT),
    'ReplicaTaskSessions': ('ReplicaTaskSession', 'ReplicaTaskSessions', REPLICA_TASK_SESSION),
    'BackupTaskSessions': ('BackupTaskSession', 'BackupTaskSessions', BACKUP_TASK_SESSION),
    'BackupServers': ('BackupServer', 'BackupServers', BACKUP_SERVER),
    # key singular [O: cen]; item element and JSON plural [I: rule 7]
    'AgentBackupJob': ('AgentBackupJob', 'AgentBackupJobs', AGENT_BACKUP_JOB),
    'NASJobs': ('NASJob', 'NASJobs', NAS_JOB),
}
ENTITY_LISTS.update(RESTORE_ENTITY_LISTS)
ENTITIES = Shape('Entities', [
    List(key, *ENTITY_LISTS[key], keep_empty=True) if key in ENTITY_LISTS else Elem(key) for key in ENTITY_LIST_KEYS])
RESOURCES = Shape('Resources', [
    Elem('Files'), Elem('Directories'), List('Tasks', 'Task', 'Tasks', TASK, keep_empty=True), Elem('CredentialsList'),
    List('sInObjectJob', 'ObjectInJob', 'ObjectInJobs', OBJECT_IN_JOB, keep_empty=True), Elem('AccountRole'),
    Elem('AccountHierarchyScope'), Elem('PasswordKeyInfoList')])
PAGING_INFO = Shape('PagingInfo', [Attr('PageNum', INT), Attr('PageSize', INT), Attr('PagesCount', INT), Links()],
                    json_order=['Links', 'PageNum', 'PageSize', 'PagesCount'])
QUERY_RESULT = Shape('QueryResult', [
    List('Refs', 'Ref', 'Refs', REF, keep_empty=True), Child('Entities', ENTITIES), Child('Resources', RESOURCES), Links(),
    Child('PagingInfo', PAGING_INFO)], json_order=['Refs', 'Entities', 'Resources', 'Links', 'PagingInfo'])
