# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_em with_restore_points over scripted HTTP: requests per page, hosts that only restore points show, copy jobs,
the window of restore_point_days, the cache and the documented constructed example."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from ansible.errors import AnsibleError

from ansible_collections.veeamops.em.plugins.module_utils import _times
from ansible_collections.veeamops.em.tests.unit.plugins.inventory import inventory_estate as estate
from ansible_collections.veeamops.em.tests.unit.plugins.inventory.inventory_runner import Warnings, dump, load_plugin, parse, write_config
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR01, VBR02, query_page
from ansible_collections.veeamops.em.tests.unit.utils.em_vms import restore_point, vm_point

NOW = datetime(2026, 3, 4, 12, 0, 0, 500000, tzinfo=timezone.utc)
SINCE_14D = 'CreationTime>="2026-02-18T12:00:00Z"'
DAILY_VBR01 = 'veeam_job_daily_vm_backup_vbr01_lab_local'
DAILY_VBR02 = 'veeam_job_daily_vm_backup_vbr02_lab_local'
WEB01_VC01 = 'web01_vc01.lab.local_vm-1042'
WEB01_VC02 = 'web01_vc02.lab.local_vm-1042'
FILE01 = 'urn:VMware:Vm:%s.vm-1210' % estate.VC01
GOLD01 = 'urn:VMware:Vm:%s.vm-3001' % estate.VC02
OLD01 = 'urn:VMware:Vm:%s.vm-1999' % estate.VC01
PLUGIN = Path(__file__).resolve().parents[4] / 'plugins' / 'inventory' / 'veeam_em.py'


def rp_id(number):
    return 'b36a86f1-0417-4378-83c0-%012d' % number


def vp_id(number):
    return 'd3c0e8f2-5a71-4c9b-b2e4-%012d' % number


# Restore points of the runs: 1 Daily VM Backup on vbr01, 2 Daily VM Backup on vbr02 (tag Gold), 3 Offsite Copy, 4 a deleted job.
BACKUPS = {1: 'Daily VM Backup', 2: 'Daily VM Backup', 3: 'Offsite Copy', 4: 'Old Job'}


def point(number, ref, name, parent, created, server=VBR01):
    return vm_point(ref, name, vp_id(number), created, rp_id(parent), server)


LAB_POINTS = [
    point(1, estate.WEB01_VC01, 'web01', 3, '2026-03-04T01:00:00Z'),            # a copy: does not count
    point(2, estate.WEB01_VC01, 'web01', 1, '2026-03-03T21:02:05.283Z'),
    point(3, estate.DB01, 'db01', 1, '2026-03-03T21:03:10.5Z'),
    point(4, FILE01, 'file01', 1, '2026-03-03T21:04:00Z'),                     # only in the folder Production
    point(5, GOLD01, 'gold01', 2, '2026-03-03T04:01:00Z', VBR02),              # only in the tag Gold (vc02)
    point(6, estate.WEB01_VC01, 'web01', 1, '2026-03-02T21:02:05.283Z'),
    point(7, OLD01, 'old01', 4, '2026-02-20T21:00:00Z'),                       # a job that no longer exists
]


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setattr(_times, 'utc_now', lambda: NOW)


@pytest.fixture
def warnings(monkeypatch):
    recorder = Warnings()
    monkeypatch.setattr(load_plugin().display, 'warning', recorder)
    return recorder


def uid_filter(numbers):
    return ','.join('UID=="urn:veeam:RestorePoint:%s"' % rp_id(number) for number in numbers)


def script_points(http, points, parents, filter_text=SINCE_14D, page_size=1000, casing='pascal'):
    """The VM restore point query (one page) and the restore point query by UID that names their jobs."""
    http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points, page_size=page_size), casing=casing),
                      filter_text=filter_text, sort_desc='CreationTime', page_size=page_size)
    if points:
        entities = [restore_point(rp_id(number), BACKUPS[number]) for number in parents]
        http.expect_query('RestorePoint', json_response(query_page('RestorePoint', entities, page_size=page_size), casing=casing),
                          filter_text=uid_filter(parents), page_size=page_size)
    return http


def lab_run(em_http, tmp_path, points=None, parents=(3, 1, 2, 4), jobs=None, job_filter=None, point_filter=SINCE_14D, **options):
    estate.script_fetch(em_http, jobs=jobs, filter_text=job_filter)
    script_points(em_http, LAB_POINTS if points is None else points, list(parents), point_filter).expect_logoff()
    return dump(parse(write_config(tmp_path, with_restore_points=True, **options))[0])


