# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_inventory_hosts and _inventory_groups: VM records, containers and the group plan from plain job data."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._hierarchy import parse_hierarchy_obj_ref
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_groups import plan_groups
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_hosts import collect_vms, host_vars, is_vm
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_names import RESERVED_GROUP_NAMES, unique_names

ROOT = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
SERVER1 = {'name': 'vbr01.lab.local', 'id': 'af37938e', 'uid': 'urn:veeam:BackupServer:af37938e'}
SERVER2 = {'name': 'vbr01-lab-local', 'id': '5f0b7c2e', 'uid': 'urn:veeam:BackupServer:5f0b7c2e'}


def inc(ref, name, display_name=None):
    parts = parse_hierarchy_obj_ref(ref)
    item = {'id': 'oij-' + name, 'name': name, 'display_name': display_name or name, 'hierarchy_obj_ref': ref}
    item.update({key: parts[key] for key in ('platform', 'object_type', 'hierarchy_root_id', 'object_ref')})
    return item


def job(name, uid, includes, job_type='Backup', server=None, linked=()):
    server = server or SERVER1
    return {'name': name, 'id': uid, 'uid': 'urn:veeam:Job:' + uid, 'job_type': job_type, 'platform': 'VMware', 'schedule_enabled': True,
            'backup_server': server, 'includes': includes, 'linked_job_uids': list(linked)}


def test_is_vm():
    assert is_vm(inc('urn:VMware:VM:%s.vm-518' % ROOT, 'a'))
    assert not is_vm(inc('urn:VMware:Template:%s.vm-77' % ROOT, 't'))
    assert not is_vm({'hierarchy_obj_ref': 'garbage', 'object_type': None, 'object_ref': None})


def test_one_record_per_vm_whatever_the_casing_of_platform_type_and_root():
    jobs = [job('A', '1', [inc('urn:VMware:Vm:%s.vm-1' % ROOT, 'web01')]),
            job('B', '2', [inc('urn:vmware:VM:%s.vm-1' % ROOT.upper(), 'web01')], job_type='Replica')]
    vms, containers = collect_vms(jobs)
    assert len(vms) == 1 and containers == {'urn:veeam:Job:1': [], 'urn:veeam:Job:2': []}
    record = next(iter(vms.values()))
    assert record['hierarchy_obj_ref'] == 'urn:VMware:Vm:%s.vm-1' % ROOT  # the first in sort order
    assert [item['name'] for item in record['jobs']] == ['A', 'B']


def test_object_refs_compare_exactly():
    vms, _containers = collect_vms([job('A', '1', [inc('urn:HyperV:Vm:%s.abc' % ROOT, 'x'), inc('urn:HyperV:Vm:%s.ABC' % ROOT, 'y')])])
    assert len(vms) == 2


def test_names_and_display_names_are_chosen_by_frequency_then_sort_order():
    ref = 'urn:VMware:Vm:%s.vm-1' % ROOT
    jobs = [job(str(index), str(index), [inc(ref, name, display)]) for index, (name, display) in
            enumerate([('b', 'B'), ('a', 'A'), ('b', 'A'), ('c', '')])]
    record = next(iter(collect_vms(jobs)[0].values()))
    assert (record['name'], record['display_name']) == ('b', 'A')


def test_host_vars_and_last_sessions():
    ref = 'urn:VMware:Vm:%s.vm-1' % ROOT
    jobs = [job('A', '1', [inc(ref, 'web01')])]
    jobs[0]['last_session'] = {'state': 'Stopped', 'result': 'Failed', 'running': False, 'creation_time': 't0', 'end_time': 't1'}
    vms, _containers = collect_vms(jobs, {ROOT: {'name': 'vc01', 'host_type': 'VC'}})
    variables = host_vars(next(iter(vms.values())), with_last_session=True)
    assert variables['veeam_hierarchy_root_name'] == 'vc01' and 'last_session' not in variables['veeam_jobs'][0]
    assert variables['veeam_last_sessions'] == [{'job_name': 'A', 'job_uid': 'urn:veeam:Job:1', 'state': 'Stopped', 'result': 'Failed',
                                                 'running': False, 'creation_time': 't0', 'end_time': 't1'}]
    assert 'veeam_last_sessions' not in host_vars(next(iter(vms.values())))


