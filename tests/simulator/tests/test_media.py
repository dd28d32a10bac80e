# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Media types, key casing, BOM, error bodies, routing errors [json-xml-conventions.md, errors.md]."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from conftest import DAILY, fixture_text

NS = '{http://www.veeam.com/ent/v1.0}'


@pytest.mark.parametrize('accept, media', [
    (None, 'xml'), ('*/*', 'xml'), ('application/xml', 'xml'), ('text/html, application/json;q=0.9', 'json'),
    ('application/json', 'json'), ('APPLICATION/JSON', 'json'),
])
def test_accept_decides_the_media_type(admin, accept, media):
    headers = {'X-RestSvcSessionId': admin.token}
    if accept:
        headers['Accept'] = accept
    response = admin.sim.raw('GET', f'/api/jobs/{DAILY}', headers=headers)
    assert response.status_code == 200
    assert response.headers['Content-Type'] == f'application/{media}; charset=utf-8'
    if media == 'xml':
        root = ET.fromstring(response.content)
        assert root.tag == NS + 'EntityRef' and root.get('Type') == 'JobReference'
        assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    else:
        assert response.json()['Type'] == 'JobReference'


def test_xml_root_declares_namespaces(admin):
    text = admin.get(f'/jobs/{DAILY}?format=Entity', media='xml').text
    assert 'xmlns="http://www.veeam.com/ent/v1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' \
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' in text.splitlines()[1]


def test_xml_escapes_ampersand_in_links(admin):
    text = admin.get('/query?type=BackupServer&sortAsc=Name&pageSize=1', media='xml').text
    assert 'type=BackupServer&amp;sortAsc=Name&amp;pageSize=1&amp;page=1' in text


def test_xml_body_with_json_accept_is_node_root_400(admin):
    response = admin.post(f'/jobs/{DAILY}/includes', fixture_text('create-object-in-job.xml'), media='json',
                          headers={'Content-Type': 'application/xml'})
    assert response.status_code == 400
    body = response.json()
    assert body['Message'] == 'Node [root] does not exist.' and body['StatusCode'] == 400


def test_json_body_with_xml_accept_is_400(admin):
    response = admin.post(f'/jobs/{DAILY}/includes', json.loads(fixture_text('create-object-in-job.json')), media='xml')
    assert response.status_code == 400
    assert ET.fromstring(response.content).get('StatusCode') == '400'


@pytest.mark.parametrize('body, fragment', [
    ('<CreateObjectInJobSpec xmlns="http://www.veeam.com/ent/v1.0"><HierarchyObjRef>x', 'There is an error in XML document'),
    ('<CreateObjectInJobSpec><HierarchyObjRef>x</HierarchyObjRef></CreateObjectInJobSpec>', 'namespace'),
    ('<Job xmlns="http://www.veeam.com/ent/v1.0"/>', 'was not expected'),
    ('<CreateObjectInJobSpec xmlns="http://www.veeam.com/ent/v1.0"><HierarchyObjName>a</HierarchyObjName>'
     '<HierarchyObjRef>b</HierarchyObjRef></CreateObjectInJobSpec>', 'out of order'),
])
def test_bad_xml_bodies_are_400(admin, body, fragment):
    response = admin.post(f'/jobs/{DAILY}/includes', body, media='xml')
    assert response.status_code == 400
    assert fragment in ET.fromstring(response.content).get('Message')


def test_bad_json_body_is_400(admin):
    response = admin.post(f'/jobs/{DAILY}/includes', '{"HierarchyObjRef": ', media='json', headers={'Content-Type': 'application/json'})
    assert response.status_code == 400
    assert 'JSON' in response.json()['Message']


def test_empty_body_where_one_is_needed_is_400(admin):
    response = admin.post(f'/jobs/{DAILY}?action=clone', media='json')
    assert response.status_code == 400
    assert 'JobCloneSpec' in response.json()['Message']


def test_bad_enum_value_is_400(admin):
    body = {'JobScheduleOptions': {'Standart': {'OptionsDaily': {'Kind': 'Fortnightly'}}}}
    response = admin.request('PUT', f'/jobs/{DAILY}?action=edit', body, media='json')
    assert response.status_code == 400
    assert 'Everyday' in response.json()['Message']


