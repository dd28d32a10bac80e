# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/lookup`` over every kind of object of the lab estate [hierarchy.md "Lookup results by object type"],
and the cases membership clients need: two folders with one name, one tag name in two vCenters, VMs in no job."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import VC01, fixture_json

VC02 = '8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03'
HV01 = '343c7197-7bdd-465d-a5ad-ad923cfffdb4'
VCD01 = '509e63d0-54f2-4b60-b3ca-cbe130329132'
TAG = 'urn:vmomi:InventoryServiceTag:8c2d4f6a-1b3e-4c5d-9e7f-0a1b2c3d4e5f:GLOBAL'
VC02_TAG = 'urn:vmomi:InventoryServiceTag:d4b7e2a9-6c1f-4e38-9a05-7e2c8f1b3d96:GLOBAL'
CATEGORY = 'urn:vmomi:InventoryServiceCategory:5b1e3c9d-6f0a-4d8e-9a27-1c4b8e2f7d60:GLOBAL'
VAPP = 'urn:vcloud:vapp:8e1f3a5c-7b9d-4f02-a6c8-2e4d6f8a0b1c'

# (root, platform, type, name, own id of the object): one object of every kind the lab estate has
KINDS = [
    (VC01, 'VMware', 'Vm', 'web02', 'vm-1043'),
    (VC01, 'VMware', 'Host', 'esx01.lab.local', 'host-438'),
    (VC01, 'VMware', 'Cluster', 'Cluster01', 'domain-c7'),
    (VC01, 'VMware', 'Datacenter', 'Lab', 'datacenter-2'),
    (VC01, 'VMware', 'Datastore', 'datastore1', 'datastore-441'),
    (VC01, 'VMware', 'ResourcePool', 'Gold', 'resgroup-8'),
    (VC01, 'VMware', 'Folder', 'Test', 'group-v2102'),
    (VC01, 'VMware', 'VirtualApp', 'crm-vapp', 'resgroup-v20'),
    (VC01, 'VMware', 'StoragePod', 'DatastoreCluster01', 'group-p12'),
    (VC01, 'VMware', 'Category', 'Backup Policy', CATEGORY),
    (VC01, 'VMware', 'Tag', 'Backup-Gold', TAG),
    (HV01, 'HyperV', 'Vm', 'web01-hv', 'c3e9a1f5-7d2b-4c68-a04e-1b5f9d3c7e82'),
    (HV01, 'HyperV', 'Host', 'hv01.lab.local', '7d5e0c7f-3a1b-4f28-9c64-5e8d2b1a0f93'),
    (HV01, 'HyperV', 'VmGroup', 'Finance VMs', '9f2c6e1d-4b7a-4e35-8d09-3c1f5a7e2b64'),
    (VCD01, 'vCloud', 'Organization', 'Tenant-A', 'urn:vcloud:org:2f7c1a9e-5d3b-4e80-b6a4-9c0e1d2f3a4b'),
    (VCD01, 'vCloud', 'OrgVdc', 'Tenant-A-VDC', 'urn:vcloud:vdc:4b8e2d6f-1a3c-4e57-9d0b-7c6e5f4a3b21'),
    (VCD01, 'vCloud', 'Vapp', 'tenant-app', VAPP),
    (VCD01, 'vCloud', 'Vm', 'tenant-db01', 'urn:vcloud:vm:9c3e5a7b-1d2f-4e6a-8b0c-4d5e6f7a8b9c'),
]


def lookup(client, **params):
    return client.json('/lookup?' + '&'.join(f'{key}={quote(value, safe="")}' for key, value in params.items()))['HierarchyItems']


def triples(items):
    return [(item['ObjectType'], item['ObjectRef'], item['ObjectName']) for item in items]


@pytest.mark.parametrize('root, platform, type_, name, own_id', KINDS, ids=[f'{kind[1]}-{kind[2]}' for kind in KINDS])
def test_lookup_by_name_type_and_reference(admin, root, platform, type_, name, own_id):
    ref = f'urn:{platform}:{type_}:{root}.{own_id}'
    expected = [(type_, ref, name)]
    assert triples(lookup(admin, host=f'urn:veeam:HierarchyRoot:{root}', name=name.upper(), type=type_.lower())) == expected
    assert ref in [item['ObjectRef'] for item in lookup(admin, host=f'urn:veeam:HierarchyRoot:{root}', name='*', type=type_)]
    assert triples(lookup(admin, hierarchyRef=ref)) == expected
    assert lookup(admin, hierarchyRef=ref + '0') == []


def test_name_star_lists_every_object_of_the_type_and_only_that_type(admin):
    vms = lookup(admin, host=f'urn:veeam:HierarchyRoot:{VC01}', name='*', type='Vm')
    assert {item['ObjectType'] for item in vms} == {'Vm'} and len(vms) == 12
    assert 'new01' in [item['ObjectName'] for item in vms]
    assert lookup(admin, host=f'urn:veeam:HierarchyRoot:{HV01}', name='*', type='Folder') == []


def test_the_name_is_matched_whole(admin):
    assert lookup(admin, host=f'urn:veeam:HierarchyRoot:{VC01}', name='web', type='Vm') == []
    assert lookup(admin, host=f'urn:veeam:HierarchyRoot:{VC01}', name='web0*', type='Vm') == []


def test_two_folders_with_one_name_in_one_vcenter_as_in_the_example(admin):
    items = lookup(admin, host=f'urn:veeam:HierarchyRoot:{VC01}', name='production', type='Folder')
    assert items == fixture_json('lookup-hierarchyitems-folder.json')['HierarchyItems']


def test_one_tag_name_in_two_vcenters(admin):
    vc01 = lookup(admin, host=f'urn:veeam:HierarchyRoot:{VC01}', name='Backup-Gold', type='Tag')
    vc02 = lookup(admin, host=f'urn:veeam:HierarchyRoot:{VC02}', name='backup-gold', type='Tag')
    assert triples(vc01) == [('Tag', f'urn:VMware:Tag:{VC01}.{TAG}', 'Backup-Gold')]
    assert triples(vc02) == [('Tag', f'urn:VMware:Tag:{VC02}.{VC02_TAG}', 'Backup-Gold')]


def test_parameter_order_and_an_unencoded_root_uid(admin):
    items = admin.json(f'/lookup?type=Vm&host=urn:veeam:HierarchyRoot:{VC01}&name=new01')['HierarchyItems']
    assert triples(items) == [('Vm', f'urn:VMware:Vm:{VC01}.vm-1300', 'new01')]


@pytest.mark.parametrize('name, ref', [('new01', f'urn:VMware:Vm:{VC01}.vm-1300'), ('dr-web02', f'urn:VMware:Vm:{VC02}.vm-2045'),
                                       ('web01-hv', f'urn:HyperV:Vm:{HV01}.c3e9a1f5-7d2b-4c68-a04e-1b5f9d3c7e82')])
def test_vms_in_no_job(admin, name, ref):
    objects = admin.json('/query?type=ObjectInJob&pageSize=1000')['Resources']['sInObjectJob']['ObjectInJobs']
    assert ref not in [item['HierarchyObjRef'] for item in objects]
    jobs = admin.sim.control('GET', '/jobs')['jobs']
    assert all(name not in job['includes'] for job in jobs)
    assert all(job['last_result'] is not None for job in jobs)  # every job ran; none of their runs touched these VMs
    tasks = admin.json('/query?type=BackupTaskSession&pageSize=1000&filter=' + quote(f'VmDisplayName=="{name}"'))
    assert tasks['Refs']['Refs'] == []
