# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every response example of the EM reference (copied to fixtures/) against the simulator's answer
for the same resource in the same state: same keys and nesting (and order), XML and JSON.

The lab estate reuses the example estate's ids, so links are also compared href by href where the
example shows the same objects.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from conftest import ADMIN, DAILY, FIXTURES, NAS_JOB, OFFSITE, PORTAL_USER, REPLICA, VBR01, VC01, WEB01_REF, AGENT_JOB, basic, wait_for
from restore_cases import RESTORE_CASES, RESTORE_REQUEST_FIXTURES
from shape_compare import json_problems, parse_xml, xml_problems

EXAMPLE_BASE = 'https://em01.lab.local:9398'
APP02_REF = f'urn:VMware:Vm:{VC01}.vm-1188'
SESSION_FILTER = quote(f'JobUid=="urn:veeam:Job:{DAILY}"')


def _get(path):
    return lambda sim, client, media: client.get(path, media=media)


def _logon(sim, client, media):
    return sim.raw('POST', '/api/sessionMngr/?v=latest', headers={'Authorization': basic(ADMIN), 'Accept': f'application/{media}'})


def _running_session(sim, client, media):
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 60})
    client.wait_task(client.action(f'/jobs/{DAILY}?action=start'))
    session = wait_for(lambda: next((item for item in sim.control('GET', f'/jobs/{DAILY}')['sessions'] if item['state'] == 'Working'), None))
    return client.get(f'/backupSessions/{session["id"]}?format=Entity', media=media)


def _task(state, action=f'/jobs/{DAILY}?action=start', body=None):
    def fetch(sim, client, media):
        sim.control('POST', '/config', {'task_duration': 1000})
        task = client.action(action, body)
        if state != 'Running':
            sim.control('POST', '/advance', {'seconds': 1000})
        if state == 'Finished':
            sim.control('POST', '/advance', {'seconds': 500})
        return client.get(task['Href'], media=media)
    return fetch


def _remove_last_include(sim, client, media):
    sim.control('POST', '/config', {'task_duration': 1000})
    task = client.request('DELETE', f'/jobs/{REPLICA}/includes/5d7f0b4e-2c61-4e8a-9f3b-6a1c8d2e4f70', media='json').json()
    sim.control('POST', '/advance', {'seconds': 1500})
    return client.get(task['Href'], media=media)


def _error(status):
    def fetch(sim, client, media):
        accept = {'Accept': f'application/{media}'}
        if status == 400:
            body = (FIXTURES / 'create-object-in-job.xml').read_bytes()
            return client.post(f'/jobs/{DAILY}/includes', body, media=media, headers={'Content-Type': 'application/xml'})
        if status == 401:
            return sim.raw('GET', '/api/jobs', headers=accept)
        if status == 403:
            return sim.logon(PORTAL_USER).get('/jobs', media=media)
        if status == 404:
            return client.get('/jobs/00000000-0000-0000-0000-00000000beef', media=media)
        return client.get('/logonSessions/00000000-0000-0000-0000-000000000000', media=media)
    return fetch


