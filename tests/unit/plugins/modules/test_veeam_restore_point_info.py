# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_restore_point_info: the module run in-process against scripted Enterprise Manager exchanges."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.modules import veeam_restore_point_info
from ansible_collections.veeamops.em.tests.unit.utils import em_sessions as sim
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, USERNAME, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR02, query_page
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module, warning_texts

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD}
SORT = {'sort_desc': 'CreationTime'}
OTHER = 'urn:VMware:Vm:%s.vm-9999' % estate.VC01
DB01_POINTS = sim.points_of(estate.DB01, 'db01', [1, 2], parent_of=lambda number: number)  # Mar 3 and Mar 2


def run(args, check_mode=False):
    return run_module(veeam_restore_point_info.main, dict(ARGS, **args), check_mode)


def uid_filter(numbers):
    return ','.join('UID=="urn:veeam:RestorePoint:%s"' % sim.parent_id(number) for number in numbers)


def refs_filter(*refs):
    return ','.join('HierarchyObjRef=="%s"' % ref for ref in refs)


def expect_points(em_http, points, filter_text, parents_numbers, parents=None):
    """The module's own queries: VM restore points (``filter_text`` None: no filter), then their restore points by UID."""
    kwargs = {} if filter_text is None else {'filter_text': filter_text}
    em_http.expect_query('VmRestorePoint', sim.page('VmRestorePoint', points), **SORT, **kwargs)
    if parents_numbers:
        em_http.expect_query('RestorePoint', sim.page('RestorePoint', parents or sim.parents(parents_numbers)), filter_text=uid_filter(parents_numbers))


def test_every_requested_vm_comes_back_in_order_also_without_points(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=DB01_POINTS, restore_points=sim.parents([1, 2]), point_filter='VmDisplayName==db01',
                             rp_filter=uid_filter([1, 2]))
    expect_points(em_http, DB01_POINTS, refs_filter(estate.DB01, estate.WEB01), [1, 2])
    em_http.expect_logoff()
    result = run({'vms': ['db01', estate.WEB01]})
    assert result['changed'] is False and 'failed' not in result, result
    assert len(em_http.calls) == 8
    first = result['restore_points'][0]
    assert first == {
        'id': sim.point_id(1), 'uid': 'urn:veeam:VmRestorePoint:' + sim.point_id(1), 'name': 'db01@2026-03-03 21:02:05', 'vm_name': 'db01',
        'ref': estate.DB01, 'creation_time': '2026-03-03T21:02:05.283Z', 'point_type': 'Increment', 'algorithm': 'Incremental',
        'backup': {'name': 'Daily VM Backup', 'id': '5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'},
        'job': {'name': 'Daily VM Backup', 'id': estate.DAILY_ID}, 'backup_server': 'vbr01.lab.local', 'restore_point_id': sim.parent_id(1)}
    db01, web01 = result['vms']
    assert db01['name'] == 'db01' and db01['ref'] == estate.DB01 and db01['hierarchy_root'] == 'vc01.lab.local'
    assert db01['platform'] == 'VMware' and db01['hierarchy_root_id'] == estate.VC01 and db01['backup_server'] == 'vbr01.lab.local'
    assert [point['id'] for point in db01['restore_points']] == [sim.point_id(1), sim.point_id(2)] and db01['restore_point'] == first
    assert web01['name'] == 'web01' and web01['ref'] == estate.WEB01 and web01['restore_points'] == [] and web01['restore_point'] is None


def test_latest_only_keeps_the_newest_point_of_each_vm(em_http):
    web01 = sim.points_of(estate.WEB01, 'web01', [3, 4], parent_of=lambda number: number - 2, day=5)  # Mar 7 and Mar 6
    em_http.expect_logon()
    estate.script_resolution(em_http)
    expect_points(em_http, DB01_POINTS + web01, refs_filter(estate.WEB01, estate.DB01), [1, 2])
    em_http.expect_logoff()
    result = run({'vms': [estate.WEB01, estate.DB01], 'latest_only': True})
    assert [point['id'] for point in result['restore_points']] == [sim.point_id(3), sim.point_id(1)]
    assert [[point['id'] for point in vm['restore_points']] for vm in result['vms']] == [[sim.point_id(3)], [sim.point_id(1)]]


