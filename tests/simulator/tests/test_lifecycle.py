# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks and job sessions over simulated time; wrong-state actions; quick backup [tasks.md, sessions.md]."""

from __future__ import annotations

import pytest

from conftest import DAILY, DAILY_RUNS, OFFSITE, PORTAL_USER, REPLICA, VBR01, WEB01_REF, wait_for, wait_until

FILE_SERVER = '4e6a8c0b-2d3f-4c5e-9a7b-1f3d5b7c9ea2'
DC_BACKUP = '5f7b9d1c-3e4a-4d6f-8b8c-2a4e6c8d0fb3'


def latest_session(client, job_uid, family='BackupJobSession'):
    result = client.json(f'/query?type={family}&format=Entities&filter=JobUid=="{job_uid}"&sortDesc=CreationTime&pageSize=1')
    key = family + 's'
    return result['Entities'][key][key][0]


def wait_stopped(client, job_uid, family='BackupJobSession'):
    return wait_until(lambda: latest_session(client, job_uid, family), lambda session: session['State'] == 'Stopped', what='the run to stop')


def assert_no_such_task(response, task_id):
    """An unknown task ID is 500 with EM's message [O: mph; tasks.md]."""
    assert response.status_code == 500, response.text
    assert response.json()['Message'] == f'There is no backup task with id [{task_id}] in current rest session'


def test_task_moves_running_operationfinished_finished(admin):
    admin.sim.control('POST', '/config', {'task_duration': 1000})
    task = admin.action(f'/jobs/{DAILY}?action=start')
    assert task['TaskId'] == 'task-1' and task['State'] == 'Running' and task['Result'] is None
    assert admin.json(task['Href'])['State'] == 'Running'
    admin.sim.control('POST', '/advance', {'seconds': 1000})
    middle = admin.json(task['Href'])
    assert middle['State'] == 'OperationFinished' and middle['Result'] == {'Message': 'OperationFinished', 'Success': True}
    admin.sim.control('POST', '/advance', {'seconds': 500})
    final = admin.json(task['Href'])
    assert final['State'] == 'Finished' and final['Result'] == {'Message': 'Job "Daily VM Backup" triggered to start.', 'Success': True}


def test_tasks_are_numbered_per_logon_session_and_private(sim):
    first, second = sim.logon(), sim.logon()
    assert first.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')['TaskId'] == 'task-1'
    assert first.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')['TaskId'] == 'task-2'
    assert second.action(f'/jobs/{REPLICA}?action=clone', {'ReplicaJobCloneInfo': {'JobName': 'R2', 'VmSuffix': '_r'}})['TaskId'] == 'task-1'
    assert [task['TaskId'] for task in first.json('/tasks')['Tasks']] == ['task-1', 'task-2']
    assert [task['Operation'] for task in second.json('/tasks')['Tasks']] == ['CloneJob']
    assert_no_such_task(second.get('/tasks/task-2'), 'task-2')  # another logon session's task
    assert first.request('DELETE', '/tasks/task-1').status_code == 204
    assert_no_such_task(first.get('/tasks/task-1'), 'task-1')
    assert_no_such_task(first.request('DELETE', '/tasks/task-1'), 'task-1')
    tasks = first.json('/query?type=Task&filter=Operation==UpdateJob')['Resources']['Tasks']['Tasks']
    assert [task['TaskId'] for task in tasks] == ['task-2']


def test_run_lifecycle_with_progress_and_task_sessions(admin):
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'result': 'Warning', 'duration': 10})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    uid = f'urn:veeam:Job:{DAILY}'
    states, progresses = set(), []

    def observe():
        session = latest_session(admin, uid)
        states.add(session['State'])
        progresses.append(session['Progress'])
        return session if session['State'] == 'Stopped' else None
    final = wait_for(observe, what='the run to end')
    assert 'Working' in states
    assert progresses == sorted(progresses) and progresses[-1] == 100 and any(0 < value < 100 for value in progresses)
    assert final['Result'] == 'Warning' and final['EndTimeUTC'] and final['IsRetry'] is False
    assert final['Name'].startswith('Daily VM Backup@') and len(final['Name'].split('@')[1]) == 19
    task_sessions = admin.json(f"/backupSessions/{final['UID'].rsplit(':', 1)[1]}/taskSessions?format=Entity")['BackupTaskSessions']
    assert [item['VmDisplayName'] for item in task_sessions] == ['web01', 'web02', 'db01', 'app01']
    assert [item['Result'] for item in task_sessions] == ['Success', 'Success', 'Success', 'Warning']
    assert task_sessions[-1]['Reason'] and task_sessions[0]['Reason'] == ''
    assert all(item['State'] == 'Completed' for item in task_sessions)
    summary = admin.sim.control('GET', f'/jobs/{DAILY}')
    assert summary['last_result'] == 'Warning' and summary['running'] is False and summary['counts']['start'] == 1


