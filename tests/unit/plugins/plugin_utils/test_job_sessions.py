# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job_sessions event source's decisions: its options, its events and which errors stop it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import (
    EmAuthError,
    EmBadResponseError,
    EmConnectionError,
    EmHttpError,
    EmInputError,
    EmTlsError,
)
from ansible_collections.veeamops.em.plugins.plugin_utils import _job_sessions as source

NOW = datetime(2026, 3, 2, 8, 0, 0, tzinfo=timezone.utc)
CONNECTION = {'url': 'https://em01.example.com:9398', 'username': 'LAB\\svc', 'password': 'secret'}
JOB_ID = '47752464-8e77-407a-a936-132173ac15f5'
RUN = {'id': 'f3f6b0a2-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'uid': 'urn:veeam:BackupJobSession:f3f6b0a2-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
       'name': 'Daily VM Backup@2026-03-01 21:00:25', 'result': 'Failed', 'state': 'Stopped', 'is_retry': False,
       'creation_time': '2026-03-01T21:00:25.000Z', 'end_time': '2026-03-01T21:25:04.000Z',
       'job': {'name': 'Daily VM Backup', 'id': JOB_ID, 'type': 'Backup'}, 'backup_server': 'vbr01.lab.local'}


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    for name in ('URL', 'USERNAME', 'PASSWORD', 'VALIDATE_CERTS', 'CA_PATH', 'TIMEOUT'):
        monkeypatch.delenv('VEEAM_EM_' + name, raising=False)


def test_defaults():
    options = source.source_options(CONNECTION, now=NOW)
    assert options.results == ['Failed', 'Warning'] and options.interval == 60 and options.task_sessions is True
    assert options.start == NOW and options.jobs is None and options.job_types is None
    assert options.margin == timedelta(seconds=600) and options.settings.validate_certs is True


def test_values_as_rulebook_variables_give_them():
    options = source.source_options(dict(CONNECTION, interval='0.5', results='failed', task_sessions='no', jobs='Daily VM Backup',
                                         start_at='2d', margin=30, eda_feedback_queue=object()), now=NOW)
    assert options.interval == 0.5 and options.results == ['Failed'] and options.task_sessions is False
    assert options.jobs == ['Daily VM Backup'] and options.start == NOW - timedelta(days=2) and options.margin == timedelta(seconds=30)


def test_connection_from_the_environment(monkeypatch):
    monkeypatch.setenv('VEEAM_EM_URL', 'https://em02.example.com:9398')
    monkeypatch.setenv('VEEAM_EM_USERNAME', 'LAB\\env')
    monkeypatch.setenv('VEEAM_EM_PASSWORD', 'from-env')
    monkeypatch.setenv('VEEAM_EM_VALIDATE_CERTS', 'false')
    options = source.source_options({}, now=NOW)
    assert options.settings.base_url.startswith('https://em02.example.com:9398')
    assert options.settings.validate_certs is False


@pytest.mark.parametrize('args, text', [
    ({'interval': 0}, 'interval'),
    ({'interval': 'often'}, 'interval'),
    ({'interval': float('nan')}, 'interval'),
    ({'results': ['Failed', 'Broken']}, 'results'),
    ({'results': []}, 'results'),
    ({'task_sessions': 'maybe'}, 'task_sessions'),
    ({'start_at': 'yesterday'}, 'start_at'),
    ({'margin': -1}, 'margin'),
    ({'job_types': [1]}, 'job_types'),
    ({'poll': 5}, 'Unknown option(s)'),
])
def test_bad_options_fail_before_any_request(args, text):
    with pytest.raises(EmInputError) as error:
        source.source_options(dict(CONNECTION, **args), now=NOW)
    assert text in str(error.value) and 'secret' not in str(error.value)


def test_the_event_of_a_failed_run_names_its_failed_vms():
    # Task session entities as the client reads them (keys in snake case, from PascalCase or camelCase JSON).
    tasks = [{'vm_display_name': 'web01', 'result': 'Success', 'reason': '', 'state': 'Completed'},
             {'vm_display_name': 'db01', 'result': 'Failed', 'reason': 'Error: Failed to create VM snapshot.', 'state': 'Completed'},
             {'vm_display_name': 'app01', 'result': 'Warning', 'reason': 'VMware Tools are not running.', 'state': 'Completed'}]
    event = source.event_of(RUN, tasks)['veeam_em']
    assert event['session'] == {'id': RUN['id'], 'uid': RUN['uid'], 'name': RUN['name'], 'result': 'Failed', 'state': 'Stopped',
                                'creation_time': RUN['creation_time'], 'end_time': RUN['end_time'], 'is_retry': False}
    assert event['job'] == {'name': 'Daily VM Backup', 'id': JOB_ID, 'type': 'Backup'} and event['backup_server'] == 'vbr01.lab.local'
    assert event['failed_vms'] == [{'name': 'db01', 'result': 'Failed', 'reason': 'Error: Failed to create VM snapshot.'},
                                   {'name': 'app01', 'result': 'Warning', 'reason': 'VMware Tools are not running.'}]


def test_unread_task_sessions_and_ids_that_are_not_ids():
    event = source.event_of(dict(RUN, id='../../jobs', job={'name': 'x', 'id': 'a b', 'type': 'Backup'}))['veeam_em']
    assert event['failed_vms'] is None and event['session']['id'] is None and event['job']['id'] is None
    assert source.event_of(RUN, None)['veeam_em']['failed_vms'] is None
    assert source.event_of(RUN, [])['veeam_em']['failed_vms'] == []


def test_selection_by_result_and_job_type():
    options = source.source_options(dict(CONNECTION, results=['Failed'], job_types=['replica']), now=NOW)
    assert not source.wanted(RUN, options)
    assert source.wanted(dict(RUN, job=dict(RUN['job'], type='Replica')), options)
    assert not source.wanted(dict(RUN, result='Warning', job=dict(RUN['job'], type='Replica')), options)


@pytest.mark.parametrize('error, polled_before, fatal', [
    (EmInputError('bad'), True, True),
    (EmTlsError('tls'), True, True),
    (EmAuthError('auth'), True, True),
    (EmBadResponseError('not EM'), False, True),
    (EmBadResponseError('cut off'), True, False),
    (EmConnectionError('refused'), False, False),
    (EmHttpError('busy', status=503), True, False),
    (EmHttpError('gone', status=404), True, True),
    (EmHttpError('slow down', status=429), True, False),
])
def test_which_errors_stop_the_source(error, polled_before, fatal):
    assert source.is_fatal(error, polled_before) is fatal
