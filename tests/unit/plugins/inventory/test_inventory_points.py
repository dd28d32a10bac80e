# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_inventory_points: which restore points count, the summary the cache keeps, and the hosts and jobs they add."""

from __future__ import annotations

import random
from datetime import datetime, timezone

from ansible_collections.veeamops.em.plugins.module_utils._hierarchy import parse_hierarchy_obj_ref
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_groups import plan_groups
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_hosts import collect_vms, host_vars
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_points import (
    add_point_vms,
    counted_jobs,
    read_point_summary,
    summarize_points,
)

ROOT = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
ROOTS = {ROOT: {'id': ROOT, 'name': 'vc01.lab.local', 'host_type': 'VC', 'backup_server': 'vbr01.lab.local'}}
SERVER = {'name': 'vbr01.lab.local', 'id': 'af37938e', 'uid': 'urn:veeam:BackupServer:af37938e'}
SERVER2 = {'name': 'vbr02.lab.local', 'id': '5c0e7d3a', 'uid': 'urn:veeam:BackupServer:5c0e7d3a'}
WEB01 = 'urn:VMware:Vm:%s.vm-1042' % ROOT
DB01 = 'urn:VMware:Vm:%s.vm-1108' % ROOT
FILE01 = 'urn:VMware:Vm:%s.vm-1210' % ROOT
GOLD01 = 'urn:VMware:Vm:%s.vm-1301' % ROOT
FOLDER = 'urn:VMware:Folder:%s.group-v2101' % ROOT
TAG = 'urn:VMware:Tag:%s.urn:vmomi:InventoryServiceTag:5b1e7c4a-0d3f-4e2a-9b6c-1a7f8e2d3c45:GLOBAL' % ROOT


def inc(ref, name):
    parts = parse_hierarchy_obj_ref(ref)
    item = {'id': 'oij-' + name, 'name': name, 'display_name': name, 'hierarchy_obj_ref': ref}
    item.update({key: parts[key] for key in ('platform', 'object_type', 'hierarchy_root_id', 'object_ref')})
    return item


def job(name, job_id, includes, job_type='Backup', server=None):
    server = server or SERVER
    return {'name': name, 'id': job_id, 'uid': 'urn:veeam:Job:' + job_id, 'job_type': job_type, 'platform': 'VMware', 'schedule_enabled': True,
            'backup_server': server, 'includes': includes, 'linked_job_uids': []}


DAILY = job('Daily VM Backup', 'daily', [inc(WEB01, 'web01'), inc(FOLDER, 'Production')])
GOLD = job('Gold Tag Backup', 'gold', [inc(TAG, 'Backup-Gold')], server=SERVER2)
SQL = job('SQL Backup', 'sql', [inc(DB01, 'db01')])
COPY = job('Offsite Copy', 'copy', [], job_type='ImmediateBackupCopy')
JOBS = [DAILY, GOLD, SQL, COPY]


def point(ref, name, job_id, created, point_id=None, job_name=None):
    """A described VM restore point, as read_vm_points returns it (job found by its backup's name: id None when unlisted)."""
    return {'id': point_id or '%s-%s-%s' % (name, job_id, created), 'ref': ref, 'vm_name': name, 'creation_time': created,
            'job': {'name': job_name or job_id, 'id': job_id}, 'backup_server': 'vbr01.lab.local'}


def summary_of(*points):
    return summarize_points(list(points), JOBS)


# --- which points count ---------------------------------------------------------------------------

def test_points_of_selected_jobs_count_but_not_those_of_copy_jobs():
    assert counted_jobs(JOBS) == {'daily': 'urn:veeam:Job:daily', 'gold': 'urn:veeam:Job:gold', 'sql': 'urn:veeam:Job:sql'}
    assert counted_jobs([COPY, job('Backup Copy', 'bc', [], job_type='BackupCopy')]) == {}


