# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one table of connection options (module_utils._settings.CONNECTION_OPTIONS) and everything it drives stay equal."""

from __future__ import annotations

import os

import pytest
import yaml

from ansible_collections.veeamops.em.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.veeamops.em.plugins.module_utils import _settings
from ansible_collections.veeamops.em.plugins.module_utils._settings import CONNECTION_OPTIONS, connection_argument_spec

DOCS = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
PLUGINS = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']


def test_the_doc_fragment_describes_exactly_the_table():
    assert list(DOCS) == [option.name for option in CONNECTION_OPTIONS]
    for option in CONNECTION_OPTIONS:
        doc = DOCS[option.name]
        assert doc['type'] == option.type, option.name
        assert doc.get('default') == option.default, option.name
        assert bool(doc.get('required')) == option.required, option.name
        assert ('E(%s)' % option.env in ' '.join(doc['description'])) == bool(option.env), option.name


def test_the_plugin_fragment_only_adds_the_environment_variables():
    assert PLUGINS == {option.name: {'env': [{'name': option.env}]} for option in CONNECTION_OPTIONS if option.env}


def test_the_argument_spec_follows_the_table():
    spec = connection_argument_spec()
    assert list(spec) == [option.name for option in CONNECTION_OPTIONS]
    for option in CONNECTION_OPTIONS:
        entry = spec[option.name]
        assert entry['type'] == option.type and entry.get('default') == option.default
        assert bool(entry.get('required')) == option.required and bool(entry.get('no_log')) == option.no_log
        assert ('fallback' in entry) == bool(option.env)
        if option.env:
            assert entry['fallback'][1] == [option.env]


@pytest.mark.parametrize('value, expected', [('', None), ('  ', None), ('\t', None), ('0', '0'), (' x ', ' x ')])
def test_one_rule_for_empty_environment_variables(monkeypatch, value, expected):
    monkeypatch.setenv('VEEAM_EM_TIMEOUT', value)
    assert _settings.env_value('VEEAM_EM_TIMEOUT') == expected
    monkeypatch.delenv('VEEAM_EM_TIMEOUT')
    assert _settings.env_value('VEEAM_EM_TIMEOUT') is None and 'VEEAM_EM_TIMEOUT' not in os.environ
