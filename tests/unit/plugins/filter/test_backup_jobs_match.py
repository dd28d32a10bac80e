# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_match: the wanted jobs of a host against the jobs Enterprise Manager lists."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import VBR01, VBR02, job, the_filter

DAILY = job('Daily VM Backup', 'a')
NIGHTLY01 = job('Nightly Backup', 'n1')
NIGHTLY02 = job('Nightly Backup', 'n2', server=VBR02)
REPLICA = job('SQL Replica', 'r', job_type='Replica')
KNOWN = [DAILY, NIGHTLY01, NIGHTLY02, REPLICA]

match = the_filter('backup_jobs_match')


def test_names_match_exactly_one_job():
    assert match(['Daily VM Backup', {'name': 'SQL Replica'}], KNOWN) == {'jobs': [DAILY, REPLICA], 'problems': []}


def test_an_inventory_entry_matches_by_id_whatever_jobs_share_its_name():
    wanted = [{'name': 'Nightly Backup', 'id': 'n2', 'backup_server': {'name': VBR01}}]
    assert match(wanted, KNOWN) == {'jobs': [NIGHTLY02], 'problems': []}


def test_an_inventory_entry_whose_id_is_gone_asks_for_a_refresh():
    wanted = [{'name': 'Old Backup', 'id': 'gone', 'backup_server': {'name': VBR01}}]
    assert match(wanted, KNOWN) == {'jobs': [], 'problems': [
        'Job "Old Backup" on backup server vbr01.example.com protects this host according to the inventory variable '
        'veeam_jobs, but Enterprise Manager does not list it (any more); refresh the inventory (for example '
        'ansible-inventory --flush-cache)']}


@pytest.mark.parametrize('server', [VBR02, 'VBR02.Example.COM', {'name': 'vbr02.EXAMPLE.com'}])
def test_the_backup_server_tells_jobs_of_the_same_name_apart(server):
    assert match([{'name': 'Nightly Backup', 'backup_server': server}], KNOWN) == {'jobs': [NIGHTLY02], 'problems': []}


def test_the_backup_server_is_compared_as_a_name_not_a_pattern():
    result = match([{'name': 'Nightly Backup', 'backup_server': 'vbr0.\\.example\\.com'}], KNOWN)
    assert result == {'jobs': [], 'problems': ['No job named "Nightly Backup" on backup server vbr0.\\.example\\.com in Enterprise Manager']}


def test_a_name_on_several_backup_servers_is_ambiguous():
    assert match(['Nightly Backup'], KNOWN) == {'jobs': [], 'problems': [
        'Several jobs are named "Nightly Backup" (on vbr01.example.com, vbr02.example.com); add backup_server to this '
        'entry of backup_before_change_jobs']}


def test_an_unknown_name_is_missing_with_or_without_server():
    assert match(['No Such Job', {'name': 'Daily VM Backup', 'backup_server': VBR02}], KNOWN)['problems'] == [
        'No job named "No Such Job" in Enterprise Manager',
        'No job named "Daily VM Backup" on backup server vbr02.example.com in Enterprise Manager']


def test_names_are_compared_exactly():
    assert match(['daily vm backup'], KNOWN)['problems'] == ['No job named "daily vm backup" in Enterprise Manager']


def test_every_job_once_in_the_order_of_the_entries_problems_too():
    wanted = ['SQL Replica', 'Typo', {'name': 'Daily VM Backup', 'id': 'a'}, 'Daily VM Backup', 'Nightly Backup']
    result = match(wanted, KNOWN)
    assert result['jobs'] == [REPLICA, DAILY]
    assert [problem.split(' ')[0] for problem in result['problems']] == ['No', 'Several']


def test_an_entry_that_is_not_a_string_is_a_name():
    assert match([2024], [job('2024', 'y')])['jobs'] == [job('2024', 'y')]


def test_nothing_wanted_or_nothing_known():
    assert match([], KNOWN) == {'jobs': [], 'problems': []}
    assert match(['Daily VM Backup'], []) == {'jobs': [], 'problems': ['No job named "Daily VM Backup" in Enterprise Manager']}


def test_a_null_backup_server_is_no_backup_server():
    assert match([{'name': 'Daily VM Backup', 'backup_server': None}], KNOWN)['jobs'] == [DAILY]


@pytest.mark.parametrize('wanted, known, message', [
    ('Daily VM Backup', KNOWN, 'the wanted jobs must be a list, not str'),
    (['Daily VM Backup'], {'jobs': KNOWN}, 'known must be a list, not dict'),
    (['Daily VM Backup'], ['Daily VM Backup'], 'every element of known must be a dictionary, not str'),
])
def test_wrong_input_is_a_clear_error(wanted, known, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_match: ') as caught:
        match(wanted, known)
    assert message in str(caught.value)
