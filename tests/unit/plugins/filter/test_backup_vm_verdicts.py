# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_vm_verdicts: each host's quick backup judged, and its record for a later rollback."""

from __future__ import annotations

import datetime

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    DB01_REF, VBR01, WEB01_REF, target, the_filter, vm_entry,
)

NOW = '2026-03-02T10:20:00.5Z'
KEYS = ['ref', 'name', 'result', 'method', 'backup_server', 'job', 'session', 'restore_point', 'recorded_at', 'note']

verdicts = the_filter('backup_vm_verdicts')


def judge(targets, backup, vms, **options):
    options.setdefault('now', NOW)
    return verdicts(targets, backup, vms=vms, **options)


def one(entry, failed=False, msg='', **options):
    """The verdict of web01 whose VM got ``entry``."""
    backup = {'changed': True, 'vms': [entry], 'msg': msg}
    if failed:
        backup['failed'] = True
    return judge([target('web01', WEB01_REF)], backup, [WEB01_REF], **options)['web01']


def test_a_successful_quick_backup_and_its_record():
    found = one(vm_entry())
    assert found['result'] == {
        'ok': True, 'skipped': False, 'method': 'quick_backup', 'vm': vm_entry(),
        'msg': 'Backup of web01 succeeded. Quick backup of VM web01 (job "Daily" on vbr01.example.com): run "Daily@1" ended with '
               'Success, restore point of 2026-03-02T10:15:27.310Z.',
        'jobs': [{'id': 'a', 'name': 'Daily', 'backup_server': VBR01, 'action': 'started', 'session': 'Daily@1',
                  'end_time': '2026-03-02T10:19:14.872Z', 'result': 'Success', 'vm_result': 'Success', 'ok': True,
                  'msg': 'Job "Daily" (vbr01.example.com): quick backup of VM web01: run "Daily@1" ended with Success, '
                         'restore point of 2026-03-02T10:15:27.310Z.'}]}
    assert found['record'] == {
        'ref': WEB01_REF, 'name': 'web01', 'result': 'Success', 'method': 'quick_backup', 'backup_server': VBR01,
        'job': {'name': 'Daily', 'id': 'a'},
        'session': {'id': 's-Daily@1', 'name': 'Daily@1', 'result': 'Success', 'creation_time': '2026-03-02T10:15:02.310Z',
                    'end_time': '2026-03-02T10:19:14.872Z'},
        'restore_point': {'id': 'p1', 'uid': 'urn:veeam:VmRestorePoint:p1', 'creation_time': '2026-03-02T10:15:27.310Z'},
        'recorded_at': '2026-03-02T10:20:00Z', 'note': None}


def test_a_failed_vm_fails_its_host_with_enterprise_managers_reason():
    found = one(vm_entry(result='Failed', reason='Disk is full.', point_id=None), failed=True, msg='Quick backup failed for 1 of 1 VM(s)')
    assert not found['result']['ok']
    assert found['result']['msg'] == ('Backup of web01 did not succeed. Quick backup of VM web01 (job "Daily" on vbr01.example.com): '
                                      'run "Daily@1" ended with Failed: Disk is full.')
    assert (found['record']['result'], found['record']['restore_point']) == ('Failed', None)
    assert found['record']['note'] == 'run "Daily@1" ended with Failed: Disk is full'
    assert found['result']['jobs'][0]['vm_result'] == 'Failed' and not found['result']['jobs'][0]['ok']


@pytest.mark.parametrize('accepted, ok', [(None, False), (['Success', 'Warning'], True)])
def test_a_warning_counts_only_when_accepted(accepted, ok):
    found = one(vm_entry(result='Warning', reason='Low space.'), accepted=accepted)
    assert found['result']['ok'] is ok
    assert found['record']['result'] == 'Warning'
    assert ('backup_before_change_accept_warning=true' in found['result']['msg']) is not ok
    assert (found['record']['note'] is None) is ok