CASES = {
    'api-root': lambda sim, client, media: sim.raw('GET', '/api/', headers={'Accept': f'application/{media}'}),
    'logon-session': _logon,
    'jobs-refs': _get('/jobs'),
    'job-entity': _get(f'/jobs/{DAILY}?format=Entity'),
    'job-entity-replica': _get(f'/jobs/{REPLICA}?format=Entity'),
    'job-entity-immediate-backup-copy': _get(f'/jobs/{OFFSITE}?format=Entity'),
    'job-includes': _get(f'/jobs/{DAILY}/includes'),
    'query-job-refs': _get('/query?type=Job&filter=' + quote('Name=="Daily VM Backup"')),
    'query-job-entities': _get('/query?type=Job&format=Entities&filter=' + quote('Name=="Daily VM Backup"')),
    'query-objectinjob': _get('/query?type=ObjectInJob&filter=' + quote('JobName=="Daily VM Backup";Name=="web01"')),
    'query-backupjobsession-entities': _get(f'/query?type=BackupJobSession&format=Entities&filter={SESSION_FILTER}&sortDesc=CreationTime'),
    'query-backupserver-refs-page1': _get('/query?type=BackupServer&sortAsc=Name&pageSize=1'),
    'backupservers-entities': _get('/backupServers?format=Entity'),
    'backup-session-entity': _get('/backupSessions/a8cafc11-2a5a-46a4-87f8-48b2d78d0d16?format=Entity'),
    'backup-session-running': _running_session,
    'replica-task-session-entity': _get('/replicaTaskSessions/8e41c2b7-5d09-4a3f-9c68-b1f7e20d4a93?format=Entity'),
    'task-running': _task('Running'),
    'task-operationfinished': _task('OperationFinished'),
    'task-finished': _task('Finished'),
    'task-failed': _task('Finished', f'/jobs/{DAILY}?action=retry'),
    'task-clone-finished': _task('Finished', f'/jobs/{DAILY}?action=clone', {'BackupJobCloneInfo': {'JobName': 'Daily VM Backup (DR test)'}}),
    'task-quickbackup-finished': _task('Finished', f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': WEB01_REF}),
    'task-include-add-finished': _task('Finished', f'/jobs/{DAILY}/includes', {'HierarchyObjRef': APP02_REF, 'HierarchyObjName': 'app02'}),
    'task-include-remove-last-failed': _remove_last_include,
    'hierarchyroot-entity': _get(f'/hierarchyRoots/{VC01}?format=Entity'),
    'hierarchyroots-refs': _get('/hierarchyRoots'),
    'lookupsvc': _get('/lookupSvc'),
    'lookup-hierarchyitems': _get(f'/lookup?host=urn%3Aveeam%3AHierarchyRoot%3A{VC01}&name=web01&type=Vm'),
    'lookup-hierarchyitems-folder': _get(f'/lookup?host=urn%3Aveeam%3AHierarchyRoot%3A{VC01}&name=Production&type=Folder'),
    'lookup-hierarchyitems-tag': _get(f'/lookup?host=urn%3Aveeam%3AHierarchyRoot%3A{VC01}&name=backup-gold&type=Tag'),
    'agent-job-entity': _get(f'/agents/jobs/{AGENT_JOB}?format=Entity'),
    'nas-job-entity': _get(f'/nas/jobs/{NAS_JOB}?format=Entity'),
    'error-400': _error(400), 'error-401': _error(401), 'error-403': _error(403), 'error-404': _error(404), 'error-500': _error(500),
}
CASES.update(RESTORE_CASES)
RESPONSE_FIXTURES = sorted(path.name for path in FIXTURES.iterdir()
                           if path.stem.replace('.v13', '') in CASES)
REQUEST_FIXTURES = {'create-object-in-job', 'create-object-in-job-minimal', 'job-clone-request', 'job-edit-request', 'quickbackup-request'}
REQUEST_FIXTURES |= RESTORE_REQUEST_FIXTURES


def test_every_example_file_is_covered():
    covered = {name.split('.')[0] for name in RESPONSE_FIXTURES} | REQUEST_FIXTURES
    assert covered == {path.name.split('.')[0] for path in FIXTURES.iterdir()}


@pytest.mark.parametrize('name', RESPONSE_FIXTURES)
def test_response_shape_matches_the_example(sim, name):
    stem, _dot, extension = name.partition('.')
    media = 'json' if extension.endswith('json') else 'xml'
    if extension.startswith('v13'):
        sim.control('POST', '/config', {'casing': 'camel'})
    client = sim.logon()
    response = CASES[stem](sim, client, media)
    expected_text = (FIXTURES / name).read_text(encoding='utf-8')
    if media == 'json':
        problems = json_problems(json.loads(expected_text), response.json())
    else:
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        problems = xml_problems(parse_xml(expected_text.encode('utf-8')), parse_xml(response.content))
    assert not problems, '\n'.join(problems[:5])


def _hrefs(value):
    if isinstance(value, dict):
        return [value[key] for key in value if key.lower() == 'href' and value[key]] + [
            href for key in value for href in _hrefs(value[key]) if key.lower() != 'href']
    if isinstance(value, list):
        return [href for item in value for href in _hrefs(item)]
    return []


@pytest.mark.parametrize('stem', ['job-entity', 'job-includes', 'query-job-refs', 'query-job-entities', 'query-objectinjob',
                                  'query-backupserver-refs-page1', 'backup-session-entity',
                                  'hierarchyroot-entity', 'nas-job-entity', 'task-finished', 'lookup-hierarchyitems'])
def test_links_are_those_of_the_example(sim, stem):
    """The lab reuses the example ids, so every Href must be the example's with the simulator's address."""
    expected = _hrefs(json.loads((FIXTURES / f'{stem}.json').read_text(encoding='utf-8')))
    actual = _hrefs(CASES[stem](sim, sim.logon(), 'json').json())
    assert actual == [href.replace(EXAMPLE_BASE, sim.url) for href in expected]


def test_v13_example_key_casing(sim):
    sim.control('POST', '/config', {'casing': 'camel'})
    actual = CASES['query-backupjobsession-entities'](sim, sim.logon(), 'json').json()
    expected = json.loads((FIXTURES / 'query-backupjobsession-entities.v13.json').read_text(encoding='utf-8'))
    assert list(actual) == list(expected) and list(actual['entities']) == list(expected['entities'])
    assert actual['pagingInfo']['links'][0]['href'] == expected['pagingInfo']['links'][0]['href'].replace(EXAMPLE_BASE, sim.url)
