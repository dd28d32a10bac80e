# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The veeam_em inventory plugin, loaded by ansible's plugin loader and parsing real config files over scripted HTTP."""

from __future__ import annotations

import itertools
import json

import pytest

from ansible_collections.veeamops.em.tests.unit.plugins.inventory import inventory_estate as estate
from ansible_collections.veeamops.em.tests.unit.plugins.inventory.inventory_runner import Warnings, dump, load_plugin, parse, write_config
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import DAILY_ID, VBR01, query_page, session_entity

DAILY_VBR01 = 'veeam_job_daily_vm_backup_vbr01_lab_local'
DAILY_VBR02 = 'veeam_job_daily_vm_backup_vbr02_lab_local'
WEB01_VC01 = 'web01_vc01.lab.local_vm-1042'
WEB01_VC02 = 'web01_vc02.lab.local_vm-1042'


@pytest.fixture
def warnings(monkeypatch):
    recorder = Warnings()
    monkeypatch.setattr(load_plugin().display, 'warning', recorder)
    return recorder


def lab_inventory(em_http, tmp_path, **options):
    estate.script_fetch(em_http).expect_logoff()
    inventory, _plugin = parse(write_config(tmp_path, **options))
    return dump(inventory)


def test_one_host_per_vm_and_four_requests(em_http, tmp_path, warnings):
    result = lab_inventory(em_http, tmp_path)
    assert sorted(result['hosts']) == ['app01', 'db01', 'tenant-vm01', WEB01_VC01, WEB01_VC02]
    assert em_http.methods_and_paths() == [('POST', '/api/sessionMngr/'), ('GET', '/api/query'), ('GET', '/api/query'),
                                           ('DELETE', '/api/logonSessions/70ca377c-a2e8-4eb3-a483-922410b5c7a1')]
    assert len(warnings) == 2


def test_groups_per_job_type_server_and_platform(em_http, tmp_path, warnings):
    groups = lab_inventory(em_http, tmp_path)['groups']
    hosts = {name: group['hosts'] for name, group in groups.items()}
    assert hosts == {
        DAILY_VBR01: ['db01', WEB01_VC01],
        DAILY_VBR02: [WEB01_VC02],
        'veeam_job_sql_replica': ['db01'],
        'veeam_job_hyper_v_apps_daily': ['app01'],
        'veeam_job_tenant_backup': ['tenant-vm01'],
        'veeam_job_offsite_copy': [],
        'veeam_job_type_backup': ['app01', 'db01', 'tenant-vm01', WEB01_VC01, WEB01_VC02],
        'veeam_job_type_replica': ['db01'],
        'veeam_backup_server_vbr01_lab_local': ['app01', 'db01', 'tenant-vm01', WEB01_VC01],
        'veeam_backup_server_vbr02_lab_local': [WEB01_VC02],
        'veeam_platform_vmware': ['db01', WEB01_VC01, WEB01_VC02],
        'veeam_platform_hyperv': ['app01'],
        'veeam_platform_vcloud': ['tenant-vm01'],
    }
    assert groups['veeam_job_offsite_copy']['children'] == [DAILY_VBR01]


def test_host_vars_of_a_vm_in_two_jobs(em_http, tmp_path, warnings):
    db01 = lab_inventory(em_http, tmp_path)['hosts']['db01']
    assert {key: value for key, value in db01.items() if key != 'veeam_jobs'} == {
        'veeam_name': 'db01', 'veeam_display_name': 'db01', 'veeam_hierarchy_obj_ref': estate.DB01, 'veeam_platform': 'VMware',
        'veeam_object_type': 'Vm', 'veeam_hierarchy_root_id': estate.VC01, 'veeam_hierarchy_root_name': 'vc01.lab.local',
        'veeam_hierarchy_root_type': 'VC', 'veeam_object_ref': 'vm-2001', 'veeam_backup_servers': ['vbr01.lab.local'],
    }
    server = {'name': VBR01[0], 'id': VBR01[1], 'uid': 'urn:veeam:BackupServer:' + VBR01[1]}
    assert db01['veeam_jobs'] == [
        {'name': 'Daily VM Backup', 'id': DAILY_ID, 'uid': 'urn:veeam:Job:' + DAILY_ID, 'job_type': 'Backup', 'platform': 'VMware',
         'schedule_enabled': True, 'backup_server': server, 'object_in_job_id': 'oij-vm-2001'},
        {'name': 'SQL Replica', 'id': estate.REPLICA_ID, 'uid': 'urn:veeam:Job:' + estate.REPLICA_ID, 'job_type': 'Replica',
         'platform': 'VMware', 'schedule_enabled': True, 'backup_server': server, 'object_in_job_id': 'oij-vm-2001'},
    ]


