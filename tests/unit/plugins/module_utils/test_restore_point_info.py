# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_restore_points and _restore_point_info: the parents of many points in few pages, the points of jobs, the job of a point."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._restore_point_info import (
    PointFilter,
    by_vm,
    newest_per_vm,
    read_job_points,
    read_vm_points,
    vm_entry,
)
from ansible_collections.veeamops.em.plugins.module_utils._restore_points import WINDOW_FROM, JobIndex, RestorePointsApi
from ansible_collections.veeamops.em.tests.unit.utils import em_sessions as sim
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR02

SINCE = datetime(2026, 3, 1, tzinfo=timezone.utc)


def uid_filter(numbers):
    return ','.join('UID=="urn:veeam:RestorePoint:%s"' % sim.parent_id(number) for number in numbers)


def many_points(count):
    """``count`` VM restore points of web01, each in a restore point of its own (per-VM backup files), one an hour."""
    points = []
    for number in range(1, count + 1):
        created = '2026-03-%02dT%02d:02:05.283Z' % (1 + number // 24, number % 24)
        points.append(estate.vm_point(estate.WEB01, 'web01', sim.point_id(number), created, sim.parent_id(number)))
    return points


def restore_points(em_http, em_settings, points, page_size=1000, backup_server=None):
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        return RestorePointsApi(em, page_size).restore_points([snake_keys(point) for point in points], backup_server)


def test_few_parents_are_asked_for_by_uid(em_http, em_settings):
    points = many_points(3) + many_points(1)
    em_http.expect_logon()
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents([1, 2, 3])), filter_text=uid_filter([1, 2, 3]))
    found = restore_points(em_http, em_settings, points)
    assert sorted(found) == [sim.parent_id(number) for number in (1, 2, 3)]


def test_many_parents_are_read_by_date_when_one_page_holds_them(em_http, em_settings):
    points = many_points(WINDOW_FROM + 1)
    em_http.expect_logon()
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents(range(1, WINDOW_FROM + 2))),
                         filter_text='CreationTime>="2026-02-28T01:02:05Z";BackupServerName=="vbr02.lab.local"', sort_desc='CreationTime')
    found = restore_points(em_http, em_settings, points, backup_server=VBR02[0])
    assert len(found) == WINDOW_FROM + 1 and len(em_http.calls) == 3


def test_the_date_window_stops_when_asking_by_uid_is_cheaper_and_asks_for_the_rest(em_http, em_settings):
    points = many_points(WINDOW_FROM + 10)  # 130: four queries by UID
    window = 'CreationTime>="2026-02-28T01:02:05Z"'
    pages = [sim.parents(range(1, 51)), sim.parents(range(51, 101)), sim.parents(range(101, 151))]
    em_http.expect_logon()
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', pages[0], page_size=50, pages_count=3), filter_text=window,
                         sort_desc='CreationTime', page_size=50)
    em_http.expect_get('/api/query', sim.page('RestorePoint', pages[1], page_size=50, page_num=2, pages_count=3),
                       params={'type': 'RestorePoint', 'format': 'Entities', 'filter': window, 'sortDesc': 'CreationTime', 'pageSize': '50',
                               'page': '2'})
    # after two pages 30 are missing: one query by UID is cheaper than the third page, which may not even hold them
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents(range(101, 131)), page_size=50),
                         filter_text=uid_filter(range(101, 131)), page_size=50)
    found = restore_points(em_http, em_settings, points, page_size=50)
    assert len(found) == 130


def test_points_older_than_the_window_are_asked_for_by_uid(em_http, em_settings):
    points = many_points(WINDOW_FROM + 1)
    em_http.expect_logon()
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents(range(2, WINDOW_FROM + 2))),
                         filter_text='CreationTime>="2026-02-28T01:02:05Z"', sort_desc='CreationTime')
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents([1])), filter_text=uid_filter([1]))
    assert len(restore_points(em_http, em_settings, points)) == WINDOW_FROM + 1


def test_the_job_of_a_backup_is_the_listed_job_of_that_name_on_that_server():
    index = JobIndex([snake_keys(estate.DAILY), snake_keys(estate.DR)])
    assert index.job_of('daily vm backup', 'VBR01.lab.local') == {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}
    assert index.job_of('Daily VM Backup', 'vbr02.lab.local') == {'name': 'Daily VM Backup', 'id': None}
    assert index.job_of('Deleted Job', 'vbr01.lab.local') == {'name': 'Deleted Job', 'id': None}
    assert index.has_name('DR SITE BACKUP') and not index.has_name('Deleted Job')


