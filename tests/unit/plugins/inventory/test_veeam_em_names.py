# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_em with VM names that Ansible or another inventory source already uses, parsed into a shared inventory."""

from __future__ import annotations

import pytest

from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

from ansible_collections.veeamops.em.tests.unit.plugins.inventory import inventory_estate as estate
from ansible_collections.veeamops.em.tests.unit.plugins.inventory.inventory_runner import Warnings, load_plugin, write_config
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import DAILY_ID

ODD_ID = '0b6e3f2a-5c4d-4e8f-9a1b-2c3d4e5f6a7b'
ODD_NAMES = ['all', 'ungrouped', 'localhost', '127.0.0.1', '::1', 'veeam_job_daily_vm_backup', 'webservers', 'WebServers']


def odd_ref(index):
    return 'urn:VMware:Vm:%s.vm-%d' % (estate.VC01, 100 + index)


def renamed(index, name):
    return '%s_vc01.lab.local_vm-%d' % (name, 100 + index)


RENAMED = {odd_ref(index): renamed(index, name) for index, name in enumerate(ODD_NAMES) if name != 'WebServers'}
RENAMED[odd_ref(ODD_NAMES.index('WebServers'))] = 'WebServers'


@pytest.fixture
def warnings(monkeypatch):
    recorder = Warnings()
    monkeypatch.setattr(load_plugin().display, 'warning', recorder)
    return recorder


def other_source():
    """What a YAML inventory given before this source leaves: group webservers with two hosts and a variable."""
    inventory = InventoryData()
    inventory.add_group('webservers')
    for host in ('web-static01', 'web-static02'):
        inventory.add_host(host, group='webservers')
    inventory.set_variable('webservers', 'http_port', 8080)
    return inventory


def parse_hostile(em_http, tmp_path):
    daily = estate.vm_job('Daily VM Backup', DAILY_ID, [estate.include(estate.DB01, 'db01')])
    odd = estate.vm_job('Odd Names', ODD_ID, [estate.include(odd_ref(index), name) for index, name in enumerate(ODD_NAMES)])
    estate.script_fetch(em_http, jobs=[daily, odd]).expect_logoff()
    inventory = other_source()
    load_plugin().parse(inventory, DataLoader(), write_config(tmp_path), cache=False)
    return inventory


def members(inventory, name):
    group = inventory.groups[name]
    return sorted(host.name for host in group.hosts), sorted(child.name for child in group.child_groups), dict(group.vars)


def test_vms_named_like_groups_or_localhost_get_longer_names(em_http, tmp_path, warnings):
    inventory = parse_hostile(em_http, tmp_path)
    assert sorted(inventory.hosts) == sorted(['db01', 'web-static01', 'web-static02'] + list(RENAMED.values()))
    assert {inventory.hosts[name].vars['veeam_hierarchy_obj_ref']: name for name in RENAMED.values()} == RENAMED
    assert not set(inventory.hosts) & set(inventory.groups)


def test_job_groups_hold_exactly_their_vms_and_the_other_source_is_unchanged(em_http, tmp_path, warnings):
    inventory = parse_hostile(em_http, tmp_path)
    assert members(inventory, 'veeam_job_daily_vm_backup') == (['db01'], [], {})
    assert members(inventory, 'veeam_job_odd_names') == (sorted(RENAMED.values()), [], {})
    assert members(inventory, 'webservers') == (['web-static01', 'web-static02'], [], {'http_port': 8080})
    assert members(inventory, 'ungrouped') == ([], [], {}) and members(inventory, 'all')[0] == []
    assert all(not group.child_groups for name, group in inventory.groups.items() if name != 'all')


def test_localhost_stays_the_implicit_controller(em_http, tmp_path, warnings):
    inventory = parse_hostile(em_http, tmp_path)
    assert inventory.localhost is None
    for name in ('localhost', '127.0.0.1', '::1'):
        host = inventory.get_host(name)
        assert host.implicit and 'veeam_name' not in host.vars


def test_one_warning_per_renamed_vm_and_none_from_ansible(em_http, tmp_path, warnings):
    inventory = parse_hostile(em_http, tmp_path)
    inventory.reconcile_inventory()
    assert len(warnings) == 7 and not any('Found both group and host' in text or 'localhost-like' in text for text in warnings)
    for index, name in enumerate(ODD_NAMES[:-1]):
        assert sum('would be host %s,' % name in text for text in warnings) == 1
        text = next(text for text in warnings if 'would be host %s,' % name in text)
        assert renamed(index, name) in text and odd_ref(index) in text
    assert 'already in the inventory' in next(text for text in warnings if 'would be host webservers,' in text)


def test_the_plan_is_applied_without_taking_a_host_for_a_group():
    """Even a plan whose host names are group names (which plan_groups never makes) puts hosts and variables where meant."""
    plugin = load_plugin()
    plugin.inventory = other_source()
    plan = {'hosts': {'k1': 'webservers', 'k2': 'veeam_job_b'},
            'groups': {'veeam_job_a': {'hosts': {'webservers', 'veeam_job_b'}, 'vars': {}, 'children': {'veeam_job_b'}},
                       'veeam_job_b': {'hosts': set(), 'vars': {'veeam_container_includes': []}, 'children': set()}}}
    names = plugin._apply(plan, {'k1': {'veeam_name': 'x'}, 'k2': {'veeam_name': 'y'}})
    assert names == {'k1': 'webservers', 'k2': 'veeam_job_b'}
    assert members(plugin.inventory, 'veeam_job_a') == (['veeam_job_b', 'webservers'], ['veeam_job_b'], {})
    hosts, children, variables = members(plugin.inventory, 'webservers')
    # ansible-core's own add_host sets inventory_file and inventory_dir by name, so on the group; ours go to the host.
    assert (hosts, children, variables['http_port']) == (['web-static01', 'web-static02'], [], 8080) and 'veeam_name' not in variables
    hosts, children, variables = members(plugin.inventory, 'veeam_job_b')
    assert (hosts, children, variables['veeam_container_includes']) == ([], [], []) and 'veeam_name' not in variables
    assert plugin.inventory.hosts['webservers'].vars['veeam_name'] == 'x' and plugin.inventory.hosts['veeam_job_b'].vars['veeam_name'] == 'y'
