# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_job_object: every branch over scripted HTTP, with a fake clock; every test checks the logoff (em_http fixture)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.veeamops.em.plugins.modules import veeam_job_object
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, USERNAME, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR01, job_entity, query_page
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import SESSION_ID2, TOKEN2, expect_relogon, expired, finished, install_fake_clock, task
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module

DEV_ID = '3d5f7b9a-1c2e-4b4d-8f6a-0e2c4a6b8d91'
JOB_PATH = '/api/jobs/%s/includes' % DEV_ID
VC01, VC02 = estate.VC01, estate.VC02
HV01 = '343c7197-7bdd-465d-a5ad-ad923cfffdb4'
TEST01 = 'urn:VMware:Vm:%s.vm-1210' % VC01
NEW01 = 'urn:VMware:Vm:%s.vm-1300' % VC01
FOLDER_A = 'urn:VMware:Folder:%s.group-v2101' % VC01
FOLDER_B = 'urn:VMware:Folder:%s.group-v3307' % VC01
OID_TEST01 = 'df0c8f40-a576-45ec-b38d-ff6bdfeb8655'
OID_NEW01 = 'fd8a1ae4-e395-4441-927a-8160cec9329c'
OID_TAG = '583cd310-17f9-4ec7-ae60-d7dfeb797425'
ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD, 'name': 'Dev Backup', 'poll_interval': 2, 'poll_max_interval': 10}
ROOTS = estate.ROOTS + [estate.root('hv01.lab.local', HV01, VBR01)]
ROOTS[-1]['HostType'] = 'HvServer'


def include(ref, name, oid):
    return estate.include(ref, name, oid)


TEST01_INCLUDE = include(TEST01, 'test01', OID_TEST01)
NEW01_INCLUDE = include(NEW01, 'new01', OID_NEW01)
TAG_INCLUDE = include(estate.TAG, 'Backup-Gold', OID_TAG)


def dev_job(job_type='Backup', platform='VMware'):
    job = estate.job_with('Dev Backup', DEV_ID, [TEST01_INCLUDE])
    job.update(JobType=job_type, Platform=platform)
    return job


def run(args, check_mode=False, diff=False):
    args = dict(ARGS, **args)
    if diff:
        args['_ansible_diff'] = True
    return run_module(veeam_job_object.main, args, check_mode=check_mode)


def find(http, job=None):
    http.expect_query('Job', json_response(query_page('Job', [job or dev_job()])), filter_text='Name=="Dev Backup"', sort_asc='Name')


def includes(http, items, token=None, casing='pascal'):
    kwargs = {} if token is None else {'token': token}
    http.expect_get(JOB_PATH, json_response({'ObjectInJobs': list(items)}, casing=casing), params={}, **kwargs)


def roots(http, items=None):
    http.expect_query('HierarchyRoot', json_response(query_page('HierarchyRoot', ROOTS if items is None else items)), sort_asc='Name')


def item(ref, name, object_type):
    return {'ObjectRef': ref, 'ObjectType': object_type, 'ObjectName': name, 'Links': None, 'Href': None, 'Type': 'HierarchyItem'}


def lookup(http, root, name, em_type, items, casing='pascal'):
    params = {'host': 'urn:veeam:HierarchyRoot:' + root, 'name': name, 'type': em_type}
    http.expect_get('/api/lookup', json_response({'HierarchyItems': items}, casing=casing), params=params)


def lookup_ref(http, ref, items):
    http.expect_get('/api/lookup', json_response({'HierarchyItems': items}), params={'hierarchyRef': ref})


def add(http, ref, name, answer=None, status=202, task_id='task-1'):
    response = answer if answer is not None and not isinstance(answer, dict) else json_response(answer or task(task_id, operation='UpdateJob'), status)
    http.expect('POST', JOB_PATH, {}, body={'HierarchyObjRef': ref, 'HierarchyObjName': name}, response=response)