def test_every_vm_since_a_time_with_its_job(em_http, em_settings):
    points = sim.points_of(estate.DB01, 'db01', [1, 2], parent_of=lambda number: number)
    copy_point = estate.vm_point(estate.WEB01, 'web01', sim.point_id(3), '2026-03-04T01:00:00Z', sim.parent_id(3))
    em_http.expect_logon()
    em_http.expect_query('VmRestorePoint', sim.page('VmRestorePoint', points + [copy_point]), filter_text='CreationTime>="2026-03-01T00:00:00Z"',
                         sort_desc='CreationTime')
    em_http.expect_query('Job', sim.page('Job', estate.JOBS), sort_asc='Name')
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents([1, 2]) + sim.parents([3], 'Offsite Copy')), filter_text=uid_filter([3, 1, 2]))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = read_vm_points(em, since=SINCE)
    assert [(point['vm_name'], point['creation_time'], point['job']) for point in found] == [
        ('web01', '2026-03-04T01:00:00Z', {'name': 'Offsite Copy', 'id': None}),
        ('db01', '2026-03-03T21:02:05.283Z', {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}),
        ('db01', '2026-03-02T21:02:05.283Z', {'name': 'Daily VM Backup', 'id': estate.DAILY_ID})]
    assert found[1]['backup'] == {'name': 'Daily VM Backup', 'id': '5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'}
    assert found[1]['backup_server'] == 'vbr01.lab.local' and found[1]['ref'] == estate.DB01


def test_points_of_given_vms_are_read_by_reference_and_checked(em_http, em_settings):
    other_web01 = estate.vm_point(estate.WEB01_DR, 'web01', sim.point_id(9), '2026-03-05T01:00:00Z', sim.parent_id(9), VBR02)
    em_http.expect_logon()
    em_http.expect_query('VmRestorePoint', sim.page('VmRestorePoint', [other_web01] + sim.points_of(estate.WEB01, 'web01', [1])),
                         filter_text='HierarchyObjRef=="%s"' % estate.WEB01, sort_desc='CreationTime')
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents([1])), filter_text=uid_filter([1]))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = read_vm_points(em, refs=[estate.WEB01], jobs=[snake_keys(estate.DAILY)])
    assert [point['id'] for point in found] == [sim.point_id(1)]


def test_no_vms_no_request(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        assert read_vm_points(em, refs=[]) == []


def test_points_of_jobs_go_through_their_backups_and_restore_points(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_query('Backup', sim.page('Backup', [sim.backup(), sim.backup('Daily VM Backup', '6f2a1d4b-8e35-4c9f-b7a2-3d0e94c58f16', VBR02)]),
                         filter_text='JobName=="Daily VM Backup"', sort_asc='Name')
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents([1, 2])),
                         filter_text='BackupUid=="urn:veeam:Backup:5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05";BackupServerName=="vbr01.lab.local"',
                         sort_desc='CreationTime')
    em_http.expect_query('VmRestorePoint', sim.page('VmRestorePoint', sim.points_of(estate.DB01, 'db01', [1, 2], parent_of=lambda n: n)),
                         filter_text='(RestorePointId=="urn:veeam:RestorePoint:%s",RestorePointId=="urn:veeam:RestorePoint:%s");'
                         'BackupServerName=="vbr01.lab.local";CreationTime>="2026-03-01T00:00:00Z"' % (sim.parent_id(1), sim.parent_id(2)),
                         sort_desc='CreationTime')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        found = read_job_points(em, ['Daily VM Backup'], since=SINCE, backup_server='vbr01.lab.local', jobs=[snake_keys(estate.DAILY)])
    assert [(point['id'], point['job']['id']) for point in found] == [(sim.point_id(1), estate.DAILY_ID), (sim.point_id(2), estate.DAILY_ID)]


def test_newest_per_vm_and_the_entry_of_a_vm():
    described = [{'ref': estate.DB01, 'vm_name': 'db01', 'id': '1'}, {'ref': estate.WEB01, 'vm_name': 'web01', 'id': '2'},
                 {'ref': estate.DB01.replace('VMware', 'vmware'), 'vm_name': 'db01', 'id': '3'}]
    assert [point['id'] for point in newest_per_vm(described)] == ['1', '2']
    entry = vm_entry({'name': None, 'ref': estate.DB01, 'platform': 'VMware', 'hierarchy_root': 'vc01.lab.local',
                      'hierarchy_root_id': estate.VC01, 'backup_server': 'vbr01.lab.local'}, by_vm(described))
    assert entry['name'] == 'db01' and [point['id'] for point in entry['restore_points']] == ['1', '3'] and entry['restore_point']['id'] == '1'
    empty = vm_entry({'name': 'web02', 'ref': 'urn:VMware:Vm:%s.vm-1050' % estate.VC01}, by_vm(described))
    assert empty['restore_points'] == [] and empty['restore_point'] is None and empty['name'] == 'web02'


@pytest.mark.parametrize('params, message', [
    ({'since': 'soon'}, "Invalid value for option since: 'soon'"),
    ({'vms': ['']}, 'Invalid entry in option vms'),
    ({'vms': []}, 'needs at least one VM'),
    ({'jobs': [None]}, 'Invalid entry in option jobs'),
])
def test_bad_options(params, message):
    with pytest.raises(EmInputError, match=message):
        PointFilter.from_params(params)


def test_job_names_match_the_job_or_the_backup_without_case():
    flt = PointFilter.from_params({'jobs': 'daily vm backup', 'since': '2026-03-01 22:30:15.5+01:00'})
    assert flt.since == datetime(2026, 3, 1, 21, 30, 15, tzinfo=timezone.utc)
    assert flt.matches({'job': {'name': 'Daily VM Backup'}, 'backup': {'name': 'x'}})
    assert flt.matches({'job': {'name': None}, 'backup': {'name': 'DAILY VM BACKUP'}})
    assert not flt.matches({'job': {'name': 'Other'}, 'backup': {'name': 'Other'}})
