# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_vm_restore: the decisions of the VM restore (options, point selection, restore spec, lost-task session), without HTTP."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._vm_restore import (
    EmConfirmError,
    EmRestorePointNotFoundError,
    choose_point,
    job_of,
    newest_first,
    normalize_restore_session,
    parse_point_option,
    pick_session,
    restore_spec,
    same_vm,
    validate_options,
)
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_restores import P1, P2, P3, SESSION_ID, TENANT_WEB01, VCD, restore_session, web01_points

PARAMS = {'vm': 'web01', 'restore_point': None, 'point_in_time': None, 'confirm': True, 'wait_timeout': 60, 'poll_interval': 2,
          'poll_max_interval': 30}


def points(*ids):
    return [snake_keys(point) for point in web01_points(ids)]


def at(text):
    return datetime.strptime(text, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=timezone.utc)


# --- options -----------------------------------------------------------------------------------------

@pytest.mark.parametrize('value', [P3, P3.upper(), 'urn:veeam:VmRestorePoint:' + P3, 'URN:Veeam:vmrestorepoint:' + P3, '  %s ' % P3])
def test_a_point_is_given_by_id_or_uid(value):
    assert parse_point_option(value).lower() == P3


@pytest.mark.parametrize('value', ['urn:veeam:RestorePoint:' + P3, 'urn:veeam:VmRestorePoint', '..', 'a/b', 'urn:veeam:VmRestorePoint:x:y'])
def test_other_values_are_refused(value):
    with pytest.raises(EmInputError):
        parse_point_option(value)


def test_confirm_is_needed_outside_check_mode_only():
    with pytest.raises(EmConfirmError, match='Refusing to restore VM "web01" without confirm: true'):
        validate_options(dict(PARAMS, confirm=False), check_mode=False)
    assert validate_options(dict(PARAMS, confirm=False), check_mode=True) == {'point_id': None, 'point_in_time': None}


def test_options_are_checked_before_confirm():
    with pytest.raises(EmInputError, match='Invalid value for option point_in_time'):
        validate_options(dict(PARAMS, confirm=False, point_in_time='soon'), check_mode=False)


def test_prepared_options():
    prepared = validate_options(dict(PARAMS, restore_point='urn:veeam:VmRestorePoint:' + P2, point_in_time=None), check_mode=False)
    assert prepared == {'point_id': P2, 'point_in_time': None}
    prepared = validate_options(dict(PARAMS, point_in_time='2026-03-01T22:00:00+01:00'), check_mode=False)
    assert prepared['point_in_time'] == at('2026-03-01T21:00:00Z')


@pytest.mark.parametrize('change, text', [
    ({'wait_timeout': -1}, 'wait_timeout must be greater than 0'),
    ({'poll_interval': float('nan')}, 'poll_interval must be a finite number'),
    ({'poll_max_interval': float('inf')}, 'poll_max_interval must be a finite number'),
    ({'poll_interval': 40}, 'poll_max_interval must not be smaller'),
    ({'vm': None}, 'Option vm needs'),
])
def test_bad_wait_options(change, text):
    with pytest.raises(EmInputError, match=text):
        validate_options(dict(PARAMS, **change), check_mode=True)


# --- choosing the point ------------------------------------------------------------------------------

def test_newest_first_by_time_not_by_text():
    mixed = points(P1, P3, P2)
    mixed[0]['creation_time_utc'] = '2026-02-27T21:03:12Z'  # no fraction: sorts after ".5Z" as text
    mixed.append(dict(mixed[0], creation_time_utc='not a time', uid='urn:veeam:VmRestorePoint:%s' % P1.replace('1a', '0f')))
    assert [point['uid'][-4:] for point in newest_first(mixed)] == ['0003', '0002', '0001', '0001']
    assert newest_first(mixed)[-1]['creation_time_utc'] == 'not a time'


def test_the_newest_point_by_default():
    assert choose_point(points(P2, P3, P1), 'web01')['uid'].endswith(P3)


@pytest.mark.parametrize('moment, chosen', [
    ('2026-03-01T21:02:05Z', P3), ('2026-03-01T21:02:04Z', P2), ('2026-02-28T21:01:44Z', P2), ('2026-02-28T21:01:43Z', P1),
    ('2030-01-01T00:00:00Z', P3),
])
def test_the_newest_point_at_or_before_a_time(moment, chosen):
    assert choose_point(points(P3, P2, P1), 'web01', point_in_time=at(moment))['uid'].endswith(chosen)