def remove(http, oid, answer=None, task_id='task-2'):
    response = answer if answer is not None and not isinstance(answer, dict) else json_response(answer or task(task_id, operation='UpdateJob'), 202)
    http.expect('DELETE', '%s/%s' % (JOB_PATH, oid), {}, body=None, response=response)


def done(http, task_id='task-1', success=True, message='Ok', token=None):
    kwargs = {} if token is None else {'token': token}
    http.expect_get('/api/tasks/' + task_id, json_response(finished(task_id, 'UpdateJob', message, success)), **kwargs)


def changes(http):
    return [(call.method, call.path) for call in http.calls if call.method in ('POST', 'DELETE') and '/includes' in call.path]


def resolve_new01_and_tag(http):
    roots(http)
    lookup(http, VC01, 'NEW01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    lookup(http, VC01, 'backup-gold', 'Tag', [item(estate.TAG, 'Backup-Gold', 'Tag')])


NEW_OBJECTS = [{'name': 'NEW01', 'type': 'vm'}, {'name': 'backup-gold', 'type': 'tag'}]


# --- adding -------------------------------------------------------------------------------------------

def test_check_mode_resolves_everything_and_sends_no_change(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    resolve_new01_and_tag(em_http)
    em_http.expect_logoff()
    result = run({'objects': NEW_OBJECTS}, check_mode=True, diff=True)
    assert result['changed'] is True and 'failed' not in result and changes(em_http) == [] and clock.sleeps == []
    assert result['msg'] == 'Job "Dev Backup": would add vm "new01" and tag "Backup-Gold".'
    assert result['added'] == [{'name': 'new01', 'ref': NEW01, 'type': 'vm', 'id': None},
                               {'name': 'Backup-Gold', 'ref': estate.TAG, 'type': 'tag', 'id': None}]
    assert result['removed'] == [] and [item['id'] for item in result['objects']] == [OID_TEST01, None, None]
    assert result['diff'] == {'before': {'objects': [{'name': 'test01', 'type': 'vm', 'ref': TEST01}]},
                              'after': {'objects': [{'name': 'test01', 'type': 'vm', 'ref': TEST01}, {'name': 'new01', 'type': 'vm', 'ref': NEW01},
                                                    {'name': 'Backup-Gold', 'type': 'tag', 'ref': estate.TAG}]}}
    assert result['job']['id'] == DEV_ID and result['job']['backup_server']['name'] == 'vbr01.lab.local'


def test_add_a_vm_and_a_tag_and_read_their_ids_back(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    resolve_new01_and_tag(em_http)
    add(em_http, NEW01, 'new01')
    done(em_http)
    add(em_http, estate.TAG, 'Backup-Gold', task_id='task-2')
    em_http.expect_get('/api/tasks/task-2', json_response(finished('task-2', 'UpdateJob', state='OperationFinished')))
    done(em_http, 'task-2')  # Finished, not OperationFinished, before the next request
    includes(em_http, [TEST01_INCLUDE, NEW01_INCLUDE, TAG_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': NEW_OBJECTS}, diff=True)
    assert result['changed'] is True and 'failed' not in result
    assert result['msg'] == 'Job "Dev Backup": added vm "new01" and tag "Backup-Gold".'
    assert result['added'] == [{'name': 'new01', 'ref': NEW01, 'type': 'vm', 'id': OID_NEW01},
                               {'name': 'Backup-Gold', 'ref': estate.TAG, 'type': 'tag', 'id': OID_TAG}]
    assert [item['id'] for item in result['objects']] == [OID_TEST01, OID_NEW01, OID_TAG]
    assert changes(em_http) == [('POST', JOB_PATH), ('POST', JOB_PATH)]
    assert len(result['diff']['after']['objects']) == 3 and clock.sleeps == [2, 2, 3]
    assert len(em_http.calls) == 13


def test_a_second_run_sends_no_change(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, NEW01_INCLUDE, TAG_INCLUDE])
    resolve_new01_and_tag(em_http)
    em_http.expect_logoff()
    result = run({'objects': NEW_OBJECTS}, diff=True)
    assert result['changed'] is False and changes(em_http) == []
    assert result['msg'] == 'Job "Dev Backup" already has every object given; nothing to add.'
    assert result['added'] == [] and result['diff']['before'] == result['diff']['after'] and len(result['objects']) == 3


def test_references_in_the_job_need_no_lookup(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG.replace('VMware:Tag', 'vmware:tag'), TEST01]})
    assert result['changed'] is False and len(em_http.calls) == 4


def test_new_objects_are_read_back_until_enterprise_manager_lists_them(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    add(em_http, NEW01, 'new01')
    done(em_http)
    includes(em_http, [TEST01_INCLUDE])
    includes(em_http, [TEST01_INCLUDE], casing='camel')
    includes(em_http, [TEST01_INCLUDE, NEW01_INCLUDE], casing='camel')
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}]})
    assert result['added'][0]['id'] == OID_NEW01 and clock.sleeps == [2, 2, 3]