def test_cloud_director_and_hyperv_refs(em_http, tmp_path, warnings):
    hosts = lab_inventory(em_http, tmp_path)['hosts']
    assert (hosts['tenant-vm01']['veeam_object_ref'], hosts['tenant-vm01']['veeam_display_name']) == (estate.VCD_VM, 'Tenant VM 01')
    assert (hosts['app01']['veeam_platform'], hosts['app01']['veeam_hierarchy_root_type']) == ('HyperV', 'HvServer')


def test_container_includes_are_job_group_variables(em_http, tmp_path, warnings):
    result = lab_inventory(em_http, tmp_path)
    containers = result['groups'][DAILY_VBR01]['vars']['veeam_container_includes']
    assert containers == [{'name': 'Production', 'display_name': 'Production', 'hierarchy_obj_ref': estate.FOLDER, 'platform': 'VMware',
                           'object_type': 'Folder', 'hierarchy_root_id': estate.VC01, 'object_ref': 'group-v2101',
                           'hierarchy_root_name': 'vc01.lab.local'}]
    assert [item['object_type'] for item in result['groups'][DAILY_VBR02]['vars']['veeam_container_includes']] == ['Tag']
    assert 'Production' not in result['hosts'] and result['groups']['veeam_job_sql_replica']['vars'] == {}


def test_duplicate_names_are_disambiguated_with_a_warning(em_http, tmp_path, warnings):
    hosts = lab_inventory(em_http, tmp_path)['hosts']
    assert hosts[WEB01_VC01]['veeam_hierarchy_obj_ref'] == estate.WEB01_VC01
    assert hosts[WEB01_VC02]['veeam_hierarchy_obj_ref'] == estate.WEB01_VC02
    assert 'web01' not in hosts
    host_warning = next(text for text in warnings if 'would be host web01' in text)
    assert WEB01_VC01 in host_warning and WEB01_VC02 in host_warning and estate.WEB01_VC02 in host_warning


def test_jobs_called_alike_get_separate_groups_with_a_warning(em_http, tmp_path, warnings):
    lab_inventory(em_http, tmp_path)
    group_warning = next(text for text in warnings if text.startswith('veeam_em: 2 groups would be named veeam_job_daily_vm_backup,'))
    assert DAILY_VBR01 in group_warning and DAILY_VBR02 in group_warning and estate.DAILY2_ID in group_warning


def _shuffled(jobs, order, reverse_includes):
    shuffled = []
    for index in order:
        job = json.loads(json.dumps(jobs[index]))
        for info in job['JobInfo'].values():
            if isinstance(info, dict) and info.get('Includes') and reverse_includes:
                info['Includes']['ObjectInJobs'].reverse()
        shuffled.append(job)
    return shuffled


def test_names_do_not_depend_on_the_order_of_jobs_and_includes(em_http, tmp_path, monkeypatch):
    monkeypatch.setattr(load_plugin().display, 'warning', Warnings())
    results = []
    orders = [order for index, order in enumerate(itertools.permutations(range(len(estate.JOBS)))) if index % 97 == 0]
    for count, order in enumerate(orders):
        estate.script_fetch(em_http, jobs=_shuffled(estate.JOBS, order, count % 2), roots=list(reversed(estate.ROOTS))).expect_logoff()
        results.append(dump(parse(write_config(tmp_path))[0]))
    assert len(orders) > 5 and all(result == results[0] for result in results)


def test_same_vm_under_two_names_gets_the_most_frequent_name(em_http, tmp_path):
    renamed = estate.vm_job('Renamed', '11111111-2222-4333-8444-555555555555', [estate.include(estate.DB01, 'db01-old')])
    third = estate.vm_job('Third', '11111111-2222-4333-8444-666666666666', [estate.include(estate.DB01, 'db01')])
    estate.script_fetch(em_http, jobs=[renamed, estate.REPLICA, third]).expect_logoff()
    hosts = dump(parse(write_config(tmp_path))[0])['hosts']
    assert list(hosts) == ['db01'] and len(hosts['db01']['veeam_jobs']) == 3


