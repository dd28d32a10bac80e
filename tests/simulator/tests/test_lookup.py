# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hierarchy roots, the lookup service and backup servers [hierarchy.md, backup-servers.md]."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import VBR01, VC01, WEB01_REF

VC01_UID = f'urn:veeam:HierarchyRoot:{VC01}'


def lookup(client, **params):
    return client.json('/lookup?' + '&'.join(f'{key}={quote(value, safe="")}' for key, value in params.items()))['HierarchyItems']


def test_hierarchy_roots(admin):
    refs = admin.json('/hierarchyRoots')['Refs']
    assert [ref['Name'] for ref in refs] == ['vc01.lab.local', 'hv01.lab.local', 'vcd01.lab.local', 'vc02.lab.local']
    entity = admin.json(f'/hierarchyRoots/{VC01}?format=Entity')
    assert (entity['HierarchyRootId'], entity['UniqueId'], entity['HostType']) == (VC01, '7C4A2B19-5E3D-4F8A-9B61-0D2E8C7F3A54', 'VC')
    assert [link['Rel'] for link in entity['Links']] == ['Up', 'Alternate', 'Related']
    assert {item['HostType'] for item in admin.json('/hierarchyRoots?format=Entity')['HierarchyRoots']} == {'VC', 'HvServer', 'VcdSystem'}
    assert admin.get('/hierarchyRoots/00000000-0000-0000-0000-000000000000').status_code == 404


def test_lookup_service_links_per_platform(admin):
    links = admin.json('/lookupSvc')['Links']
    assert links[0]['Rel'] == 'Up' and links[0]['Type'] == 'LogonSession'
    hrefs = [link['Href'] for link in links[1:]]
    assert hrefs[0].endswith(f'/lookup?host=urn%3aveeam%3aHierarchyRoot%3a{VC01}&name=*&type=Vm')
    types = [href.rsplit('type=', 1)[1] for href in hrefs]
    assert types[:6] == ['Vm', 'Tag', 'StoragePod', 'Vm', 'VmGroup', 'Vm']
    assert admin.json(hrefs[0])['HierarchyItems']


def test_lookup_by_name_is_case_insensitive_and_per_root(admin):
    items = lookup(admin, host=VC01_UID, name='WEB01', type='vm')
    assert items == [{'ObjectRef': WEB01_REF, 'ObjectType': 'Vm', 'ObjectName': 'web01', 'Links': None, 'Href': None, 'Type': 'HierarchyItem'}]
    other = lookup(admin, host='urn:veeam:HierarchyRoot:8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03', name='web01', type='Vm')
    assert [item['ObjectRef'] for item in other] == ['urn:VMware:Vm:8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03.vm-2042']
    assert lookup(admin, host=VC01_UID, name='nothing', type='Vm') == []


def test_lookup_all_of_a_type_and_by_reference(admin):
    folders = lookup(admin, host=VC01_UID, name='*', type='Folder')
    assert [item['ObjectName'] for item in folders] == ['Production', 'Test', 'Production']
    tag = lookup(admin, host=VC01_UID, name='Backup-Gold', type='Tag')[0]
    assert tag['ObjectRef'] == f'urn:VMware:Tag:{VC01}.urn:vmomi:InventoryServiceTag:8c2d4f6a-1b3e-4c5d-9e7f-0a1b2c3d4e5f:GLOBAL'
    assert lookup(admin, hierarchyRef=WEB01_REF)[0]['ObjectName'] == 'web01'
    assert lookup(admin, hierarchyRef=f'urn:VMware:Vm:{VC01}.vm-0') == []
    vcloud = lookup(admin, host='urn:veeam:HierarchyRoot:509e63d0-54f2-4b60-b3ca-cbe130329132', name='tenant-web01', type='Vm')
    assert vcloud[0]['ObjectRef'] == ('urn:vCloud:Vm:509e63d0-54f2-4b60-b3ca-cbe130329132.'
                                      'urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec')


@pytest.mark.parametrize('params', ['host=x&name=*&type=Vm', f'host={VC01_UID}&type=Vm', ''])
def test_lookup_errors(admin, params):
    response = admin.get(f'/lookup?{params}')
    assert response.status_code == 400 and response.json()['Message']


def test_backup_servers(admin):
    refs = admin.json('/backupServers')['Refs']
    assert [ref['Name'] for ref in refs] == ['vbr01.lab.local', 'vbr02.lab.local']
    entity = admin.json(f'/backupServers/{VBR01}?format=Entity')
    assert (entity['Port'], entity['WcfPort'], entity['Version']) == (9392, 9405, '12.3.2.4465')
    assert entity['VbrCertificateThumbprint'] == '7B39B1915CBDCD77E5C0F4273F4353A18653E571'
    assert [link['Rel'] for link in entity['Links']].count('Create') == 2
    assert admin.json(f'/backupServers/{VBR01}')['Type'] == 'BackupServerReference'
    assert admin.post(f'/backupServers/{VBR01}?action=veeamzip', {'VmRef': WEB01_REF}).status_code == 501