def test_summary_per_vm_newest_time_count_and_jobs():
    summary = summary_of(point(WEB01, 'web01', 'daily', '2026-03-01T21:02:05.283Z'), point(WEB01, 'web01', 'DAILY', '2026-03-02T21:02:05.1234567Z'),
                         point(WEB01, 'web01', 'gold', '2026-02-28T04:00:00Z'), point(GOLD01, 'gold01', 'gold', '2026-03-01T04:00:31Z'))
    assert summary == [
        {'ref': WEB01, 'name': 'web01', 'count': 3, 'last': '2026-03-02T21:02:05Z', 'job_uids': ['urn:veeam:Job:daily', 'urn:veeam:Job:gold']},
        {'ref': GOLD01, 'name': 'gold01', 'count': 1, 'last': '2026-03-01T04:00:31Z', 'job_uids': ['urn:veeam:Job:gold']},
    ]


def test_points_of_copy_jobs_unlisted_jobs_and_other_objects_do_not_count():
    summary = summary_of(point(WEB01, 'web01', 'copy', '2026-03-03T21:00:00Z'), point(WEB01, 'web01', None, '2026-03-03T22:00:00Z', job_name='Deleted'),
                         point('urn:vCloud:Vapp:%s.urn:vcloud:vapp:1' % ROOT, 'vapp', 'daily', '2026-03-03T22:00:00Z'),
                         point('garbage', 'x', 'daily', '2026-03-03T22:00:00Z'), point(WEB01, 'web01', 'daily', '2026-03-01T21:00:00Z'))
    assert summary == [{'ref': WEB01, 'name': 'web01', 'count': 1, 'last': '2026-03-01T21:00:00Z', 'job_uids': ['urn:veeam:Job:daily']}]


def test_name_is_the_newest_points_and_ref_the_smallest_spelling():
    summary = summary_of(point(WEB01, 'web01-old', 'daily', '2026-03-01T21:00:00Z'),
                         point(WEB01.replace('VMware:Vm', 'vmware:VM'), 'web01-new', 'daily', '2026-03-02T21:00:00Z'),
                         point(WEB01, None, 'daily', '2026-03-03T21:00:00Z'))
    assert [(record['ref'], record['name'], record['last']) for record in summary] == [(WEB01, 'web01-new', '2026-03-03T21:00:00Z')]


def test_points_without_a_readable_time_count_but_give_no_time():
    summary = summary_of(point(DB01, 'db01', 'sql', 'yesterday'))
    assert summary == [{'ref': DB01, 'name': 'db01', 'count': 1, 'last': None, 'job_uids': ['urn:veeam:Job:sql']}]
    summary = summary_of(point(DB01, 'db01', 'sql', None), point(DB01, 'db01', 'sql', '2026-03-01T21:00:00Z'))
    assert summary[0]['count'] == 2 and summary[0]['last'] == '2026-03-01T21:00:00Z'


def test_summary_does_not_depend_on_the_order_of_points():
    points = [point(ref, name, job_id, '2026-03-%02dT21:00:00Z' % day) for ref, name in ((WEB01, 'web01'), (GOLD01, 'gold01'), (FILE01, 'file01'))
              for job_id in ('daily', 'gold', 'copy') for day in (1, 2, 3)]
    points.append(point(WEB01, 'web01-renamed', 'daily', '2026-03-03T21:00:00Z', point_id='zzz'))
    expected = summarize_points(points, JOBS)
    for seed in range(5):
        random.Random(seed).shuffle(points)
        assert summarize_points(points, list(reversed(JOBS))) == expected
    assert expected[0]['ref'] == WEB01 and expected[0]['name'] == 'web01-renamed'  # same time: the larger point id is the newer


