# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_lookup: request batching, the client-side re-check of every item, and the lookup requests over scripted HTTP."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmBadResponseError
from ansible_collections.veeamops.em.plugins.module_utils._lookup import (
    ALL,
    LookupApi,
    ask_key,
    hierarchy_item,
    lookup_requests,
    lookup_type,
    matches,
    object_type_of,
    root_platform,
    root_uid,
    similar,
    types_of,
)
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import fixture_json

VC01 = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
VC02 = '8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03'
WEB01 = 'urn:VMware:Vm:%s.vm-1042' % VC01
FOLDER = 'urn:VMware:Folder:%s.group-v2101' % VC01


def item(ref, name, object_type):
    return {'ObjectRef': ref, 'ObjectType': object_type, 'ObjectName': name, 'Links': None, 'Href': None, 'Type': 'HierarchyItem'}


def found(ref, name, object_type):
    return hierarchy_item({'object_ref': ref, 'object_name': name, 'object_type': object_type})


def lookup(em_http, params, items, casing='pascal'):
    em_http.expect_get('/api/lookup', json_response({'HierarchyItems': items}, casing=casing), params=params)


def test_one_request_per_name_and_one_listing_for_several_names_of_a_type_under_a_root():
    asks = [(VC01, 'Vm', 'web01'), (VC01, 'Tag', 'Backup-Gold'), (VC01, 'Vm', 'db01'), (VC02, 'Vm', 'web01'), (VC01, 'Vm', 'WEB01')]
    assert lookup_requests(asks) == [(VC01, 'Vm', ALL), (VC01, 'Tag', 'Backup-Gold'), (VC02, 'Vm', 'web01')]
    assert lookup_requests([(VC01, 'Vm', 'web01'), (VC01.upper(), 'vm', 'Web01')]) == [(VC01, 'Vm', 'web01')]
    assert lookup_requests([]) == []


def test_an_item_must_have_the_name_the_type_and_the_root_asked_for():
    web01 = found(WEB01, 'web01', 'Vm')
    assert matches(web01, 'WEB01', 'vm', VC01.upper())
    assert not matches(web01, 'web0', 'Vm', VC01)  # a part of the name is not the name
    assert not matches(found(WEB01, 'web01-old', 'Vm'), 'web01', 'Vm', VC01)
    assert not matches(web01, 'web01', 'Tag', VC01)
    assert not matches(web01, 'web01', 'Vm', VC02)
    assert not matches(found(WEB01, 'web01', 'Template'), 'web01', 'Vm', VC01)  # ObjectType and the reference disagree
    assert matches(found(WEB01, 'web01', None), 'web01', 'Vm', VC01)  # no ObjectType: the reference decides
    assert not matches(found('web01', 'web01', 'Vm'), 'web01', 'Vm', VC01)
    assert not matches(found(WEB01, None, 'Vm'), 'web01', 'Vm', VC01)
    assert not matches(web01, None, 'Vm', VC01)


def test_types_per_platform():
    assert lookup_type('VMware', 'vapp') == 'VirtualApp' and lookup_type('vCloud', 'vapp') == 'Vapp'
    assert lookup_type('HyperV', 'tag') is None and lookup_type('Hyperv', 'cluster') == 'Cluster'
    assert lookup_type('SomethingNew', 'resource_pool') == 'ResourcePool' and lookup_type(None, 'vm') == 'Vm'
    assert types_of('vCloud') == ['vm', 'datastore', 'vapp'] and types_of('HyperV') == ['vm', 'host', 'cluster']
    assert root_platform('VC') == 'VMware' and root_platform('ESXi') == 'VMware' and root_platform('HvCluster') == 'HyperV'
    assert root_platform('VcdSystem') == 'vCloud' and root_platform('Kubernetes') is None and root_platform(None) is None
    assert root_uid(VC01) == 'urn:veeam:HierarchyRoot:' + VC01


