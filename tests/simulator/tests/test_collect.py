# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EM shows job sessions as it has collected them from the backup server (switch session_collect_delay),
and the query service filters and sorts sessions on CreationTime and EndTime, also of running ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest

from conftest import DAILY, REPLICA

DELAY = 300
DAILY_UID = f'urn:veeam:Job:{DAILY}'
LAST_DAILY = '681ae4f5-3347-4f83-b506-d672640b035a'


def sessions(client, filter_text, family='BackupJobSession', sort='sortDesc=CreationTime'):
    key = family + 's'
    result = client.json(f'/query?type={family}&format=Entities&pageSize=1000&{sort}&filter=' + quote(filter_text))
    return result['Entities'][key][key]


def daily_runs(client):
    return sessions(client, f'JobUid=="{DAILY_UID}"')


def start_long_run(sim, job=DAILY, seconds=1000):
    """A run started as the schedule would start it (no task), planned to last ``seconds``; returns its /_sim summary."""
    sim.control('POST', f'/jobs/{job}/outcome', {'duration': seconds})
    return sim.control('POST', f'/jobs/{job}/run', expect=201)


def uids(items):
    return sorted(item['UID'] for item in items)


def advance(sim, seconds):
    sim.control('POST', '/advance', {'seconds': seconds})


def test_a_new_run_appears_only_after_the_delay(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'session_collect_delay': DELAY})
    run = start_long_run(sim)
    assert sim.control('GET', f'/jobs/{DAILY}')['sessions'][0]['id'] == run['id']  # /_sim: the true state
    assert daily_runs(admin)[0]['UID'].endswith(LAST_DAILY)
    assert admin.get(f'/backupSessions/{run["id"]}?format=Entity').status_code == 404
    assert admin.get(f'/backupSessions/{run["id"]}/taskSessions').status_code == 404
    assert run['id'] not in str(admin.json(f'/jobs/{DAILY}/backupSessions')) + str(admin.json('/backupSessions'))
    assert sessions(admin, f'JobSessionUid=="{run["uid"]}"', 'BackupTaskSession') == []
    advance(sim, DELAY)
    newest = daily_runs(admin)[0]
    assert newest['UID'] == run['uid'] and newest['State'] == 'Starting' and newest['EndTimeUTC'] is None
    assert admin.json(f'/backupSessions/{run["id"]}?format=Entity')['State'] == 'Starting'
    assert {item['State'] for item in admin.json(f'/backupSessions/{run["id"]}/taskSessions?format=Entity')['BackupTaskSessions']} == {
        'Pending'}


def test_the_end_of_a_run_shows_only_after_the_delay(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'session_collect_delay': DELAY})
    run = start_long_run(sim)
    advance(sim, 1200)  # the run ended at +1000 on the backup server; EM has collected up to about +900
    true = sim.control('GET', f'/jobs/{DAILY}')['sessions'][0]
    assert true['state'] == 'Stopped' and true['ended'] is not None
    seen = admin.json(f'/backupSessions/{run["id"]}?format=Entity')
    assert (seen['State'], seen['Result'], seen['EndTimeUTC']) == ('Working', 'None', None)
    assert not any(link['Rel'] == 'Related' for link in seen['Links'])  # no restore point collected yet
    running = sessions(admin, f'JobUid=="{DAILY_UID}";EndTime==""')
    assert [item['UID'] for item in running] == [run['uid']]
    tasks = sessions(admin, f'JobSessionUid=="{run["uid"]}"', 'BackupTaskSession', 'sortAsc=CreationTime')
    assert [item['State'] for item in tasks] == ['Completed', 'Completed', 'Completed', 'InProgress']
    assert tasks[-1]['EndTimeUTC'] is None
    advance(sim, 200)
    seen = admin.json(f'/backupSessions/{run["id"]}?format=Entity')
    assert (seen['State'], seen['Result'], seen['Progress']) == ('Stopped', 'Success', 100)
    assert seen['EndTimeUTC'] == admin.json(f'/backupSessions/{run["id"]}?format=Entity')['EndTimeUTC']
    assert seen['EndTimeUTC'].startswith(true['ended'][:19])
    assert any(link['Rel'] == 'Related' for link in seen['Links'])
    assert sessions(admin, f'JobUid=="{DAILY_UID}";EndTime==""') == []


def test_restore_point_links_show_with_the_collected_end(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'session_collect_delay': DELAY})
    run = start_long_run(sim)
    advance(sim, 1200)  # the run ended at +1000 and wrote its restore point; EM has collected up to about +900
    points = sim.control('GET', f'/jobs/{DAILY}')['sessions'][0]['restore_points']
    assert len(points) == 1
    tasks = sessions(admin, f'JobSessionUid=="{run["uid"]}"', 'BackupTaskSession', 'sortAsc=CreationTime')
    assert [item['State'] for item in tasks] == ['Completed', 'Completed', 'Completed', 'InProgress']
    assert not any(link['Rel'] == 'Related' for item in tasks for link in item['Links'])
    single = admin.json(tasks[0]['Href'])
    assert single['State'] == 'Completed' and not any(link['Rel'] == 'Related' for link in single['Links'])
    advance(sim, 200)
    seen = admin.json(f'/backupSessions/{run["id"]}?format=Entity')
    assert [link['Href'].rsplit('/', 1)[-1] for link in seen['Links'] if link['Rel'] == 'Related'] == points
    tasks = admin.json(f'/backupSessions/{run["id"]}/taskSessions?format=Entity')['BackupTaskSessions']
    related = [next(link for link in item['Links'] if link['Rel'] == 'Related' and link['Type'] == 'VmRestorePoint') for item in tasks]
    assert len(related) == 4
    for link in related:
        vm_point = admin.json(link['Href'])
        assert vm_point['Name'] == link['Name']
        assert admin.json(next(item for item in vm_point['Links'] if item['Type'] == 'RestorePointReference')['Href'])['UID'].endswith(points[0])


