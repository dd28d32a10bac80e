# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_em inventory cache: no HTTP on a warm cache, plain data without secrets, a key without the password."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_fetch import DATA_FORMAT
from ansible_collections.veeamops.em.tests.unit.plugins.inventory import inventory_estate as estate
from ansible_collections.veeamops.em.tests.unit.plugins.inventory.inventory_runner import CONNECTION, Warnings, dump, load_plugin, parse, write_config
from ansible_collections.veeamops.em.tests.unit.utils import em_http as scripted

PAYLOAD = '__payload__'


@pytest.fixture(autouse=True)
def quiet(monkeypatch):
    monkeypatch.setattr(load_plugin().display, 'warning', Warnings())


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / 'cache'


def config(tmp_path, cache_dir, **options):
    settings = {'cache': True, 'cache_plugin': 'ansible.builtin.jsonfile', 'cache_connection': str(cache_dir), 'cache_timeout': 3600}
    settings.update(options)
    return write_config(tmp_path, **settings)


def cold_run(em_http, tmp_path, cache_dir, **options):
    estate.script_fetch(em_http).expect_logoff()
    inventory, _plugin = parse(config(tmp_path, cache_dir, **options), cache=True)
    assert len(em_http.calls) == 4
    return dump(inventory)


def cache_files(cache_dir):
    return sorted(path for path in cache_dir.iterdir() if path.is_file())


def read_cached(path):
    """The cached value, and whether ansible-core wrapped it (2.19+ stores ``{"__payload__": "<json>"}``)."""
    data = json.loads(path.read_text(encoding='utf-8'))
    if isinstance(data, dict) and PAYLOAD in data:
        return json.loads(data[PAYLOAD]), True
    return data, False


def write_cached(path, value, wrapped):
    path.write_text(json.dumps({PAYLOAD: json.dumps(value)} if wrapped else value), encoding='utf-8')


def test_warm_cache_makes_no_request(em_http, tmp_path, cache_dir):
    cold = cold_run(em_http, tmp_path, cache_dir)
    warm, _plugin = parse(config(tmp_path, cache_dir), cache=True)
    assert len(em_http.calls) == 4 and dump(warm) == cold


def test_cache_holds_plain_data_and_no_secret(em_http, tmp_path, cache_dir):
    cold_run(em_http, tmp_path, cache_dir, with_last_session=False)
    files = cache_files(cache_dir)
    assert len(files) == 1
    data, _wrapped = read_cached(files[0])
    texts = (files[0].read_text(encoding='utf-8'), json.dumps(data, ensure_ascii=False))
    credentials = base64.b64encode(('%s:%s' % (scripted.USERNAME, scripted.PASSWORD)).encode('utf-8')).decode('ascii')
    for secret in (scripted.PASSWORD, scripted.TOKEN, credentials, scripted.SESSION_ID):
        assert all(secret not in text for text in texts)
    assert data['format'] == DATA_FORMAT and sorted(data) == ['format', 'hierarchy_roots', 'jobs', 'warnings']
    assert data['jobs'][0]['includes'][0]['hierarchy_obj_ref'].startswith('urn:')


def test_cache_key_does_not_depend_on_the_password(em_http, tmp_path, cache_dir):
    cold_run(em_http, tmp_path, cache_dir)
    other = {**CONNECTION, 'password': 'another password'}
    inventory, _plugin = parse(config(tmp_path, cache_dir, **other), cache=True)
    assert len(em_http.calls) == 4 and len(inventory.hosts) == 5


def test_presentation_options_reuse_the_cache(em_http, tmp_path, cache_dir):
    cold_run(em_http, tmp_path, cache_dir)
    inventory, _plugin = parse(config(tmp_path, cache_dir, hostnames=['object_ref'], group_prefix='em_', compose={'x': '1'}), cache=True)
    assert len(em_http.calls) == 4 and 'vm-2001' in inventory.hosts and 'em_job_sql_replica' in inventory.groups


@pytest.mark.parametrize('options', [{'job_types': ['Replica']}, {'exclude_job_names': ['Daily*']}, {'with_last_session': True},
                                     {'job_filters': {'Name': 'SQL Replica'}}, {'job_query': "name == 'SQL Replica'"}])
def test_selection_options_read_enterprise_manager_again(em_http, tmp_path, cache_dir, options):
    cold_run(em_http, tmp_path, cache_dir)
    em_http.calls.clear()
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', scripted.json_response(estate.roots_page(estate.ROOTS)), sort_asc='Name')
    em_http.expect_get('/api/query', scripted.json_response(estate.query_page('Job', [estate.REPLICA])))
    if options.get('with_last_session'):
        em_http.expect_get('/api/query', scripted.json_response(estate.query_page('ReplicaJobSession', [])))
    em_http.expect_logoff()
    inventory, _plugin = parse(config(tmp_path, cache_dir, **options), cache=True)
    assert list(inventory.hosts) == ['db01'] and len(cache_files(cache_dir)) == 2


def test_refresh_reads_enterprise_manager_and_updates_the_cache(em_http, tmp_path, cache_dir):
    cold_run(em_http, tmp_path, cache_dir)
    estate.script_fetch(em_http, jobs=[estate.REPLICA]).expect_logoff()
    refreshed, _plugin = parse(config(tmp_path, cache_dir), cache=False)
    assert list(refreshed.hosts) == ['db01']
    warm, _plugin = parse(config(tmp_path, cache_dir), cache=True)
    assert list(warm.hosts) == ['db01'] and len(em_http.calls) == 8


@pytest.mark.parametrize('stale', [{'format': 0, 'jobs': [], 'hierarchy_roots': {}}, ['not', 'a', 'mapping']])
def test_cache_of_another_layout_is_read_again(em_http, tmp_path, cache_dir, stale):
    cold_run(em_http, tmp_path, cache_dir)
    path = cache_files(cache_dir)[0]
    write_cached(path, stale, read_cached(path)[1])
    estate.script_fetch(em_http).expect_logoff()
    inventory, _plugin = parse(config(tmp_path, cache_dir), cache=True)
    assert len(inventory.hosts) == 5 and read_cached(cache_files(cache_dir)[0])[0]['format'] == DATA_FORMAT


def test_without_the_cache_option_nothing_is_written(em_http, tmp_path, cache_dir):
    estate.script_fetch(em_http).expect_logoff()
    parse(config(tmp_path, cache_dir, cache=False), cache=True)
    assert not cache_dir.exists() or cache_files(cache_dir) == []
