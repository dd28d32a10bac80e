# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection settings for controller-side plugins (internal; may change in any release).

Inventory and lookup plugins document their connection options with the
``veeamops.em.connection.plugins`` doc fragment and build the same ``EmSettings`` the modules use,
so both reach Enterprise Manager through the same ``EmClient``.
"""

from __future__ import annotations

from ansible_collections.veeamops.em.plugins.module_utils._settings import CONNECTION_OPTION_NAMES, EmSettings


def settings_from_plugin(plugin):
    """EmSettings from a plugin's resolved options (``plugin.get_option``); raises EmInputError on bad values."""
    return EmSettings.from_params({name: plugin.get_option(name) for name in CONNECTION_OPTION_NAMES})
