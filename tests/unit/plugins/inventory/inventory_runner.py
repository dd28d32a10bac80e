# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the veeam_em inventory plugin as ansible-inventory does: a YAML config file, the plugin loader, ``parse``."""

from __future__ import annotations

import yaml

from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.veeamops.em.tests.unit.utils import em_http as scripted

CONNECTION = {'url': scripted.EM, 'username': scripted.USERNAME, 'password': scripted.PASSWORD}
IGNORED_HOST_VARS = ('inventory_file', 'inventory_dir')


def write_config(tmp_path, name='lab.veeam_em.yml', connection=True, text=None, **options):
    """Write a config file (``text`` verbatim, or the options as YAML) and return its path as a string."""
    path = tmp_path / name
    if text is None:
        config = {'plugin': 'veeamops.em.veeam_em'}
        if connection:
            config.update(CONNECTION)
        config.update(options)
        text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding='utf-8')
    return str(path)


def load_plugin():
    return inventory_loader.get('veeamops.em.veeam_em')


def parse(path, cache=False, loader=None, plugin=None):
    """Parse ``path`` into a fresh InventoryData and write the cache as ansible-inventory does; returns ``(inventory, plugin)``."""
    plugin = plugin or load_plugin()
    inventory = InventoryData()
    plugin.parse(inventory, loader or DataLoader(), path, cache=cache)
    try:
        plugin.update_cache_if_changed()
    except AttributeError:  # the cache option is off (InventoryManager.parse_source ignores this the same way)
        pass
    return inventory, plugin


def dump(inventory):
    """Groups (hosts, children, vars) and hosts (vars) as plain, sorted data."""
    groups = {}
    for name, group in inventory.groups.items():
        if name in ('all', 'ungrouped'):
            continue
        groups[name] = {'hosts': sorted(host.name for host in group.hosts), 'children': sorted(child.name for child in group.child_groups),
                        'vars': dict(group.vars)}
    hosts = {name: {key: value for key, value in host.vars.items() if key not in IGNORED_HOST_VARS} for name, host in inventory.hosts.items()}
    return {'groups': groups, 'hosts': hosts}


class Warnings(list):
    """Collects the plugin's warnings (install with ``monkeypatch.setattr(plugin.display, 'warning', recorder)``)."""

    def __call__(self, message, *args, **kwargs):
        self.append(str(message))
