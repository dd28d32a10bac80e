# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jobs, runs and task results in the shapes the collection's modules return, for the backup_jobs_* filter tests."""

from __future__ import annotations

from ansible.plugins.loader import filter_loader

VBR01 = 'vbr01.example.com'
VBR02 = 'vbr02.example.com'
ROOT = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
WEB01_REF = 'urn:VMware:Vm:%s.vm-1042' % ROOT
DB01_REF = 'urn:VMware:Vm:%s.vm-2001' % ROOT


def the_filter(name):
    """The filter veeamops.em.<name>, as ansible's filter loader finds it."""
    return filter_loader.get('veeamops.em.%s' % name).j2_function


def job(name, job_id, server=VBR01, job_type='Backup', **more):
    """A job as veeam_job_info returns it."""
    found = {'id': job_id, 'name': name, 'job_type': job_type,
             'backup_server': {'name': server, 'id': 'srv-%s' % server, 'uid': 'urn:veeam:BackupServer:srv-%s' % server}}
    found.update(more)
    return found


def include(name, ref, object_type='Vm', display_name=None):
    """An object that a job includes."""
    return {'name': name, 'display_name': display_name, 'hierarchy_obj_ref': ref, 'object_type': object_type}


def session(name, state='Stopped', result='Success', end_time='2024-05-01T10:00:00.123Z', **more):
    """A run (job session) as veeam_job_info and veeam_job return it."""
    found = {'name': name, 'state': state, 'result': result if state == 'Stopped' else None,
             'end_time': end_time if state == 'Stopped' else None, 'running': state != 'Stopped'}
    found.update(more)
    return found


def task_session(vm_name, vm_uid, result):
    """The processing of one VM in a run."""
    return {'vm_name': vm_name, 'vm_uid': vm_uid, 'result': result, 'state': 'Completed'}


def planned(found, plan):
    """A job as backup_jobs_plan returns it."""
    return dict(found, plan=plan)


def start_result(planned_job, **result):
    """What async_status registers for one started job: its item is the start task's result, whose item is the job."""
    found = {'ansible_job_id': 'j1', 'finished': 1, 'item': {'ansible_job_id': 'j1', 'item': planned_job}}
    found.update(result)
    return found


def outcome(job_id='a', action='started', session_name='Daily@1', end_time='2024-05-01T10:00:00Z', result='Success',
            task_sessions=None, error='', name='Daily', server=VBR01):
    """A job's outcome as backup_jobs_outcome returns it."""
    return {'id': job_id, 'name': name, 'backup_server': server, 'action': action, 'session': session_name,
            'end_time': end_time, 'result': result, 'task_sessions': task_sessions or [], 'error': error}


def vm_entry(name='web01', ref=WEB01_REF, action='started', result='Success', reason=None, job_name='Daily', job_id='a',
             server=VBR01, session_name='Daily@1', point_id='p1', **more):
    """A VM's entry of the vms that veeam_vm_backup returns."""
    found = {'name': name, 'ref': ref, 'hierarchy_root': 'vc01.example.com', 'backup_server': server,
             'job': {'name': job_name, 'id': job_id}, 'action': action, 'result': result, 'reason': reason,
             'session': None if session_name is None else {
                 'id': 's-%s' % session_name, 'uid': 'urn:veeam:BackupJobSession:s-%s' % session_name, 'name': session_name,
                 'state': 'Stopped', 'result': result, 'creation_time': '2026-03-02T10:15:02.310Z',
                 'end_time': '2026-03-02T10:19:14.872Z'},
             'restore_point': None if point_id is None else {
                 'id': point_id, 'uid': 'urn:veeam:VmRestorePoint:%s' % point_id, 'creation_time': '2026-03-02T10:15:27.310Z'}}
    found.update(more)
    return found


def target(host, vm=None, send=True, ok=None, skipped=False, msg='', ref=None, name=None):
    """A host's decision as backup_vm_target returns it."""
    return {'host': host, 'vm': vm if vm is not None or not send else host, 'ref': ref, 'name': name or host, 'send': send,
            'ok': ok, 'skipped': skipped, 'msg': msg}
