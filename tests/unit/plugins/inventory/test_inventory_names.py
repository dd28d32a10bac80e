# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_inventory_names: sanitising and order-independent disambiguation."""

from __future__ import annotations

import itertools

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_names import (
    check_hostnames,
    group_part,
    host_forms,
    host_names,
    host_part,
    job_group_forms,
    preferred_host_name,
    unique_names,
)


@pytest.mark.parametrize('text, expected', [
    ('Daily VM Backup', 'daily_vm_backup'),
    ('Hyper-V: Apps (daily)', 'hyper_v_apps_daily'),
    ('  SQL -- Replica _ 2 ', 'sql_replica_2'),
    ('vbr01.lab.local', 'vbr01_lab_local'),
    ('Sauvegarde générale', 'sauvegarde_générale'),
    ('バックアップ', 'バックアップ'),
    ('{{ 6 * 7 }}', '6_7'),
    ('', ''),
    (None, ''),
])
def test_group_part(text, expected):
    assert group_part(text) == expected


@pytest.mark.parametrize('text, expected', [
    ('vm-1042', 'vm-1042'), ('urn:vcloud:vm:6b2d', 'urn_vcloud_vm_6b2d'), ('vc01.lab.local', 'vc01.lab.local'), ('a, b*[c]', 'a_b_c'),
])
def test_host_part(text, expected):
    assert host_part(text) == expected


def test_unique_names_moves_every_clashing_key():
    names, clashes = unique_names({'a': ['x', 'x-a'], 'b': ['x', 'x-b'], 'c': ['y', 'y-c']})
    assert names == {'a': 'x-a', 'b': 'x-b', 'c': 'y'}
    assert clashes == [('x', ['a', 'b'])]


def test_unique_names_resolves_clashes_created_by_longer_forms():
    forms = {'a': ['x', 'x_1', 'x_1_a'], 'b': ['x', 'x_1', 'x_1_b'], 'c': ['x_1', 'x_1_c']}
    names, clashes = unique_names(forms)
    assert names == {'a': 'x_1_a', 'b': 'x_1_b', 'c': 'x_1_c'}
    assert clashes == [('x', ['a', 'b', 'c'])]  # one set: c competed with a and b for x_1


def test_unique_names_reports_separate_clashes_separately():
    names, clashes = unique_names({'a': ['x', 'xa'], 'b': ['x', 'xb'], 'c': ['y', 'yc'], 'd': ['y', 'yd'], 'e': ['z']})
    assert names == {'a': 'xa', 'b': 'xb', 'c': 'yc', 'd': 'yd', 'e': 'z'}
    assert clashes == [('x', ['a', 'b']), ('y', ['c', 'd'])]


def test_unique_names_does_not_depend_on_order():
    forms = {key: ['same', 'same_%s' % (key % 2), 'same_%s_%s' % (key % 2, key)] for key in range(5)}
    forms[9] = ['same_1']
    expected = unique_names(forms)
    for order in itertools.permutations(sorted(forms)):
        assert unique_names({key: forms[key] for key in order}) == expected
    assert len(set(expected[0].values())) == len(forms)


def test_job_group_forms():
    job = {'name': 'Daily VM Backup', 'id': '47752464-8E77', 'uid': 'urn:veeam:Job:47752464-8E77', 'backup_server': {'name': 'vbr01.lab.local'}}
    assert job_group_forms(job, 'veeam_') == ['veeam_job_daily_vm_backup', 'veeam_job_daily_vm_backup_vbr01_lab_local',
                                              'veeam_job_daily_vm_backup_47752464_8e77']
    assert job_group_forms(dict(job, name='***', backup_server=None), '')[0] == 'job_unnamed'


def test_host_forms_use_the_root_name_else_the_root_id():
    vm = {'hierarchy_root_id': 'ROOT-ID', 'hierarchy_root_name': None, 'object_ref': 'urn:vcloud:vm:1',
          'hierarchy_obj_ref': 'urn:vCloud:Vm:ROOT-ID.urn:vcloud:vm:1'}
    assert host_forms('vm1', vm) == ['vm1', 'vm1_ROOT-ID_urn_vcloud_vm_1', 'urn:vCloud:Vm:ROOT-ID.urn:vcloud:vm:1']
    assert host_forms('vm1', dict(vm, hierarchy_root_name='vcd 01'))[1] == 'vm1_vcd_01_urn_vcloud_vm_1'


def test_host_names_warn_once_per_clash():
    vms = {key: {'hierarchy_root_id': root, 'hierarchy_root_name': root, 'object_ref': 'vm-1', 'hierarchy_obj_ref': 'urn:VMware:Vm:%s.vm-1' % root}
           for key, root in (('k1', 'vc01'), ('k2', 'vc02'), ('k3', 'vc03'))}
    names, warnings = host_names(vms, {'k1': 'web', 'k2': 'web', 'k3': 'db'})
    assert names == {'k1': 'web_vc01_vm-1', 'k2': 'web_vc02_vm-1', 'k3': 'db'}
    assert len(warnings) == 1 and warnings[0].startswith('2 different VMs would be host web,')


def test_hostname_preferences():
    vm = {'name': 'web01', 'display_name': '', 'object_ref': 'vm-1', 'hierarchy_obj_ref': 'urn:VMware:Vm:r.vm-1'}
    calls = []

    def render(template, variables):
        calls.append((template, variables))
        return None if 'fail' in template else '  %s  ' % variables['v']

    assert preferred_host_name(vm, {'v': 'x'}, ['display_name', '{{ fail }}', '{{ v }}', 'name'], render) == 'x'
    assert [template for template, _variables in calls] == ['{{ fail }}', '{{ v }}']
    assert preferred_host_name(vm, {}, ['display_name'], render) == 'urn:VMware:Vm:r.vm-1'


@pytest.mark.parametrize('entries', [['nmae'], [42], ['name', 'veeam_name'], ['{ veeam_name }']])
def test_check_hostnames_rejects_unknown_entries(entries):
    with pytest.raises(EmInputError, match='Invalid entry in hostnames'):
        check_hostnames(entries)


def test_check_hostnames_defaults_to_name():
    assert check_hostnames(None) == ['name']
    assert check_hostnames(['{% if veeam_name %}x{% endif %}', 'object_ref']) == ['{% if veeam_name %}x{% endif %}', 'object_ref']
