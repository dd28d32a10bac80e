# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_vm_target: the VM a quick backup of a host backs up, or why the host gets none."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import DB01_REF, WEB01_REF, job, the_filter

DAILY = job('Daily', 'a')
REPLICA = job('SQL Replica', 'r', job_type='Replica')

decide = the_filter('backup_vm_target')


def test_a_host_with_its_reference_is_backed_up_by_reference():
    assert decide([DAILY], host='web01', source='inventory', refs=[WEB01_REF]) == {
        'host': 'web01', 'vm': WEB01_REF, 'ref': WEB01_REF, 'name': 'web01', 'send': True, 'ok': None, 'skipped': False, 'msg': ''}


def test_a_host_without_a_reference_is_backed_up_by_its_vm_name():
    found = decide([DAILY], host='web01.example.com', vm_name=' WEB01 ', refs=['', ' '])
    assert (found['vm'], found['ref'], found['name'], found['send']) == ('WEB01', None, ' WEB01 ', True)


def test_the_vm_name_defaults_to_the_host():
    assert decide([DAILY], host='web01')['vm'] == 'web01'


def test_one_vm_under_references_that_differ_in_case_is_one_vm():
    found = decide([DAILY], host='web01', source='lookup', refs=[WEB01_REF, WEB01_REF.replace('urn:VMware:Vm:', 'URN:vmware:VM:')])
    assert (found['send'], found['vm']) == (True, WEB01_REF)


def test_several_vms_of_the_name_fail_the_host():
    found = decide([DAILY], host='web01', source='lookup', refs=[WEB01_REF, DB01_REF])
    assert (found['send'], found['ok'], found['vm']) == (False, False, None)
    assert found['msg'] == (
        'Backup of web01 did not succeed. 2 VMs are named "web01" (%s, %s), and a quick backup backs up exactly the host\'s '
        'VM; set the host variable veeam_hierarchy_obj_ref to the reference of its VM (the veeamops.em.veeam_em inventory '
        'sets it).' % (WEB01_REF, DB01_REF))


def test_a_reference_that_is_no_vm_reference_fails_the_host():
    found = decide([DAILY], host='web01', refs=['urn:VMware:Folder:x.group-1'])
    assert (found['send'], found['ref']) == (False, None)
    assert found['msg'].startswith('Backup of web01 did not succeed. "urn:VMware:Folder:x.group-1" is not a VM reference')


def test_an_empty_vm_name_fails_the_host():
    found = decide([DAILY], host='web01', vm_name='  ')
    assert not found['send'] and 'The name of its VM is empty' in found['msg']


def test_problems_fail_the_host_whatever_its_other_jobs():
    found = decide([DAILY], host='web01', problems=['No job named "Typo" in Enterprise Manager'], refs=[WEB01_REF])
    assert (found['send'], found['ok'], found['skipped'], found['ref']) == (False, False, False, WEB01_REF)
    assert found['msg'] == 'Backup of web01 did not succeed. No job named "Typo" in Enterprise Manager.'
    assert decide([], host='web01', problems=['A', 'B'], check_mode=True)['msg'] == 'Backup of web01 cannot run as planned. A. B.'


def test_only_backup_jobs_protect():
    found = decide([REPLICA], host='db01', source='names')
    assert (found['send'], found['ok'], found['skipped']) == (False, False, False)
    assert found['msg'] == ('No backup job protects db01: its jobs SQL Replica are not backup jobs, and a quick backup runs the '
                            'backup job that protects the VM (backup_before_change_method=job starts them).')
    assert decide([], host='db01', other_jobs=[REPLICA], source='inventory')['msg'] == found['msg']
    assert decide([REPLICA, DAILY], host='db01')['send']


@pytest.mark.parametrize('source, why', [
    ('inventory', 'the host has no inventory variable veeam_jobs'),
    ('lookup', 'no job includes a VM named "db01"; a VM that a job protects only through a folder'),
    ('names', 'no job.'),
])
def test_an_unprotected_host_fails_with_the_reason(source, why):
    found = decide([], host='db01', source=source)
    assert (found['send'], found['ok'], found['skipped']) == (False, False, False)
    assert found['msg'].startswith('No job protects db01: ') and why in found['msg']


def test_an_unprotected_host_is_skipped_when_asked():
    found = decide([], host='db01', source='lookup', unprotected='skip', refs=[DB01_REF])
    assert (found['send'], found['ok'], found['skipped'], found['ref']) == (False, True, True, DB01_REF)
    assert found['msg'].endswith('It is left in the play without a backup (backup_before_change_unprotected=skip).')


@pytest.mark.parametrize('options, message', [
    ({'unprotected': 'ignore'}, "unprotected must be one of fail, skip, not 'ignore'"),
    ({'source': 'cmdb'}, "source must be one of names, inventory, lookup, not 'cmdb'"),
    ({'check_mode': 'maybe'}, "check_mode must be a boolean, not 'maybe'"),
    ({'refs': 'x', 'problems': {}}, 'problems must be a list, not dict'),
    ({'other_jobs': ['SQL Replica']}, 'every element of other_jobs must be a dictionary, not str'),
])
def test_wrong_input_is_a_clear_error(options, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_vm_target: ') as caught:
        decide([DAILY], host='web01', **options)
    assert message in str(caught.value)
