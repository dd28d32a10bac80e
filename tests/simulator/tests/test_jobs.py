# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/jobs``: references, entities, links per job type, includes, edit, clone, delete, toggle [jobs.md]."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import DAILY, DAILY_RUNS, OFFSITE, REPLICA, VC01, fixture_json, fixture_text

NS = '{http://www.veeam.com/ent/v1.0}'


def rels(entity):
    return [(link['Rel'], link['Href'].split('/api', 1)[1]) for link in entity['Links']]


def test_job_references_are_vm_jobs_only(admin):
    refs = admin.json('/jobs')['Refs']
    names = [ref['Name'] for ref in refs]
    assert 'Daily VM Backup' in names and 'SQL Replica' in names and 'Offsite Copy' in names
    assert 'Windows Servers Backup' not in names and 'File Share Backup' not in names
    daily = next(ref for ref in refs if ref['UID'] == f'urn:veeam:Job:{DAILY}')
    assert rels(daily) == [('Up', '/backupServers/af37938e-191c-4df1-891e-3a49c7a3bec7'), ('Alternate', f'/jobs/{DAILY}?format=Entity'),
                           ('Down', f'/jobs/{DAILY}/backupSessions')]
    replica = next(ref for ref in refs if ref['Name'] == 'SQL Replica')
    assert rels(replica)[2] == ('Down', f'/jobs/{REPLICA}/replicaSessions')


def test_job_entity_fields(admin):
    job = admin.json(f'/jobs/{DAILY}?format=Entity')
    assert job['JobType'] == 'Backup' and job['Platform'] == 'VMware'
    assert job['ScheduleConfigured'] is True and job['ScheduleEnabled'] is True and job['NextRun'].endswith('Z')
    standart = job['JobScheduleOptions']['Standart']
    assert standart['OptionsDaily']['Time'].endswith('T22:00:00+01:00')
    assert standart['RetryOptions'] == {'RetryTimes': 3, 'RetryTimeout': 10, 'RetrySpecified1': True}
    info = job['JobInfo']
    assert info['ReplicaJobInfo'] is None and info['FileCopyJobInfo'] is None
    includes = info['BackupJobInfo']['Includes']['ObjectInJobs']
    assert [item['Name'] for item in includes] == ['web01', 'Production']
    assert includes[0]['Links'] is None
    assert includes[0]['HierarchyObjRef'] == f'urn:VMware:Vm:{VC01}.vm-1042'
    assert rels(job)[:3] == [('Up', '/backupServers/af37938e-191c-4df1-891e-3a49c7a3bec7'), ('Alternate', f'/jobs/{DAILY}'),
                             ('Edit', f'/jobs/{DAILY}')]


def test_job_entity_xml_schedule_time_and_order(admin):
    root = ET.fromstring(admin.get(f'/jobs/{DAILY}?format=Entity', media='xml').content)
    assert [child.tag[len(NS):] for child in root] == ['Links', 'JobType', 'Platform', 'Description', 'ScheduleConfigured',
                                                       'ScheduleEnabled', 'NextRun', 'JobScheduleOptions', 'JobInfo']
    assert root.find(f'{NS}JobScheduleOptions/{NS}Standart/{NS}OptionsDaily/{NS}Time').text == '22:00:00.0000000+01:00'
    assert root.find(f'{NS}JobScheduleOptions/{NS}Standart/{NS}RetryOptions/{NS}RetrySpecified').text == 'true'


@pytest.mark.parametrize('job_id, expected', [
    (REPLICA, ['Up', 'Alternate', 'Down', 'Down', 'Edit', 'Create', 'Start', 'Stop', 'Retry', 'Clone', 'ToggleScheduleEnabled']),
    (OFFSITE, ['Up', 'Alternate', 'Clone', 'ToggleScheduleEnabled', 'Down', 'Sync', 'Down', 'Down', 'Create', 'Create']),
])
def test_links_per_job_type(admin, job_id, expected):
    assert [rel for rel, _href in rels(admin.json(f'/jobs/{job_id}?format=Entity'))] == expected


def test_disabled_schedule_has_no_next_run_and_immediate_copy_mode(admin):
    replica = admin.json(f'/jobs/{REPLICA}?format=Entity')
    assert replica['ScheduleEnabled'] is False and replica['NextRun'] is None
    copy = admin.json(f'/jobs/{OFFSITE}?format=Entity')
    assert copy['JobScheduleOptions']['Standart'] is None and copy['JobScheduleOptions']['ImmediateCopyMode']['OptionsContinuous']['Enabled']
    linked = copy['JobInfo']['ImmediateBackupCopyJobInfo']['LinkedJobIncludes']['LinkedJobObjects']
    assert linked == [{'ObjectInJobId': '2e9c4a71-6b3d-4f05-8d1e-9a7b5c3f1e28', 'LinkedJobUid': f'urn:veeam:Job:{DAILY}'}]
    assert copy['JobInfo']['ImmediateBackupCopyJobInfo']['LinkedBackupIncludes'] is None