def test_start_of_a_running_job_fails(admin):
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 60})
    first = admin.action(f'/jobs/{DAILY}?action=start')
    second = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    assert second['Result'] == {'Message': 'Job "Daily VM Backup" is already running.', 'Success': False}
    assert admin.wait_task(first)['Result']['Success'] is True
    assert len(admin.sim.control('GET', f'/jobs/{DAILY}')['sessions']) == DAILY_RUNS + 1


def test_stop_running_job_and_idle_job(admin):
    idle = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=stop'))
    assert idle['Result'] == {'Message': 'Job "Daily VM Backup" triggered to stop.', 'Success': True}
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 600})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=stop'))
    final = wait_stopped(admin, f'urn:veeam:Job:{DAILY}')
    assert final['Result'] == 'Failed'
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['stop'] == 2


def test_stop_a_session_and_a_stopped_session(admin):
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 600})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    session = latest_session(admin, f'urn:veeam:Job:{DAILY}')
    stop_link = next(link['Href'] for link in session['Links'] if link['Rel'] == 'Stop')
    task = admin.wait_task(admin.action(stop_link))
    assert task['Operation'] == 'StopJobSession'
    assert task['Result'] == {'Message': f'Job Session "{session["Name"]}" triggered to stop.', 'Success': True}
    assert wait_stopped(admin, f'urn:veeam:Job:{DAILY}')['Result'] == 'Failed'
    again = admin.wait_task(admin.action(stop_link))
    assert again['Result']['Success'] is False and 'not running' in again['Result']['Message']


def test_retry_only_after_a_failed_run(admin):
    not_failed = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=retry'))
    assert not_failed['Result'] == {'Message': 'Job "Daily VM Backup" cannot be retried: the last job session did not fail.',
                                    'Success': False}
    task = admin.wait_task(admin.action(f'/jobs/{FILE_SERVER}?action=retry'))
    assert task['Operation'] == 'RetryJob' and task['Result']['Message'] == 'Job "File Server Backup" triggered to retry.'
    session = wait_stopped(admin, f'urn:veeam:Job:{FILE_SERVER}')
    assert session['IsRetry'] is True and session['Result'] == 'Success'
    warning = admin.wait_task(admin.action(f'/jobs/{DC_BACKUP}?action=retry'))
    assert warning['Result']['Success'] is False


def test_sync_only_for_backup_copy_jobs(admin):
    not_copy = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=sync'))
    assert not_copy['Result']['Success'] is False and 'not a backup copy job' in not_copy['Result']['Message']
    start_copy = admin.wait_task(admin.action(f'/jobs/{OFFSITE}?action=start'))
    assert start_copy['Result']['Success'] is False and 'sync' in start_copy['Result']['Message']
    task = admin.wait_task(admin.action(f'/jobs/{OFFSITE}?action=sync'))
    assert task['Operation'] == 'StartJobSync' and task['Result']['Success'] is True
    session = wait_stopped(admin, f'urn:veeam:Job:{OFFSITE}')
    assert session['JobType'] == 'ImmediateBackupCopy' and session['Progress'] == 0  # [O: hax] immediate copy parents report 0