def test_a_reference_to_add_is_checked_with_the_lookup_service_for_its_name(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup_ref(em_http, FOLDER_B.replace('VMware', 'vmware'), [item(FOLDER_B, 'Production', 'Folder')])
    add(em_http, FOLDER_B, 'Production')
    done(em_http)
    includes(em_http, [TEST01_INCLUDE, include(FOLDER_B, 'Production', OID_NEW01)])
    em_http.expect_logoff()
    result = run({'objects': [FOLDER_B.replace('VMware', 'vmware')]})
    assert result['added'] == [{'name': 'Production', 'ref': FOLDER_B, 'type': 'folder', 'id': OID_NEW01}]


def test_a_reference_without_a_name_is_added_under_its_own_id(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup_ref(em_http, NEW01, [item(NEW01, '', 'Vm')])
    add(em_http, NEW01, 'vm-1300')
    done(em_http)
    includes(em_http, [TEST01_INCLUDE, NEW01_INCLUDE])
    em_http.expect_logoff()
    assert run({'objects': [NEW01]})['added'][0]['name'] == 'vm-1300'


def test_several_names_of_a_type_are_listed_with_one_request(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, '*', 'Vm', [item(TEST01, 'test01', 'Vm'), item(NEW01, 'new01', 'Vm'), item(estate.DB01, 'db01', 'Vm')], casing='camel')
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}, {'name': 'test01', 'type': 'vm'}, {'name': 'DB01', 'type': 'vm'}],
                  'exclusive': True}, check_mode=True)
    assert [item['name'] for item in result['added']] == ['new01', 'db01'] and result['removed'] == []


def test_the_hierarchy_root_narrows_the_lookup(em_http):
    em_http.expect_logon()
    find(em_http, estate.job_with('Dev Backup', DEV_ID, [TEST01_INCLUDE]))
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'test01', 'Vm', [item(TEST01, 'test01', 'Vm')])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'test01', 'type': 'vm', 'hierarchy_root': 'urn:veeam:HierarchyRoot:' + VC01}]})
    assert result['changed'] is False


# --- removing and exclusive ---------------------------------------------------------------------------

def test_absent_removes_by_reference_without_lookup(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    remove(em_http, OID_TAG, task_id='task-1')
    done(em_http)
    includes(em_http, [TEST01_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG, NEW01], 'state': 'absent'}, diff=True)
    assert result['changed'] is True and result['msg'] == 'Job "Dev Backup": removed tag "Backup-Gold".'
    assert result['removed'] == [{'name': 'Backup-Gold', 'ref': estate.TAG, 'type': 'tag', 'id': OID_TAG}]
    assert result['diff']['after'] == {'objects': [{'name': 'test01', 'type': 'vm', 'ref': TEST01}]}


def test_absent_of_objects_the_job_does_not_have(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}], 'state': 'absent'})
    assert result['changed'] is False and result['msg'] == 'Job "Dev Backup" has none of the objects given; nothing to remove.'


