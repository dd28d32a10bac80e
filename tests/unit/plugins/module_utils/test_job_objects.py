# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_job_objects: the objects option, object identity, the plan, and the choice of hierarchy roots (pure functions)."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._job_objects import (
    ABSENT,
    PRESENT,
    after_plan,
    check_options,
    describe,
    describe_all,
    entry,
    include_entry,
    job_roots,
    object_key,
    pick_root,
    plan_changes,
    public,
)
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR02, job_entity

VC01 = estate.VC01
HV01 = '343c7197-7bdd-465d-a5ad-ad923cfffdb4'
NEW01 = 'urn:VMware:Vm:%s.vm-1300' % VC01
FOLDER = 'urn:VMware:Folder:%s.group-v2101' % VC01
ROOTS = {
    VC01: {'id': VC01, 'name': 'vc01.lab.local', 'host_type': 'VC', 'backup_server': 'vbr01.lab.local'},
    HV01: {'id': HV01, 'name': 'hv01.lab.local', 'host_type': 'HvServer', 'backup_server': 'vbr01.lab.local'},
    estate.VC02: {'id': estate.VC02, 'name': 'vc02.lab.local', 'host_type': 'VC', 'backup_server': 'vbr02.lab.local'},
    'odd': {'id': 'odd', 'name': 'k8s01', 'host_type': 'Kubernetes', 'backup_server': 'VBR01.lab.local'},
}
JOB = snake_keys(job_entity('Dev Backup'))


def options(objects, state=PRESENT, exclusive=False):
    return check_options({'objects': objects, 'state': state, 'exclusive': exclusive})


# --- the objects option -------------------------------------------------------------------------------

def test_references_and_mappings_are_accepted():
    specs = options([' %s ' % estate.TAG, {'name': ' new01 ', 'type': 'vm'}, {'name': 'Gold', 'type': 'resource_pool', 'hierarchy_root': 'vc01'}])
    assert specs == [
        {'ref': estate.TAG, 'name': None, 'type': 'tag', 'hierarchy_root': None},
        {'ref': None, 'name': 'new01', 'type': 'vm', 'hierarchy_root': None},
        {'ref': None, 'name': 'Gold', 'type': 'resource_pool', 'hierarchy_root': 'vc01'},
    ]
    assert options([]) == []


@pytest.mark.parametrize('objects, text', [
    (['web01'], 'Invalid entry in objects[0]'),
    (['urn:VMware:Vm:no-dot'], 'Invalid entry in objects[0]'),
    ([7], 'Invalid entry in objects[0]: 7'),
    ([{'name': 'web01', 'type': 'vm'}, {'name': 'web01', 'kind': 'vm'}], 'Unknown key in objects[1]: kind'),
    ([{'type': 'vm'}], 'objects[0] needs a name'),
    ([{'name': ' ', 'type': 'vm'}], 'objects[0] needs a name'),
    ([{'name': 'web01', 'type': 'VM'}], 'objects[0] needs a type'),
    ([{'name': 'web01'}], 'objects[0] needs a type'),
    ([{'name': 'web01', 'type': 'vm', 'hierarchy_root': 5}], 'Invalid hierarchy_root in objects[0]'),
    ('web01', 'Option objects must be a list'),
])
def test_bad_objects_fail_before_any_request(objects, text):
    with pytest.raises(EmInputError) as caught:
        options(objects)
    assert str(caught.value).startswith(text)


def test_exclusive_applies_to_present_only():
    with pytest.raises(EmInputError, match='exclusive=true applies to state=present only'):
        options([estate.WEB01], ABSENT, exclusive=True)


# --- identity -----------------------------------------------------------------------------------------

def test_identity_folds_case_except_the_object_ref():
    assert object_key(estate.WEB01) == object_key(estate.WEB01.replace('VMware:Vm', 'vmware:VM').replace(VC01, VC01.upper()))
    assert object_key(estate.WEB01) != object_key(estate.WEB01.replace('vm-1042', 'VM-1042'))
    assert object_key(FOLDER) == object_key(FOLDER.replace('VMware:Folder', 'VMWARE:folder'))
    assert object_key(FOLDER) != object_key(FOLDER.replace('group-v2101', 'Group-v2101'))
    assert object_key(FOLDER) != object_key(FOLDER.replace('Folder', 'Datastore'))
    assert object_key('not a reference') == ('', '', '', 'not a reference') != object_key('NOT A REFERENCE')


def test_an_include_as_an_entry():
    include = include_entry(snake_keys(estate.include(estate.TAG, 'Backup-Gold', 'c0ffee00-0000-4000-8000-000000000001')))
    assert public([include]) == [{'name': 'Backup-Gold', 'ref': estate.TAG, 'type': 'tag', 'id': 'c0ffee00-0000-4000-8000-000000000001'}]
    odd = include_entry({'hierarchy_obj_ref': 'garbage', 'display_name': 'odd', 'object_in_job_id': 'x'})
    assert (odd['name'], odd['type'], odd['key']) == ('odd', None, ('', '', '', 'garbage'))
    assert describe(include) == 'tag "Backup-Gold"' and describe(entry(None, FOLDER, 'folder')) == FOLDER
    assert describe_all([include]) == 'tag "Backup-Gold"'
    assert describe_all([include, include_entry(snake_keys(estate.include(estate.WEB01, 'web01'))), entry('x', FOLDER, None)]) == \
        'tag "Backup-Gold", vm "web01" and object "x"'


# --- the plan -----------------------------------------------------------------------------------------

