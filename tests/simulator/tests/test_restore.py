# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entire-VM restore: request bodies, the StartVMRestore task, restore sessions in time, roles and scopes,
the switches, what a restore does to the estate, and /_sim/restores [restore.md]."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from conftest import ADMIN, DAILY, PORTAL_USER, RESTORE_OPERATOR, VBR01, VC01, WEB01_REF, fixture_json, fixture_text
from restore_cases import WEB01_POINT
from restore_helpers import (DB01_REF, DC01_REF, SQL_HV_REF, TENANT_VAPP_REF, TENANT_WEB01_REF, VCD01, ident, link, restore,
                             restore_session_of, vm_points)

FILE_OPERATOR = ('LAB\\file-op', 'FileRestore!1')


def newest(client, ref):
    return ident(vm_points(client, ref)[-1]['UID'])


def restores(sim, vm=None):
    return sim.control('GET', '/restores' + (f'?vm={quote(vm)}' if vm else ''))


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_restore_runs_task_then_session(admin, media):
    body = fixture_json('restore-spec.json') if media == 'json' else fixture_text('restore-spec.xml')
    accepted = restore(admin, WEB01_POINT, body, media=media)
    if media == 'json':
        assert (accepted.json()['Operation'], accepted.json()['State'], accepted.json()['Result']) == ('StartVMRestore', 'Running', None)
    else:
        assert '<Operation>StartVMRestore</Operation>' in accepted.text and '<State>Running</State>' in accepted.text
    task = admin.json(f'{admin.sim.api}/tasks/task-1')
    task, session = restore_session_of(admin, task)
    assert task['Result'] == {'Message': 'Ok', 'Success': True}
    assert [(item['Rel'], item['Type'], item['Name']) for item in task['Links']] == [('Delete', 'Task', None), ('Related', 'RestoreSession', None)]
    assert session['JobType'] == 'RestoreVm' and session['VmDisplayName'] == 'web01' and session['Name'].startswith('web01@')
    assert (session['State'], session['Result'], session['Progress']) == ('Stopped', 'Success', 100)
    assert session['RestoredObjRef'] == WEB01_REF and session['EndTimeUTC'] > session['CreationTimeUTC']
    assert link(session, 'Related', 'VmRestorePointReference')['Href'].endswith(f'/vmRestorePoints/{WEB01_POINT}')
    assert link(session, 'Up', 'BackupServerReference')['Name'] == 'vbr01.lab.local'
    record = restores(admin.sim)['restores'][-1]
    assert record['spec'] == {'kind': 'VmRestoreSpec', 'power_on': True, 'quick_rollback': False, 'keep_original': False}
    assert (record['account'], record['task_id'], record['state'], record['result']) == ('LAB\\svc-ansible', 'task-1', 'Stopped', 'Success')
    assert record['restore_session'] == ident(session['UID']) and record['point'] == WEB01_POINT


def test_session_works_with_rising_progress_and_no_result(admin):
    sim = admin.sim
    sim.control('POST', '/restores/outcome', {'duration': 1000})
    task = admin.wait_task(admin.action(f'/vmRestorePoints/{WEB01_POINT}?action=restore'))
    href = task['Links'][1]['Href']
    first = admin.json(href)
    assert (first['State'], first['Result'], first['Progress'], first['EndTimeUTC'], first['RestoredObjRef']) == (
        'Starting', 'None', 0, None, None)
    sim.control('POST', '/advance', {'seconds': 300})
    middle = admin.json(href)
    sim.control('POST', '/advance', {'seconds': 300})
    later = admin.json(href)
    assert middle['State'] == later['State'] == 'Working' and 0 < middle['Progress'] < later['Progress'] < 100
    assert later['Result'] == 'None' and later['EndTimeUTC'] is None
    sim.control('POST', '/advance', {'seconds': 500})
    assert admin.json(href)['State'] == 'Stopped'


def test_empty_body_takes_the_defaults_and_extra_parameters_are_harmless(admin):
    task = admin.action(f'/vmRestorePoints/{WEB01_POINT}?format=Entity&action=restore')
    assert restore_session_of(admin, task)[1]['Result'] == 'Success'
    assert restores(admin.sim)['restores'][-1]['spec'] == {'kind': None, 'power_on': False, 'quick_rollback': False, 'keep_original': False}


