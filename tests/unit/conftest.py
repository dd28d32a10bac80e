# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit-test set-up: the collection finder for plain pytest, and shared fixtures.

Under ``ansible-test units`` the collection finder is already installed and the first part does
nothing; with plain ``python -m pytest tests/unit`` from the repository root it maps
``ansible_collections.veeamops.em`` onto this checkout.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest


def _finder_installed():
    return any(type(finder).__name__ == '_AnsibleCollectionFinder' for finder in sys.meta_path)


def _install_collection_finder():
    import yaml  # pylint: disable=import-outside-toplevel

    root = Path(__file__).resolve().parents[2]  # repository root = collection root
    meta = yaml.safe_load((root / 'galaxy.yml').read_text())
    if root.parent.parent.name == 'ansible_collections':
        base = root.parent.parent.parent
    else:
        base = Path(tempfile.mkdtemp(prefix='collections-'))
        atexit.register(shutil.rmtree, str(base), True)
        namespace_dir = base / 'ansible_collections' / meta['namespace']
        namespace_dir.mkdir(parents=True)
        (namespace_dir / meta['name']).symlink_to(root, target_is_directory=True)
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # pylint: disable=import-outside-toplevel

    _AnsibleCollectionFinder(paths=[str(base)], scan_sys_paths=False)._install()  # pylint: disable=protected-access
    os.environ['ANSIBLE_COLLECTIONS_PATH'] = str(base)


if not _finder_installed():
    _install_collection_finder()


@pytest.fixture
def em_http(monkeypatch):
    """A ScriptedHttp that every EmClient created during the test uses (retry pauses go to ``sleeps``); checked at the end."""
    from ansible_collections.veeamops.em.plugins.module_utils import _client  # pylint: disable=import-outside-toplevel
    from ansible_collections.veeamops.em.tests.unit.utils.em_http import ScriptedHttp  # pylint: disable=import-outside-toplevel

    http = ScriptedHttp()
    monkeypatch.setattr(_client, 'create_http_session', lambda: http)
    monkeypatch.setattr(_client, 'wait_before_retry', http.sleeps.append)
    monkeypatch.setattr(_client, 'retry_jitter', lambda: 1.0)  # the full backoff pause, so tests can name it
    yield http
    http.assert_done()


@pytest.fixture
def em_settings():
    """EmSettings for the reference estate's Enterprise Manager (em01.lab.local), lab administrator account."""
    from ansible_collections.veeamops.em.plugins.module_utils._settings import EmSettings  # pylint: disable=import-outside-toplevel
    from ansible_collections.veeamops.em.tests.unit.utils import em_http as scripted  # pylint: disable=import-outside-toplevel

    return EmSettings(scripted.EM, scripted.USERNAME, scripted.PASSWORD)
