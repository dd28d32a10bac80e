# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_keys: PascalCase (EM 12) and camelCase (EM 13) JSON decode to the same snake_case data."""

from __future__ import annotations

import json

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._keys import decode_json, snake_key, snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._normalize import normalize_run
from ansible_collections.veeamops.em.plugins.module_utils._query import query_items
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import FIXTURES, dotnet_camel, encode, fixture_bytes, fixture_json

JSON_FIXTURES = sorted(path.name for path in FIXTURES.glob('*.json'))


@pytest.mark.parametrize('pascal, camel, snake', [
    ('CreationTimeUTC', 'creationTimeUTC', 'creation_time_utc'),
    ('UID', 'uid', 'uid'),
    ('RetrySpecified1', 'retrySpecified1', 'retry_specified1'),
    ('sInObjectJob', 'sInObjectJob', 's_in_object_job'),
    ('NASJobs', 'nasJobs', 'nas_jobs'),
    ('VAppRestorePoints', 'vAppRestorePoints', 'v_app_restore_points'),
    ('FSFileExcludeOptions', 'fsFileExcludeOptions', 'fs_file_exclude_options'),
    ('HierarchyObjRef', 'hierarchyObjRef', 'hierarchy_obj_ref'),
    ('PagingInfo', 'pagingInfo', 'paging_info'),
    ('EnterpiseRoles', 'enterpiseRoles', 'enterpise_roles'),
    ('VSphereSelfServiceConfigs', 'vSphereSelfServiceConfigs', 'v_sphere_self_service_configs'),
    ('BackupCompetitionWaitingPeriodMin', 'backupCompetitionWaitingPeriodMin', 'backup_competition_waiting_period_min'),
    ('TimeOffsetUtc', 'timeOffsetUtc', 'time_offset_utc'),
    ('Href', 'href', 'href'),
])
def test_documented_keys(pascal, camel, snake):
    assert dotnet_camel(pascal) == camel  # the test payload builder reproduces the EM 13 casing
    assert snake_key(pascal) == snake_key(camel) == snake


def _keys(value, found):
    if isinstance(value, dict):
        for key, item in value.items():
            found.add(key)
            _keys(item, found)
    elif isinstance(value, list):
        for item in value:
            _keys(item, found)
    return found


def test_every_example_key_reads_the_same_in_both_casings():
    keys = set()
    for name in JSON_FIXTURES:
        _keys(fixture_json(name), keys)
    assert len(keys) > 150
    for key in sorted(keys):
        snake = snake_key(key)
        assert snake == snake_key(dotnet_camel(key)), key
        assert snake == snake.lower() and ' ' not in snake and '__' not in snake, key


@pytest.mark.parametrize('name', JSON_FIXTURES)
def test_each_example_decodes_equal_in_pascal_camel_and_with_bom(name):
    data = fixture_json(name)
    pascal = decode_json(fixture_bytes(name))
    assert pascal == snake_keys(data)
    assert decode_json(encode(data, casing='camel')) == pascal
    assert decode_json(encode(data, bom=True)) == pascal


def test_values_are_never_changed():
    data = decode_json(fixture_bytes('query-job-entities.json'))
    job = query_items(data)[0]
    assert job['job_type'] == 'Backup' and job['platform'] == 'VMware'
    assert {link['rel'] for link in job['links']} >= {'Up', 'Alternate', 'Start', 'ToggleScheduleEnabled'}
    assert job['job_info']['backup_job_info']['includes']['object_in_jobs'][0]['hierarchy_obj_ref'].startswith('urn:VMware:Vm:')
    assert job['job_schedule_options']['standart']['retry_options'] == {'retry_times': 3, 'retry_timeout': 10, 'retry_specified1': True}


def test_v13_capture_has_the_same_keys_as_its_v12_twin():
    v12 = decode_json(fixture_bytes('query-backupjobsession-entities.json'))
    v13 = decode_json(fixture_bytes('query-backupjobsession-entities.v13.json'))

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shape(item) for item in value]
        return type(value).__name__

    assert shape(v12) == shape(v13)
    stable = ('id', 'uid', 'job_uid', 'job_name', 'job_type', 'state', 'result', 'progress', 'is_retry', 'running')
    sessions12 = [normalize_run(item) for item in query_items(v12)]
    sessions13 = [normalize_run(item) for item in query_items(v13)]
    assert [[item[key] for key in stable] for item in sessions12] == [[item[key] for key in stable] for item in sessions13]
    assert [item['state'] for item in sessions13] == ['Working', 'Stopped', 'Stopped']


def test_decoding_edge_cases():
    assert decode_json(b'') is None
    assert decode_json(b'\xef\xbb\xbf  ') is None
    assert decode_json('\ufeff{"A": 1}') == {'a': 1}
    assert decode_json(b'[{"SessionId": "x"}]') == [{'session_id': 'x'}]
    with pytest.raises(ValueError):
        decode_json(b'{"Refs": [')
    with pytest.raises(UnicodeDecodeError):
        decode_json(b'\xff\xfe{}')
    assert json.loads('{"a": 1}') == decode_json(b'{"a": 1}')