@pytest.mark.parametrize('body, media, fragment', [
    ('<RestoreSpec xmlns="http://www.veeam.com/ent/v1.0"><VmRestoreSpec>', 'xml', 'error in XML document'),
    ('<RestoreSpec xmlns="http://www.veeam.com/ent/v1.0"><VmRestoreSpec><QuickRollback>false</QuickRollback>'
     '<PowerOnAfterRestore>true</PowerOnAfterRestore></VmRestoreSpec></RestoreSpec>', 'xml', 'out of order'),
    ('<VmRestoreSpec xmlns="http://www.veeam.com/ent/v1.0"/>', 'xml', 'RestoreSpec element'),
    ('{"VmRestoreSpec": {"PowerOnAfterRestore": "maybe"}}', 'json', 'not a valid bool'),
    ('[1, 2]', 'json', 'must be an object'),
    ('{"RestoreSpec": {"VmRestoreSpec": {"PowerOnAfterRestore": true}}}', 'json', 'holds no restore specification'),
    ('{"VmRestoreSpec": {"QuickRollback": false}, "vCloudVmRestoreSpec": {"PowerOnAfterRestore": true}}', 'json', 'send exactly one'),
    ('{"VmRestoreSpec": {"QuickRollback": true, "KeepOriginalVM": true}}', 'json', 'KeepOriginalVM=true requires QuickRollback=false'),
    ('{"vCloudVmRestoreSpec": {"PowerOnAfterRestore": true}}', 'json', 'restored with VmRestoreSpec'),
    ('{"vCloudVAppRestoreSpec": {}}', 'json', 'does not restore a VM'),
])
def test_bodies_that_do_not_parse_or_fit_are_400(admin, body, media, fragment):
    response = admin.post(f'/vmRestorePoints/{WEB01_POINT}?action=restore', body, media=media)
    assert response.status_code == 400
    message = response.json()['Message'] if media == 'json' else response.text
    assert fragment in message
    assert [item['task_id'] for item in restores(admin.sim)['restores']] == [None]  # only the lab's past restore


def test_vm_restore_spec_on_a_cloud_director_point_is_400(admin):
    tenant = newest(admin, TENANT_WEB01_REF)
    response = admin.post(f'/vmRestorePoints/{tenant}?action=restore', {'VmRestoreSpec': {'PowerOnAfterRestore': True}})
    assert response.status_code == 400 and 'restored with vCloudVmRestoreSpec' in response.json()['Message']


@pytest.mark.parametrize('path, status', [
    (f'/vmRestorePoints/{WEB01_POINT}?action=mount', 400), (f'/vmRestorePoints/{WEB01_POINT}', 400),
    ('/vmRestorePoints/00000000-0000-0000-0000-000000000000?action=restore', 404),
])
def test_unknown_action_or_point(admin, path, status):
    assert admin.post(path).status_code == status


def test_cloud_director_restore_with_the_example_spec(admin):
    tenant = newest(admin, TENANT_WEB01_REF)
    example = fixture_json('restore-spec-vcloud.json')
    refused = admin.post(f'/vmRestorePoints/{tenant}?action=restore', example)  # the example restores another point
    assert refused.status_code == 400 and 'VmRestorePointUid' in refused.json()['Message']
    spec = example['vCloudVmRestoreSpec']
    spec['VmRestoreParameters']['VmRestorePointUid'] = f'urn:veeam:VmRestorePoint:{tenant}'
    wrong_vapp = admin.post(f'/vmRestorePoints/{tenant}?action=restore', example)
    assert wrong_vapp.status_code == 400 and 'vAppRef' in wrong_vapp.json()['Message']
    spec['vAppRef'] = TENANT_VAPP_REF
    spec['HierarchyRootUid'] = VCD01  # the bare GUID, as one client sends it
    _task, session = restore_session_of(admin, restore(admin, tenant, example).json())
    assert session['Result'] == 'Success' and session['VmDisplayName'] == 'tenant-web01'
    new = admin.json(f'/lookup?host=urn:veeam:HierarchyRoot:{VCD01}&name=crm-app01-restored&type=Vm')['HierarchyItems']
    assert [item['ObjectRef'] for item in new] == [session['RestoredObjRef']] and session['RestoredObjRef'] != TENANT_WEB01_REF
    assert restores(admin.sim)['restores'][-1]['spec']['new_name'] == 'crm-app01-restored'


