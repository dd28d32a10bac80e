# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_inventory_names: sanitising and order-independent disambiguation."""

from __future__ import annotations

import itertools
import random

import pytest

from ansible import constants as C

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_names import (
    LOCALHOST_NAMES,
    RESERVED_GROUP_NAMES,
    check_hostnames,
    group_part,
    host_forms,
    host_names,
    host_part,
    job_group_forms,
    preferred_host_name,
    taken_host_names,
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


def test_unique_names_moves_keys_off_taken_names():
    names, clashes = unique_names({'a': ['all', 'all_a'], 'b': ['web', 'web_b'], 'c': ['x', 'all_a', 'x_c']}, taken={'all'})
    assert names == {'a': 'all_a', 'b': 'web', 'c': 'x'}
    assert clashes == [('all', ['a'])]


def test_unique_names_moves_on_when_the_longer_form_is_taken_too():
    names, clashes = unique_names({'a': ['all', 'all_a', 'urn:a'], 'b': ['all_a', 'all_a_b', 'urn:b']}, taken={'all'})
    assert names == {'a': 'urn:a', 'b': 'all_a_b'}
    assert clashes == [('all', ['a', 'b'])]


def test_unique_names_numbers_a_last_form_that_is_taken():
    names, clashes = unique_names({'a': ['g', 'g_a'], 'b': ['g_a_3']}, taken={'g', 'g_a', 'g_a_2'})
    assert names == {'a': 'g_a_4', 'b': 'g_a_3'}
    assert clashes == [('g', ['a'])]


def test_unique_names_numbers_last_forms_that_are_shared():
    forms = {'b': ['same'], 'a': ['same'], 'c': ['same_2']}
    names, clashes = unique_names(forms)
    assert names == {'a': 'same_3', 'b': 'same_4', 'c': 'same_2'}
    assert clashes == [('same', ['a', 'b'])]
    assert unique_names(dict(reversed(list(forms.items())))) == (names, clashes)


def test_unique_names_never_share_or_take_a_name_whatever_the_order():
    rng = random.Random(20260)
    pool = ['x', 'x_1', 'x_1_2', 'y', 'all', 'localhost', 'x_2', 'y_2']
    for _round in range(300):
        forms = {key: sorted(rng.sample(pool, rng.randint(1, 3)), key=len) for key in range(rng.randint(1, 7))}
        taken = set(rng.sample(pool, rng.randint(0, 4)))
        names, clashes = unique_names(forms, taken)
        assert len(set(names.values())) == len(forms) and not taken & set(names.values())
        assert all(names[key] == forms[key][0] for key in forms if key not in {k for _name, keys in clashes for k in keys})
        order = list(forms)
        rng.shuffle(order)
        assert unique_names({key: forms[key] for key in order}, sorted(taken)) == (names, clashes)


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


def vm(ref_suffix, root='vc01'):
    return {'hierarchy_root_id': root + '-id', 'hierarchy_root_name': root, 'object_ref': ref_suffix,
            'hierarchy_obj_ref': 'urn:VMware:Vm:%s-id.%s' % (root, ref_suffix)}


def test_localhost_names_are_those_of_ansible_core():
    assert sorted(LOCALHOST_NAMES) == sorted(C.LOCALHOST) and RESERVED_GROUP_NAMES == ('all', 'ungrouped')


def test_taken_host_names_say_why():
    taken = taken_host_names(['veeam_job_a', 'all'], ['all', 'ungrouped', 'webservers', 'veeam_job_a'], ['localhost'])
    assert taken == {
        'veeam_job_a': 'the name of a group that is already in the inventory (from another source)',
        'webservers': 'the name of a group that is already in the inventory (from another source)',
        'localhost': 'a name that Ansible gives the controller (the implicit localhost)',
        'all': 'a group that every Ansible inventory has', 'ungrouped': 'a group that every Ansible inventory has',
    }
    assert taken_host_names(['veeam_job_b'])['veeam_job_b'] == 'the name of a group of this inventory source'
    assert set(taken_host_names([])) == {'all', 'ungrouped', '127.0.0.1', 'localhost', '::1'}


@pytest.mark.parametrize('name, reason', [
    ('all', 'a group that every Ansible inventory has'),
    ('ungrouped', 'a group that every Ansible inventory has'),
    ('localhost', 'the implicit localhost'),
    ('127.0.0.1', 'the implicit localhost'),
    ('::1', 'the implicit localhost'),
    ('veeam_job_daily_vm_backup', 'a group of this inventory source'),
    ('webservers', 'a group that is already in the inventory'),
])
def test_a_vm_named_like_a_group_or_the_controller_gets_a_longer_name(name, reason):
    vms = {'k1': vm('vm-1'), 'k2': vm('vm-2')}
    names, warnings = host_names(vms, {'k1': name, 'k2': 'web01'}, taken_host_names(['veeam_job_daily_vm_backup'], ['webservers']))
    assert names == {'k1': '%s_vc01_vm-1' % name, 'k2': 'web01'}
    assert warnings == ['1 VM would be host %s, which is %s, so it gets a longer host name: %s_vc01_vm-1 (urn:VMware:Vm:vc01-id.vm-1)' % (
        name, taken_host_names(['veeam_job_daily_vm_backup'], ['webservers'])[name], name)]
    assert reason in warnings[0]


def test_names_that_differ_only_in_case_are_not_taken():
    vms = {'k1': vm('vm-1'), 'k2': vm('vm-2'), 'k3': vm('vm-3')}
    names, warnings = host_names(vms, {'k1': 'WebServers', 'k2': 'LocalHost', 'k3': 'ALL'}, taken_host_names(['veeam_job_a'], ['webservers']))
    assert names == {'k1': 'WebServers', 'k2': 'LocalHost', 'k3': 'ALL'} and warnings == []


def test_a_vm_whose_longer_name_is_taken_too_is_named_after_its_reference():
    taken = taken_host_names(['all_vc01_vm-1'])
    names, warnings = host_names({'k1': vm('vm-1')}, {'k1': 'all'}, taken)
    assert names == {'k1': 'urn:VMware:Vm:vc01-id.vm-1'}
    assert len(warnings) == 1 and warnings[0].startswith('1 VM would be host all, which is a group that every Ansible inventory has,')


def test_a_vm_whose_every_name_is_taken_gets_a_number():
    taken = taken_host_names(['all_vc01_vm-1'], ['urn:VMware:Vm:vc01-id.vm-1', 'urn:VMware:Vm:vc01-id.vm-1_2'])
    names, _warnings = host_names({'k1': vm('vm-1'), 'k2': vm('vm-2')}, {'k1': 'all', 'k2': 'urn:VMware:Vm:vc01-id.vm-1_3'}, taken)
    assert names == {'k1': 'urn:VMware:Vm:vc01-id.vm-1_4', 'k2': 'urn:VMware:Vm:vc01-id.vm-1_3'}


def test_vms_that_compete_with_each_other_and_with_a_group_get_one_warning():
    vms = {'k1': vm('vm-1'), 'k2': vm('vm-2', 'vc02'), 'k3': vm('vm-3')}
    names, warnings = host_names(vms, {'k1': 'all', 'k2': 'all', 'k3': 'all_vc01_vm-1'}, taken_host_names([]))
    assert names == {'k1': 'urn:VMware:Vm:vc01-id.vm-1', 'k2': 'all_vc02_vm-2', 'k3': 'all_vc01_vm-1_vc01_vm-3'}
    assert warnings == ['3 VMs would be host all, which is a group that every Ansible inventory has, so each gets a longer host name: '
                        'urn:VMware:Vm:vc01-id.vm-1 (urn:VMware:Vm:vc01-id.vm-1), all_vc02_vm-2 (urn:VMware:Vm:vc02-id.vm-2), '
                        'all_vc01_vm-1_vc01_vm-3 (urn:VMware:Vm:vc01-id.vm-3, named all_vc01_vm-1)']


def test_host_names_do_not_depend_on_the_order_of_vms():
    vms = {'k%d' % index: vm('vm-%d' % index, 'vc0%d' % (index % 2)) for index in range(6)}
    preferred = {'k0': 'all', 'k1': 'all', 'k2': 'localhost', 'k3': 'all_vc00_vm-0', 'k4': 'veeam_job_a', 'k5': 'web'}
    taken = taken_host_names(['veeam_job_a', 'web'], ['webservers'])
    expected = host_names(vms, preferred, taken)
    for order in itertools.permutations(sorted(vms)):
        assert host_names({key: vms[key] for key in order}, preferred, taken) == expected
    assert not set(expected[0].values()) & set(taken) and len(set(expected[0].values())) == len(vms)


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