def test_exclusive_replaces_the_only_object_adding_first(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    add(em_http, NEW01, 'new01')
    done(em_http)
    remove(em_http, OID_TEST01)
    done(em_http, 'task-2')
    includes(em_http, [TEST01_INCLUDE, NEW01_INCLUDE])  # the removal does not show yet
    includes(em_http, [NEW01_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}], 'exclusive': True})
    assert changes(em_http) == [('POST', JOB_PATH), ('DELETE', '%s/%s' % (JOB_PATH, OID_TEST01))]
    assert result['msg'] == 'Job "Dev Backup": added vm "new01"; removed vm "test01".'
    assert result['objects'] == [{'name': 'new01', 'ref': NEW01, 'type': 'vm', 'id': OID_NEW01}]


def test_exclusive_with_exactly_the_objects_of_the_job(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': [TEST01], 'exclusive': True})
    assert result['changed'] is False and result['msg'] == 'Job "Dev Backup" has exactly the objects given; nothing to change.'


@pytest.mark.parametrize('args, reason', [
    ({'objects': [], 'exclusive': True}, 'exclusive=true with an empty list of objects would remove all 2 objects of the job'),
    ({'objects': [TEST01, estate.TAG], 'state': 'absent'}, 'state=absent would remove all 2 objects of the job'),
])
def test_a_change_that_would_empty_the_job_is_refused_before_any_change(em_http, args, reason):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    em_http.expect_logoff()
    result = run(args)
    assert result['failed'] is True and result['error_kind'] == 'empty_job' and changes(em_http) == []
    assert result['msg'].startswith('Refusing to leave job "Dev Backup" without objects (%s).' % reason)
    assert 'Enterprise Manager does not allow a job without objects' in result['msg'] and 'added' not in result


def test_no_objects_without_exclusive_changes_nothing(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': []})
    assert result['changed'] is False and result['msg'] == 'No objects given for job "Dev Backup"; nothing to add.'


# --- names that do not resolve ------------------------------------------------------------------------

def test_an_ambiguous_name_fails_with_the_candidates(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'Production', 'Folder', [item(FOLDER_A, 'Production', 'Folder'), item(FOLDER_B, 'Production', 'Folder')])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'Production', 'type': 'folder'}]})
    assert result['failed'] is True and result['error_kind'] == 'ambiguous_object' and changes(em_http) == []
    assert result['msg'] == ('2 objects of type folder are named "Production": %s (hierarchy root vc01.lab.local); %s (hierarchy root '
                             'vc01.lab.local). Likely fix: give the HierarchyObjRef of the object you mean.' % (FOLDER_A, FOLDER_B))
    assert result['candidates'] == [{'name': 'Production', 'ref': FOLDER_A, 'type': 'folder', 'hierarchy_root': 'vc01.lab.local'},
                                    {'name': 'Production', 'ref': FOLDER_B, 'type': 'folder', 'hierarchy_root': 'vc01.lab.local'}]


def test_a_name_under_two_roots_asks_for_the_hierarchy_root(em_http):
    other = 'e0a1b2c3-d4e5-4f60-8172-93a4b5c6d7e8'
    vc03 = estate.root('vc03.lab.local', other, VBR01)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http, [ROOTS[0], vc03])
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    lookup(em_http, other, 'new01', 'Vm', [item('urn:VMware:Vm:%s.vm-7' % other, 'new01', 'Vm')])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}]})
    assert result['error_kind'] == 'ambiguous_object' and 'add hierarchy_root to the object' in result['msg']
    assert [item['hierarchy_root'] for item in result['candidates']] == ['vc01.lab.local', 'vc03.lab.local']


def test_an_unknown_name_fails_before_any_change(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, '*', 'Vm', [item(NEW01, 'new01', 'Vm'), item(TEST01, 'test01', 'Vm')])  # a part of a name is not the name
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new0', 'type': 'vm'}, {'name': 'new01', 'type': 'vm'}]})
    assert result['failed'] is True and result['error_kind'] == 'object_not_found' and changes(em_http) == []
    assert result['msg'] == ('No vm named "new0" under hierarchy root vc01.lab.local (the lookup service lists no vm of that name; names '
                             'compare without regard to case). Likely fix: check the name (similar names: new01) and the type, or give the '
                             'object\'s HierarchyObjRef.')
    assert result['candidates'] == [{'name': 'new01', 'ref': NEW01, 'type': 'vm', 'hierarchy_root': 'vc01.lab.local'}]