def test_cloud_director_spec_needs_its_own_root(admin):
    tenant = newest(admin, TENANT_WEB01_REF)
    body = {'vCloudVmRestoreSpec': {'PowerOnAfterRestore': False, 'HierarchyRootUid': f'urn:veeam:HierarchyRoot:{VC01}',
                                    'VmRestoreParameters': {'VmRestorePointUid': tenant}}}
    response = admin.post(f'/vmRestorePoints/{tenant}?action=restore', body)
    assert response.status_code == 400 and 'HierarchyRootUid' in response.json()['Message']


# ------------------------------------------------------------------ roles and scope

def test_restore_operator_restores_within_its_scope(sim):
    operator = sim.logon(RESTORE_OPERATOR)
    _task, session = restore_session_of(operator, restore(operator, WEB01_POINT).json())
    assert session['Result'] == 'Success'
    dc01 = newest(sim.logon(ADMIN), DC01_REF)
    assert operator.get(f'/vmRestorePoints/{dc01}').status_code == 404  # hidden from the operator
    sim.control('POST', '/config', {'restore_scope_lists': 'show'})
    assert operator.get(f'/vmRestorePoints/{dc01}').status_code == 200
    denied = operator.post(f'/vmRestorePoints/{dc01}?action=restore')
    assert denied.status_code == 403 and denied.json()['Message'] == 'Access denied.'
    sim.control('POST', '/config', {'restore_out_of_scope': 'task'})
    task = operator.wait_task(restore(operator, dc01).json())
    assert task['Result'] == {'Message': 'VM "dc01" is outside the restore scope of LAB\\restore-op.', 'Success': False}
    record = restores(sim, 'dc01')['restores'][0]
    assert (record['state'], record['result'], record['restore_session']) == ('Rejected', 'Failed', None)


def test_portal_user_and_file_restore_operator(sim):
    user = sim.logon(PORTAL_USER)
    assert user.post(f'/vmRestorePoints/{WEB01_POINT}?action=restore').status_code == 403
    assert sim.logon(FILE_OPERATOR).post(f'/vmRestorePoints/{WEB01_POINT}?action=restore').status_code == 403
    assert restores(sim)['restores'][-1]['task_id'] is None  # only the lab's past restore
    sim.control('POST', '/config', {'portal_user_can_restore': True})
    dc01 = newest(user, DC01_REF)  # no scope for a Portal User
    assert restore_session_of(user, restore(user, dc01).json())[1]['Result'] == 'Success'
    assert sim.logon(FILE_OPERATOR).post(f'/vmRestorePoints/{WEB01_POINT}?action=restore').status_code == 403


# ------------------------------------------------------------------ refusals and outcomes

def test_restore_while_the_vm_is_backed_up_or_restored_fails(admin):
    sim = admin.sim
    sim.control('POST', f'/jobs/{DAILY}/outcome', {'duration': 600})
    admin.wait_task(admin.action(f'/jobs/{DAILY}?action=start'))
    busy = admin.wait_task(restore(admin, WEB01_POINT).json())
    assert busy['Result']['Success'] is False and 'is being backed up by job "Daily VM Backup"' in busy['Result']['Message']
    dc01 = newest(admin, DC01_REF)  # dc01 is not in Daily VM Backup
    sim.control('POST', '/restores/outcome', {'duration': 1000})
    first = admin.wait_task(restore(admin, dc01).json())
    assert first['Result']['Success'] is True
    second = admin.wait_task(restore(admin, dc01).json())
    assert second['Result'] == {'Message': 'A restore of VM "dc01" is already in progress.', 'Success': False}
    assert [item['state'] for item in restores(sim, DC01_REF)['restores']] == ['Starting', 'Rejected']


def test_queued_outcomes_per_vm_and_global(admin):
    sim = admin.sim
    sim.control('POST', '/restores/outcome', {'result': 'Warning', 'vm': 'db01', 'runs': 2})
    queued = sim.control('POST', '/restores/outcome', {'result': 'Failed', 'message': 'Datastore full', 'duration': '30s'})['queued_outcomes']
    assert [(item['result'], item['vm'], item['runs']) for item in queued] == [('Warning', 'db01', 2), ('Failed', None, 1)]
    _task, web01 = restore_session_of(admin, restore(admin, WEB01_POINT).json())  # the global entry is the first that fits
    assert (web01['Result'], web01['FailureMessage'], web01['RestoredObjRef'], web01['Progress'] < 100) == ('Failed', None, None, True)
    _task, db01 = restore_session_of(admin, restore(admin, newest(admin, DB01_REF)).json())
    assert db01['Result'] == 'Warning' and db01['RestoredObjRef'] == DB01_REF
    assert restores(sim)['queued_outcomes'] == [{'result': 'Warning', 'duration': None, 'runs': 1, 'vm': 'db01', 'message': None}]
    record = restores(sim, 'web01')['restores'][-1]
    assert (record['result'], record['message']) == ('Failed', 'Datastore full')
    sim.control('POST', '/config', {'restore_failure_message': True})
    sim.control('POST', '/restores/outcome', {'result': 'Failed'})
    _task, again = restore_session_of(admin, restore(admin, WEB01_POINT).json())
    assert again['FailureMessage'] == 'Failed to restore VM "web01".'