def test_a_reference_no_job_protects_has_an_empty_list(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='HierarchyObjRef=="%s"' % OTHER)
    em_http.expect_logoff()  # the resolver read its points by reference already: nothing more to ask
    result = run({'vms': [OTHER]})
    assert result['restore_points'] == [] and result['vms'] == [{
        'name': None, 'ref': OTHER, 'platform': 'VMware', 'hierarchy_root': 'vc01.lab.local', 'hierarchy_root_id': estate.VC01,
        'backup_server': 'vbr01.lab.local', 'restore_point': None, 'restore_points': []}]


def test_points_the_resolver_read_by_reference_are_not_asked_for_again(em_http):
    gold_points = [estate.vm_point(estate.GOLD01, 'gold01', sim.point_id(7), '2026-03-04T21:02:05Z', sim.parent_id(7)),
                   estate.vm_point(estate.GOLD01, 'gold01', sim.point_id(8), '2026-02-20T21:02:05Z', sim.parent_id(8))]
    gold_parents = sim.parents([7, 8], 'Gold Tag Backup')
    em_http.expect_logon()
    estate.script_resolution(em_http, points=gold_points, restore_points=gold_parents, point_filter='HierarchyObjRef=="%s"' % estate.GOLD01,
                             rp_filter=uid_filter([7, 8]))
    expect_points(em_http, DB01_POINTS, 'HierarchyObjRef=="%s";CreationTime>="2026-03-01T00:00:00Z"' % estate.DB01, [7, 1, 2],
                  sim.parents([7], 'Gold Tag Backup') + sim.parents([1, 2]))
    em_http.expect_logoff()
    result = run({'vms': [estate.GOLD01, estate.DB01], 'since': '2026-03-01'})
    gold, db01 = result['vms']
    assert [point['id'] for point in gold['restore_points']] == [sim.point_id(7)]  # the older point is before since
    assert gold['restore_point']['job'] == {'name': 'Gold Tag Backup', 'id': estate.GOLD_ID} and gold['name'] == 'gold01'
    assert [point['id'] for point in db01['restore_points']] == [sim.point_id(1), sim.point_id(2)]