def test_a_vm_skipped_by_the_maximum_age_succeeds_with_its_newest_point():
    reason = 'its newest restore point (2026-03-02T09:15:41.117Z) is younger than 120 minutes'
    found = one(vm_entry(action='skipped', result=None, reason=reason, session_name=None, point_id='old'), max_age_minutes=120)
    assert found['result']['ok']
    assert found['result']['msg'] == ('Backup of web01 succeeded. Quick backup of VM web01 (job "Daily" on vbr01.example.com): no new '
                                      'quick backup, %s (backup_before_change_max_age_minutes).' % reason)
    assert found['result']['jobs'][0]['action'] == 'recent'
    record = found['record']
    assert (record['result'], record['session'], record['restore_point']['id']) == (None, None, 'old')
    assert record['note'].startswith('no new quick backup, its newest restore point')


def test_a_refused_vm_whose_job_ran_the_quick_backup_of_another_host_says_so():
    first = vm_entry()
    refused = vm_entry(name='db01', ref=DB01_REF, result='Failed', session_name=None, point_id=None,
                       reason='Enterprise Manager refused the quick backup: Job "Daily" that protects VM "db01" is running.')
    backup = {'failed': True, 'changed': True, 'vms': [first, refused], 'msg': 'Quick backup failed for 1 of 2 VM(s)'}
    found = judge([target('web01', WEB01_REF), target('db01', DB01_REF)], backup, [WEB01_REF, DB01_REF])
    assert found['web01']['result']['ok'] and not found['db01']['result']['ok']
    assert found['db01']['result']['msg'] == (
        'Backup of db01 did not succeed. Quick backup of VM db01 (job "Daily" on vbr01.example.com): ended with Failed: Enterprise '
        'Manager refused the quick backup: Job "Daily" that protects VM "db01" is running. Job "Daily" also ran the quick backup '
        'of web01 of this play, and a backup server may refuse a second quick backup of a job while it runs; back up hosts '
        'that share a job with backup_before_change_method=job.')
    assert found['db01']['record']['session'] is None


def test_a_refused_vm_alone_in_its_job_gets_no_hint():
    refused = vm_entry(result='Failed', session_name=None, point_id=None, reason='Enterprise Manager refused the quick backup: no point')
    assert 'share a job' not in one(refused, failed=True)['result']['msg']


def test_a_run_that_did_not_end_within_the_wait():
    entry = vm_entry(result=None, point_id=None)
    found = one(entry, failed=True, msg='Quick backup of 1 VM(s): Timed out after 5 s (wait_timeout=5)')
    assert not found['result']['ok']
    assert found['result']['msg'].endswith('its run "Daily@1" had not ended: Quick backup of 1 VM(s): Timed out after 5 s (wait_timeout=5).')
    assert found['record']['result'] is None and found['record']['session']['id'] == 's-Daily@1'


def test_a_vm_not_requested_after_a_transport_error():
    entry = vm_entry(action=None, result='Failed', session_name=None, point_id=None,
                     reason='not requested, because an earlier quick backup request could not reach Enterprise Manager')
    found = one(entry, failed=True, msg='Cannot connect')
    assert not found['result']['ok']
    assert 'not backed up: not requested, because an earlier' in found['result']['msg']
    assert found['result']['jobs'][0]['action'] is None


def test_a_module_that_returned_no_vms_fails_every_sent_host_and_keeps_the_others():
    backup = {'failed': True, 'msg': 'No VM named "gold01" is protected by a job.', 'error_kind': 'vm_not_found'}
    targets = [target('web01', WEB01_REF, ref=WEB01_REF), target('gold01'),
               target('web01-hv', send=False, ok=True, skipped=True, msg='No job protects web01-hv: no job. It is left ...')]
    found = judge(targets, backup, [WEB01_REF, 'gold01'])
    assert [found[host]['result']['ok'] for host in ('web01', 'gold01', 'web01-hv')] == [False, False, True]
    assert found['web01']['result']['msg'] == (
        'Backup of web01 did not succeed. Quick backup of VM %s: the quick backup of the play\'s VMs reported no result for this VM: '
        'No VM named "gold01" is protected by a job.' % WEB01_REF)
    assert found['web01']['record']['ref'] == WEB01_REF and found['web01']['record']['result'] is None
    assert found['web01']['record']['note'].startswith('the quick backup of the play\'s VMs reported no result')
    assert found['web01-hv']['result'] == {'ok': True, 'skipped': True, 'method': 'quick_backup', 'vm': None, 'jobs': [],
                                           'msg': 'No job protects web01-hv: no job. It is left ...'}
    assert found['web01-hv']['record']['note'] == 'No job protects web01-hv: no job. It is left ...'


