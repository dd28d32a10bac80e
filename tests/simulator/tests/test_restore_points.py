# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups, restore points and VM restore points: what runs create, how they link, retention, the read
resources and their roles [restore-points.md, repositories.md, sessions.md]."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import ADMIN, DAILY, OFFSITE, PORTAL_USER, RESTORE_OPERATOR, VBR01, VC01, WEB01_REF, wait_until
from restore_cases import BACKUP, RESTORE_POINT, SESSION, WEB01_POINT
from restore_helpers import (DB01_REF, DC01_REF, SQL_HV_REF, TENANT_WEB01_REF, WEB01_DR_REF, ident, latest_session, link, point_backup,
                             query, run_and_wait, vm_points)

FILE_OPERATOR = ('LAB\\file-op', 'FileRestore!1')
REPLICA = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
FILE_SERVER = '4e6a8c0b-2d3f-4c5e-9a7b-1f3d5b7c9ea2'
DC_BACKUP = '5f7b9d1c-3e4a-4d6f-8b8c-2a4e6c8d0fb3'
WEEKLY_COPY = '7a1c3e5f-9b2d-4f6a-8c0e-1d3f5a7b9c2e'
TENANT_DB01_REF = TENANT_WEB01_REF.replace('6b2da27f-e653-495b-b515-2b18bbb4d3ec', '9c3e5a7b-1d2f-4e6a-8b0c-4d5e6f7a8b9c')
PAYROLL_REF = SQL_HV_REF.replace('020aa5ab-3523-4946-b658-b8ad5b372439', '6a4d8b2e-0c1f-4e7a-b359-8d2c6f1e0a47')
NS = '{http://www.veeam.com/ent/v1.0}'


def _refs(vms):
    return [f'urn:VMware:Vm:{VC01}.{ref}' for ref in vms]


# ------------------------------------------------------------------ the lab's history

@pytest.mark.parametrize('job_name, refs, count', [
    ('Daily VM Backup', _refs(['vm-1042', 'vm-1043', 'vm-1108', 'vm-1200']), 10),   # the VM and the Production folder
    ('Infrastructure Backup', _refs(['vm-1042', 'vm-1108', 'vm-1201', 'vm-1210', 'vm-1211', 'vm-1220', 'vm-1221']), 6),  # host, pool
    ('Gold Tag Backup', _refs(['vm-1220', 'vm-1221']), 6),                            # tag
    ('Test Lab Backup', _refs(['vm-1188', 'vm-1210', 'vm-1211']), 3),                 # folder
    ('DR Site Backup', [WEB01_DR_REF, 'urn:VMware:Vm:8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03.vm-2043'], 6),
    ('Tenant vApp Backup', [TENANT_WEB01_REF, TENANT_DB01_REF], 6),  # vApp
    ('Finance "Q4" & Payroll, Backup; Zürich', [SQL_HV_REF, PAYROLL_REF], 6),
])
def test_every_vm_of_a_backup_job_has_a_history_of_points(admin, job_name, refs, count):
    backup = query(admin, 'Backup', f'JobName=="{job_name.replace(chr(34), chr(34) * 2)}"')
    assert len(backup) == 1 and backup[0]['Name'] == job_name
    points = query(admin, 'RestorePoint', f'BackupUid=="{backup[0]["UID"]}"', '&sortAsc=CreationTime')
    assert len(points) == count
    for point in points:
        vms = admin.json(link(point, 'Down', 'VmRestorePointReferenceList')['Href'] + '?format=Entity')['VmRestorePoints']
        assert sorted(item['HierarchyObjRef'] for item in vms) == sorted(refs)


def test_point_types_follow_the_full_then_increment_rule(admin):
    chain = vm_points(admin, WEB01_REF, 'Daily VM Backup')
    kinds = [(item['Algorithm'], item['PointType']) for item in chain]
    assert kinds == [('Full', 'Full')] + [('Incremental', 'Increment')] * 6 + [('SyntheticFull', 'Full')] + [('Incremental', 'Increment')] * 2
    files = [link(item, 'Up', 'BackupFileReference')['Name'] for item in chain]
    assert [name[-4:] for name in files] == ['.vbk'] + ['.vib'] * 6 + ['.vbk', '.vib', '.vib']
    assert all(name.startswith('Daily VM BackupD') for name in files)
    older_example = 'urn:veeam:VmRestorePoint:6a4f2b18-9e03-4d7c-8a55-1b7c3e9f20d4'
    assert [item['UID'] for item in chain][-3:-1] == [older_example, f'urn:veeam:VmRestorePoint:{WEB01_POINT}']
    assert all(item['Name'] == f"web01@{item['CreationTimeUTC'][:19].replace('T', ' ')}" for item in chain)


