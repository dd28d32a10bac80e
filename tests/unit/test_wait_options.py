# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument spec of the wait options (module_utils._wait) and the veeamops.em.wait doc fragment stay equal."""

from __future__ import annotations

import yaml

from ansible_collections.veeamops.em.plugins.doc_fragments.wait import ModuleDocFragment
from ansible_collections.veeamops.em.plugins.module_utils._wait import wait_argument_spec

DOCS = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']


def test_the_argument_spec_follows_the_doc_fragment():
    spec = wait_argument_spec()
    assert list(spec) == list(DOCS)
    for name, doc in DOCS.items():
        assert spec[name]['type'] == doc['type'], name
        assert spec[name]['default'] == doc['default'], name


def test_each_call_gives_a_fresh_spec():
    spec = wait_argument_spec()
    spec['wait_timeout']['default'] = 1
    assert wait_argument_spec()['wait_timeout']['default'] != 1