def test_actions_act_on_the_true_state(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'session_collect_delay': DELAY})
    run = start_long_run(sim, seconds=100)
    advance(sim, 350)  # ended at +100 on the backup server, EM still shows it Working
    assert admin.json(f'/backupSessions/{run["id"]}?format=Entity')['State'] == 'Working'
    task = admin.action(f'/backupSessions/{run["id"]}?action=stop')
    advance(sim, 10)
    assert admin.json(task['Href'])['Result']['Success'] is False  # the backup server says it is not running


def test_runs_loaded_from_the_scenario_follow_the_same_rule(admin):
    admin.sim.control('POST', '/config', {'session_collect_delay': 36 * 3600})  # collected up to 1.5 days ago
    collected = [run['UID'].split(':')[-1] for run in daily_runs(admin)]
    assert collected[:2] == ['a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', '0451d7ce-1fae-42a5-993a-ccb6267dd49e']
    assert admin.get(f'/backupSessions/{LAST_DAILY}').status_code == 404
    admin.sim.control('POST', '/reset')
    everything = [run['UID'].split(':')[-1] for run in daily_runs(admin)]  # a reload derives new ids for runs without one
    assert everything[:3] == [LAST_DAILY] + collected[:2] and len(everything) == len(collected) + 1
    assert admin.sim.control('GET', '/config')['session_collect_delay'] == 0


def test_without_a_delay_everything_shows_at_once(admin):
    run = start_long_run(admin.sim)
    assert daily_runs(admin)[0]['UID'] == run['uid']
    assert admin.json(f'/backupSessions/{run["id"]}?format=Entity')['State'] == 'Starting'


@pytest.mark.parametrize('family, job, key', [('BackupJobSession', DAILY, 'JobUid'), ('ReplicaJobSession', REPLICA, 'JobUid'),
                                              ('BackupTaskSession', DAILY, 'JobUid'), ('ReplicaTaskSession', REPLICA, 'JobUid')])
def test_end_time_and_creation_time_filters_and_sorts_with_running_sessions(admin, family, job, key):
    t0 = (datetime.now(timezone.utc) - timedelta(seconds=1)).strftime('%Y-%m-%dT%H:%M:%SZ')
    start_long_run(admin.sim, job)
    uid = f'urn:veeam:Job:{job}'
    everything = sessions(admin, f'{key}=="{uid}"', family)
    running = [item for item in everything if item['EndTimeUTC'] is None]
    finished = [item for item in everything if item['EndTimeUTC'] is not None]
    assert running and finished
    assert uids(sessions(admin, f'{key}=="{uid}";CreationTime>="{t0}"', family)) == uids(running)
    assert uids(sessions(admin, f'{key}=="{uid}";CreationTime<"{t0}"', family)) == uids(finished)
    assert uids(sessions(admin, f'{key}=="{uid}";EndTime>="2000-01-01T00:00:00Z"', family)) == uids(finished)  # null never matches
    assert uids(sessions(admin, f'{key}=="{uid}";EndTime<"2100-01-01T00:00:00Z"', family)) == uids(finished)
    assert uids(sessions(admin, f'{key}=="{uid}";EndTime==""', family)) == uids(running)
    assert uids(sessions(admin, f'{key}=="{uid}";EndTime!="2000-01-01T00:00:00Z"', family)) == uids(everything)
    ascending = sessions(admin, f'{key}=="{uid}"', family, 'sortAsc=EndTime')
    assert [item['EndTimeUTC'] for item in ascending][:len(running)] == [None] * len(running)  # unset first, as SQL Server sorts NULL
    ends = [item['EndTimeUTC'] for item in ascending[len(running):]]
    assert ends == sorted(ends)
    descending = sessions(admin, f'{key}=="{uid}"', family, 'sortDesc=EndTime')
    assert [item['EndTimeUTC'] for item in descending] == [item['EndTimeUTC'] for item in reversed(ascending)]
    by_creation = [item['CreationTimeUTC'] for item in sessions(admin, f'{key}=="{uid}"', family, 'sortAsc=CreationTime')]
    assert by_creation == sorted(by_creation)


def test_backup_task_session_fields_are_the_documented_ones(admin):
    by_job = sessions(admin, 'JobName=="Daily VM Backup";BackupServerName==vbr01.lab.local;Result==Failed', 'BackupTaskSession')
    assert by_job and {item['JobSessionUid'] for item in by_job} == {'urn:veeam:BackupJobSession:0451d7ce-1fae-42a5-993a-ccb6267dd49e'}
    assert sessions(admin, f'JobUid=="{DAILY_UID}";VmDisplayName==web01', 'BackupTaskSession')
    response = admin.get('/query?type=BackupTaskSession&filter=' + quote('VmUid=="x"'))
    assert response.status_code == 400 and "unknown field 'VmUid'" in response.json()['Message']