def test_sessions_and_task_sessions_link_what_they_created(admin):
    session = admin.json(f'/backupSessions/{SESSION}?format=Entity')
    related = [item for item in session['Links'] if item['Rel'] == 'Related']
    assert [item['Type'] for item in related] == ['RestorePointReference'] and related[0]['Href'].endswith(f'/restorePoints/{RESTORE_POINT}')
    point = admin.json(related[0]['Href'] + '?format=Entity')
    assert point['Name'] == related[0]['Name'] and ident(link(point, 'Up', 'BackupReference')['Href']) == BACKUP
    assert point['BackupDateUTC'] >= session['CreationTimeUTC'] and point['BackupDateUTC'] <= session['EndTimeUTC']
    in_point = admin.json(link(point, 'Down', 'VmRestorePointReferenceList')['Href'] + '?format=Entity')['VmRestorePoints']
    tasks = admin.json(f'/backupSessions/{SESSION}/taskSessions?format=Entity')['BackupTaskSessions']
    by_vm = {item['HierarchyObjRef']: item for item in in_point}
    for task in tasks:
        vm_link = link(task, 'Related', 'VmRestorePoint')
        mine = by_vm[task['VmUid']]
        assert vm_link['Href'].endswith(f"/vmRestorePoints/{ident(mine['UID'])}?format=Entity") and vm_link['Name'] == mine['Name']
        assert task['CreationTimeUTC'] <= mine['CreationTimeUTC'] <= task['EndTimeUTC']


def test_failed_runs_and_failed_vms_have_no_points(admin):
    failed = admin.json('/backupSessions/0451d7ce-1fae-42a5-993a-ccb6267dd49e?format=Entity')
    assert failed['Result'] == 'Failed' and not [item for item in failed['Links'] if item['Rel'] == 'Related']
    for task in admin.json('/backupSessions/0451d7ce-1fae-42a5-993a-ccb6267dd49e/taskSessions?format=Entity')['BackupTaskSessions']:
        assert not [item for item in task['Links'] if item['Rel'] == 'Related']
    warning = latest_session(admin, DC_BACKUP)
    assert warning['Result'] == 'Warning' and link(warning, 'Related', 'RestorePointReference')
    warned = admin.json(f"/backupSessions/{ident(warning['UID'])}/taskSessions?format=Entity")['BackupTaskSessions']
    assert [task['Result'] for task in warned] == ['Warning'] and link(warned[0], 'Related', 'VmRestorePoint')


def test_a_run_adds_points_and_a_failed_vm_gets_none(admin):
    before = len(vm_points(admin, WEB01_REF, 'Daily VM Backup'))
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'result': 'Failed'})
    failed = run_and_wait(admin, DAILY)
    assert not [item for item in failed['Links'] if item['Rel'] == 'Related']
    admin.sim.control('POST', f'/jobs/{DAILY}/outcome', {'result': 'Warning'})
    warning = run_and_wait(admin, DAILY)
    point = admin.json(link(warning, 'Related', 'RestorePointReference')['Href'] + '?format=Entity')
    vms = admin.json(link(point, 'Down', 'VmRestorePointReferenceList')['Href'] + '?format=Entity')['VmRestorePoints']
    assert sorted(item['VmName'] for item in vms) == ['app01', 'db01', 'web01', 'web02']  # the warning VM (app01) has a point too
    assert [item['Algorithm'] for item in vms] == ['Incremental'] * 4
    chain = vm_points(admin, WEB01_REF, 'Daily VM Backup')
    assert len(chain) == before + 1 and chain[-1]['UID'] == next(item['UID'] for item in vms if item['VmName'] == 'web01')