def test_similar_names_are_parts_of_each_other_under_the_root_asked_for():
    assert similar(found(WEB01, 'web01-old', 'Vm'), 'WEB01', 'Vm', VC01)
    assert similar(found(WEB01, 'web', 'Vm'), 'web01', 'Vm', VC01)
    assert not similar(found(WEB01, 'web01', 'Vm'), 'web01', 'Vm', VC01)  # a match is not merely similar
    assert not similar(found(WEB01, 'db01', 'Vm'), 'web01', 'Vm', VC01)
    assert not similar(found(WEB01, 'web01-old', 'Vm'), 'web01', 'Vm', VC02)
    assert not similar(found(WEB01, 'web01-old', 'Tag'), 'web01', 'Vm', VC01)
    assert not similar(found(WEB01, '', 'Vm'), 'web01', 'Vm', VC01)


@pytest.mark.parametrize('em_type, word', [('Vm', 'vm'), ('VirtualApp', 'vapp'), ('Vapp', 'vapp'), ('ResourcePool', 'resource_pool'),
                                           ('Tag', 'tag'), ('VmGroup', 'vm_group'), ('StoragePod', 'storage_pod'), ('OrgVdc', 'org_vdc'),
                                           ('OrgVdcStorageProfile', 'org_vdc_storage_profile'), ('VM', 'vm'), ('', None), (None, None)])
def test_object_types_in_the_words_of_the_module(em_type, word):
    assert object_type_of(em_type) == word


def test_names_are_looked_up_per_root_and_checked_again(em_http, em_settings):
    folders = fixture_json('lookup-hierarchyitems-folder.json')['HierarchyItems']
    em_http.expect_logon()
    lookup(em_http, {'host': root_uid(VC01), 'name': ALL, 'type': 'Folder'},
           folders + [item('urn:VMware:Folder:%s.group-v9' % VC01, 'Production-old', 'Folder')])
    lookup(em_http, {'host': root_uid(VC02), 'name': 'web01', 'type': 'Vm'},
           [item('urn:VMware:Vm:%s.vm-2042' % VC02, 'WEB01', 'Vm'), item(WEB01, 'web01', 'Vm')], casing='camel')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        answer = LookupApi(em).find([(VC01, 'Folder', 'production'), (VC01, 'Folder', 'Test'), (VC02, 'Vm', 'web01')])
    production, near = answer[ask_key(VC01, 'Folder', 'Production')]
    assert [entry['ref'] for entry in production] == [folder['ObjectRef'] for folder in folders]
    assert [entry['name'] for entry in near] == ['Production-old']
    assert answer[ask_key(VC01, 'Folder', 'Test')] == ([], [])
    web01, near = answer[ask_key(VC02, 'Vm', 'web01')]
    assert [entry['ref'] for entry in web01] == ['urn:VMware:Vm:%s.vm-2042' % VC02] and near == []  # WEB01 of vc01 is left out


def test_a_reference_is_looked_up_by_itself(em_http, em_settings):
    em_http.expect_logon()
    lookup(em_http, {'hierarchyRef': WEB01}, fixture_json('lookup-hierarchyitems.json')['HierarchyItems'])
    lookup(em_http, {'hierarchyRef': FOLDER}, [])
    lookup(em_http, {'hierarchyRef': FOLDER}, [item(WEB01, 'web01', 'Vm')])  # an answer about another object
    lookup(em_http, {'hierarchyRef': WEB01.replace('VMware:Vm', 'vmware:VM')}, [item(WEB01, 'web01', 'Vm')])
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        api = LookupApi(em)
        web01 = api.by_ref(WEB01)
        assert web01['name'] == 'web01' and web01['ref'] == WEB01 and web01['em_type'] == 'Vm'
        assert web01['parts']['object_ref'] == 'vm-1042'
        assert api.by_ref(FOLDER) is None
        assert api.by_ref(FOLDER) is None
        assert api.by_ref(WEB01.replace('VMware:Vm', 'vmware:VM'))['ref'] == WEB01


def test_an_item_without_a_reference_is_a_clean_error(em_http, em_settings):
    em_http.expect_logon()
    lookup(em_http, {'host': root_uid(VC01), 'name': 'web01', 'type': 'Vm'}, [{'ObjectName': 'web01', 'ObjectType': 'Vm'}])
    em_http.expect_logoff()
    with EmClient(em_settings) as em, pytest.raises(EmBadResponseError) as caught:
        LookupApi(em).by_name(VC01, 'web01', 'Vm')
    assert 'object_ref' in str(caught.value) and '/api/lookup' in str(caught.value)