def test_an_unknown_name_without_similar_ones(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'gone01', 'Vm', [])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'gone01', 'type': 'vm'}]})
    assert result['error_kind'] == 'object_not_found' and result['candidates'] == []
    assert 'Likely fix: check the name and the type' in result['msg']


def test_unknown_and_foreign_references_fail_before_any_change(em_http):
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup_ref(em_http, NEW01, [])
    em_http.expect_logoff()
    result = run({'objects': [NEW01]})
    assert result['error_kind'] == 'object_not_found' and result['msg'].startswith('No object %s (the lookup service does not know' % NEW01)
    for ref, text in ((estate.WEB01_DR, 'its hierarchy root vc02.lab.local: it belongs to backup server vbr02.lab.local'),
                      ('urn:VMware:Vm:0000.vm-1', 'Enterprise Manager lists no hierarchy root with id 0000')):
        em_http.expect_logon()
        find(em_http)
        includes(em_http, [TEST01_INCLUDE])
        roots(em_http)
        em_http.expect_logoff()
        result = run({'objects': [ref]})
        assert result['error_kind'] == 'input' and result['msg'].startswith('Object %s cannot be added to job "Dev Backup" (%s' % (ref, text))
    assert changes(em_http) == []


def test_a_type_the_platform_does_not_offer(em_http):
    em_http.expect_logon()
    find(em_http, dev_job(platform='HyperV'))
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'Finance', 'type': 'tag'}]})
    assert result['error_kind'] == 'input' and result['msg'].startswith(
        'No hierarchy root of job "Dev Backup" has objects of type tag (the hierarchy roots of the job are: hv01.lab.local (HyperV, backup server '
        'vbr01.lab.local)). Likely fix: their types are cluster, host, vm.')
    em_http.expect_logon()
    find(em_http, dev_job(platform='HyperV'))
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'Finance', 'type': 'tag', 'hierarchy_root': 'hv01.lab.local'}]})
    assert result['msg'].startswith('Hierarchy root hv01.lab.local (HyperV, backup server vbr01.lab.local) has no objects of type tag. '
                                    'Likely fix: its types are vm, host, cluster.')


def test_a_backup_copy_job_is_refused(em_http):
    copy_job = job_entity('Dev Backup', DEV_ID, 'ImmediateBackupCopy', platform='CustomPlatform')
    em_http.expect_logon()
    find(em_http, copy_job)
    em_http.expect_logoff()
    result = run({'objects': [NEW01]})
    assert result['error_kind'] == 'input' and result['msg'].startswith('Job "Dev Backup" is a ImmediateBackupCopy job; its sources are jobs')


def test_options_are_checked_before_logon(em_http):
    for args, text in (({'objects': ['web01']}, 'Invalid entry in objects[0]'),
                       ({'objects': [NEW01], 'state': 'absent', 'exclusive': True}, 'exclusive=true applies to state=present only'),
                       ({'objects': [NEW01], 'poll_interval': 0}, 'poll_interval must be greater than 0')):
        result = run(args)
        assert result['failed'] is True and result['error_kind'] == 'input' and result['msg'].startswith(text)
    assert em_http.calls == []


# --- failures halfway ---------------------------------------------------------------------------------