def plan(jobs, **kwargs):
    """The groups and warnings of ``plan_groups`` for ``jobs`` (hosts named after their VMs)."""
    result, warnings = full_plan(jobs, **kwargs)
    return result['groups'], warnings


def full_plan(jobs, **kwargs):
    vms, containers = collect_vms(jobs)
    return plan_groups(jobs, vms, {key: vm['name'] for key, vm in vms.items()}, containers, **kwargs)


def test_a_job_named_like_a_job_type_group_is_told_apart():
    groups, warnings = plan([job('Type Backup', 'aa', [inc('urn:VMware:Vm:%s.vm-1' % ROOT, 'web01')])])
    assert groups['veeam_job_type_backup']['hosts'] == {'web01'}
    assert groups['veeam_job_type_backup_vbr01_lab_local']['hosts'] == {'web01'}
    assert len(warnings) == 1 and 'job type backup -> group veeam_job_type_backup' in warnings[0]


def test_backup_servers_with_alike_names_get_the_server_id():
    groups, warnings = plan([job('A', '1', [inc('urn:VMware:Vm:%s.vm-1' % ROOT, 'web01')]),
                             job('B', '2', [inc('urn:VMware:Vm:%s.vm-2' % ROOT, 'web02')], server=SERVER2)])
    assert groups['veeam_backup_server_vbr01_lab_local_af37938e']['hosts'] == {'web01'}
    assert groups['veeam_backup_server_vbr01_lab_local_5f0b7c2e']['hosts'] == {'web02'}
    assert len(warnings) == 1


def test_jobs_alike_on_one_server_get_their_ids():
    jobs = [job('SQL Backup', 'id-1', [inc('urn:VMware:Vm:%s.vm-1' % ROOT, 'a')]),
            job('sql-backup', 'id-2', [inc('urn:VMware:Vm:%s.vm-2' % ROOT, 'b')])]
    groups, warnings = plan(jobs)
    assert groups['veeam_job_sql_backup_id_1']['hosts'] == {'a'}
    assert groups['veeam_job_sql_backup_id_2']['hosts'] == {'b'}
    assert len(warnings) == 1 and warnings[0].startswith('2 groups would be named veeam_job_sql_backup,')


def test_containers_and_linked_jobs():
    source = job('Source', 'src', [inc('urn:VMware:Vm:%s.vm-1' % ROOT, 'web01'), inc('urn:VMware:Cluster:%s.domain-c7' % ROOT, 'Cluster A'),
                                   inc('urn:VMware:Datastore:%s.datastore-441' % ROOT, 'ds1')])
    copy = job('Copy', 'cpy', [], job_type='ImmediateBackupCopy', linked=['URN:VEEAM:JOB:SRC', 'urn:veeam:Job:unknown'])
    groups, _warnings = plan([copy, source])
    assert groups['veeam_job_copy'] == {'hosts': set(), 'vars': {}, 'children': {'veeam_job_source'}}
    assert [item['object_type'] for item in groups['veeam_job_source']['vars']['veeam_container_includes']] == ['Cluster', 'Datastore']
    assert 'veeam_job_type_immediatebackupcopy' not in groups


def hostile_jobs():
    """A job and the VMs of another job named like its group, like Ansible's groups, like localhost and like another source's group."""
    odd = [inc('urn:VMware:Vm:%s.vm-%d' % (ROOT, index), name) for index, name in
           enumerate(['all', 'ungrouped', 'localhost', '127.0.0.1', '::1', 'veeam_job_daily_vm_backup', 'webservers', 'WebServers'], 10)]
    return [job('Daily VM Backup', 'daily', [inc('urn:VMware:Vm:%s.vm-1' % ROOT, 'web01')]), job('Odd Names', 'odd', odd)]