def test_six_requests_and_the_hosts_that_restore_points_add(em_http, tmp_path, warnings):
    result = lab_run(em_http, tmp_path)
    assert [call.query.get('type') for call in em_http.calls[1:5]] == ['HierarchyRoot', 'Job', 'VmRestorePoint', 'RestorePoint']
    assert len(em_http.calls) == 6
    assert sorted(result['hosts']) == ['app01', 'db01', 'file01', 'gold01', 'tenant-vm01', WEB01_VC01, WEB01_VC02]
    groups = result['groups']
    assert groups[DAILY_VBR01]['hosts'] == ['db01', 'file01', WEB01_VC01]
    assert groups[DAILY_VBR02]['hosts'] == ['gold01', WEB01_VC02]
    assert groups['veeam_backup_server_vbr02_lab_local']['hosts'] == ['gold01', WEB01_VC02]
    assert groups['veeam_job_offsite_copy'] == {'hosts': [], 'children': [DAILY_VBR01], 'vars': {}}
    assert 'file01' in groups['veeam_platform_vmware']['hosts'] and 'gold01' in groups['veeam_job_type_backup']['hosts']


def test_em13_camel_case_points_give_the_same_inventory(em_http, tmp_path, warnings):
    pascal = lab_run(em_http, tmp_path)
    estate.script_fetch(em_http)
    script_points(em_http, LAB_POINTS, [3, 1, 2, 4], casing='camel').expect_logoff()
    camel = dump(parse(write_config(tmp_path, with_restore_points=True))[0])
    assert camel == pascal and len(em_http.calls) == 12
    assert camel['hosts']['file01']['veeam_restore_point_count'] == 1 and camel['hosts']['gold01']['veeam_protected_by'] == 'container'


def test_host_variables_of_a_vm_only_a_container_job_protects(em_http, tmp_path, warnings):
    file01 = lab_run(em_http, tmp_path)['hosts']['file01']
    server = {'name': VBR01[0], 'id': VBR01[1], 'uid': 'urn:veeam:BackupServer:' + VBR01[1]}
    assert file01 == {
        'veeam_name': 'file01', 'veeam_display_name': 'file01', 'veeam_hierarchy_obj_ref': FILE01, 'veeam_platform': 'VMware',
        'veeam_object_type': 'Vm', 'veeam_hierarchy_root_id': estate.VC01, 'veeam_hierarchy_root_name': 'vc01.lab.local',
        'veeam_hierarchy_root_type': 'VC', 'veeam_object_ref': 'vm-1210', 'veeam_backup_servers': ['vbr01.lab.local'],
        'veeam_jobs': [{'name': 'Daily VM Backup', 'id': estate.DAILY_ID, 'uid': 'urn:veeam:Job:' + estate.DAILY_ID, 'job_type': 'Backup',
                        'platform': 'VMware', 'schedule_enabled': True, 'backup_server': server, 'object_in_job_id': None,
                        'protected_by': 'container'}],
        'veeam_last_restore_point': '2026-03-03T21:04:00Z', 'veeam_restore_point_count': 1, 'veeam_protected_by': 'container',
    }


def test_hosts_of_direct_includes_get_their_points_and_copies_do_not_count(em_http, tmp_path, warnings):
    hosts = lab_run(em_http, tmp_path)['hosts']
    web01 = hosts[WEB01_VC01]
    assert (web01['veeam_last_restore_point'], web01['veeam_restore_point_count'], web01['veeam_protected_by']) == ('2026-03-03T21:02:05Z', 2, 'include')
    assert [(job['name'], job['protected_by']) for job in web01['veeam_jobs']] == [('Daily VM Backup', 'include')]
    assert (hosts['db01']['veeam_last_restore_point'], hosts['db01']['veeam_restore_point_count']) == ('2026-03-03T21:03:10Z', 1)
    assert [job['protected_by'] for job in hosts['db01']['veeam_jobs']] == ['include', 'include']
    assert (hosts['app01']['veeam_last_restore_point'], hosts['app01']['veeam_restore_point_count']) == (None, 0)


