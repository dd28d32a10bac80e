# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query types of the restore side and the task-session fields: filters, sorting, paging, placement [query.md,
restore-points.md, repositories.md, restore.md, sessions.md]."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import DAILY, DAILY_RUNS, VBR01, WEB01_REF
from restore_cases import RESTORE_POINT, WEB01_POINT
from restore_helpers import WEB01_DR_REF, query

S3 = 'urn:veeam:Repository:3f9c1d27-8a4e-4b52-9d61-7e0a5c2b4f18'


@pytest.mark.parametrize('type_name, key', [
    ('VmRestorePoint', 'VmRestorePoints'), ('RestorePoint', 'RestorePoints'), ('Backup', 'Backups'), ('Repository', 'Repositories'),
    ('RestoreSession', 'RestoreSessions'), ('vmrestorepoint', 'VmRestorePoints'),
])
def test_placement_and_references(admin, type_name, key):
    result = admin.json(f'/query?type={type_name}&format=Entities&pageSize=2')
    assert [name for name, value in result['Entities'].items() if value is not None] == [key]
    assert result['Entities'][key][key] and len(result['Entities'][key][key]) <= 2
    refs = admin.json(f'/query?type={type_name}&pageSize=2')['Refs']['Refs']
    assert refs and all(ref['Type'].endswith('Reference') for ref in refs)


def test_latest_point_of_a_vm_the_documented_way_and_by_reference(admin):
    by_name = query(admin, 'VmRestorePoint', f'VmDisplayName=="web01";BackupServerUid=="urn:veeam:BackupServer:{VBR01}"',
                    '&sortDesc=CreationTime')
    assert {item['HierarchyObjRef'] for item in by_name} == {WEB01_REF}  # not the web01 of vbr02
    every_web01 = query(admin, 'VmRestorePoint', 'VmDisplayName=="web01"')
    assert {item['HierarchyObjRef'] for item in every_web01} == {WEB01_REF, WEB01_DR_REF}
    by_ref = query(admin, 'VmRestorePoint', f'HierarchyObjRef=="{WEB01_REF}"', '&sortDesc=CreationTime')
    assert [item['UID'] for item in by_ref] == [item['UID'] for item in by_name]
    times = [item['CreationTimeUTC'] for item in by_ref]
    assert times == sorted(times, reverse=True)
    first_page = admin.json('/query?type=VmRestorePoint&format=Entities&filter=' + quote('VmDisplayName=="web01"', safe='')
                            + '&sortDesc=CreationTime&pageSize=1')
    assert first_page['PagingInfo']['PagesCount'] == len(every_web01)
    assert [link['Rel'] for link in first_page['PagingInfo']['Links']] == ['First', 'Next', 'Last']


@pytest.mark.parametrize('filter_text, expected', [
    ('Type==Full;VmDisplayName==web01;HierarchyObjRef=="' + WEB01_REF + '"', 5),   # 2 in Daily, 1 each in Infrastructure and the copies
    ('Algorithm==SyntheticFull', 4),                                                # the 7th point of Daily's four VMs
    (f'RestorePointId=="urn:veeam:RestorePoint:{RESTORE_POINT}"', 4),
    ('RestorePointName=="' + 'x' + '"', 0),
    (f'UID=="urn:veeam:VmRestorePoint:{WEB01_POINT}"', 1),
    ('BackupServerName=="vbr02.lab.local"', 18),  # 6 runs of each job on vbr02: dr-app01 (Nightly Backup); web01, dr-db01 (DR Site)
])
def test_vm_restore_point_filters(admin, filter_text, expected):
    assert len(query(admin, 'VmRestorePoint', filter_text)) == expected


def test_point_type_filter_is_type_and_bad_fields_are_400(admin):
    assert 'invalid value' in admin.json('/query?type=VmRestorePoint&filter=Type==Differential', expect=400)['Message']
    assert "unknown field 'PointType'" in admin.json('/query?type=VmRestorePoint&filter=PointType==Full', expect=400)['Message']
    assert "unknown field 'VmName'" in admin.json('/query?type=VmRestorePoint&filter=VmName==web01', expect=400)['Message']


def test_restore_point_backup_and_repository_filters(admin):
    daily = query(admin, 'Backup', f'JobUid=="urn:veeam:Job:{DAILY}"')
    assert [item['Name'] for item in daily] == ['Daily VM Backup']
    points = query(admin, 'RestorePoint', f'BackupUid=="{daily[0]["UID"]}"', '&sortDesc=CreationTime')
    assert len(points) == DAILY_RUNS - 1  # every run but the failed one
    assert len(query(admin, 'RestorePoint', 'BackupName=="Daily VM Backup"')) == len(points)
    assert sorted(item['Name'] for item in query(admin, 'Backup', f'RepositoryUid=="{S3}"')) == ['Offsite Copy', 'Weekly Archive Copy']
    assert [item['Name'] for item in query(admin, 'Backup', 'Platform==HyperV;BackupType==Standard')] == [
        'Finance "Q4" & Payroll, Backup; Zürich']
    small = query(admin, 'Repository', 'FreeSpace<107374182400')  # the documented example; -1 (unknown) matches as well
    assert [item['Name'] for item in small] == ['S3 Immutable']
    assert [item['Name'] for item in query(admin, 'Repository', 'BackupServerName=="vbr02.lab.local"')] == ['DR Repository']
    by_capacity = [item['Name'] for item in query(admin, 'Repository', None, '&sortDesc=Capacity')]
    assert by_capacity == ['DR Repository', 'Default Backup Repository', 'S3 Immutable']


def test_restore_session_fields(admin):
    assert [item['VmDisplayName'] for item in query(admin, 'RestoreSession', 'Type==RestoreVm;Result==Success')] == ['web01']
    assert query(admin, 'RestoreSession', 'Type==FileLevelRestore') == []
    assert len(query(admin, 'RestoreSession', 'VmDisplayName=="web01";State==Stopped;BackupServerName=="vbr01.lab.local"')) == 1


def test_task_session_filters_by_job_and_server(admin):
    web01 = query(admin, 'BackupTaskSession', 'VmDisplayName=="web01";JobName=="Daily VM Backup"')
    assert len(web01) == DAILY_RUNS
    assert len(query(admin, 'BackupTaskSession', f'VmDisplayName=="web01";JobUid=="urn:veeam:Job:{DAILY}"')) == DAILY_RUNS
    linked = [item for item in web01 if any(link['Rel'] == 'Related' for link in item['Links'])]
    assert len(linked) == DAILY_RUNS - 1  # the failed run made no point
    on_vbr02 = query(admin, 'BackupTaskSession', 'BackupServerName=="vbr02.lab.local"')
    assert on_vbr02 and all(item['VmUid'].startswith('urn:VMware:Vm:8d2f4c61') for item in on_vbr02)