def test_results_that_do_not_match_the_vms_given_are_not_used():
    found = judge([target('web01', WEB01_REF)], {'vms': [vm_entry(), vm_entry()]}, [WEB01_REF])
    assert not found['web01']['result']['ok'] and 'reported no result' in found['web01']['result']['msg']


def test_hosts_with_the_same_vm_share_its_result():
    backup = {'vms': [vm_entry(), vm_entry()]}
    found = judge([target('web01', WEB01_REF), target('www', 'web01'), target('web', WEB01_REF)], backup, [WEB01_REF, 'web01'])
    assert [found[host]['record']['restore_point']['id'] for host in ('web01', 'www', 'web')] == ['p1', 'p1', 'p1']


def test_check_mode():
    entry = vm_entry(action='would_start', result=None, session_name=None, point_id=None)
    backup = {'changed': True, 'vms': [entry]}
    targets = [target('web01', WEB01_REF), target('typo', send=False, ok=False, msg='Backup of typo cannot run as planned. X.')]
    found = judge(targets, backup, [WEB01_REF], check_mode=True)
    assert found['web01']['result']['ok']
    assert found['web01']['result']['msg'] == ('Backup of web01 would run. Quick backup of VM web01 (job "Daily" on vbr01.example.com): '
                                               'a quick backup would start.')
    assert found['web01']['record']['result'] is None
    assert found['web01']['record']['note'] == 'check mode: nothing was backed up; a quick backup would start'
    assert found['typo']['record']['note'] == 'check mode: nothing was backed up; Backup of typo cannot run as planned. X.'
    assert not found['typo']['result']['ok']


def test_check_mode_keeps_the_newest_point_of_a_skipped_vm_but_no_result():
    entry = vm_entry(action='skipped', result=None, reason='its newest restore point (t) is younger than 5 minutes', session_name=None)
    found = one(entry, check_mode=True)
    assert found['result']['ok'] and found['record']['restore_point']['id'] == 'p1' and found['record']['result'] is None


def test_check_mode_with_a_failed_module():
    found = judge([target('web01', WEB01_REF)], {'failed': True, 'msg': 'Cannot connect'}, [WEB01_REF], check_mode=True)['web01']
    assert not found['result']['ok'] and found['result']['msg'].startswith('Backup of web01 cannot run as planned.')


def test_no_host_was_sent():
    found = judge([target('web01-hv', send=False, ok=True, skipped=True, msg='skipped')], {'skipped': True, 'changed': False}, [])
    assert found['web01-hv']['result']['ok'] and list(found['web01-hv']['record']) == KEYS


def test_every_record_has_the_same_keys():
    backup = {'failed': True, 'vms': [vm_entry(result='Failed', session_name=None, point_id=None)], 'msg': 'x'}
    found = judge([target('web01', WEB01_REF), target('typo', send=False, ok=False, msg='m')], backup, [WEB01_REF])
    assert [list(found[host]['record']) for host in found] == [KEYS, KEYS]


def test_the_time_of_the_record_from_a_datetime():
    moment = datetime.datetime(2026, 3, 2, 11, 20, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
    assert one(vm_entry(), now=moment)['record']['recorded_at'] == '2026-03-02T10:20:00Z'


@pytest.mark.parametrize('options, message', [
    ({'check_mode': 'maybe'}, "check_mode must be a boolean, not 'maybe'"),
    ({'max_age_minutes': 'old'}, "max_age_minutes must be an integer, not 'old'"),
    ({'now': 'yesterday'}, "now must be a date and time in ISO 8601 format, not 'yesterday'"),
    ({'vms': {'web01': 1}}, 'vms must be a list, not dict'),
])
def test_wrong_input_is_a_clear_error(options, message):
    options.setdefault('vms', [WEB01_REF])
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_vm_verdicts: ') as caught:
        verdicts([target('web01', WEB01_REF)], {'vms': [vm_entry()]}, **options)
    assert message in str(caught.value)


def test_a_backup_result_that_is_not_a_dictionary():
    with pytest.raises(AnsibleFilterError, match='backup must be a dictionary, not list'):
        verdicts([], [])