def test_points_before_the_window_do_not_count_even_when_the_server_sends_them():
    # a server that ignores the CreationTime filter must not bring a deleted VM back: only the newest point is in the window
    since = datetime(2026, 3, 1, 21, 0, 0, tzinfo=timezone.utc)
    points = [point(WEB01, 'web01', 'daily', '2026-03-02T21:00:00Z'), point(WEB01, 'web01', 'daily', '2026-03-01T21:00:00Z'),
              point(WEB01, 'web01', 'daily', '2026-03-01T20:59:59.999Z'), point(GOLD01, 'gold01', 'gold', '2026-02-14T04:00:00Z'),
              point(DB01, 'db01', 'sql', 'yesterday')]
    assert summarize_points(points, JOBS, since) == [
        {'ref': WEB01, 'name': 'web01', 'count': 2, 'last': '2026-03-02T21:00:00Z', 'job_uids': ['urn:veeam:Job:daily']},
        {'ref': DB01, 'name': 'db01', 'count': 1, 'last': None, 'job_uids': ['urn:veeam:Job:sql']},
    ]
    assert sorted(vm['name'] for vm in completed(summarize_points(points, JOBS, since)).values()) == ['db01', 'web01']
    assert 'gold01' in by_name(completed(summarize_points(points, JOBS)))


def test_no_request_when_no_selected_job_can_count():
    class NoRequests:
        def query(self, *args, **kwargs):
            raise AssertionError('no request expected')

    assert read_point_summary(NoRequests(), [], [COPY], since=None) == []
    assert read_point_summary(NoRequests(), [], [], since=None) == []


# --- hosts and jobs ------------------------------------------------------------------------------

def completed(summary, jobs=None):
    jobs = JOBS if jobs is None else jobs
    vms, containers = collect_vms(jobs, ROOTS)
    return add_point_vms(vms, containers, jobs, summary, ROOTS)


def by_name(vms):
    return {vm['name']: vm for vm in vms.values()}


def test_without_points_every_host_says_include_and_has_no_point():
    vms = by_name(completed([]))
    assert sorted(vms) == ['db01', 'web01']
    assert (vms['web01']['restore_point_count'], vms['web01']['last_restore_point'], vms['web01']['protected_by']) == (0, None, 'include')
    assert [entry['protected_by'] for entry in vms['web01']['jobs']] == ['include']


def test_a_vm_only_a_container_job_backed_up_becomes_a_host():
    summary = summary_of(point(GOLD01, 'gold01', 'gold', '2026-03-01T04:00:31Z'), point(GOLD01, 'gold01', 'gold', '2026-02-28T04:00:31Z'))
    gold01 = by_name(completed(summary))['gold01']
    assert host_vars(gold01, with_last_session=True, with_restore_points=True) == {
        'veeam_name': 'gold01', 'veeam_display_name': 'gold01', 'veeam_hierarchy_obj_ref': GOLD01, 'veeam_platform': 'VMware',
        'veeam_object_type': 'Vm', 'veeam_hierarchy_root_id': ROOT, 'veeam_hierarchy_root_name': 'vc01.lab.local',
        'veeam_hierarchy_root_type': 'VC', 'veeam_object_ref': 'vm-1301', 'veeam_backup_servers': ['vbr02.lab.local'],
        'veeam_jobs': [{'name': 'Gold Tag Backup', 'id': 'gold', 'uid': 'urn:veeam:Job:gold', 'job_type': 'Backup', 'platform': 'VMware',
                        'schedule_enabled': True, 'backup_server': SERVER2, 'object_in_job_id': None, 'protected_by': 'container'}],
        'veeam_last_sessions': [{'job_name': 'Gold Tag Backup', 'job_uid': 'urn:veeam:Job:gold', 'state': None, 'result': None,
                                 'running': None, 'creation_time': None, 'end_time': None}],
        'veeam_last_restore_point': '2026-03-01T04:00:31Z', 'veeam_restore_point_count': 2, 'veeam_protected_by': 'container',
    }


def test_a_host_of_a_direct_include_joins_container_jobs_that_backed_it_up():
    summary = summary_of(point(WEB01, 'web01', 'daily', '2026-03-02T21:00:00Z'), point(WEB01, 'web01', 'gold', '2026-03-01T04:00:00Z'))
    web01 = by_name(completed(summary))['web01']
    assert [(entry['name'], entry['object_in_job_id'], entry['protected_by']) for entry in web01['jobs']] == [
        ('Daily VM Backup', 'oij-web01', 'include'), ('Gold Tag Backup', None, 'container')]
    assert web01['backup_servers'] == ['vbr01.lab.local', 'vbr02.lab.local']
    assert (web01['protected_by'], web01['restore_point_count'], web01['last_restore_point']) == ('include', 2, '2026-03-02T21:00:00Z')