def test_camel_case_keys(admin):
    admin.sim.control('POST', '/config', {'casing': 'camel'})
    job = admin.json(f'/jobs/{DAILY}?format=Entity')
    assert job['jobType'] == 'Backup' and job['uid'].startswith('urn:veeam:Job:')
    assert job['jobScheduleOptions']['standart']['retryOptions']['retrySpecified1'] is True
    assert job['links'][0]['rel'] == 'Up' and job['links'][0]['type'] == 'BackupServerReference'
    entities = admin.json('/query?type=BackupJobSession&format=Entities&pageSize=1')['entities']
    assert 'nasJobs' in entities and 'vAppRestorePoints' in entities and 'enterpiseRoles' in entities
    assert entities['backupJobSessions']['backupJobSessions'][0]['creationTimeUTC']
    error = admin.get('/jobs/00000000-0000-0000-0000-000000000000').json()
    assert error['statusCode'] == 404 and error['message']
    xml = admin.get(f'/jobs/{DAILY}?format=Entity', media='xml').text
    assert '<JobType>Backup</JobType>' in xml  # XML stays PascalCase


def test_camel_profile_writes_microsecond_times_and_upper_hex(admin):
    admin.sim.control('POST', '/config', {'casing': 'camel'})
    result = admin.json(f'/query?type=BackupJobSession&format=Entities&filter=JobUid=="urn:veeam:Job:{DAILY}"')
    session = result['entities']['backupJobSessions']['backupJobSessions'][0]
    assert '.' in session['name'].split('@')[1]  # v13 names carry microseconds
    assert '%3D%3D%22urn%3Aveeam%3AJob%3A' in result['pagingInfo']['links'][0]['href']


def test_bom_on_json_only(admin):
    admin.sim.control('POST', '/config', {'bom': True})
    response = admin.get(f'/jobs/{DAILY}', media='json')
    assert response.content.startswith(b'\xef\xbb\xbf')
    assert json.loads(response.content.decode('utf-8-sig'))['Type'] == 'JobReference'
    assert not admin.get(f'/jobs/{DAILY}', media='xml').content.startswith(b'\xef\xbb\xbf')


def test_bom_json_body_is_accepted(admin):
    body = b'\xef\xbb\xbf' + fixture_text('quickbackup-request.json').encode()
    response = admin.post('/backupServers/af37938e-191c-4df1-891e-3a49c7a3bec7?action=quickbackup', body, media='json',
                          headers={'Content-Type': 'application/json'})
    assert response.status_code == 202


@pytest.mark.parametrize('method, path, status', [
    ('GET', '/jobs/00000000-0000-0000-0000-000000000000', 404),
    ('GET', '/no/such/thing', 404),
    ('PATCH', f'/jobs/{DAILY}', 405),
    ('DELETE', '/jobs', 405),
    ('POST', f'/jobs/{DAILY}?action=explode', 400),
    ('POST', f'/jobs/{DAILY}?action=Start', 400),
    ('POST', f'/jobs/{DAILY}', 400),
    ('GET', f'/jobs/{DAILY}?format=Everything', 400),
    ('GET', '/repositories/eb27f100-58e1-435c-bab3-47cf097c43fb/replicas', 501),
    ('GET', f'/jobs/{DAILY}/linkedJobs', 501),
    ('GET', '/restorePoints/b36a86f1-0417-4378-83c0-639f1cb433ba/backupFiles', 501),
])
def test_routing_errors(admin, method, path, status):
    response = admin.request(method, path, media='json')
    assert response.status_code == status, response.text
    body = response.json()
    assert body['StatusCode'] == status
    assert body['Message'] == body['FirstChanceExceptionMessage']
    if status == 405:
        assert response.headers['Allow']


def test_paths_match_case_insensitively_and_ignore_trailing_slash(admin):
    assert admin.get(f'/JOBS/{DAILY}/').status_code == 200
    assert admin.get('/querySvc/').status_code == 200


def test_errors_use_the_negotiated_type(admin):
    response = admin.get('/jobs/00000000-0000-0000-0000-00000000beef', media='xml')
    root = ET.fromstring(response.content)
    assert root.tag == NS + 'Error'
    assert root.get('StatusCode') == '404'
    assert root.find(NS + 'FirstChanceExceptionMessage').text == root.get('Message')
