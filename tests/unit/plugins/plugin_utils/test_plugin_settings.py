# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils._plugin_settings: the same EmSettings from plugin options."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.plugin_utils._plugin_settings import settings_from_plugin


class FakePlugin:
    def __init__(self, **options):
        self.options = options

    def get_option(self, name):
        return self.options.get(name)


def test_settings_from_plugin_options():
    plugin = FakePlugin(url='https://em01.lab.local:9398/api', username='LAB\\svc-ansible', password='Pa&ss', validate_certs=False,
                        ca_path=None, timeout=5.0, api_version='latest')
    settings = settings_from_plugin(plugin)
    assert settings.api_url == 'https://em01.lab.local:9398/api' and settings.verify is False and settings.timeout == 5.0


def test_bad_plugin_options_raise_input_errors():
    with pytest.raises(EmInputError, match='Missing value for option password'):
        settings_from_plugin(FakePlugin(url='https://em01:9398', username='u'))
