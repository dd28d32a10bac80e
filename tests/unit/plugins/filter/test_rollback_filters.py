# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decisions of the rollback_change role: veeamops.em.rollback_plan and veeamops.em.rollback_verdicts, through ansible's
filter loader."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible.errors import AnsibleError
from ansible.plugins.loader import filter_loader

from ansible_collections.veeamops.em.plugins.module_utils import _times

ROOT = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
WEB01 = 'urn:VMware:Vm:%s.vm-1042' % ROOT
DB01 = 'urn:VMware:Vm:%s.vm-1108' % ROOT
POINT = 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'


def plan_filter():
    return filter_loader.get('veeamops.em.rollback_plan').j2_function


def verdicts_filter():
    return filter_loader.get('veeamops.em.rollback_verdicts').j2_function


def record(ref=WEB01, name='web01', result='Success', point=None, session_end='2026-03-01T21:24:51.103Z', **extra):
    fact = {'ref': ref, 'name': name, 'result': result, 'method': 'job', 'backup_server': 'vbr01.lab.local',
            'job': {'name': 'Daily VM Backup', 'id': '47752464-8e77-407a-a936-132173ac15f5'},
            'session': {'id': 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', 'name': 'Daily VM Backup@2026-03-01 21:00:12', 'result': result,
                        'creation_time': '2026-03-01T21:00:12.437Z', 'end_time': session_end},
            'restore_point': point, 'recorded_at': '2026-03-01T21:25:03Z'}
    fact.update(extra)
    return fact


def plan_of(hostvars, hosts=None, point_in_time=''):
    return plan_filter()(list(hostvars) if hosts is None else hosts, hostvars, point_in_time)


# --- rollback_plan: the point ------------------------------------------------------------------------

def test_the_recorded_point_by_uid_or_id():
    point = {'id': POINT, 'uid': 'urn:veeam:VmRestorePoint:' + POINT, 'creation_time': '2026-03-01T21:02:05.283Z'}
    hostvars = {'web01': {'veeam_backup_before_change': record(point=point)},
                'db01': {'veeam_backup_before_change': record(DB01, 'db01', 'Warning', point={'id': POINT.upper(), 'uid': None})}}
    web01, db01 = plan_of(hostvars)
    assert web01 == {'host': 'web01', 'vm': WEB01, 'vm_from': 'recorded_ref', 'restore_point': 'urn:veeam:VmRestorePoint:' + POINT,
                     'point_in_time': None, 'backup_server': 'vbr01.lab.local', 'basis': 'recorded_point',
                     'reason': 'the restore point that backup_before_change recorded (recorded at 2026-03-01T21:25:03Z)',
                     'same_as': None, 'error': None}
    assert db01['restore_point'] == POINT.upper() and db01['vm'] == DB01 and db01['error'] is None


def test_without_a_point_id_the_recorded_point_time_then_the_end_of_the_run():
    hostvars = {'a': {'veeam_backup_before_change': record(point={'id': None, 'uid': '', 'creation_time': '2026-03-01T22:02:05.283+01:00'})},
                'b': {'veeam_backup_before_change': record(DB01, point=None)}}
    first, second = plan_of(hostvars)
    assert (first['basis'], first['point_in_time'], first['restore_point']) == ('recorded_point_time', '2026-03-01T21:02:05Z', None)
    assert first['reason'] == ('the newest point at or before 2026-03-01T21:02:05Z, the recorded restore point time '
                               '(recorded at 2026-03-01T21:25:03Z)')
    assert (second['basis'], second['point_in_time']) == ('recorded_session_end', '2026-03-01T21:24:51Z')


@pytest.mark.parametrize('fact, text', [
    (None, 'no fact veeam_backup_before_change'),
    (record(result='Failed', point={'id': POINT}), 'the backup before the change failed'),
    (record(result=None, point=None), 'its result is unknown'),
    (record(point={'creation_time': 'soon'}, session_end=None), 'names no restore point, no point time and no end of the backup run'),
    ('text', 'is not a mapping'),
])
def test_hosts_that_cannot_be_restored(fact, text):
    hostvars = {'web01': {} if fact is None else {'veeam_backup_before_change': fact}}
    (entry,) = plan_of(hostvars)
    assert text in entry['error'] and entry['basis'] is None and entry['restore_point'] is None and entry['point_in_time'] is None


def test_an_unknown_result_still_trusts_a_point_id():
    (entry,) = plan_of({'web01': {'veeam_backup_before_change': record(result=None, point={'uid': 'urn:veeam:VmRestorePoint:' + POINT})}})
    assert entry['error'] is None and entry['basis'] == 'recorded_point'