WEB01 = entry('web01', estate.WEB01, 'vm', 'id-web01')
DB01 = entry('db01', estate.DB01, 'vm', 'id-db01')
TAG = entry('Backup-Gold', estate.TAG, 'tag', 'id-tag')


def wanted(*items):
    return [entry(item['name'], item['ref'], item['type']) for item in items]


def test_present_adds_what_is_missing_once():
    new01 = entry('new01', NEW01, 'vm')
    adds, removes, refusal = plan_changes([WEB01, DB01], wanted(WEB01, TAG, TAG) + [new01], PRESENT, False)
    assert [item['name'] for item in adds] == ['Backup-Gold', 'new01'] and removes == [] and refusal is None
    assert plan_changes([WEB01], wanted(WEB01), PRESENT, False) == ([], [], None)


def test_a_reference_spelt_otherwise_is_the_same_object():
    same = entry('WEB01', estate.WEB01.replace('VMware:Vm', 'vmware:VM'), 'vm')
    assert plan_changes([WEB01], [same], PRESENT, True) == ([], [], None)


def test_exclusive_removes_the_others_and_may_replace_the_only_object():
    adds, removes, refusal = plan_changes([WEB01, DB01, TAG], wanted(DB01), PRESENT, True)
    assert adds == [] and removes == [WEB01, TAG] and refusal is None
    adds, removes, refusal = plan_changes([WEB01], wanted(TAG), PRESENT, True)
    assert adds == wanted(TAG) and removes == [WEB01] and refusal is None
    assert [item['name'] for item in after_plan([WEB01], adds, removes)] == ['Backup-Gold']


def test_absent_removes_what_the_job_has():
    adds, removes, refusal = plan_changes([WEB01, DB01, TAG], wanted(TAG, DB01) + [entry(None, NEW01, 'vm')], ABSENT, False)
    assert adds == [] and removes == [DB01, TAG] and refusal is None
    after = after_plan([WEB01, DB01, TAG], adds, removes)
    assert after == [WEB01]
    assert plan_changes([WEB01], [entry(None, NEW01, 'vm')], ABSENT, False) == ([], [], None)


def test_a_job_is_never_left_without_objects():
    assert plan_changes([WEB01, DB01], wanted(WEB01, DB01), ABSENT, False) == (
        [], [], 'state=absent would remove all 2 objects of the job')
    assert plan_changes([WEB01], [], PRESENT, True) == ([], [], 'exclusive=true with an empty list of objects would remove all 1 objects of the job')
    assert plan_changes([], [], PRESENT, True) == ([], [], None)  # nothing to remove: no refusal
    assert plan_changes([], wanted(WEB01), PRESENT, True) == (wanted(WEB01), [], None)


def test_the_plan_after_adds_new_objects_without_id():
    adds, removes, _refusal = plan_changes([WEB01], [entry('new01', NEW01, 'vm')], PRESENT, False)
    assert public(after_plan([WEB01], adds, removes)) == [
        {'name': 'web01', 'ref': estate.WEB01, 'type': 'vm', 'id': 'id-web01'}, {'name': 'new01', 'ref': NEW01, 'type': 'vm', 'id': None}]


# --- hierarchy roots ----------------------------------------------------------------------------------

def test_the_roots_of_a_job_are_those_of_its_backup_server_and_platform():
    assert [root['name'] for root in job_roots(ROOTS, JOB)] == ['vc01.lab.local', 'k8s01']
    hyperv = dict(JOB, platform='HyperV')
    assert [root['name'] for root in job_roots(ROOTS, hyperv)] == ['hv01.lab.local', 'k8s01']
    dr_job = snake_keys(job_entity('DR Site Backup', estate.DR_ID, server=VBR02))
    assert [root['name'] for root in job_roots(ROOTS, dr_job)] == ['vc02.lab.local']
    assert len(job_roots(ROOTS, dict(JOB, platform=None, links=[]))) == 4


def test_a_root_is_named_by_name_uid_or_id():
    usable = job_roots(ROOTS, JOB)
    for text in ('VC01.lab.local', 'urn:veeam:HierarchyRoot:' + VC01.upper(), VC01):
        assert pick_root(text, ROOTS, usable, JOB)['id'] == VC01
    with pytest.raises(EmInputError) as caught:
        pick_root('vc09', ROOTS, usable, JOB)
    assert str(caught.value).startswith('No hierarchy root "vc09" (the hierarchy roots of job "Dev Backup" are: vc01.lab.local (VMware, '
                                        'backup server vbr01.lab.local), k8s01 (Kubernetes, backup server VBR01.lab.local))')
    with pytest.raises(EmInputError) as caught:
        pick_root('vc02.lab.local', ROOTS, usable, JOB)
    assert str(caught.value).startswith('Hierarchy root "vc02.lab.local" cannot hold objects of job "Dev Backup" (it belongs to backup server '
                                        'vbr02.lab.local and holds VMware objects; the job is a VMware job of backup server vbr01.lab.local)')
    with pytest.raises(EmInputError, match='holds HyperV objects'):
        pick_root('hv01.lab.local', ROOTS, usable, JOB)


def test_a_root_name_on_two_backup_servers_picks_the_usable_one():
    roots = dict(ROOTS, twin=dict(ROOTS[estate.VC02], id='twin', name='vc01.lab.local'))
    roots = {'twin': roots['twin'], **ROOTS}
    assert pick_root('vc01.lab.local', roots, job_roots(roots, JOB), JOB)['id'] == VC01