@pytest.mark.parametrize('body', [{'result': 'Great'}, {'runs': 0}, {'duration': -5}, {'vm': 5}, {'duration': 'soon'}])
def test_outcome_validation(sim, body):
    assert 'error' in sim.control('POST', '/restores/outcome', body, expect=400)


# ------------------------------------------------------------------ the estate after a restore

def test_new_reference_switch_changes_the_inventory(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'restore_new_ref': True})
    older = ident(vm_points(admin, WEB01_REF, 'Daily VM Backup')[0]['UID'])
    _task, session = restore_session_of(admin, restore(admin, WEB01_POINT).json())
    new_ref = session['RestoredObjRef']
    assert new_ref.startswith(f'urn:VMware:Vm:{VC01}.vm-') and new_ref != WEB01_REF
    found = admin.json(f'/lookup?host=urn:veeam:HierarchyRoot:{VC01}&name=web01&type=Vm')['HierarchyItems']
    assert [item['ObjectRef'] for item in found] == [new_ref]
    assert admin.json(f'/lookup?hierarchyRef={quote(WEB01_REF)}')['HierarchyItems'] == []
    include = admin.json(f'/jobs/{DAILY}/includes/6eb9589d-5100-49a5-b885-742741f7ca22')
    assert include['HierarchyObjRef'] == new_ref  # the job follows the VM
    assert admin.json(f'/vmRestorePoints/{WEB01_POINT}?format=Entity')['HierarchyObjRef'] == WEB01_REF  # points keep the old ref
    _task, again = restore_session_of(admin, restore(admin, older).json())
    assert again['RestoredObjRef'] != new_ref and again['RestoredObjRef'].startswith(f'urn:VMware:Vm:{VC01}.vm-')
    task = admin.wait_task(admin.action(f'/backupServers/{VBR01}?action=quickbackup', {'VmRef': again['RestoredObjRef']}))
    assert task['Result']['Success'] is True


def test_keeping_the_original_adds_a_restored_vm(admin):
    body = {'VmRestoreSpec': {'PowerOnAfterRestore': False, 'QuickRollback': False, 'KeepOriginalVM': True}}
    _task, session = restore_session_of(admin, restore(admin, WEB01_POINT, body).json())
    added = admin.json(f'/lookup?host=urn:veeam:HierarchyRoot:{VC01}&name=web01_restored&type=Vm')['HierarchyItems']
    assert [item['ObjectRef'] for item in added] == [session['RestoredObjRef']]
    original = admin.json(f'/lookup?host=urn:veeam:HierarchyRoot:{VC01}&name=web01&type=Vm')['HierarchyItems']
    assert [item['ObjectRef'] for item in original] == [WEB01_REF]


def test_hyper_v_restore_keeps_its_reference(admin):
    _task, session = restore_session_of(admin, restore(admin, newest(admin, SQL_HV_REF), {'VmRestoreSpec': {'QuickRollback': True}}).json())
    assert session['RestoredObjRef'] == SQL_HV_REF


def test_restores_view_counts_per_vm_and_filters(admin):
    restore_session_of(admin, restore(admin, WEB01_POINT).json())
    restore_session_of(admin, restore(admin, newest(admin, DB01_REF)).json())
    view = restores(admin.sim)
    counts = {item['vm_name']: item['restores'] for item in view['by_vm']}
    assert counts == {'web01': 2, 'db01': 1}  # the lab's past restore of web01 and this one
    assert [item['vm_name'] for item in restores(admin.sim, 'vm-1108')['restores']] == ['db01']
    assert all(item['requested'].endswith('Z') for item in view['restores'])
    json.dumps(view)