def test_a_point_in_time_applies_to_every_host_and_needs_no_fact(monkeypatch):
    monkeypatch.setattr(_times, 'utc_now', lambda: datetime(2026, 3, 2, 12, 0, 0, tzinfo=timezone.utc))
    hostvars = {'web01': {'veeam_backup_before_change': record(point={'id': POINT})}, 'db01': {'veeam_name': 'db01'}}
    plan = plan_of(hostvars, point_in_time='6h')
    assert [(entry['basis'], entry['point_in_time'], entry['restore_point'], entry['error']) for entry in plan] == [
        ('point_in_time', '2026-03-02T06:00:00Z', None, None)] * 2
    assert plan[0]['backup_server'] is None and plan[1]['vm'] == 'db01'
    assert plan_of(hostvars, point_in_time='2026-03-01 23:00+01:00')[0]['point_in_time'] == '2026-03-01T22:00:00Z'


def test_a_bad_point_in_time_is_an_error():
    with pytest.raises(AnsibleError, match='Invalid value for option rollback_change_point_in_time'):
        plan_of({'web01': {}}, point_in_time='yesterday')
    with pytest.raises(AnsibleError, match='expected a list of host names'):
        plan_filter()('web01', {})


# --- rollback_plan: the VM ---------------------------------------------------------------------------

@pytest.mark.parametrize('values, vm, source', [
    ({'rollback_change_vm': 'WEB01', 'veeam_backup_before_change': record(), 'veeam_hierarchy_obj_ref': DB01}, 'WEB01', 'rollback_change_vm'),
    ({'veeam_backup_before_change': record(), 'veeam_hierarchy_obj_ref': DB01}, WEB01, 'recorded_ref'),
    ({'veeam_backup_before_change': record(ref=None), 'veeam_hierarchy_obj_ref': DB01, 'veeam_name': 'x'}, DB01, 'veeam_hierarchy_obj_ref'),
    ({'veeam_backup_before_change': record(ref='None'), 'veeam_name': 'x'}, 'web01', 'recorded_name'),
    ({'veeam_backup_before_change': record(ref='', name=''), 'veeam_name': 'web-01'}, 'web-01', 'veeam_name'),
    ({'veeam_backup_before_change': record(ref=None, name=None), 'rollback_change_vm': ''}, 'host1', 'inventory_hostname'),
])
def test_the_vm_of_a_host(values, vm, source):
    (entry,) = plan_of({'host1': values})
    assert (entry['vm'], entry['vm_from']) == (vm, source)


def test_a_host_unknown_to_hostvars_is_planned_by_name():
    (entry,) = plan_of({}, hosts=['ghost'])
    assert entry['vm'] == 'ghost' and 'no fact' in entry['error']


def test_the_same_vm_is_restored_once():
    point = {'id': POINT}
    hostvars = {'a': {'veeam_backup_before_change': record(point=point)},
                'b': {'veeam_backup_before_change': record(ref=WEB01.replace('VMware:Vm', 'vmware:VM'), point=point)},
                'c': {'veeam_backup_before_change': record(point={'id': 'ffffffff-0000-4000-8000-000000000000'})},
                'd': {'veeam_backup_before_change': record(ref=DB01, point=point)}}
    a, b, c, d = plan_of(hostvars)
    assert a['same_as'] is None and b['same_as'] == 'a' and b['error'] is None
    assert c['same_as'] is None and c['error'].startswith('host a restores the same VM (%s) from another point' % WEB01)
    assert d['same_as'] is None and d['error'] is None


# --- rollback_verdicts -------------------------------------------------------------------------------

def restored(entry, result='Success', failed=False, msg='VM "web01" was restored.'):
    return {'item': entry, 'changed': True, 'failed': failed, 'msg': msg, 'vm': {'name': 'web01', 'ref': WEB01, 'platform': 'VMware'},
            'restore_point': {'id': POINT, 'uid': 'urn:veeam:VmRestorePoint:' + POINT, 'name': 'web01@2026-03-01 21:02:05',
                              'creation_time': '2026-03-01T21:02:05.283Z', 'job': {'name': 'Daily VM Backup', 'id': None},
                              'backup_server': 'vbr01.lab.local', 'algorithm': 'Full'},
            'restore_session': {'id': 'e4b7', 'name': 'web01@2026-03-02 11:05:31', 'state': 'Stopped', 'result': result,
                                'creation_time': '2026-03-02T11:05:31.87Z', 'end_time': '2026-03-02T11:23:48.327Z', 'progress': 100}}


def started(entry):
    return {'item': entry, 'ansible_job_id': 'j%s' % entry['host'], 'started': 1, 'finished': 0, 'changed': True}


