# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_normalize: stable result dicts from EM entities (both key casings)."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._keys import decode_json, snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._normalize import (
    allowed_hours,
    normalize_include,
    normalize_job,
    normalize_linked_job,
    normalize_schedule,
    normalize_run,
)
from ansible_collections.veeamops.em.plugins.module_utils._query import query_items
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import encode, fixture_bytes, fixture_json, job_entity

DAILY_ID = '47752464-8e77-407a-a936-132173ac15f5'


@pytest.mark.parametrize('casing', ['pascal', 'camel'])
def test_job(casing):
    job = query_items(decode_json(encode(fixture_json('query-job-entities.json'), casing)))[0]
    assert normalize_job(job) == {
        'name': 'Daily VM Backup',
        'id': DAILY_ID,
        'uid': 'urn:veeam:Job:' + DAILY_ID,
        'job_type': 'Backup',
        'platform': 'VMware',
        'description': 'Nightly backup of production VMs',
        'backup_server': {'name': 'vbr01.lab.local', 'id': 'af37938e-191c-4df1-891e-3a49c7a3bec7',
                          'uid': 'urn:veeam:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7'},
        'schedule_configured': True,
        'schedule_enabled': True,
        'next_run': '2026-03-02T21:00:00Z',
        'href': 'https://em01.lab.local:9398/api/jobs/%s?format=Entity' % DAILY_ID,
    }


def test_job_without_up_link_or_uid():
    job = normalize_job({'name': 'x', 'href': 'https://em01:9398/api/jobs/abc?format=Entity', 'links': None})
    assert job['id'] == 'abc' and job['backup_server'] == {'name': None, 'id': None, 'uid': None} and job['next_run'] is None


def test_schedule_of_a_daily_backup_job():
    schedule = normalize_schedule(snake_keys(fixture_json('job-entity.json')))
    assert schedule['mode'] == 'standard' and schedule['trigger'] == 'daily'
    week = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
    assert schedule['daily'] == {'enabled': True, 'kind': 'Everyday', 'days': week, 'time': '2026-03-02T22:00:00+01:00', 'time_offset_utc': 1}
    assert schedule['retry'] == {'enabled': True, 'times': 3, 'timeout_minutes': 10}
    assert schedule['monthly']['enabled'] is False and schedule['monthly']['day_number_in_month'] == 'Fourth'
    assert schedule['periodically']['hours']['sunday'] == list(range(24))
    assert schedule['after_job'] == {'enabled': False, 'previous_job_uid': None}
    assert schedule['wait_for_backup_completion'] is True and schedule['backup_completion_wait_minutes'] == 180
    assert (schedule['configured'], schedule['enabled'], schedule['next_run']) == (True, True, '2026-03-02T21:00:00Z')


def test_schedule_of_an_immediate_copy_job():
    schedule = normalize_schedule(snake_keys(job_entity('Offsite Copy', 'x', 'ImmediateBackupCopy')))
    assert schedule['mode'] == 'immediate_copy' and schedule['trigger'] == 'continuous'
    assert schedule['daily'] is None and schedule['retry'] is None and schedule['continuous']['hours'] == {'sunday': list(range(24))}


def test_schedule_without_options():
    schedule = normalize_schedule({'schedule_configured': False, 'schedule_enabled': False, 'job_schedule_options': None})
    assert schedule['mode'] is None and schedule['trigger'] is None and schedule['daily'] is None


def test_allowed_hours():
    days = {'days': [{'name': 'Monday', 'value': '0,0,1,1,' + ','.join(['0'] * 20)}, {'name': 'Sunday', 'value': ''}]}
    assert allowed_hours(days) == {'monday': [2, 3], 'sunday': []}
    assert allowed_hours(None) == {}


def test_includes():
    includes = [normalize_include(item) for item in query_items(decode_json(fixture_bytes('query-objectinjob.json')))]
    assert includes[0] == {
        'id': '6eb9589d-5100-49a5-b885-742741f7ca22', 'name': 'web01', 'display_name': 'web01',
        'hierarchy_obj_ref': 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042', 'platform': 'VMware', 'object_type': 'Vm',
        'hierarchy_root_id': '1790e16e-e712-4c24-a47c-dc3b62a4c27f', 'object_ref': 'vm-1042',
        'href': 'https://em01.lab.local:9398/api/jobs/%s/includes/6eb9589d-5100-49a5-b885-742741f7ca22' % DAILY_ID}
    odd = normalize_include({'object_in_job_id': '1', 'name': 'share', 'hierarchy_obj_ref': 'urn:NasBackup:BackupServer:af37'})
    assert odd['hierarchy_obj_ref'] == 'urn:NasBackup:BackupServer:af37' and odd['platform'] is None and odd['object_ref'] is None


def test_linked_job():
    assert normalize_linked_job({'object_in_job_id': '2e9c', 'linked_job_uid': 'urn:veeam:Job:' + DAILY_ID}) == {
        'id': '2e9c', 'job_uid': 'urn:veeam:Job:' + DAILY_ID, 'job_id': DAILY_ID}


@pytest.mark.parametrize('name', ['query-backupjobsession-entities.json', 'query-backupjobsession-entities.v13.json'])
def test_sessions(name):
    running, success, failed = [normalize_run(item) for item in query_items(decode_json(fixture_bytes(name)))]
    assert running['state'] == 'Working' and running['result'] is None and running['running'] is True and running['end_time'] is None
    assert running['progress'] == 37 and running['id'] == '681ae4f5-3347-4f83-b506-d672640b035a'
    assert success['result'] == 'Success' and success['running'] is False and success['end_time'].startswith('2026-03-01T21:24:51.103')
    assert failed['result'] == 'Failed' and failed['is_retry'] is False and failed['job_name'] == 'Daily VM Backup'
    assert set(running) == {'id', 'uid', 'name', 'job_uid', 'job_name', 'job_type', 'state', 'result', 'progress', 'creation_time',
                            'end_time', 'is_retry', 'running', 'failure_message', 'href'}


def test_session_entity_example():
    session = normalize_run(snake_keys(fixture_json('backup-session-entity.json')))
    assert session['uid'].startswith('urn:veeam:BackupJobSession:') and session['state'] == 'Stopped'
