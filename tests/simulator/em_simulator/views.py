# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Model objects as representation data (dicts for shapes.py), with their links.

Link sets and their order follow the examples (jobs-refs, job-entity*, backup-session-entity,
backupservers-entities, hierarchyroot*, logon-session, task-*); where the reference shows none the
choice is marked [I].
"""

from __future__ import annotations

from . import shapes
from .model import AGENT, NAS, VM
from .render import Fragment
from .values import session_time_suffix

JOB_PATH = {VM: '/jobs', AGENT: '/agents/jobs', NAS: '/nas/jobs'}


def link(rel, href, name=None, type_=None):
    return (rel, href, name, type_)


def _server_up(server, style):
    return link('Up', style.href(f'/backupServers/{server.id}'), server.name, 'BackupServerReference')


def session_name(session, style) -> str:
    return f'{session.job.name}@{session_time_suffix(session.created, style.profile)}'


# ------------------------------------------------------------------ jobs

def _sessions_link(job, style):
    base = style.href(f'{JOB_PATH[job.kind]}/{job.id}')
    if job.job_type == 'Replica':
        return link('Down', f'{base}/replicaSessions', type_='ReplicaJobSessionReferenceList')
    return link('Down', f'{base}/backupSessions', type_='BackupJobSessionReferenceList')


def job_ref(job, style) -> dict:
    base = style.href(f'{JOB_PATH[job.kind]}/{job.id}')
    ref_type = {VM: 'JobReference', AGENT: 'JobReference', NAS: 'NasJobReference'}[job.kind]
    entity_type = {VM: 'Job', AGENT: 'AgentBackupJob', NAS: 'NasJob'}[job.kind]
    links = [_server_up(job.server, style), link('Alternate', f'{base}?format=Entity', job.name, entity_type), _sessions_link(job, style)]
    return {'Type': ref_type, 'Href': base, 'Name': job.name, 'UID': job.uid, 'Links': links}


def _vm_job_links(job, style):
    base = style.href(f'/jobs/{job.id}')
    up = _server_up(job.server, style)
    alternate = link('Alternate', base, job.name, 'JobReference')
    edit = link('Edit', base, job.name, 'JobReference')
    clone = link('Clone', f'{base}?action=clone')
    toggle = link('ToggleScheduleEnabled', f'{base}?action=toggleScheduleEnabled')
    includes = link('Down', f'{base}/includes', type_='ObjectInJobList')
    create = link('Create', f'{base}/includes', type_='ObjectInJob')
    runs = [link(rel, f'{base}?action={rel.lower()}') for rel in ('Start', 'Stop', 'Retry')]
    sessions = _sessions_link(job, style)
    if job.job_type == 'Backup':
        return [up, alternate, edit, clone, toggle, includes, sessions, create] + runs
    if job.job_type == 'Replica':
        return [up, alternate, sessions, includes, edit, create] + runs + [clone, toggle]
    return [up, alternate, clone, toggle, sessions, link('Sync', f'{base}?action=sync'),
            link('Down', f'{base}/linkedJobs', type_='LinkedJobObjectList'),
            link('Down', f'{base}/linkedBackupRepositories', type_='LinkedBackupRepositoryObjectList'),
            link('Create', f'{base}/linkedJobs', type_='LinkedJobObject'),
            link('Create', f'{base}/linkedBackupRepositories', type_='LinkedBackupRepositoryObject')]


def _schedule_fields(job, style) -> dict:
    next_run = job.next_run if job.schedule_configured and job.schedule_enabled and 'Standart' in job.schedule else None
    return {'ScheduleConfigured': job.schedule_configured, 'ScheduleEnabled': job.schedule_enabled, 'NextRun': next_run,
            'JobScheduleOptions': dict(job.schedule)}


def job_entity(job, style) -> dict:
    data = {'Type': 'Job', 'Href': style.href(f'/jobs/{job.id}?format=Entity'), 'Name': job.name, 'UID': job.uid,
            'Links': _vm_job_links(job, style), 'JobType': job.job_type, 'Platform': job.platform, 'Description': job.description}
    data.update(_schedule_fields(job, style))
    variant = shapes.JOB_INFO_VARIANTS[job.job_type]
    info = dict(job.settings)
    if job.job_type in ('Backup', 'Replica', 'BackupCopy'):
        info['Includes'] = [include_entity(include, style, with_links=False) for include in job.includes]
    if job.job_type in ('BackupCopy', 'ImmediateBackupCopy'):
        info.update(job.linked)
        if job.job_type == 'BackupCopy':
            info.pop('LinkedBackupRepositoryIncludes', None)
    data['JobInfo'] = {variant: info}
    return data


def agent_job_entity(job, style) -> dict:
    base = style.href(f'/agents/jobs/{job.id}')
    links = [_server_up(job.server, style), link('Alternate', base, job.name, 'JobReference'),
             link('Down', f'{base}/includes', type_='ObjectInJobList'),
             link('ToggleScheduleEnabled', f'{base}?action=toggleScheduleEnabled'), _sessions_link(job, style)]
    links += [link(rel, f'{base}?action={rel.lower()}') for rel in ('Start', 'Stop', 'Retry')]
    data = {'Type': 'AgentBackupJob', 'Href': f'{base}?format=Entity', 'Name': job.name, 'UID': job.uid, 'Links': links,
            'JobType': job.job_type, 'Platform': job.platform, 'Description': job.description}
    data.update(_schedule_fields(job, style))
    info = dict(job.settings)
    info['Includes'] = [agent_include_entity(include, style, with_links=False) for include in job.includes]
    data['JobInfo'] = info
    return data


def nas_job_entity(job, style) -> dict:
    base = style.href(f'/nas/jobs/{job.id}')
    links = [_server_up(job.server, style), link('Alternate', base, job.name, 'JobReference'),
             link('Down', f'{base}/includes', type_='NasObjectList'), link('ToggleScheduleEnabled', f'{base}/toggleScheduleEnabled'),
             _sessions_link(job, style)]
    links += [link(rel, f'{base}/{rel.lower()}') for rel in ('Start', 'Stop', 'Retry')]
    data = {'Type': 'NasJob', 'Href': f'{base}?format=Entity', 'Name': job.name, 'UID': job.uid, 'Links': links,
            'Description': job.description, 'Includes': [nas_include_entity(include, style, with_links=False) for include in job.includes],
            'StorageOptions': job.storage}
    data.update(_schedule_fields(job, style))
    return data


# ------------------------------------------------------------------ includes

def include_entity(include, style, with_links=True) -> dict:
    job = include.job
    href = style.href(f'/jobs/{job.id}/includes/{include.id}')
    links = [link('Delete', href, include.name, 'ObjectInJob'),
             link('Up', style.href(f'/jobs/{job.id}?format=Entity'), job.name, 'Job')] if with_links else None
    return {'Type': 'ObjectInJob', 'Href': href, 'Links': links, 'ObjectInJobId': include.id, 'HierarchyObjRef': include.ref,
            'Name': include.name, 'DisplayName': include.display_name, 'GuestProcessingOptions': include.guest_processing}


def agent_include_entity(include, style, with_links=True) -> dict:
    job = include.job
    href = style.href(f'/agents/jobs/{job.id}/includes/{include.id}')
    links = [link('Up', style.href(f'/agents/jobs/{job.id}?format=Entity'), job.name, 'AgentBackupJob')] if with_links else None
    return {'Type': 'ObjectInAgentBackupJob', 'Href': href, 'Links': links, 'ObjectInJobId': include.id, 'Name': include.name,
            'DisplayName': include.display_name, 'GuestProcessingOptions': include.guest_processing}


def nas_include_entity(include, style, with_links=True) -> dict:
    job = include.job
    href = style.href(f'/nas/jobs/{job.id}/includes/{include.id}')
    links = [link('Up', style.href(f'/nas/jobs/{job.id}?format=Entity'), job.name, 'NasJob')] if with_links else None
    data = {'Type': 'NasObject', 'Href': href, 'Links': links, 'HierarchyObjRef': include.ref, 'ObjectInJobId': include.id}
    data.update(include.nas)
    return data


# ------------------------------------------------------------------ sessions

def _session_links(session, style, entity: bool):
    job = session.job
    replica = session.family == 'replica'
    collection = '/replicaSessions' if replica else '/backupSessions'
    base = style.href(f'{collection}/{session.id}')
    name = session_name(session, style)
    kind = 'ReplicaJobSession' if replica else 'BackupJobSession'
    links = [_server_up(job.server, style), link('Up', style.href(f'{JOB_PATH[job.kind]}/{job.id}'), job.name, 'JobReference')]
    links.append(link('Alternate', base, name, f'{kind}Reference') if entity else link('Alternate', f'{base}?format=Entity', name, kind))
    if replica:
        links.append(link('Down', f'{base}/replicaTaskSessions', type_='ReplicaTaskSessionReferenceList'))
        return links
    links.append(link('Down', f'{base}/taskSessions', type_='BackupTaskSessionReferenceList'))
    if entity:
        links.append(link('Stop', f'{base}?action=stop'))
        for point in session.restore_points:  # 0..n [D13.1: get_backupsessions_id; O: cen, hax]
            links.append(link('Related', style.href(f'/restorePoints/{point.id}'), point.name, 'RestorePointReference'))
    return links


def session_entity(session, style) -> dict:
    replica = session.family == 'replica'
    collection = '/replicaSessions' if replica else '/backupSessions'
    return {'Href': style.href(f'{collection}/{session.id}?format=Entity'), 'Type': 'ReplicaJobSession' if replica else 'BackupJobSession',
            'Name': session_name(session, style), 'UID': session.uid, 'Links': _session_links(session, style, True),
            'JobUid': session.job.uid, 'JobName': session.job.name, 'JobType': session.job_type, 'CreationTimeUTC': session.created,
            'EndTimeUTC': session.ended, 'State': session.state, 'Result': session.result, 'Progress': session.progress,
            'FailureMessage': None, 'IsRetry': session.is_retry}


def session_ref(session, style) -> dict:
    replica = session.family == 'replica'
    collection = '/replicaSessions' if replica else '/backupSessions'
    return {'Type': 'ReplicaJobSessionReference' if replica else 'BackupJobSessionReference',
            'Href': style.href(f'{collection}/{session.id}'), 'Name': session_name(session, style), 'UID': session.uid,
            'Links': _session_links(session, style, False)}


def task_session_name(task_session, style) -> str:
    return f'{task_session.vm.name}@{session_time_suffix(task_session.created, style.profile)}'


def vm_point_name(point, style) -> str:
    """``web01@2026-03-01 21:02:05`` (EM 13 mode: with microseconds) [D13.1: get_vmrestorepoints_id; O: cs]."""
    return f'{point.vm_name}@{session_time_suffix(point.created, style.profile)}'


def _task_session_kind(task_session):
    """(task session type, its collection, its run's type, the run's collection) by the family of its run [sessions.md]."""
    if task_session.session.family == 'replica':
        return 'ReplicaTaskSession', '/replicaTaskSessions', 'ReplicaJobSession', '/replicaSessions'
    return 'BackupTaskSession', '/backupTaskSessions', 'BackupJobSession', '/backupSessions'


def task_session_entity(task_session, style) -> dict:
    """A ``BackupTaskSession``, or a ``ReplicaTaskSession`` for a replica run: no ``VmUid``, and no ``Related``
    ``VmReplicaPoint`` link as replica points are not simulated [D: get_replicatasksessions_id; D13.1: get_query_replicatasksession]."""
    session = task_session.session
    kind, collection, run_kind, run_collection = _task_session_kind(task_session)
    base = style.href(f'{collection}/{task_session.id}')
    links = [_server_up(session.job.server, style),
             link('Up', style.href(f'{run_collection}/{session.id}'), session_name(session, style), f'{run_kind}Reference'),
             link('Alternate', base, task_session_name(task_session, style), f'{kind}Reference')]
    point = task_session.restore_point
    if point is not None:  # the entity URL, Name <vm>@<point time> [D: backuptasksessions_id; O: hax]
        links.append(link('Related', style.href(f'/vmRestorePoints/{point.id}?format=Entity'), vm_point_name(point, style), 'VmRestorePoint'))
    data = {'Href': f'{base}?format=Entity', 'Type': kind, 'Name': task_session_name(task_session, style),
            'UID': task_session.uid, 'VmDisplayName': task_session.vm.name, 'Links': links, 'JobSessionUid': session.uid,
            'CreationTimeUTC': task_session.created, 'EndTimeUTC': task_session.ended, 'State': task_session.state,
            'Result': task_session.result, 'Reason': task_session.reason, 'TotalSize': task_session.total_size}
    if kind == 'BackupTaskSession':
        data['VmUid'] = task_session.vm.ref
    return data


def task_session_ref(task_session, style) -> dict:
    session = task_session.session
    kind, collection, run_kind, run_collection = _task_session_kind(task_session)
    base = style.href(f'{collection}/{task_session.id}')
    name = task_session_name(task_session, style)
    return {'Type': f'{kind}Reference', 'Href': base, 'Name': name, 'UID': task_session.uid,
            'Links': [link('Up', style.href(f'{run_collection}/{session.id}'), session_name(session, style), f'{run_kind}Reference'),
                      link('Alternate', f'{base}?format=Entity', name, kind)]}


# ------------------------------------------------------------------ tasks

def task_entity(task, style) -> dict:
    href = style.href(f'/tasks/{task.id}')
    links = [link('Delete', href, type_='Task')]
    if task.related is not None:
        kind, target = task.related
        if kind == 'Job':
            links.append(link('Related', style.href(f'/jobs/{target.id}?format=Entity'), target.name, 'Job'))
        elif kind == 'RestoreSession':  # [D: post_vmrestorepoints_id_actionrestore; examples/task-restore-finished.*]
            links.append(link('Related', style.href(f'/restoreSessions/{target.id}?format=Entity'), type_='RestoreSession'))
        else:
            links.append(link('Related', style.href(f'/backupSessions/{target.id}?format=Entity'), type_='BackupJobSession'))
    result = None if task.state == 'Running' else {'Success': task.success, 'Message': task.message}
    return {'Type': 'Task', 'Href': href, 'Links': links, 'TaskId': task.id, 'State': task.state, 'Operation': task.operation,
            'Result': result}


# ------------------------------------------------------------------ backup servers and hierarchy

def server_ref(server, style) -> dict:
    base = style.href(f'/backupServers/{server.id}')
    links = [link('Down', f'{base}/{path}', type_=type_) for path, type_ in (
        ('jobs', 'JobReferenceList'), ('repositories', 'RepositoryReferenceList'),
        ('externalRepositories', 'ExternalRepositoryReferenceList'), ('credentials', 'CredentialsList'), ('passwords', 'PasswordKeyList'))]
    links.append(link('Alternate', f'{base}?format=Entity', server.name, 'BackupServer'))
    links.append(link('Down', f'{base}/managedServers', type_='ManagedServerReferenceList'))
    return {'UID': server.uid, 'Name': server.name, 'Href': base, 'Type': 'BackupServerReference', 'Links': links}


def server_entity(server, style) -> dict:
    base = style.href(f'/backupServers/{server.id}')
    links = [link('Alternate', base, server.name, 'BackupServerReference'), link('Edit', base, type_='BackupServerReference'),
             link('Delete', base, type_='BackupServerReference')]
    links += [link('Down', f'{base}/{path}', type_=type_) for path, type_ in (
        ('jobs', 'JobReferenceList'), ('managedServers', 'ManagedServerReferenceList'), ('repositories', 'RepositoryReferenceList'),
        ('externalRepositories', 'ExternalRepositoryReferenceList'), ('credentials', 'CredentialsList'))]
    links += [link('Create', f'{base}/credentials?action=create'), link('Down', f'{base}/passwords', type_='PasswordKeyList'),
              link('Create', f'{base}/passwords?action=create'), link('VeeamZip', f'{base}?action=veeamzip'),
              link('QuickBackup', f'{base}?action=quickbackup'), link('Start', f'{base}?action=collect')]
    return {'Href': f'{base}?format=Entity', 'Type': 'BackupServer', 'Name': server.name, 'UID': server.uid, 'Links': links,
            'Description': server.description, 'Port': server.port, 'Version': server.build, 'WcfPort': server.wcf_port,
            'VbrCertificateThumbprint': server.thumbprint}


def root_ref(root, style) -> dict:
    base = style.href(f'/hierarchyRoots/{root.id}')
    return {'Type': 'HierarchyRootReference', 'Href': base, 'Name': root.name, 'UID': root.uid,
            'Links': [_server_up(root.server, style), link('Alternate', f'{base}?format=Entity', root.name, 'HierarchyRoot')]}


def root_entity(root, style) -> dict:
    base = style.href(f'/hierarchyRoots/{root.id}')
    links = [_server_up(root.server, style), link('Alternate', base, root.name, 'HierarchyRootReference'),
             link('Related', style.href(f'/managedServers/{root.id}?format=Entity'), root.name, 'ManagedServer')]
    return {'Type': 'HierarchyRoot', 'Href': f'{base}?format=Entity', 'Name': root.name, 'UID': root.uid, 'Links': links,
            'HierarchyRootId': root.id, 'UniqueId': root.unique_id, 'HostType': root.host_type}


def hierarchy_item(obj, style) -> dict:
    return {'Type': 'HierarchyItem', 'Href': None, 'Links': None, 'ObjectRef': obj.ref, 'ObjectType': obj.type, 'ObjectName': obj.name}


# ------------------------------------------------------------------ cached fragments for lists and pages

def fragment(kind: str, obj):
    view, shape, tag = FRAGMENT_KINDS[kind]
    return Fragment(kind, obj, view, shape, tag)


def ref_fragment(kind: str, obj):
    return Fragment(kind + '-ref', obj, REF_VIEWS[kind], shapes.REF, 'Ref')


FRAGMENT_KINDS = {
    'job': (job_entity, shapes.JOB, 'Job'),
    'agent_job': (agent_job_entity, shapes.AGENT_BACKUP_JOB, 'AgentBackupJob'),
    'nas_job': (nas_job_entity, shapes.NAS_JOB, 'NASJob'),
    'include': (include_entity, shapes.OBJECT_IN_JOB, 'ObjectInJob'),
    'agent_include': (agent_include_entity, shapes.OBJECT_IN_AGENT_BACKUP_JOB, 'ObjectInAgentBackupJob'),
    'nas_include': (nas_include_entity, shapes.NAS_OBJECT, 'NASObject'),
    'backup_session': (session_entity, shapes.BACKUP_JOB_SESSION, 'BackupJobSession'),
    'replica_session': (session_entity, shapes.REPLICA_JOB_SESSION, 'ReplicaJobSession'),
    'task_session': (task_session_entity, shapes.BACKUP_TASK_SESSION, 'BackupTaskSession'),
    'replica_task_session': (task_session_entity, shapes.REPLICA_TASK_SESSION, 'ReplicaTaskSession'),
    'server': (server_entity, shapes.BACKUP_SERVER, 'BackupServer'),
    'root': (root_entity, shapes.HIERARCHY_ROOT, 'HierarchyRoot'),
}
REF_VIEWS = {'job': job_ref, 'agent_job': job_ref, 'nas_job': job_ref, 'backup_session': session_ref, 'replica_session': session_ref,
             'task_session': task_session_ref, 'replica_task_session': task_session_ref, 'server': server_ref, 'root': root_ref}