def test_points_of_jobs_that_are_not_selected_add_nothing(em_http, tmp_path, warnings):
    result = lab_run(em_http, tmp_path, jobs=[estate.DAILY, estate.REPLICA, estate.COPY], job_filter='BackupServerName=="vbr01.lab.local"',
                     job_filters={'BackupServerName': 'vbr01.lab.local'})
    assert sorted(result['hosts']) == ['db01', 'file01', 'web01']


def test_a_vm_named_like_another_host_or_a_group_is_renamed_by_the_same_rules(em_http, tmp_path, warnings):
    points = [point(1, FILE01, 'db01', 1, '2026-03-03T21:04:00Z'), point(2, GOLD01, 'veeam_job_sql_replica', 2, '2026-03-03T04:01:00Z', VBR02)]
    hosts = lab_run(em_http, tmp_path, points=points, parents=(1, 2))['hosts']
    assert 'db01_vc01.lab.local_vm-2001' in hosts and hosts['db01_vc01.lab.local_vm-1210']['veeam_hierarchy_obj_ref'] == FILE01
    assert hosts['veeam_job_sql_replica_vc02.lab.local_vm-3001']['veeam_protected_by'] == 'container'
    assert any('2 different VMs would be host db01' in text for text in warnings)
    assert any('would be host veeam_job_sql_replica, which is the name of a group of this inventory source' in text for text in warnings)


def test_restore_point_days_sets_the_window(em_http, tmp_path, warnings):
    result = lab_run(em_http, tmp_path, points=[], point_filter='CreationTime>="2026-03-03T12:00:00Z"', restore_point_days=1)
    assert len(em_http.calls) == 5
    assert sorted(result['hosts']) == ['app01', 'db01', 'tenant-vm01', WEB01_VC01, WEB01_VC02]
    assert {host['veeam_restore_point_count'] for host in result['hosts'].values()} == {0}


def test_requests_do_not_grow_with_the_number_of_vms(em_http, tmp_path, warnings):
    points = [point(number, 'urn:VMware:Vm:%s.vm-%d' % (estate.VC01, 5000 + number), 'vm%03d' % number, 1, '2026-03-03T21:04:00Z')
              for number in range(1, 401)]
    result = lab_run(em_http, tmp_path, points=points, parents=(1,))
    assert len(em_http.calls) == 6 and len(result['groups'][DAILY_VBR01]['hosts']) == 402


def test_pages_of_points_are_followed(em_http, tmp_path, warnings):
    jobs = [estate.DAILY]
    estate.script_fetch(em_http, jobs=jobs, page_size=2)
    first = query_page('VmRestorePoint', LAB_POINTS[1:3], page_num=1, pages_count=2, page_size=2)
    second = query_page('VmRestorePoint', LAB_POINTS[3:4], page_num=2, pages_count=2, page_size=2)
    em_http.expect_query('VmRestorePoint', json_response(first), filter_text=SINCE_14D, sort_desc='CreationTime', page_size=2)
    em_http.expect_get('/api/query', json_response(second))
    em_http.expect_query('RestorePoint', json_response(query_page('RestorePoint', [restore_point(rp_id(1), BACKUPS[1])], page_size=2)),
                         filter_text=uid_filter([1]), page_size=2)
    em_http.expect_logoff()
    hosts = dump(parse(write_config(tmp_path, with_restore_points=True, page_size=2))[0])['hosts']
    assert sorted(hosts) == ['db01', 'file01', 'web01'] and em_http.calls[4].query['page'] == '2' and len(em_http.calls) == 7


def test_only_copy_jobs_selected_means_no_restore_point_request(em_http, tmp_path, warnings):
    estate.script_fetch(em_http, jobs=[estate.COPY]).expect_logoff()
    result = dump(parse(write_config(tmp_path, with_restore_points=True))[0])
    assert result['hosts'] == {} and len(em_http.calls) == 4


@pytest.mark.parametrize('days', [0, -3, 36501])
def test_bad_restore_point_days_fail_before_any_request(em_http, tmp_path, days):
    with pytest.raises(AnsibleError, match=r'Invalid value for option restore_point_days \(.*\).*from 1 to 36500'):
        parse(write_config(tmp_path, with_restore_points=True, restore_point_days=days))
    assert em_http.calls == []


# --- cache --------------------------------------------------------------------------------------

def cached_config(tmp_path, **options):
    return write_config(tmp_path, cache=True, cache_plugin='ansible.builtin.jsonfile', cache_connection=str(tmp_path / 'cache'), cache_timeout=3600,
                        **options)