def test_jobs_entity_list_and_server_jobs(admin):
    jobs = admin.json('/jobs?format=Entity')['Jobs']
    assert len(jobs) == len(admin.json('/jobs')['Refs']) and all(job['Type'] == 'Job' for job in jobs)
    vbr02 = admin.json('/backupServers/5c0e7d3a-9b14-4f6e-8a21-3d9f6b7e2c10/jobs')['Refs']
    assert sorted(ref['Name'] for ref in vbr02) == ['DR Site Backup', 'Nightly Backup']


def test_includes_list_and_one(admin):
    items = admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs']
    assert [item['ObjectInJobId'] for item in items] == ['6eb9589d-5100-49a5-b885-742741f7ca22', '04dec93d-157d-4434-9631-8501a9ffcd9a']
    assert [link['Rel'] for link in items[0]['Links']] == ['Delete', 'Up']
    one = admin.json(f'/jobs/{DAILY}/includes/04dec93d-157d-4434-9631-8501a9ffcd9a')
    assert one['Name'] == 'Production' and one['HierarchyObjRef'].startswith('urn:VMware:Folder:')
    assert admin.get(f'/jobs/{DAILY}/includes/00000000-0000-0000-0000-000000000000').status_code == 404


def send_example(client, method, path, example, media):
    """Send examples/<example>.json or .xml as the body; returns the finished task."""
    body = fixture_json(f'{example}.json') if media == 'json' else fixture_text(f'{example}.xml')
    response = client.request(method, path, body, media=media)
    assert response.status_code == 202, response.text
    return client.wait_task(client.json(_href(response, media)))


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_add_include_from_the_example_bodies(admin, media):
    task = send_example(admin, 'POST', f'/jobs/{DAILY}/includes', 'create-object-in-job', media)
    assert task['Operation'] == 'UpdateJob' and task['Result'] == {'Message': 'Ok', 'Success': True}
    items = admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs']
    added = items[-1]
    assert added['Name'] == 'app02' and added['HierarchyObjRef'] == f'urn:VMware:Vm:{VC01}.vm-1188'
    assert added['GuestProcessingOptions']['WindowsCredentialsId'] == '79ccf71e-c1e0-4f96-85ae-ea68cdba5cde'
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['include_add'] == 1


def _href(response, media):
    if media == 'json':
        return response.json()['Href']
    return ET.fromstring(response.content).get('Href')