def test_a_job_that_includes_a_vm_directly_and_has_containers_lists_it_once():
    summary = summary_of(point(WEB01, 'web01', 'daily', '2026-03-02T21:00:00Z'))
    assert [entry['protected_by'] for entry in by_name(completed(summary))['web01']['jobs']] == ['include']


def test_points_of_a_job_without_container_includes_add_no_host_and_no_job():
    # web01 was in SQL Backup directly until recently; file01 was never in a job that still lists it
    summary = summary_of(point(WEB01, 'web01', 'sql', '2026-03-02T21:00:00Z'), point(FILE01, 'file01', 'sql', '2026-03-02T21:00:00Z'))
    vms = by_name(completed(summary))
    assert sorted(vms) == ['db01', 'web01']
    assert [entry['name'] for entry in vms['web01']['jobs']] == ['Daily VM Backup'] and vms['web01']['restore_point_count'] == 1


def test_a_job_of_the_summary_that_is_not_selected_adds_nothing():
    summary = summary_of(point(GOLD01, 'gold01', 'gold', '2026-03-01T04:00:31Z'))
    assert sorted(by_name(completed(summary, [DAILY, SQL]))) == ['db01', 'web01']


def test_a_vm_of_an_unknown_root_and_without_a_name():
    other_root = 'urn:HyperV:Vm:8e7fef9f-87a8-48b4-bed1-632c3035a1a1.020aa5ab-3523-4946-b658-b8ad5b372439'
    summary = [{'ref': other_root, 'name': None, 'count': 1, 'last': None, 'job_uids': ['urn:veeam:Job:gold']},
               {'ref': 'not a reference', 'name': 'x', 'count': 1, 'last': None, 'job_uids': ['urn:veeam:Job:gold']}]
    vms = completed(summary)
    vm = next(vm for vm in vms.values() if vm['hierarchy_obj_ref'] == other_root)
    assert (vm['platform'], vm['hierarchy_root_name'], vm['hierarchy_root_type'], vm['name']) == ('HyperV', None, None, None)
    assert len(vms) == 3


def test_hosts_known_by_points_go_through_the_same_names_and_group_plan():
    # a second VM named web01 and a VM named like a group, both backed up only through the folder of Daily VM Backup
    web01_b = 'urn:VMware:Vm:%s.vm-1211' % ROOT
    summary = summary_of(point(web01_b, 'web01', 'daily', '2026-03-02T21:00:00Z'), point(FILE01, 'veeam_job_sql_backup', 'daily', '2026-03-02T21:00:00Z'))
    vms = completed(summary)
    preferred = {key: vm['name'] for key, vm in vms.items()}
    plan, warnings = plan_groups(JOBS, vms, preferred, collect_vms(JOBS, ROOTS)[1], existing_groups=['all', 'ungrouped'])
    hosts = sorted(plan['hosts'].values())
    assert hosts == ['db01', 'veeam_job_sql_backup_vc01.lab.local_vm-1210', 'web01_vc01.lab.local_vm-1042', 'web01_vc01.lab.local_vm-1211']
    assert sorted(plan['groups']['veeam_job_daily_vm_backup']['hosts']) == [
        'veeam_job_sql_backup_vc01.lab.local_vm-1210', 'web01_vc01.lab.local_vm-1042', 'web01_vc01.lab.local_vm-1211']
    assert sorted(plan['groups']['veeam_backup_server_vbr01_lab_local']['hosts']) == hosts
    assert plan['groups']['veeam_job_gold_tag_backup']['hosts'] == set()
    assert any('2 different VMs would be host web01' in text for text in warnings)
    assert any('would be host veeam_job_sql_backup, which is the name of a group of this inventory source' in text for text in warnings)