def test_the_cache_keeps_the_summary_and_its_key_holds_the_options(em_http, tmp_path, warnings):
    estate.script_fetch(em_http)
    script_points(em_http, LAB_POINTS, [3, 1, 2, 4]).expect_logoff()
    cold = dump(parse(cached_config(tmp_path, with_restore_points=True), cache=True)[0])
    warm = dump(parse(cached_config(tmp_path, with_restore_points=True), cache=True)[0])
    assert warm == cold and len(em_http.calls) == 6
    cached = (tmp_path / 'cache').iterdir().__next__().read_text(encoding='utf-8')
    assert 'restore_points' in cached and vp_id(2) not in cached and rp_id(1) not in cached  # per VM, not per point
    estate.script_fetch(em_http)
    script_points(em_http, [], [], filter_text='CreationTime>="2026-02-25T12:00:00Z"').expect_logoff()
    other = dump(parse(cached_config(tmp_path, with_restore_points=True, restore_point_days=7), cache=True)[0])
    assert 'file01' not in other['hosts'] and len(em_http.calls) == 11
    estate.script_fetch(em_http).expect_logoff()
    plain = dump(parse(cached_config(tmp_path), cache=True)[0])
    assert 'veeam_restore_point_count' not in plain['hosts']['db01'] and len(list((tmp_path / 'cache').iterdir())) == 3


def test_a_cache_without_the_summary_is_read_again(em_http, tmp_path, warnings):
    # the same key cannot hold data without the summary, unless the cache was written by hand
    estate.script_fetch(em_http)
    script_points(em_http, [], []).expect_logoff()
    parse(cached_config(tmp_path, with_restore_points=True), cache=True)
    path = next((tmp_path / 'cache').iterdir())
    text = path.read_text(encoding='utf-8')
    path.write_text(text.replace('restore_points', 'something_else'), encoding='utf-8')
    estate.script_fetch(em_http)
    script_points(em_http, LAB_POINTS, [3, 1, 2, 4]).expect_logoff()
    hosts = dump(parse(cached_config(tmp_path, with_restore_points=True), cache=True)[0])['hosts']
    assert 'file01' in hosts and len(em_http.calls) == 11


# --- the documented constructed example ---------------------------------------------------------------

def documented_example(marker):
    """The commented-out configuration of the plugin's EXAMPLES that contains ``marker``, as a mapping."""
    tree = ast.parse(PLUGIN.read_text(encoding='utf-8'))
    examples = next(node.value.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == 'EXAMPLES')
    block = next(part for part in examples.split('\n#\n') if marker in part)
    lines = [line[2:] for line in block.splitlines() if line.startswith('# ')]
    start = next(index for index, line in enumerate(lines) if line.startswith('plugin:'))
    return yaml.safe_load('\n'.join(lines[start:]))


def test_the_documented_group_of_hosts_without_a_point_in_the_last_24_hours(em_http, tmp_path, warnings, monkeypatch):
    now = datetime.now(timezone.utc)  # Jinja's now() is the real clock
    monkeypatch.setattr(_times, 'utc_now', lambda: now)
    example = documented_example('backup_older_than_24h')
    assert example['with_restore_points'] is True and example['restore_point_days'] == 7

    def at(hours):
        return (now - timedelta(hours=hours)).strftime('%Y-%m-%dT%H:%M:%S.%fZ')

    points = [point(1, estate.WEB01_VC01, 'web01', 1, at(2)), point(2, estate.DB01, 'db01', 1, at(30)), point(3, FILE01, 'file01', 1, at(23.9)),
              point(4, estate.DB01, 'db01', 1, at(50)), point(5, GOLD01, 'gold01', 2, at(25), VBR02)]
    estate.script_fetch(em_http)
    script_points(em_http, points, [1, 2], filter_text='CreationTime>="%s"' % (now - timedelta(days=7)).strftime('%Y-%m-%dT%H:%M:%SZ'))
    em_http.expect_logoff()
    config = {key: value for key, value in example.items() if key != 'plugin'}
    groups = dump(parse(write_config(tmp_path, strict=True, **config))[0])['groups']
    assert groups['backup_older_than_24h']['hosts'] == ['app01', 'db01', 'gold01', 'tenant-vm01', WEB01_VC02]
    assert groups['protected_by_container']['hosts'] == ['file01', 'gold01']
    assert WEB01_VC01 in groups['protected_by_include']['hosts']