def test_a_failed_add_fails_with_the_em_message_and_what_was_done(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    resolve_new01_and_tag(em_http)
    add(em_http, NEW01, 'new01')
    done(em_http)
    add(em_http, estate.TAG, 'Backup-Gold', task_id='task-2')
    done(em_http, 'task-2', success=False, message='Object "Backup-Gold" is already included in job "Dev Backup".')
    em_http.expect_logoff()
    result = run({'objects': NEW_OBJECTS})
    assert result['failed'] is True and result['error_kind'] == 'task' and result['changed'] is True
    assert result['msg'] == (
        'Enterprise Manager could not add tag "Backup-Gold" to job "Dev Backup" (task task-2 (UpdateJob) ended Finished with Success=false). '
        'Enterprise Manager says: Object "Backup-Gold" is already included in job "Dev Backup". Changes made before the failure: added vm "new01" '
        '(%s). Likely fix: check that the object belongs to the backup server and platform of the job; an object added a moment ago may '
        'not be listed by Enterprise Manager yet: run again in a while.' % NEW01)
    assert result['added'] == [{'name': 'new01', 'ref': NEW01, 'type': 'vm', 'id': None}] and result['removed'] == []
    assert result['job']['name'] == 'Dev Backup' and 'objects' not in result


def test_a_failed_first_add_says_nothing_was_done(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    add(em_http, NEW01, 'new01')
    done(em_http, success=False, message='Object "urn" was not found.')
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}]})
    assert result['changed'] is False and 'No object had been added or removed before the failure.' in result['msg'] and result['added'] == []


@pytest.mark.parametrize('form', ['task', 'http'])
def test_the_last_object_rule_in_both_forms(em_http, monkeypatch, form):
    """Another client emptied the job meanwhile: Enterprise Manager refuses to remove its last object, as a failed task or HTTP 500."""
    install_fake_clock(monkeypatch)
    message = 'Cannot remove the last object from job "Dev Backup".'
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    if form == 'task':
        remove(em_http, OID_TAG, task_id='task-1')
        done(em_http, success=False, message=message)
    else:
        remove(em_http, OID_TAG, error_response(500, message))
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG], 'state': 'absent'})
    assert result['failed'] is True and result['error_kind'] == ('task' if form == 'task' else 'api')
    assert result['msg'].startswith('Enterprise Manager could not remove tag "Backup-Gold" from job "Dev Backup"')
    assert 'Enterprise Manager says: %s' % message in result['msg'] and 'No object had been added or removed before the failure.' in result['msg']
    assert result['removed'] == [] and result['changed'] is False and result['em_message'] == message
    if form == 'task':
        assert 'a job keeps at least one object' in result['msg']
    else:
        assert result['status'] == 500 and result['method'] == 'DELETE' and result['url'] == '%s%s/%s' % (EM, JOB_PATH, OID_TAG)


def test_a_connection_error_on_a_change_is_not_repeated(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    remove(em_http, OID_TAG, error_response(503))
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG], 'state': 'absent'})
    assert result['failed'] is True and len(changes(em_http)) == 1 and result['status'] == 503
    assert result['msg'] == (
        'Enterprise Manager could not remove tag "Backup-Gold" from job "Dev Backup": DELETE %s%s/%s returned HTTP 503 (Enterprise Manager '
        'returned an error). The request may or may not have been accepted by Enterprise Manager; it was not repeated. Check the job state '
        '(for example its latest session) before you run it again. No object had been added or removed before the failure. Likely fix: '
        'Enterprise Manager is starting or overloaded; try again in a few minutes.' % (EM, JOB_PATH, OID_TAG))


def test_a_lost_add_task_is_confirmed_through_the_objects_before_removing(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    add(em_http, NEW01, 'new01')
    em_http.expect_get('/api/tasks/task-1', expired())
    expect_relogon(em_http)
    em_http.expect_get('/api/tasks/task-1', error_response(500, 'There is no backup task with id [task-1] in current rest session'), token=TOKEN2)
    includes(em_http, [TEST01_INCLUDE], token=TOKEN2)
    includes(em_http, [TEST01_INCLUDE, NEW01_INCLUDE], token=TOKEN2)
    em_http.expect('DELETE', '%s/%s' % (JOB_PATH, OID_TEST01), {}, body=None, response=json_response(task('task-1', operation='UpdateJob'), 202),
                   token=TOKEN2)
    done(em_http, token=TOKEN2)
    includes(em_http, [NEW01_INCLUDE], token=TOKEN2)
    em_http.expect_logoff(session_id=SESSION_ID2, token=TOKEN2)
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}], 'exclusive': True})
    assert 'failed' not in result and result['added'][0]['id'] == OID_NEW01 and result['removed'][0]['id'] == OID_TEST01
    assert result['msg'] == ('Job "Dev Backup": added vm "new01"; removed vm "test01". The task of add vm "new01" to job "Dev Backup" could no '
                             'longer be read (task-1: it belonged to the expired logon session); the change was confirmed through the job\'s objects.')