def test_quick_backup_makes_a_point_for_that_vm_only(sim):
    user = sim.logon(PORTAL_USER)
    task = user.wait_task(user.action(f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': WEB01_REF}))
    session = wait_until(lambda: user.json(task['Links'][1]['Href']), lambda item: item['State'] == 'Stopped', what='the quick backup')
    summary = sim.control('GET', f'/jobs/{DAILY}')
    assert summary['counts']['quick_backup'] == 1
    assert (summary['sessions'][0]['trigger'], summary['sessions'][0]['vms']) == ('quick_backup', ['web01'])
    point = user.json(link(session, 'Related', 'RestorePointReference')['Href'] + '?format=Entity')
    vms = user.json(link(point, 'Down', 'VmRestorePointReferenceList')['Href'] + '?format=Entity')['VmRestorePoints']
    assert [(item['HierarchyObjRef'], item['Algorithm'], item['PointType']) for item in vms] == [(WEB01_REF, 'Incremental', 'Increment')]


def sim_points(sim, **query):
    text = '&'.join(f'{key}={value}' for key, value in query.items())
    return sim.control('GET', f'/vm_restore_points?{text}')['vm_restore_points']


def test_the_control_view_of_vm_restore_points(admin):
    """``GET /_sim/vm_restore_points``: what runs wrote, by VM and job, without a logon."""
    sim = admin.sim
    web01 = sim_points(sim, vm=WEB01_REF)
    assert web01 == sim_points(sim, vm='VM-1042')  # the VM's own id
    named = sim_points(sim, vm='web01')  # the name: also web01 of vc02
    assert {point['vm_ref'] for point in named} == {WEB01_REF, WEB01_REF.replace(VC01, '8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03').replace('1042', '2042')}
    assert [point for point in named if point['vm_ref'] == WEB01_REF] == web01
    assert {point['job']['name'] for point in web01} == {'Daily VM Backup', 'Infrastructure Backup', 'Offsite Copy', 'Weekly Archive Copy'}
    assert [point['created'] for point in web01] == sorted(point['created'] for point in web01)
    example = next(point for point in web01 if point['id'] == 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35')
    entity = admin.json(f"/vmRestorePoints/{example['id']}?format=Entity")
    assert (example['uid'], example['vm_ref'], example['creation_time_utc'], example['algorithm'], example['point_type']) == (
        entity['UID'], entity['HierarchyObjRef'], entity['CreationTimeUTC'], entity['Algorithm'], entity['PointType'])
    assert (example['restore_point'], example['job_session'], example['task_session']) == (
        'b36a86f1-0417-4378-83c0-639f1cb433ba', 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', 'b12dda93-6b95-4349-b86c-c3b7d6404342')
    assert example['backup'] == {'id': example['backup']['id'], 'name': 'Daily VM Backup'} and example['backup_server'] == 'vbr01.lab.local'
    daily_points = sim_points(sim, vm=WEB01_REF, job='Daily VM Backup')
    assert daily_points == sim_points(sim, vm=WEB01_REF, job=DAILY) == [point for point in web01 if point['job']['name'] == 'Daily VM Backup']
    assert sim_points(sim, vm='no-such-vm') == [] and sim_points(sim, job='no-such-job') == []
    task = admin.wait_task(admin.action(f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': WEB01_REF}))
    run = wait_until(lambda: admin.json(task['Links'][1]['Href']), lambda item: item['State'] == 'Stopped', what='the quick backup')
    newest = sim_points(sim, vm=WEB01_REF, job='daily vm backup')[-1]
    assert (newest['job_session'], newest['trigger'], newest['point_type']) == (ident(run['UID']), 'quick_backup', 'Increment')
    items = admin.json(f"/backupSessions/{ident(run['UID'])}/taskSessions?format=Entity")['BackupTaskSessions']
    assert newest['task_session'] == ident(items[0]['UID'])


def test_copy_runs_copy_the_newest_source_points_into_their_own_backup(admin):
    newest_before = vm_points(admin, WEB01_REF)[-1]
    session = run_and_wait(admin, OFFSITE, 'sync')
    point = admin.json(link(session, 'Related', 'RestorePointReference')['Href'] + '?format=Entity')
    assert link(point, 'Up', 'BackupReference')['Name'] == 'Offsite Copy'
    vms = admin.json(link(point, 'Down', 'VmRestorePointReferenceList')['Href'] + '?format=Entity')['VmRestorePoints']
    assert sorted(item['VmName'] for item in vms) == ['app01', 'db01', 'web01', 'web02']
    newest = vm_points(admin, WEB01_REF)[-1]
    assert newest['UID'] != newest_before['UID'] and point_backup(admin, newest)['Name'] == 'Offsite Copy'
    assert newest['CreationTimeUTC'] > newest_before['CreationTimeUTC']
    backup = point_backup(admin, newest)
    assert link(backup, 'Up', 'RepositoryReference')['Name'] == 'S3 Immutable' and backup['Platform'] == 'VMware'


def test_replica_runs_make_no_points(admin):
    before = len(query(admin, 'VmRestorePoint', f'HierarchyObjRef=="{DB01_REF}"'))
    admin.wait_task(admin.action(f'/jobs/{REPLICA}?action=start'))
    runs = wait_until(lambda: query(admin, 'ReplicaJobSession', f'JobUid=="urn:veeam:Job:{REPLICA}"', '&sortDesc=CreationTime'),
                      lambda items: len(items) == 2 and items[0]['State'] == 'Stopped', what='the replica run')
    replica = runs[0]
    assert replica['Result'] == 'Success' and not [item for item in replica['Links'] if item['Rel'] == 'Related']
    assert query(admin, 'Backup', 'JobName=="SQL Replica"') == []
    assert len(query(admin, 'VmRestorePoint', f'HierarchyObjRef=="{DB01_REF}"')) == before


def test_retention_keeps_the_newest_cycles(admin):
    edit = {'JobInfo': {'BackupJobInfo': {'SimpleRetentionPolicy': {'RetainCycles': 2}}}}
    assert admin.wait_task(admin.request('PUT', f'/jobs/{DAILY}?action=edit', edit).json())['Result']['Success'] is True
    oldest = vm_points(admin, WEB01_REF, 'Daily VM Backup')[0]
    run_and_wait(admin, DAILY)
    chain = vm_points(admin, WEB01_REF, 'Daily VM Backup')
    assert len(chain) == 2 and admin.get(f"/vmRestorePoints/{ident(oldest['UID'])}").status_code == 404
    assert WEB01_POINT not in [ident(item['UID']) for item in chain]
    old_session = admin.json(f'/backupSessions/{SESSION}?format=Entity')  # its point is gone, and so is the link
    assert not [item for item in old_session['Links'] if item['Rel'] == 'Related']
    assert admin.get(f'/restorePoints/{RESTORE_POINT}').status_code == 404
    web01_task = admin.json('/backupTaskSessions/b12dda93-6b95-4349-b86c-c3b7d6404342?format=Entity')
    assert not [item for item in web01_task['Links'] if item['Rel'] == 'Related']


def test_one_restore_point_per_vm_when_switched_on(admin):
    admin.sim.control('POST', '/config', {'restore_point_per_vm': True})
    session = run_and_wait(admin, DAILY)
    related = [item for item in session['Links'] if item['Rel'] == 'Related']
    assert len(related) == 4 and {item['Type'] for item in related} == {'RestorePointReference'}
    for item in related:
        point = admin.json(item['Href'] + '?format=Entity')
        vms = admin.json(link(point, 'Down', 'VmRestorePointReferenceList')['Href'] + '?format=Entity')['VmRestorePoints']
        assert len(vms) == 1 and f".{vms[0]['HierarchyObjRef'].rsplit('.', 1)[1]}D" in link(vms[0], 'Up', 'BackupFileReference')['Name']


def test_triggers_say_what_started_each_run(admin):
    sim = admin.sim
    run_and_wait(admin, DAILY)
    sim.control('POST', f'/jobs/{DAILY}/run', expect=201)
    wait_until(lambda: sim.control('GET', f'/jobs/{DAILY}')['sessions'][0], lambda item: item['state'] == 'Stopped', what='the run')
    run_and_wait(admin, FILE_SERVER, 'retry')
    run_and_wait(admin, WEEKLY_COPY, 'sync')
    daily = sim.control('GET', f'/jobs/{DAILY}')['sessions']
    assert [item['trigger'] for item in daily[:3]] == ['schedule', 'start', 'schedule']  # the newest first; history runs were scheduled
    assert daily[0]['vms'] == ['web01', 'web02', 'db01', 'app01'] and len(daily[0]['restore_points']) == 1
    assert sim.control('GET', f'/jobs/{FILE_SERVER}')['sessions'][0]['trigger'] == 'retry'
    assert sim.control('GET', f'/jobs/{WEEKLY_COPY}')['sessions'][0]['trigger'] == 'sync'


# ------------------------------------------------------------------ limits, roles, routes

def test_lists_of_the_last_30_days_and_points_without_limit(admin):
    admin.sim.control('POST', '/advance', {'seconds': '31d'})
    assert admin.json(f'/backupSessions/{SESSION}/taskSessions')['Refs'] == []
    listed = {ident(ref['UID']) for ref in admin.json('/backupTaskSessions')['Refs']}
    assert 'b12dda93-6b95-4349-b86c-c3b7d6404342' not in listed
    assert admin.get('/backupTaskSessions/b12dda93-6b95-4349-b86c-c3b7d6404342').status_code == 200
    assert WEB01_POINT in {ident(ref['UID']) for ref in admin.json('/vmRestorePoints')['Refs']}
    assert admin.json('/restoreSessions')['Refs'] == [] and admin.get('/restoreSessions/e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63').status_code == 200
    assert query(admin, 'BackupTaskSession', 'VmDisplayName=="web01";JobName=="Daily VM Backup"')  # the query service has no limit


@pytest.mark.parametrize('credentials, path, status', [
    (PORTAL_USER, '/repositories', 200), (RESTORE_OPERATOR, '/repositories', 403), (FILE_OPERATOR, '/repositories', 403),
    (PORTAL_USER, f'/backupServers/{VBR01}/repositories', 200), (RESTORE_OPERATOR, f'/backupServers/{VBR01}/repositories', 403),
    (PORTAL_USER, '/query?type=Repository', 200), (RESTORE_OPERATOR, '/query?type=Repository', 403),
    (RESTORE_OPERATOR, '/backups', 200), (RESTORE_OPERATOR, f'/backups/{BACKUP}/restorePoints', 200),
    (RESTORE_OPERATOR, '/restorePoints', 200), (RESTORE_OPERATOR, f'/restorePoints/{RESTORE_POINT}', 200),
    (RESTORE_OPERATOR, f'/restorePoints/{RESTORE_POINT}/vmRestorePoints', 403), (PORTAL_USER, f'/restorePoints/{RESTORE_POINT}/vmRestorePoints', 200),
    (FILE_OPERATOR, f'/restorePoints/{RESTORE_POINT}/vmRestorePoints', 403),
    (RESTORE_OPERATOR, '/vmRestorePoints', 200), (FILE_OPERATOR, '/vmRestorePoints', 200), (PORTAL_USER, '/vmRestorePoints', 200),
    (RESTORE_OPERATOR, '/query?type=VmRestorePoint', 200), (RESTORE_OPERATOR, '/query?type=RestorePoint', 200),
    (RESTORE_OPERATOR, '/query?type=Backup', 200), (FILE_OPERATOR, '/query?type=Task', 200),
    (RESTORE_OPERATOR, '/restoreSessions', 200), (FILE_OPERATOR, '/restoreSessions', 200), (FILE_OPERATOR, '/query?type=RestoreSession', 200),
    (RESTORE_OPERATOR, '/backupTaskSessions', 403), (RESTORE_OPERATOR, f'/backupSessions/{SESSION}/taskSessions', 403),
    (RESTORE_OPERATOR, '/query?type=BackupTaskSession', 403), (PORTAL_USER, '/query?type=BackupTaskSession', 200),
])
def test_roles_of_the_restore_side(sim, credentials, path, status):
    response = sim.logon(credentials).get(path)
    assert response.status_code == status, response.text


def test_restore_operator_sees_only_points_in_its_scope(sim):
    operator = sim.logon(RESTORE_OPERATOR)
    production = {f'urn:VMware:Vm:{VC01}.{ref}' for ref in ('vm-1042', 'vm-1043', 'vm-1108', 'vm-1200')}
    listed = operator.json('/vmRestorePoints?format=Entity')['VmRestorePoints']
    assert listed and {item['HierarchyObjRef'] for item in listed} == production
    queried = query(operator, 'VmRestorePoint', 'VmDisplayName=="web01"')
    assert queried and {item['HierarchyObjRef'] for item in queried} == {WEB01_REF}  # not the web01 of vc02
    dc01 = ident(vm_points(sim.logon(ADMIN), DC01_REF)[0]['UID'])
    assert operator.get(f'/vmRestorePoints/{dc01}').status_code == 404
    sim.control('POST', '/config', {'restore_scope_lists': 'show'})
    assert operator.get(f'/vmRestorePoints/{dc01}').status_code == 200
    assert len(operator.json('/vmRestorePoints')['Refs']) == len(sim.logon(ADMIN).json('/vmRestorePoints')['Refs'])


ROUTES = [
    ('/repositories', 'EntityReferences', 'Refs'), ('/repositories?format=Entity', 'Repositories', 'Repositories'),
    ('/repositories/eb27f100-58e1-435c-bab3-47cf097c43fb', 'EntityRef', 'UID'),
    ('/repositories/eb27f100-58e1-435c-bab3-47cf097c43fb?format=Entity', 'Repository', 'Kind'),
    ('/repositories/eb27f100-58e1-435c-bab3-47cf097c43fb/backups', 'EntityReferences', 'Refs'),
    ('/repositories/eb27f100-58e1-435c-bab3-47cf097c43fb/backups?format=Entity', 'Backups', 'Backups'),
    (f'/backupServers/{VBR01}/repositories', 'EntityReferences', 'Refs'),
    (f'/backupServers/{VBR01}/repositories?format=Entity', 'Repositories', 'Repositories'),
    ('/backups', 'EntityReferences', 'Refs'), ('/backups?format=Entity', 'Backups', 'Backups'), (f'/backups/{BACKUP}', 'EntityRef', 'UID'),
    (f'/backups/{BACKUP}?format=Entity', 'Backup', 'BackupType'), (f'/backups/{BACKUP}/restorePoints', 'EntityReferences', 'Refs'),
    (f'/backups/{BACKUP}/restorePoints?format=Entity', 'RestorePoints', 'RestorePoints'),
    ('/restorePoints', 'EntityReferences', 'Refs'), ('/restorePoints?format=Entity', 'RestorePoints', 'RestorePoints'),
    (f'/restorePoints/{RESTORE_POINT}', 'EntityRef', 'UID'), (f'/restorePoints/{RESTORE_POINT}?format=Entity', 'RestorePoint', 'BackupDateUTC'),
    (f'/restorePoints/{RESTORE_POINT}/vmRestorePoints', 'EntityReferences', 'Refs'),
    (f'/restorePoints/{RESTORE_POINT}/vmRestorePoints?format=Entity', 'VmRestorePoints', 'VmRestorePoints'),
    ('/vmRestorePoints', 'EntityReferences', 'Refs'), ('/vmRestorePoints?format=Entity', 'VmRestorePoints', 'VmRestorePoints'),
    (f'/vmRestorePoints/{WEB01_POINT}', 'EntityRef', 'UID'), (f'/vmRestorePoints/{WEB01_POINT}?format=Entity', 'VmRestorePoint', 'PointType'),
    ('/restoreSessions', 'EntityReferences', 'Refs'), ('/restoreSessions?format=Entity', 'RestoreSessions', 'RestoreSessions'),
    ('/restoreSessions/e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63', 'EntityRef', 'UID'),
    ('/restoreSessions/e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63?format=Entity', 'RestoreSession', 'RestoredObjRef'),
]


@pytest.mark.parametrize('path, root, key', ROUTES, ids=[route[0] for route in ROUTES])
def test_get_route_in_both_media_and_casings(sim, path, root, key):
    client = sim.logon()
    xml = client.get(path, media='xml')
    assert xml.status_code == 200
    element = ET.fromstring(xml.content)
    assert element.tag == NS + root
    body = client.json(path)
    assert key in body
    if isinstance(body[key], list):  # a list document: the same items in both forms
        assert body[key] and len(body[key]) == len(element)
    sim.control('POST', '/config', {'casing': 'camel'})
    camel = client.json(path)
    assert key[0].lower() + key[1:] in camel or key == 'UID' and 'uid' in camel


@pytest.mark.parametrize('path', ['/backups/00000000-0000-0000-0000-000000000000', '/restorePoints/nope', '/vmRestorePoints/nope',
                                  '/repositories/nope', '/restoreSessions/nope', f'/backupServers/{DAILY}/repositories'])
def test_unknown_ids_are_404(admin, path):
    response = admin.get(path)
    assert response.status_code == 404 and 'was not found' in response.json()['Message']


@pytest.mark.parametrize('path', [f'/backups/{BACKUP}/backupFiles', f'/restorePoints/{RESTORE_POINT}/backupFiles',
                                  f'/vmRestorePoints/{WEB01_POINT}/mounts', '/repositories/eb27f100-58e1-435c-bab3-47cf097c43fb/replicas',
                                  f'/backups/{BACKUP}/childbackups', '/backupFiles'])
def test_documented_parts_left_out_are_501(admin, path):
    assert admin.get(path).status_code == 501
