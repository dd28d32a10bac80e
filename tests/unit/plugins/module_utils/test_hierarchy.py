# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_hierarchy: HierarchyObjRef parsing."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmHierarchyRefError
from ansible_collections.veeamops.em.plugins.module_utils._hierarchy import parse_hierarchy_obj_ref


@pytest.mark.parametrize('ref, expected', [
    ('urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042',
     ('VMware', 'Vm', '1790e16e-e712-4c24-a47c-dc3b62a4c27f', 'vm-1042')),
    ('urn:VMware:Folder:1790e16e-e712-4c24-a47c-dc3b62a4c27f.group-v2101',
     ('VMware', 'Folder', '1790e16e-e712-4c24-a47c-dc3b62a4c27f', 'group-v2101')),
    ('urn:HyperV:Vm:8e7fef9f-87a8-48b4-bed1-632c3035a1a1.020aa5ab-3523-4946-b658-b8ad5b372439',
     ('HyperV', 'Vm', '8e7fef9f-87a8-48b4-bed1-632c3035a1a1', '020aa5ab-3523-4946-b658-b8ad5b372439')),
    ('urn:vCloud:Vm:fa099d3b-7376-49b1-884c-bb6fa47c7b1e.urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec',
     ('vCloud', 'Vm', 'fa099d3b-7376-49b1-884c-bb6fa47c7b1e', 'urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec')),
    ('urn:VMware:Tag:1790e16e-e712-4c24-a47c-dc3b62a4c27f.urn:vmomi:InventoryServiceTag:5e2b.x:GLOBAL',
     ('VMware', 'Tag', '1790e16e-e712-4c24-a47c-dc3b62a4c27f', 'urn:vmomi:InventoryServiceTag:5e2b.x:GLOBAL')),
    ('URN:VMware:Vm:ca2f751f-8f26-4f39-815e-ce493b61fd80.11', ('VMware', 'Vm', 'ca2f751f-8f26-4f39-815e-ce493b61fd80', '11')),
])
def test_parse(ref, expected):
    parsed = parse_hierarchy_obj_ref(ref)
    assert (parsed['platform'], parsed['object_type'], parsed['hierarchy_root_id'], parsed['object_ref']) == expected
    assert parsed['ref'] == ref


@pytest.mark.parametrize('ref', [
    None, '', 'vm-1042', 'urn:VMware:Vm', 'urn:VMware:Vm:1790e16e', 'urn:VMware:Vm:.vm-1', 'urn:VMware:Vm:1790e16e.',
    'urn::Vm:a.b', 'urn:VMware::a.b', 'uri:VMware:Vm:a.b', 'urn:NasBackup:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7', 42,
])
def test_malformed(ref):
    with pytest.raises(EmHierarchyRefError) as caught:
        parse_hierarchy_obj_ref(ref)
    assert 'Malformed HierarchyObjRef' in str(caught.value) and repr(ref) in str(caught.value)
    assert isinstance(caught.value, ValueError)