def test_hosts_never_take_a_group_name_or_localhost():
    result, warnings = full_plan(hostile_jobs(), existing_groups=['all', 'ungrouped', 'webservers'])
    renamed = {'%s_%s_vm-%d' % (name, ROOT, index) for index, name in
               enumerate(['all', 'ungrouped', 'localhost', '127.0.0.1', '::1', 'veeam_job_daily_vm_backup', 'webservers'], 10)}
    assert set(result['hosts'].values()) == renamed | {'web01', 'WebServers'}
    groups = result['groups']
    assert groups['veeam_job_daily_vm_backup'] == {'hosts': {'web01'}, 'vars': {}, 'children': set()}
    assert groups['veeam_job_odd_names'] == {'hosts': renamed | {'WebServers'}, 'vars': {}, 'children': set()}
    assert not set(result['hosts'].values()) & (set(groups) | {'all', 'ungrouped', 'webservers', 'localhost', '127.0.0.1', '::1'})
    assert 'webservers' not in groups and len(warnings) == 7
    assert all(warning.startswith('1 VM would be host ') for warning in warnings)


def test_host_names_avoid_the_existing_groups_given():
    result, warnings = full_plan(hostile_jobs(), existing_groups=['all', 'ungrouped'])
    assert 'webservers' in result['hosts'].values() and len(warnings) == 6


def test_the_plan_does_not_depend_on_the_order_of_jobs_and_includes():
    jobs = hostile_jobs()
    expected = full_plan(jobs, existing_groups=['webservers'])
    reordered = [dict(item, includes=list(reversed(item['includes']))) for item in reversed(jobs)]
    assert full_plan(reordered, existing_groups=['webservers']) == expected


@pytest.mark.parametrize('names', [['all', 'ungrouped'], ['All', 'Ungrouped']])
def test_group_names_are_never_all_or_ungrouped(names):
    jobs = [job(name, name, [inc('urn:VMware:Vm:%s.vm-%d' % (ROOT, index), 'vm%d' % index)], job_type=name)
            for index, name in enumerate(names)]
    groups, warnings = plan(jobs, prefix='')
    assert sorted(groups) == ['backup_server_vbr01_lab_local', 'job_all', 'job_type_all', 'job_type_ungrouped', 'job_ungrouped', 'platform_vmware']
    assert warnings == []


def test_group_names_keep_off_the_reserved_names():
    forms = {('job', 'a'): ['all', 'all_vbr01', 'all_a'], ('platform', 'x'): ['ungrouped']}
    names, _clashes = unique_names(forms, RESERVED_GROUP_NAMES)
    assert names == {('job', 'a'): 'all_vbr01', ('platform', 'x'): 'ungrouped_2'}


def test_linked_jobs_in_a_circle_leave_out_the_link_that_closes_it():
    jobs = [job('Copy A', 'a', [], job_type='BackupCopy', linked=['urn:veeam:Job:b']),
            job('Copy B', 'b', [], job_type='BackupCopy', linked=['urn:veeam:Job:c']),
            job('Copy C', 'c', [], job_type='BackupCopy', linked=['urn:veeam:Job:a', 'urn:veeam:Job:c'])]
    groups, warnings = plan(jobs)
    assert {name: group['children'] for name, group in groups.items()} == {
        'veeam_job_copy_a': {'veeam_job_copy_b'}, 'veeam_job_copy_b': {'veeam_job_copy_c'}, 'veeam_job_copy_c': set()}
    assert warnings == [
        'group veeam_job_copy_a is not made a child of group veeam_job_copy_c: the source jobs of backup copy jobs link them in a circle, '
        'and an Ansible group cannot contain itself',
        'group veeam_job_copy_c is not made a child of group veeam_job_copy_c: the source jobs of backup copy jobs link them in a circle, '
        'and an Ansible group cannot contain itself']
    assert plan(list(reversed(jobs))) == (groups, warnings)