def test_replica_runs_are_replica_sessions(admin):
    admin.wait_task(admin.action(f'/jobs/{REPLICA}?action=start'))
    session = wait_stopped(admin, f'urn:veeam:Job:{REPLICA}', 'ReplicaJobSession')
    assert session['JobType'] == 'Replica' and session['Type'] == 'ReplicaJobSession'
    assert [link['Rel'] for link in session['Links']] == ['Up', 'Up', 'Alternate', 'Down']
    session_id = session['UID'].rsplit(':', 1)[1]
    tasks = admin.json(f'/replicaSessions/{session_id}/replicaTaskSessions?format=Entity')['ReplicaTaskSessions']
    assert [(item['Type'], item['VmDisplayName'], item['JobSessionUid']) for item in tasks] == [('ReplicaTaskSession', 'db01', session['UID'])]
    assert admin.get(f"/backupTaskSessions/{tasks[0]['UID'].rsplit(':', 1)[1]}").status_code == 404
    assert admin.get(f'/backupSessions/{session_id}').status_code == 404


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_quick_backup_runs_the_protecting_job(sim, media):
    user = sim.logon(PORTAL_USER)
    body = {'VmRef': WEB01_REF} if media == 'json' else (
        f'<QuickBackupStartupSpec xmlns="http://www.veeam.com/ent/v1.0"><VmRef>{WEB01_REF}</VmRef></QuickBackupStartupSpec>')
    response = user.post(f'/backupServers/{VBR01}?action=quickbackup', body, media=media)
    assert response.status_code == 202
    task = user.wait_task(user.json(f'{sim.api}/tasks/task-1'))
    assert task['Operation'] == 'QuickBackup' and task['Result'] == {'Message': 'Ok', 'Success': True}
    related = task['Links'][1]
    assert related['Rel'] == 'Related' and related['Type'] == 'BackupJobSession'
    session = user.json(related['Href'])
    assert session['JobName'] == 'Daily VM Backup' and session['JobType'] == 'Backup'
    tasks = user.json(f"/backupSessions/{session['UID'].rsplit(':', 1)[1]}/taskSessions?format=Entity")['BackupTaskSessions']
    assert [item['VmDisplayName'] for item in tasks] == ['web01']


@pytest.mark.parametrize('server, ref, message', [
    (VBR01, 'urn:HyperV:Vm:343c7197-7bdd-465d-a5ad-ad923cfffdb4.c3e9a1f5-7d2b-4c68-a04e-1b5f9d3c7e82', 'not processed by any backup job'),
    (VBR01, 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-0000', 'was not found'),
    ('5c0e7d3a-9b14-4f6e-8a21-3d9f6b7e2c10', WEB01_REF, 'not processed by any backup job'),
    (VBR01, 'urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v2101', 'was not found'),
])
def test_quick_backup_failures(admin, server, ref, message):
    task = admin.wait_task(admin.action(f'/backupServers/{server}?action=quickbackup', {'VmRef': ref}))
    assert task['Result']['Success'] is False and message in task['Result']['Message']


def test_quick_backup_via_container_and_while_running(admin):
    gold = 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1220'  # in the tag and the resource pool
    task = admin.wait_task(admin.action(f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': gold}))
    assert task['Result']['Success'] is True
    assert admin.json(task['Links'][1]['Href'])['JobName'] == 'Infrastructure Backup'
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 600})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    busy = admin.wait_task(admin.action(f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': WEB01_REF}))
    assert busy['Result']['Success'] is False and 'running' in busy['Result']['Message']


def test_scheduled_runs_fire_only_when_due_and_enabled(admin):
    sim = admin.sim
    before = len(sim.control('GET', f'/jobs/{DAILY}')['sessions'])
    next_run = admin.json(f'/jobs/{DAILY}?format=Entity')['NextRun']
    sim.control('POST', '/advance', {'seconds': '31d'})
    summary = wait_until(lambda: sim.control('GET', f'/jobs/{DAILY}'),
                         lambda item: len(item['sessions']) > before and item['sessions'][0]['state'] == 'Stopped', what='the scheduled run')
    assert summary['sessions'][0]['is_retry'] is False
    assert admin.json(f'/jobs/{DAILY}?format=Entity')['NextRun'] > next_run
    replica = sim.control('GET', f'/jobs/{REPLICA}')  # schedule disabled: never fires
    assert len(replica['sessions']) == 1


def test_control_run_starts_a_scheduled_run_now(admin):
    session = admin.sim.control('POST', f'/jobs/{DAILY}/run', expect=201)
    assert session['state'] == 'Starting'
    admin.sim.control('POST', f'/jobs/{DAILY}/run', expect=409)
    assert wait_stopped(admin, f'urn:veeam:Job:{DAILY}')['Result'] == 'Success'
