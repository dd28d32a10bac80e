# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Quick backup of VMs of a busy job under each variant of ``quick_backup_busy_job``, and the job chosen by
``quick_backup_job`` [backup-servers.md "Limitations"]."""

from __future__ import annotations

import pytest

from conftest import DAILY, VBR01, VC01, WEB01_REF, wait_until

WEB02_REF = f'urn:VMware:Vm:{VC01}.vm-1043'
DB01_REF = f'urn:VMware:Vm:{VC01}.vm-1108'
GOLD01_REF = f'urn:VMware:Vm:{VC01}.vm-1220'
BUSY = 'that protects VM "{}" is running; quick backup is not possible now.'


def quick_backup(client, ref):
    return client.action(f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': ref})


def run_of(client, task):
    """The run a finished quick backup task links (``Related`` ``BackupJobSession``)."""
    related = [item for item in task['Links'] if item['Rel'] == 'Related']
    assert [item['Type'] for item in related] == ['BackupJobSession'], task
    return client.json(related[0]['Href'])


def run_id(run):
    return run['UID'].rsplit(':', 1)[1]


def task_sessions(client, run):
    return client.json(f'/backupSessions/{run_id(run)}/taskSessions?format=Entity')['BackupTaskSessions']


def daily(sim):
    return sim.control('GET', f'/jobs/{DAILY}')


def quick_runs(summary, count):
    return [session for session in summary['sessions'] if session['trigger'] == 'quick_backup'][:count]


def stopped(sim, count):
    """Daily VM Backup once its ``count`` newest runs have stopped."""
    return wait_until(lambda: daily(sim), lambda item: all(session['state'] == 'Stopped' for session in item['sessions'][:count]),
                      what='the runs to stop')


def points_of(sim, **query):
    text = '&'.join(f'{key}={value}' for key, value in query.items())
    return sim.control('GET', f'/vm_restore_points?{text}')['vm_restore_points']


# ------------------------------------------------------------------ refuse (default)

def test_refuse_fails_a_second_quick_backup_while_the_first_is_pending(admin):
    admin.sim.control('POST', '/config', {'task_duration': 20})
    first, second = quick_backup(admin, WEB01_REF), quick_backup(admin, WEB02_REF)
    assert daily(admin.sim)['running'] is True  # accepted, its run does not exist yet
    admin.sim.control('POST', '/advance', {'seconds': 30})
    assert admin.wait_task(first)['Result']['Success'] is True
    refused = admin.wait_task(second)
    assert refused['Result'] == {'Success': False, 'Message': 'Job "Daily VM Backup" ' + BUSY.format('web02')}
    summary = daily(admin.sim)
    assert summary['counts']['quick_backup'] == 2 and [run['vms'] for run in quick_runs(summary, 5)] == [['web01']]


# ------------------------------------------------------------------ merge

def test_merge_joins_a_pending_run_each_vm_with_its_own_task_session_and_point(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'merge', 'task_duration': 20})
    tasks = [quick_backup(admin, ref) for ref in (WEB01_REF, WEB02_REF, DB01_REF)]
    sim.control('POST', '/advance', {'seconds': 30})
    runs = [run_of(admin, admin.wait_task(task)) for task in tasks]
    assert len({run['UID'] for run in runs}) == 1  # every task links the one run
    summary = stopped(sim, 1)
    run = summary['sessions'][0]
    assert (run['trigger'], run['vms'], run['result']) == ('quick_backup', ['web01', 'web02', 'db01'], 'Success')
    assert run['id'] == run_id(runs[0]) and summary['counts']['quick_backup'] == 3 and summary['quick_backups_waiting'] == []
    assert len(quick_runs(summary, 5)) == 1
    items = task_sessions(admin, runs[0])
    assert [item['VmDisplayName'] for item in items] == ['web01', 'web02', 'db01']
    assert [item['Result'] for item in items] == ['Success'] * 3
    new = [point for point in points_of(sim, job='Daily VM Backup') if point['job_session'] == run['id']]
    assert sorted(point['vm_name'] for point in new) == ['db01', 'web01', 'web02']
    assert {point['task_session'] for point in new} == {item['UID'].rsplit(':', 1)[1] for item in items}
    assert {point['point_type'] for point in new} == {'Increment'}


def test_merge_joins_a_starting_run_and_replans_it(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'merge', 'time_speed': 1})
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 600, 'result': 'Warning'})
    first = quick_backup(admin, WEB01_REF)
    sim.control('POST', '/advance', {'seconds': 5})  # the run exists and is Starting for 60 s
    run = daily(sim)['sessions'][0]
    assert (run['state'], run['vms']) == ('Starting', ['web01'])
    second = quick_backup(admin, WEB02_REF)
    assert daily(sim)['sessions'][0]['vms'] == ['web01', 'web02']  # its task session shows at once
    sim.control('POST', '/advance', {'seconds': 700})
    assert run_of(admin, admin.wait_task(first))['UID'] == run_of(admin, admin.wait_task(second))['UID']
    summary = daily(sim)
    assert summary['sessions'][0]['state'] == 'Stopped' and summary['sessions'][0]['result'] == 'Warning'
    items = task_sessions(admin, run_of(admin, admin.json(first['Href'])))
    assert [(item['VmDisplayName'], item['Result']) for item in items] == [('web01', 'Success'), ('web02', 'Warning')]
    assert items[0]['EndTimeUTC'] < items[1]['EndTimeUTC']  # processed one after the other, as in any run


def test_merge_refuses_once_the_run_processes_vms_or_for_another_run(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'merge', 'time_speed': 1})
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 600, 'runs': 2})
    quick_backup(admin, WEB01_REF)
    sim.control('POST', '/advance', {'seconds': 100})  # Working
    late = quick_backup(admin, WEB02_REF)
    sim.control('POST', '/advance', {'seconds': 2})
    assert admin.wait_task(late)['Result']['Message'] == 'Job "Daily VM Backup" ' + BUSY.format('web02')
    sim.control('POST', '/advance', {'seconds': 600})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))  # a run of the whole job: no quick backup joins it
    during = quick_backup(admin, WEB02_REF)
    sim.control('POST', '/advance', {'seconds': 2})
    assert admin.wait_task(during)['Result']['Success'] is False
    assert [run['vms'] for run in quick_runs(daily(sim), 5)] == [['web01']]


def test_merge_of_a_vm_already_in_the_run_adds_nothing(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'merge', 'task_duration': 20})
    tasks = [quick_backup(admin, WEB01_REF), quick_backup(admin, WEB01_REF.upper().replace('URN:VMWARE:VM:', 'urn:VMware:Vm:'))]
    sim.control('POST', '/advance', {'seconds': 30})
    runs = [run_of(admin, admin.wait_task(task)) for task in tasks]
    assert runs[0]['UID'] == runs[1]['UID'] and [item['VmDisplayName'] for item in task_sessions(admin, runs[0])] == ['web01']


# ------------------------------------------------------------------ queue

def test_queue_runs_each_quick_backup_after_the_one_before(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'queue', 'time_speed': 1})
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 100, 'runs': 2})
    first, second = quick_backup(admin, WEB01_REF), quick_backup(admin, WEB02_REF)
    sim.control('POST', '/advance', {'seconds': 5})
    assert admin.json(first['Href'])['State'] == 'Finished'
    assert admin.json(second['Href'])['State'] == 'Running'  # waits for its own run
    assert daily(sim)['quick_backups_waiting'] == [['web02']]
    start = admin.action(f'/jobs/{DAILY}?action=start')  # a start while a quick backup waits: refused
    sim.control('POST', '/advance', {'seconds': 100})
    assert admin.wait_task(start)['Result'] == {'Success': False, 'Message': 'Job "Daily VM Backup" is already running.'}
    assert admin.json(second['Href'])['State'] in ('OperationFinished', 'Finished')
    sim.control('POST', '/advance', {'seconds': 200})
    runs = [run_of(admin, admin.wait_task(task)) for task in (first, second)]
    assert runs[0]['UID'] != runs[1]['UID'] and runs[1]['CreationTimeUTC'] >= runs[0]['EndTimeUTC']
    summary = daily(sim)
    assert [run['vms'] for run in quick_runs(summary, 5)] == [['web02'], ['web01']]  # newest first
    assert [run['result'] for run in quick_runs(summary, 2)] == ['Success', 'Success']
    assert summary['counts']['start'] == 1 and summary['sessions'][0]['trigger'] == 'quick_backup'
    assert [[item['VmDisplayName'] for item in task_sessions(admin, run)] for run in runs] == [['web01'], ['web02']]
    assert [point['vm_name'] for point in points_of(sim, job=DAILY)[-2:]] == ['web01', 'web02']


def test_queue_waits_for_a_run_of_the_whole_job_and_survives_a_stop(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'queue', 'time_speed': 1})
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 100})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    sim.control('POST', '/advance', {'seconds': 2})
    waiting = quick_backup(admin, WEB01_REF)
    sim.control('POST', '/advance', {'seconds': 5})
    full = daily(sim)['sessions'][0]
    assert full['trigger'] == 'start' and full['state'] != 'Stopped'
    assert admin.json(waiting['Href'])['State'] == 'Running'
    admin.wait_task(admin.action(f"/backupSessions/{full['id']}?action=stop"))
    sim.control('POST', '/advance', {'seconds': 10})
    run = run_of(admin, admin.wait_task(waiting))
    summary = daily(sim)
    assert summary['sessions'][1]['id'] == full['id'] and summary['sessions'][1]['result'] == 'Failed'
    assert run_id(run) == summary['sessions'][0]['id'] and summary['sessions'][0]['vms'] == ['web01']


def test_a_restore_of_a_vm_whose_quick_backup_waits_is_refused(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'quick_backup_busy_job': 'queue', 'time_speed': 1})
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 100, 'runs': 2})
    quick_backup(admin, WEB01_REF)
    quick_backup(admin, WEB02_REF)
    sim.control('POST', '/advance', {'seconds': 5})
    point = points_of(sim, vm='web02', job='Daily VM Backup')[-1]
    task = admin.wait_task(admin.action(f"/vmRestorePoints/{point['id']}?action=restore"))
    assert task['Result']['Success'] is False and 'is being backed up by job "Daily VM Backup"' in task['Result']['Message']


# ------------------------------------------------------------------ which job; the switches

@pytest.mark.parametrize('choice, job', [('first', 'Daily VM Backup'), ('last', 'Infrastructure Backup')])
def test_quick_backup_job_picks_among_the_jobs_that_protect_the_vm(admin, choice, job):
    admin.sim.control('POST', '/config', {'quick_backup_job': choice})  # web01: in Daily VM Backup, and through its host
    assert run_of(admin, admin.wait_task(quick_backup(admin, WEB01_REF)))['JobName'] == job
    assert run_of(admin, admin.wait_task(quick_backup(admin, GOLD01_REF)))['JobName'] == (
        'Infrastructure Backup' if choice == 'first' else 'Gold Tag Backup')


def test_quick_backup_switch_validation(sim):
    for bad in ({'quick_backup_busy_job': 'wait'}, {'quick_backup_busy_job': 1}, {'quick_backup_job': 'newest'}):
        assert 'error' in sim.control('POST', '/config', bad, expect=400)
    assert sim.control('GET', '/config')['quick_backup_busy_job'] == 'refuse'
    assert sim.control('GET', '/config')['quick_backup_job'] == 'first'