def test_em13_camel_case_and_bom(em_http, tmp_path):
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', json_response(estate.roots_page(estate.ROOTS), casing='camel', bom=True), sort_asc='Name')
    em_http.expect_query('Job', json_response(query_page('Job', estate.JOBS), casing='camel', bom=True), sort_asc='Name')
    em_http.expect_logoff()
    hosts = dump(parse(write_config(tmp_path, hostnames=['hierarchy_obj_ref']))[0])['hosts']
    assert sorted(hosts) == sorted([estate.WEB01_VC01, estate.WEB01_VC02, estate.DB01, estate.APP01, estate.TENANT01])
    assert hosts[estate.DB01]['veeam_hierarchy_root_name'] == 'vc01.lab.local'


def test_job_pages_are_followed(em_http, tmp_path, warnings):
    first = query_page('Job', estate.JOBS[:3], page_num=1, pages_count=2, page_size=3)
    second = query_page('Job', estate.JOBS[3:], page_num=2, pages_count=2, page_size=3)
    estate.script_fetch(em_http, job_pages=[first, second], page_size=3).expect_logoff()
    hosts = dump(parse(write_config(tmp_path, page_size=3))[0])['hosts']
    assert len(hosts) == 5 and em_http.calls[3].query['page'] == '2'


def test_last_sessions(em_http, tmp_path, warnings):
    estate.script_fetch(em_http)
    ran = session_entity(estate.DAILY, 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', result='Warning')
    replica_run = session_entity(estate.REPLICA, '0451d7ce-5a41-4d8e-9b0b-6f0fa1c2e3d4', state='Working', result='None', ended=None)
    em_http.expect_get('/api/query', json_response(query_page('BackupJobSession', [ran])))
    em_http.expect_get('/api/query', json_response(query_page('ReplicaJobSession', [replica_run])))
    em_http.expect_logoff()
    hosts = dump(parse(write_config(tmp_path, with_last_session=True))[0])['hosts']
    assert hosts['db01']['veeam_last_sessions'] == [
        {'job_name': 'Daily VM Backup', 'job_uid': 'urn:veeam:Job:' + DAILY_ID, 'state': 'Stopped', 'result': 'Warning', 'running': False,
         'creation_time': '2026-03-01T21:00:12.437Z', 'end_time': '2026-03-01T21:24:51.103Z'},
        {'job_name': 'SQL Replica', 'job_uid': 'urn:veeam:Job:' + estate.REPLICA_ID, 'state': 'Working', 'result': None, 'running': True,
         'creation_time': '2026-03-01T21:00:12.437Z', 'end_time': None},
    ]
    assert hosts['app01']['veeam_last_sessions'][0]['state'] is None
    assert [(call.query['type'], call.query['sortDesc']) for call in em_http.calls[3:5]] == [
        ('BackupJobSession', 'CreationTime'), ('ReplicaJobSession', 'CreationTime')]
    assert em_http.calls[4].query['filter'] == 'JobUid=="urn:veeam:Job:%s"' % estate.REPLICA_ID
    assert 'veeam_last_sessions' not in dump(_plain_run(em_http, tmp_path))['hosts']['db01']


def _plain_run(em_http, tmp_path):
    estate.script_fetch(em_http).expect_logoff()
    return parse(write_config(tmp_path, name='plain.veeam_em.yml'))[0]


def test_requests_do_not_grow_with_the_number_of_jobs(em_http, tmp_path, warnings):
    jobs = [estate.vm_job('Job %03d' % index, '00000000-0000-4000-8000-%012d' % index,
                          [estate.include('urn:VMware:Vm:%s.vm-%d' % (estate.VC01, 2 * index + offset), 'vm%d' % (2 * index + offset))
                           for offset in (0, 1)]) for index in range(300)]
    estate.script_fetch(em_http, jobs=jobs).expect_logoff()
    result = dump(parse(write_config(tmp_path))[0])
    assert len(result['hosts']) == 600 and len(em_http.calls) == 4
    assert result['groups']['veeam_job_job_299']['hosts'] == ['vm598', 'vm599']
