# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects in VM jobs: add, remove, duplicates, the last object, EM's delay in showing a new include [jobs.md "Includes"]."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from conftest import DAILY, REPLICA, VC01, fixture_json, fixture_text, wait_for

NS = '{http://www.veeam.com/ent/v1.0}'
APP02 = f'urn:VMware:Vm:{VC01}.vm-1188'
REPLICA_ONLY_INCLUDE = '5d7f0b4e-2c61-4e8a-9f3b-6a1c8d2e4f70'
LAST_OBJECT_MESSAGE = ET.fromstring(fixture_text('task-include-remove-last-failed.xml').encode()).find(f'{NS}Result/{NS}Message').text


def add(client, ref=APP02, name='app02', path=f'/jobs/{DAILY}/includes'):
    return client.action(path, {'HierarchyObjRef': ref, 'HierarchyObjName': name})


def include_refs(client, job_id=DAILY):
    return [item['HierarchyObjRef'] for item in client.json(f'/jobs/{job_id}/includes')['ObjectInJobs']]


def shown_everywhere(client, ref):
    """Where the API shows the job's objects: /includes, the job entity, query ObjectInJob and query Job entities."""
    entity = client.json(f'/jobs/{DAILY}?format=Entity')['JobInfo']['BackupJobInfo']['Includes']['ObjectInJobs']
    objects = client.json('/query?type=ObjectInJob&filter=' + quote('JobName=="Daily VM Backup"'))['Resources']['sInObjectJob']
    jobs = client.json('/query?type=Job&format=Entities&filter=' + quote('Name=="Daily VM Backup"'))['Entities']['Jobs']['Jobs']
    places = [include_refs(client), [item['HierarchyObjRef'] for item in entity],
              [item['HierarchyObjRef'] for item in objects['ObjectInJobs']],
              [item['HierarchyObjRef'] for item in jobs[0]['JobInfo']['BackupJobInfo']['Includes']['ObjectInJobs']]]
    return [ref in place for place in places]


def test_minimal_json_add_runs_its_task_and_the_include_appears(admin):
    admin.sim.control('POST', '/config', {'task_duration': 1000})
    task = add(admin)
    assert (task['Operation'], task['State'], task['Result']) == ('UpdateJob', 'Running', None)
    assert shown_everywhere(admin, APP02) == [False] * 4
    admin.sim.control('POST', '/advance', {'seconds': 1000})
    assert admin.json(task['Href'])['State'] == 'OperationFinished'
    assert shown_everywhere(admin, APP02) == [True] * 4
    admin.sim.control('POST', '/advance', {'seconds': 500})
    final = admin.json(task['Href'])
    assert final['State'] == 'Finished' and final['Result'] == {'Message': 'Ok', 'Success': True}
    assert [link['Rel'] for link in final['Links']] == ['Delete']  # no link to the new include [D]
    added = admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs'][-1]
    assert (added['Name'], added['DisplayName'], added['HierarchyObjRef']) == ('app02', 'app02', APP02)
    control = admin.sim.control('GET', f'/jobs/{DAILY}')
    assert control['counts']['include_add'] == 1
    assert control['include_objects'][-1] == {'object_in_job_id': added['ObjectInJobId'], 'ref': APP02, 'name': 'app02', 'type': 'Vm',
                                              'visible': True}


def test_minimal_xml_add_with_format_entity_in_the_url(admin):
    body = fixture_text('create-object-in-job-minimal.xml').replace(
        fixture_json('create-object-in-job-minimal.json')['HierarchyObjRef'], f'urn:VMware:Folder:{VC01}.group-v2102').replace(
        '>backup-gold<', '>Test<')
    response = admin.request('POST', f'/jobs/{DAILY}/includes?format=Entity', body, media='xml')  # an extra format is ignored [O: mph]
    assert response.status_code == 202
    task = admin.wait_task({'Href': ET.fromstring(response.content).get('Href'), 'TaskId': 'task-1'})
    assert task['Result']['Success'] is True
    assert include_refs(admin)[-1] == f'urn:VMware:Folder:{VC01}.group-v2102'
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['include_objects'][-1]['type'] == 'Folder'


def test_the_example_minimal_body_names_a_tag_the_lab_does_not_have(admin):
    final = admin.wait_task(admin.action(f'/jobs/{DAILY}/includes', fixture_json('create-object-in-job-minimal.json')))
    assert final['Result']['Success'] is False and 'was not found in the virtual infrastructure' in final['Result']['Message']
    assert len(include_refs(admin)) == 2