def test_a_name_that_matches_nothing_fails_with_a_clear_message(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==nothing')
    em_http.expect_logoff()
    result = run({'vms': ['nothing']})
    assert result['failed'] is True and result['error_kind'] == 'vm_not_found'
    assert result['msg'].startswith('No VM named "nothing" is protected by a job')


def test_a_name_of_two_vms_fails_with_the_candidates(em_http):
    em_http.expect_logon()
    estate.script_resolution(em_http, points=[], point_filter='VmDisplayName==web01')
    em_http.expect_logoff()
    result = run({'vms': ['web01']})
    assert result['failed'] is True and result['error_kind'] == 'ambiguous_vm'
    assert [item['ref'] for item in result['candidates']] == [estate.WEB01, estate.WEB01_DR]


def test_backup_server_and_since_narrow_every_query(em_http):
    dr = estate.vm_point(estate.WEB01_DR, 'web01', sim.point_id(5), '2026-03-04T21:02:05Z', sim.parent_id(5), VBR02)
    em_http.expect_logon()
    estate.script_resolution(em_http, jobs=[estate.DR], job_filter='BackupServerName=="vbr02.lab.local"', points=[dr],
                             point_filter='VmDisplayName==web01;BackupServerName=="vbr02.lab.local"',
                             restore_points=sim.parents([5], 'DR Site Backup'), rp_filter=uid_filter([5]))
    expect_points(em_http, [dr], 'HierarchyObjRef=="%s";BackupServerName=="vbr02.lab.local";CreationTime>="2026-03-01T00:00:00Z"' % estate.WEB01_DR,
                  [5], sim.parents([5], 'DR Site Backup'))
    em_http.expect_logoff()
    result = run({'vms': ['web01'], 'backup_server': 'vbr02.lab.local', 'since': '2026-03-01'})
    (point,) = result['restore_points']
    assert point['job'] == {'name': 'DR Site Backup', 'id': estate.DR_ID} and point['backup_server'] == 'vbr02.lab.local'


def test_jobs_with_vms_keep_the_points_of_those_jobs(em_http):
    copy_point = estate.vm_point(estate.DB01, 'db01', sim.point_id(3), '2026-03-05T01:00:00Z', sim.parent_id(3))
    em_http.expect_logon()
    estate.script_resolution(em_http)
    expect_points(em_http, [copy_point] + DB01_POINTS, refs_filter(estate.DB01), [3, 1, 2],
                  sim.parents([3], 'Offsite Copy') + sim.parents([1, 2]))
    em_http.expect_logoff()
    result = run({'vms': [estate.DB01], 'jobs': 'offsite copy'})
    assert [point['id'] for point in result['restore_points']] == [sim.point_id(3)]
    assert result['restore_points'][0]['job'] == {'name': 'Offsite Copy', 'id': None}
    assert [point['id'] for point in result['vms'][0]['restore_points']] == [sim.point_id(3)]


def test_jobs_alone_are_read_through_their_backups(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', sim.page('Job', estate.JOBS), sort_asc='Name')
    em_http.expect_query('Backup', sim.page('Backup', [sim.backup()]), filter_text='JobName=="Daily VM Backup",JobName==Typo', sort_asc='Name')
    em_http.expect_query('RestorePoint', sim.page('RestorePoint', sim.parents([1, 2])),
                         filter_text='BackupUid=="urn:veeam:Backup:5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05"', **SORT)
    em_http.expect_query('VmRestorePoint', sim.page('VmRestorePoint', DB01_POINTS),
                         filter_text=','.join('RestorePointId=="urn:veeam:RestorePoint:%s"' % sim.parent_id(number) for number in (1, 2)), **SORT)
    em_http.expect_logoff()
    result = run({'jobs': ['Daily VM Backup', 'Typo']})
    assert [(point['vm_name'], point['job']['id']) for point in result['restore_points']] == [('db01', estate.DAILY_ID)] * 2
    assert 'vms' not in result
    assert any('No job named "Typo" is listed, and no restore point belongs to one' in text for text in warning_texts(result))


def test_without_vms_or_jobs_every_point_is_read(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', sim.page('Job', estate.JOBS), sort_asc='Name')
    expect_points(em_http, DB01_POINTS, None, [1, 2])
    em_http.expect_logoff()
    result = run({'query': '[].{vm: vm_name, job: job.name}'})
    assert result['query_result'] == [{'vm': 'db01', 'job': 'Daily VM Backup'}] * 2


def test_an_account_that_may_not_read_jobs_gets_names_without_ids(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    expect_points(em_http, DB01_POINTS, 'CreationTime>="2026-03-02T00:00:00Z"', [1, 2])
    em_http.expect_logoff()
    result = run({'since': '2026-03-02T00:00:00Z'})
    assert [point['job'] for point in result['restore_points']] == [{'name': 'Daily VM Backup', 'id': None}] * 2
    assert any('may not read jobs' in text for text in warning_texts(result))


@pytest.mark.parametrize('casing', ['camel', 'pascal'])
def test_em13_camel_case(em_http, casing):
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(query_page('Job', estate.JOBS), casing=casing), sort_asc='Name')
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', DB01_POINTS[:1]), casing=casing), **SORT)
    em_http.expect_query('RestorePoint', json_response(query_page('RestorePoint', sim.parents([1])), casing=casing), filter_text=uid_filter([1]))
    em_http.expect_logoff()
    (point,) = run({})['restore_points']
    assert point['ref'] == estate.DB01 and point['vm_name'] == 'db01' and point['job']['id'] == estate.DAILY_ID
    assert point['point_type'] == 'Increment' and point['creation_time'] == '2026-03-03T21:02:05.283Z'


def test_check_mode_reads_the_same(em_http):
    em_http.expect_logon()
    em_http.expect_query('Job', sim.page('Job', estate.JOBS), sort_asc='Name')
    expect_points(em_http, [], None, [])
    em_http.expect_logoff()
    result = run({}, check_mode=True)
    assert result['changed'] is False and result['restore_points'] == []


@pytest.mark.parametrize('args, message', [
    ({'since': 'tomorrow'}, "Invalid value for option since: 'tomorrow'"),
    ({'vms': ['web01', ' ']}, 'Invalid entry in option vms'),
    ({'vms': ['urn:VMware:Folder:%s.group-v2101' % estate.VC01]}, 'Invalid VM reference in option vms'),
    ({'jobs': []}, 'Option jobs is an empty list'),
    ({'query': 'length('}, 'Invalid JMESPath expression in option query'),
])
def test_bad_options_fail_before_any_request(em_http, args, message):
    result = run(args)
    assert result['failed'] is True and message in result['msg'], result
    assert em_http.calls == []