def test_objects_that_do_not_show_in_time_fail_with_what_was_done(em_http, monkeypatch):
    clock = install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE])
    roots(em_http)
    lookup(em_http, VC01, 'new01', 'Vm', [item(NEW01, 'new01', 'Vm')])
    add(em_http, NEW01, 'new01')
    done(em_http)
    includes(em_http, [TEST01_INCLUDE])
    includes(em_http, [TEST01_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': [{'name': 'new01', 'type': 'vm'}], 'wait_timeout': 4})
    assert result['failed'] is True and result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert result['msg'].startswith('Job "Dev Backup": Timed out after 4 s (wait_timeout=4): Enterprise Manager does not list vm "new01" in the job '
                                    'yet. Changes made before the failure: added vm "new01" (%s).' % NEW01)
    assert 'raise wait_timeout' in result['msg'] and 'details=includes' in result['msg'] and clock.sleeps == [2, 2]
    assert result['added'] == [{'name': 'new01', 'ref': NEW01, 'type': 'vm', 'id': None}]


def test_removed_objects_that_stay_listed_fail_in_time(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    remove(em_http, OID_TAG, task_id='task-1')
    done(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG], 'state': 'absent', 'wait_timeout': 2})
    assert result['msg'].startswith('Job "Dev Backup": Timed out after 2 s (wait_timeout=2): Enterprise Manager still lists tag "Backup-Gold", '
                                    'removed from the job. Changes made before the failure: removed tag "Backup-Gold"')


def test_a_task_that_does_not_finish_in_time(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    remove(em_http, OID_TAG, task_id='task-1')
    em_http.expect_get('/api/tasks/task-1', json_response(task('task-1', operation='UpdateJob')))
    em_http.expect_get('/api/tasks/task-1', json_response(task('task-1', operation='UpdateJob')))
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG], 'state': 'absent', 'wait_timeout': 3})
    assert result['error_kind'] == 'wait_timeout' and result['changed'] is True
    assert result['msg'].startswith('Job "Dev Backup": Timed out after 3 s (wait_timeout=3): task task-1 (UpdateJob) is Running.')
    assert 'The request to remove tag "Backup-Gold" from job "Dev Backup" was sent; whether it took effect is not known yet.' in result['msg']


def test_a_failed_read_back_still_reports_the_changes(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, TAG_INCLUDE])
    remove(em_http, OID_TAG, task_id='task-1')
    done(em_http)
    em_http.expect_get(JOB_PATH, error_response(403), params={})
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG], 'state': 'absent'})
    assert result['failed'] is True and result['error_kind'] == 'permission' and result['changed'] is True
    assert result['removed'] == [{'name': 'Backup-Gold', 'ref': estate.TAG, 'type': 'tag', 'id': OID_TAG}]
    assert 'Changes made before the failure: removed tag "Backup-Gold"' in result['msg']


def test_an_include_id_that_cannot_be_a_path_is_refused(em_http, monkeypatch):
    install_fake_clock(monkeypatch)
    bad = copy.deepcopy(TAG_INCLUDE)
    bad['ObjectInJobId'] = '../../logonSessions'
    em_http.expect_logon()
    find(em_http)
    includes(em_http, [TEST01_INCLUDE, bad])
    em_http.expect_logoff()
    result = run({'objects': [estate.TAG], 'state': 'absent'})
    assert result['failed'] is True and result['error_kind'] == 'bad_response' and changes(em_http) == []
    assert "'../../logonSessions' cannot be part of a request path" in result['msg']