def followed(entry, **kwargs):
    result = restored(entry, **kwargs)
    result.update(item=started(entry), finished=1, ansible_job_id='j%s' % entry['host'])
    return result


def a_plan():
    return plan_of({'web01': {'veeam_backup_before_change': record(point={'id': POINT})},
                    'alias': {'veeam_backup_before_change': record(point={'id': POINT})},
                    'db01': {'veeam_backup_before_change': record(DB01, 'db01', point={'id': POINT})},
                    'app01': {}})


def test_verdicts_of_followed_restores():
    web01, alias, db01, app01 = a_plan()
    verdicts = verdicts_filter()([web01, alias, db01, app01], [started(web01), started(db01), followed(web01),
                                                               followed(db01, result='Failed', failed=True, msg='Restore ... Failed.')])
    assert verdicts['web01']['ok'] is True and verdicts['web01']['changed'] is True
    assert verdicts['web01']['msg'] == ('VM "web01" was restored. Point chosen by: the restore point that backup_before_change recorded '
                                        '(recorded at 2026-03-01T21:25:03Z).')
    assert verdicts['web01']['restore_point']['name'] == 'web01@2026-03-01 21:02:05' and 'algorithm' not in verdicts['web01']['restore_point']
    assert verdicts['web01']['restore_session']['result'] == 'Success' and 'progress' not in verdicts['web01']['restore_session']
    assert verdicts['web01']['vm'] == {'name': 'web01', 'ref': WEB01, 'given': WEB01}
    assert verdicts['alias']['ok'] is True and verdicts['alias']['changed'] is False and verdicts['alias']['host'] == 'alias'
    assert verdicts['alias']['msg'].startswith('The same VM as host web01, restored with it: VM "web01" was restored.')
    assert verdicts['db01']['ok'] is False and verdicts['db01']['msg'] == 'Not restored: Restore ... Failed.'
    assert verdicts['app01']['ok'] is False and verdicts['app01']['msg'].startswith('Not restored: no fact veeam_backup_before_change')


def test_unfinished_unfollowed_and_missing_restores_are_not_restored():
    web01, _alias, db01, app01 = a_plan()
    app01 = dict(app01, error=None)
    timed_out = {'item': started(web01), 'finished': 0, 'failed': True, 'attempts': 31, 'ansible_job_id': 'jweb01'}
    verdicts = verdicts_filter()([web01, db01, app01], [timed_out, started(db01)])
    assert verdicts['web01']['ok'] is False and 'did not end within rollback_change_wait_timeout' in verdicts['web01']['msg']
    assert verdicts['db01']['ok'] is False and 'was started, but nobody followed it to its end' in verdicts['db01']['msg']
    assert verdicts['app01']['ok'] is False and verdicts['app01']['msg'] == 'Not restored: no restore was started for VM app01.'


def test_a_session_that_has_not_ended_well_is_not_restored():
    web01 = a_plan()[0]
    result = followed(web01)
    result['restore_session'].update(state='Working', result=None)
    verdict = verdicts_filter()([web01], [result])['web01']
    assert verdict['ok'] is False and verdict['msg'].startswith('Not restored: the restore session of VM %s is Working with result None.' % WEB01)


def test_check_mode_verdicts_and_skipped_results():
    web01, _alias, db01, _app01 = a_plan()
    predicted = dict(restored(web01, msg='VM "web01" would be restored ... Add confirm: true to restore it.'), restore_session=None)
    refused = {'item': db01, 'failed': True, 'msg': 'No VM named "db01" is protected by a job.'}
    skipped = [{'item': web01, 'skipped': True, 'changed': False}, {'item': db01, 'skipped': True, 'changed': False}]
    verdicts = verdicts_filter()([web01, db01], [predicted, refused] + skipped, check_mode=True)
    assert verdicts['web01']['ok'] is True and verdicts['web01']['msg'].startswith('VM "web01" would be restored')
    assert verdicts['web01']['restore_session'] is None
    assert verdicts['db01']['ok'] is False and verdicts['db01']['msg'] == 'Not restored: No VM named "db01" is protected by a job.'


def test_verdicts_need_a_plan():
    with pytest.raises(AnsibleError, match='expected the list that veeamops.em.rollback_plan returns'):
        verdicts_filter()([{'vm': 'x'}], [])


def test_results_of_other_loops_are_ignored():
    web01 = a_plan()[0]
    verdicts = verdicts_filter()([web01], [{'item': 'web01', 'failed': True}, {'item': {'item': 'x'}}, 'text', followed(web01)])
    assert verdicts['web01']['ok'] is True