def test_no_point_at_or_before_a_time_names_the_oldest():
    with pytest.raises(EmRestorePointNotFoundError) as caught:
        choose_point(points(P3, P2, P1), '"web01"', point_in_time=at('2026-02-27T21:03:11Z'))
    assert str(caught.value).startswith('VM "web01" has no restore point at or before 2026-02-27T21:03:11Z (its 3 restore point(s) are all '
                                        'newer; the oldest was created at 2026-02-27T21:03:12.5Z)')


def test_no_readable_time_at_all():
    undated = [dict(point, creation_time_utc=None) for point in points(P3)]
    with pytest.raises(EmRestorePointNotFoundError, match='none of its 1 restore point'):
        choose_point(undated, 'web01', point_in_time=at('2026-03-01T00:00:00Z'))
    assert choose_point(undated, 'web01') is undated[0]


def test_no_point_at_all():
    with pytest.raises(EmRestorePointNotFoundError, match='VM web01 has no restore point'):
        choose_point([], 'web01')


def test_a_given_point_or_none():
    assert choose_point(points(P3, P2), 'web01', point_id=P2.upper())['uid'].endswith(P2)
    assert choose_point(points(P3, P2), 'web01', point_id=P1) is None
    assert choose_point([], 'web01', point_id=P1) is None


def test_same_vm_compares_the_identity():
    point = points(P3)[0]
    assert same_vm(point, estate.WEB01) and same_vm(point, estate.WEB01.replace('VMware:Vm', 'vmware:vm'))
    assert not same_vm(point, estate.WEB01.replace('vm-1042', 'VM-1042')) and not same_vm(point, 'web01')


# --- the restore spec --------------------------------------------------------------------------------

def test_vmware_and_hyper_v_take_the_vm_spec():
    for platform in ('VMware', 'HyperV'):
        assert restore_spec({'platform': platform}, P3, True, False) == {'VmRestoreSpec': {'PowerOnAfterRestore': True, 'QuickRollback': False}}


def test_cloud_director_takes_the_vcloud_spec():
    vm = {'platform': 'vCloud', 'hierarchy_root_id': VCD, 'ref': TENANT_WEB01}
    assert restore_spec(vm, P3, False, False) == {'vCloudVmRestoreSpec': {
        'PowerOnAfterRestore': False, 'HierarchyRootUid': 'urn:veeam:HierarchyRoot:' + VCD,
        'VmRestoreParameters': {'VmRestorePointUid': 'urn:veeam:VmRestorePoint:' + P3}}}
    with pytest.raises(EmInputError, match='quick_rollback is not available'):
        restore_spec(vm, P3, False, True)
    with pytest.raises(EmInputError, match='Cannot build the Cloud Director restore spec'):
        restore_spec(dict(vm, hierarchy_root_id='../x'), P3, False, False)


def test_other_platforms_cannot_be_restored():
    with pytest.raises(EmInputError, match='cannot restore a VM of platform AgentForLinux'):
        restore_spec({'platform': 'AgentForLinux'}, P3, False, False)


# --- the restore session -----------------------------------------------------------------------------

def test_the_session_of_a_lost_task():
    ours = snake_keys(restore_session('Working', progress=3))
    other_point = snake_keys(restore_session(point_id=P1))
    other_vm = snake_keys(restore_session(vm_name='web02'))
    file_level = snake_keys(restore_session(job_type='FileLevelRestore'))
    unlinked = snake_keys(restore_session(point_id=None))
    assert pick_session([file_level, other_vm, other_point, ours], 'WEB01', P3) is ours
    assert pick_session([other_point, unlinked], 'web01', P3) is unlinked
    assert pick_session([other_point, file_level], 'web01', P3) is None


def test_normalized_session():
    running = normalize_restore_session(snake_keys(restore_session('Working', progress=64)))
    assert running['id'] == SESSION_ID and running['result'] is None and running['running'] is True and running['end_time'] is None
    assert running['restored_ref'] is None and running['restore_point_id'] == P3 and running['backup_server'] == 'vbr01.lab.local'
    assert normalize_restore_session(None) is None


def test_the_job_of_a_point():
    jobs = [{'name': 'Daily VM Backup', 'id': 'a', 'backup_server': 'vbr01.lab.local'},
            {'name': 'Daily VM Backup', 'id': 'b', 'backup_server': 'vbr02.lab.local'}]
    assert job_of('daily vm backup', 'VBR02.lab.local', jobs) == {'name': 'Daily VM Backup', 'id': 'b'}
    assert job_of('Offsite Copy', 'vbr01.lab.local', jobs) == {'name': 'Offsite Copy', 'id': None}