@pytest.mark.parametrize('ref, message', [
    (f'urn:VMware:Vm:{VC01}.vm-9999', 'was not found'),
    (f'urn:VMware:Vm:{VC01}.vm-1042', 'already included'),
    ('urn:VMware:Vm:8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03.vm-2042', 'was not found'),  # vc02 belongs to vbr02
    ('urn:HyperV:Vm:343c7197-7bdd-465d-a5ad-ad923cfffdb4.020aa5ab-3523-4946-b658-b8ad5b372439', 'cannot be added'),
])
def test_add_include_failures_are_task_failures(admin, ref, message):
    task = admin.action(f'/jobs/{DAILY}/includes', {'HierarchyObjRef': ref, 'HierarchyObjName': 'x'})
    final = admin.wait_task(task)
    assert final['Result']['Success'] is False and message in final['Result']['Message']
    assert len(admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs']) == 2


def test_add_include_without_reference_is_500(admin):
    response = admin.post(f'/jobs/{DAILY}/includes', {'HierarchyObjName': 'x'}, media='json')
    assert response.status_code == 500


def test_remove_include_and_the_last_one_stays(admin):
    first = admin.wait_task(_delete(admin, f'/jobs/{DAILY}/includes/6eb9589d-5100-49a5-b885-742741f7ca22'))
    assert first['Result']['Success'] is True
    last = admin.wait_task(_delete(admin, f'/jobs/{DAILY}/includes/04dec93d-157d-4434-9631-8501a9ffcd9a'))
    assert last['Result']['Success'] is False and 'last object' in last['Result']['Message']
    assert [item['Name'] for item in admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs']] == ['Production']


def _delete(client, path):
    response = client.request('DELETE', path, media='json')
    assert response.status_code == 202, response.text
    return response.json()


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_edit_deep_merges_the_example_body(admin, media):
    task = send_example(admin, 'PUT', f'/jobs/{DAILY}?action=edit', 'job-edit-request', media)
    assert task['Operation'] == 'EditJob' and task['Result']['Success'] is True
    job = admin.json(f'/jobs/{DAILY}?format=Entity')
    standart = job['JobScheduleOptions']['Standart']
    assert job['Description'] == 'Nightly backup of production VMs (managed by Ansible)'
    assert standart['RetryOptions'] == {'RetryTimes': 5, 'RetryTimeout': 10, 'RetrySpecified1': True}  # siblings kept
    assert standart['OptionsDaily']['Time'].endswith('T23:30:00+01:00') and len(standart['OptionsDaily']['Days']) == 7
    retention = job['JobInfo']['BackupJobInfo']['SimpleRetentionPolicy']
    assert retention == {'RetainCycles': 21, 'RetainDaysToKeep': 7, 'RetainLimitType': 'Cycles'}
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['edit'] == 1


def test_edit_replaces_includes_and_rejects_wrong_variant(admin):
    body = {'JobInfo': {'BackupJobInfo': {'Includes': {'ObjectInJobs': [
        {'ObjectInJobId': '6eb9589d-5100-49a5-b885-742741f7ca22', 'HierarchyObjRef': f'urn:VMware:Vm:{VC01}.vm-1042', 'Name': 'web01'},
        {'HierarchyObjRef': f'urn:VMware:Vm:{VC01}.vm-1043', 'Name': 'web02'}]}}}}
    assert admin.wait_task(_put(admin, DAILY, body))['Result']['Success']
    items = admin.json(f'/jobs/{DAILY}/includes')['ObjectInJobs']
    assert [item['Name'] for item in items] == ['web01', 'web02']
    assert items[0]['ObjectInJobId'] == '6eb9589d-5100-49a5-b885-742741f7ca22'
    wrong = admin.wait_task(_put(admin, DAILY, {'JobInfo': {'ReplicaJobInfo': {'GuestProcessingOptions': {}}}}))
    assert wrong['Result']['Success'] is False and 'ReplicaJobInfo' in wrong['Result']['Message']


def _put(client, job_id, body):
    response = client.request('PUT', f'/jobs/{job_id}?action=edit', body, media='json')
    assert response.status_code == 202, response.text
    return response.json()


def test_put_without_edit_action_is_400(admin):
    assert admin.request('PUT', f'/jobs/{DAILY}', {'Description': 'x'}, media='json').status_code == 400


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_clone_from_the_example_body(admin, media):
    task = send_example(admin, 'POST', f'/jobs/{DAILY}?action=clone', 'job-clone-request', media)
    assert task['Operation'] == 'CloneJob' and task['Result'] == {'Message': 'Ok', 'Success': True}
    related = task['Links'][1]
    assert related['Rel'] == 'Related' and related['Type'] == 'Job' and related['Name'] == 'Daily VM Backup (DR test)'
    clone = admin.json(related['Href'])
    assert clone['Description'] == 'Clone of Daily VM Backup for the DR test'
    assert [item['Name'] for item in clone['JobInfo']['BackupJobInfo']['Includes']['ObjectInJobs']] == ['web01', 'Production']
    assert clone['UID'] != f'urn:veeam:Job:{DAILY}'


def test_clone_failures(admin):
    same = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=clone', {'BackupJobCloneInfo': {'JobName': 'SQL Replica'}}))
    assert same['Result']['Success'] is False and 'already exists' in same['Result']['Message']
    wrong = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=clone', {'ReplicaJobCloneInfo': {'JobName': 'x', 'VmSuffix': '_r'}}))
    assert wrong['Result']['Success'] is False and 'BackupJobCloneInfo' in wrong['Result']['Message']
    long_name = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=clone', {'BackupJobCloneInfo': {'JobName': 'x' * 51}}))
    assert long_name['Result']['Success'] is False


def test_toggle_schedule_flips_and_needs_a_schedule(admin):
    task = admin.wait_task(admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled'))
    assert task['Operation'] == 'UpdateJob' and task['Result'] == {'Message': 'Ok', 'Success': True}
    job = admin.json(f'/jobs/{DAILY}?format=Entity')
    assert job['ScheduleEnabled'] is False and job['NextRun'] is None
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled'))
    assert admin.json(f'/jobs/{DAILY}?format=Entity')['ScheduleEnabled'] is True
    no_schedule = admin.wait_task(admin.action('/jobs/2c4e6a8b-0d1f-4a3c-9e5b-7f9a1c3e5d70?action=toggleScheduleEnabled'))
    assert no_schedule['Result']['Success'] is False and 'no schedule' in no_schedule['Result']['Message']
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['toggle'] == 2


def test_delete_job(admin):
    task = admin.wait_task(_delete(admin, '/jobs/3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91'))
    assert task['Operation'] == 'DeleteJob' and task['Result']['Success'] is True
    assert admin.get('/jobs/3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91').status_code == 404
    assert admin.request('DELETE', '/agents/jobs/e99db98b-0827-404d-9457-33d618a76497', media='json').status_code == 405


def test_job_sessions_of_a_job(admin):
    refs = admin.json(f'/jobs/{DAILY}/backupSessions')['Refs']
    assert len(refs) == DAILY_RUNS and all(ref['Type'] == 'BackupJobSessionReference' for ref in refs)
    entities = admin.json(f'/jobs/{DAILY}/backupSessions?format=Entity')['BackupJobSessions']
    assert [item['Result'] for item in entities][-3:] == ['Failed', 'Success', 'Success']
    replica = admin.json(f'/jobs/{REPLICA}/replicaSessions?format=Entity')['ReplicaJobSessions']
    assert replica[0]['JobType'] == 'Replica' and replica[0]['Type'] == 'ReplicaJobSession'
    assert admin.json(f'/jobs/{REPLICA}/backupSessions')['Refs'] == []
