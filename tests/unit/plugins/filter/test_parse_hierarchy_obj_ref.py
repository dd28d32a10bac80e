# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The veeamops.em.parse_hierarchy_obj_ref filter, through ansible's filter loader and templating."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError
from ansible.plugins.loader import filter_loader

ROOT = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'


def the_filter():
    return filter_loader.get('veeamops.em.parse_hierarchy_obj_ref').j2_function


@pytest.mark.parametrize('ref, parts', [
    ('urn:VMware:Vm:%s.vm-1042' % ROOT, ('VMware', 'Vm', ROOT, 'vm-1042')),
    ('urn:VMware:Vm:ca2f751f-8f26-4f39-815e-ce493b61fd80.11', ('VMware', 'Vm', 'ca2f751f-8f26-4f39-815e-ce493b61fd80', '11')),
    ('urn:VMware:Folder:%s.group-v2101' % ROOT, ('VMware', 'Folder', ROOT, 'group-v2101')),
    ('urn:VMware:Tag:%s.urn:vmomi:InventoryServiceTag:5b1e.0c6a:GLOBAL' % ROOT, ('VMware', 'Tag', ROOT, 'urn:vmomi:InventoryServiceTag:5b1e.0c6a:GLOBAL')),
    ('urn:HyperV:Vm:8e7fef9f-87a8-48b4-bed1-632c3035a1a1.020aa5ab-3523-4946-b658-b8ad5b372439',
     ('HyperV', 'Vm', '8e7fef9f-87a8-48b4-bed1-632c3035a1a1', '020aa5ab-3523-4946-b658-b8ad5b372439')),
    ('urn:vCloud:Vm:fa099d3b-7376-49b1-884c-bb6fa47c7b1e.urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec',
     ('vCloud', 'Vm', 'fa099d3b-7376-49b1-884c-bb6fa47c7b1e', 'urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec')),
    ('urn:vCloud:Vapp:fa099d3b-7376-49b1-884c-bb6fa47c7b1e.urn:vcloud:vapp:1f2e',
     ('vCloud', 'Vapp', 'fa099d3b-7376-49b1-884c-bb6fa47c7b1e', 'urn:vcloud:vapp:1f2e')),
])
def test_documented_forms(ref, parts):
    result = the_filter()(ref)
    assert (result['platform'], result['object_type'], result['hierarchy_root_id'], result['object_ref']) == parts
    assert result['ref'] == ref


@pytest.mark.parametrize('value', ['vm-1042', 'urn:VMware:Vm:%s' % ROOT, 'urn:NasBackup:BackupServer:af37938e', '', None, 42])
def test_malformed_is_an_error_naming_the_value(value):
    with pytest.raises(AnsibleError) as caught:
        the_filter()(value)
    assert 'Malformed HierarchyObjRef' in str(caught.value) and repr(str(value)) in str(caught.value)


def test_malformed_without_strict_gives_null_parts():
    assert the_filter()('vm-1042', strict=False) == {'platform': None, 'object_type': None, 'hierarchy_root_id': None, 'object_ref': None,
                                                     'ref': 'vm-1042'}


def test_in_a_template():
    from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
    from ansible.template import Templar  # pylint: disable=import-outside-toplevel

    templar = Templar(loader=DataLoader(), variables={'ref': 'urn:VMware:Vm:%s.vm-7' % ROOT})
    template = "{{ (ref | veeamops.em.parse_hierarchy_obj_ref).object_ref }}"
    try:
        from ansible.template import trust_as_template  # pylint: disable=import-outside-toplevel
    except ImportError:  # ansible-core before 2.19 templates every string
        trust_as_template = str
    assert templar.template(trust_as_template(template)) == 'vm-7'