def test_duplicate_add_fails_by_default_and_is_ignored_with_the_switch(admin):
    web01 = f'urn:VMware:Vm:{VC01}.vm-1042'
    failed = admin.wait_task(add(admin, web01, 'web01'))
    assert failed['Result'] == {'Message': 'Object "web01" is already included in job "Daily VM Backup".', 'Success': False}
    admin.sim.control('POST', '/config', {'duplicate_include': 'ignore'})
    ignored = admin.wait_task(add(admin, web01.upper().replace('URN:VMWARE:VM:', 'urn:VMware:Vm:'), 'web01 again'))
    assert ignored['Result'] == {'Message': 'Ok', 'Success': True}
    assert include_refs(admin).count(web01) == 1 and len(include_refs(admin)) == 2
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['include_add'] == 2


def test_remove_the_last_object_fails_with_the_examples_message(admin):
    final = admin.wait_task(admin.request('DELETE', f'/jobs/{REPLICA}/includes/{REPLICA_ONLY_INCLUDE}', media='json').json())
    assert final['Operation'] == 'UpdateJob'
    assert final['Result'] == {'Message': LAST_OBJECT_MESSAGE, 'Success': False}
    assert LAST_OBJECT_MESSAGE == 'Cannot remove the last object from job "SQL Replica".'
    assert len(include_refs(admin, REPLICA)) == 1
    assert admin.sim.control('GET', f'/jobs/{REPLICA}')['counts']['include_remove'] == 1


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_remove_the_last_object_as_an_http_error(admin, media):
    admin.sim.control('POST', '/config', {'last_include_removal': 'http'})
    response = admin.request('DELETE', f'/jobs/{REPLICA}/includes/{REPLICA_ONLY_INCLUDE}', media=media)
    assert response.status_code == 500
    message = response.json()['Message'] if media == 'json' else ET.fromstring(response.content).get('Message')
    assert message == LAST_OBJECT_MESSAGE
    assert len(include_refs(admin, REPLICA)) == 1 and admin.json('/tasks')['Tasks'] == []
    assert admin.sim.control('GET', f'/jobs/{REPLICA}')['counts']['include_remove'] == 0  # refused, not accepted


def test_remove_with_the_http_switch_still_works_when_objects_remain(admin):
    admin.sim.control('POST', '/config', {'last_include_removal': 'http'})
    response = admin.request('DELETE', f'/jobs/{DAILY}/includes/6eb9589d-5100-49a5-b885-742741f7ca22?format=Entity', media='json')
    assert response.status_code == 202
    assert admin.wait_task(response.json())['Result']['Success'] is True
    assert len(include_refs(admin)) == 1
    assert admin.request('DELETE', f'/jobs/{DAILY}/includes/04dec93d-157d-4434-9631-8501a9ffcd9a', media='json').status_code == 500


def test_include_visibility_delay(admin):
    admin.sim.control('POST', '/config', {'task_duration': 1000, 'include_visibility_delay': 3600})
    task = add(admin)
    admin.sim.control('POST', '/advance', {'seconds': 1500})
    assert admin.json(task['Href'])['State'] == 'Finished'
    assert shown_everywhere(admin, APP02) == [False] * 4
    control = admin.sim.control('GET', f'/jobs/{DAILY}')
    assert control['includes'][-1] == 'app02' and control['include_objects'][-1]['visible'] is False  # the true state
    again = add(admin)  # at about 1500 s; the first include shows at 1500 + 3600 s
    admin.sim.control('POST', '/advance', {'seconds': 1500})
    assert admin.json(again['Href'])['Result']['Success'] is False  # the backup server already has it
    admin.sim.control('POST', '/advance', {'seconds': 1900})
    assert shown_everywhere(admin, APP02) == [False] * 4
    admin.sim.control('POST', '/advance', {'seconds': 300})
    assert shown_everywhere(admin, APP02) == [True] * 4
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['include_objects'][-1]['visible'] is True
    assert include_refs(admin).count(APP02) == 1


def test_a_run_processes_an_include_that_em_does_not_show_yet(admin):
    admin.sim.control('POST', '/config', {'include_visibility_delay': 3600})
    admin.wait_task(add(admin))
    assert APP02 not in include_refs(admin)
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    session = wait_for(lambda: admin.sim.control('GET', f'/jobs/{DAILY}')['sessions'][0])
    assert session['task_sessions'] == 5  # web01 and the four VMs of Production, plus app02


def test_membership_switch_validation(sim):
    for bad in ({'duplicate_include': 'merge'}, {'last_include_removal': 404}, {'include_visibility_delay': -1},
                {'include_visibility_delay': 'soon'}):
        assert 'error' in sim.control('POST', '/config', bad, expect=400)
