# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_of_vm: the jobs that include a VM, by its name."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    DB01_REF, ROOT, VBR02, WEB01_REF, include, job, the_filter,
)

WEB01_VC02 = 'urn:VMware:Vm:9e0c2d5a-1111-4c24-a47c-dc3b62a4c27f.vm-77'
DAILY = job('Daily VM Backup', 'a', includes=[include('web01', WEB01_REF), include('Production', 'urn:VMware:Folder:%s.group-v1' % ROOT, 'Folder')])
DR = job('DR Site Backup', 'b', server=VBR02, includes=[include('WEB01', WEB01_VC02)])
REPLICA = job('SQL Replica', 'c', job_type='Replica', includes=[include('db01', DB01_REF)])
DEV = job('Dev Backup', 'd', includes=[include('vm-test', 'urn:VMware:Vm:%s.vm-9' % ROOT, display_name='test01')])
FOLDER_ONLY = job('Folder Backup', 'e', includes=[include('web01', 'urn:VMware:Folder:%s.group-v9' % ROOT, 'Folder')])
JOBS = [DAILY, DR, REPLICA, DEV, FOLDER_ONLY]

of_vm = the_filter('backup_jobs_of_vm')


def names(jobs):
    return [found['name'] for found in jobs]


def test_a_vm_named_in_two_jobs_finds_both_without_regard_to_case():
    found = of_vm(JOBS, 'Web01', job_types=['Backup'])
    assert names(found['jobs']) == ['Daily VM Backup', 'DR Site Backup']
    assert found['other_jobs'] == []
    assert found['refs'] == [WEB01_REF, WEB01_VC02]


def test_a_container_with_the_vm_name_is_not_the_vm():
    assert names(of_vm([FOLDER_ONLY], 'web01')['jobs']) == []


def test_the_display_name_matches_too_after_the_names():
    both = [job('By display', 'x', includes=[include('vm-1', WEB01_REF, display_name='web01')]), DAILY]
    assert names(of_vm(both, 'web01')['jobs']) == ['Daily VM Backup', 'By display']
    assert names(of_vm(JOBS, 'TEST01')['jobs']) == ['Dev Backup']


def test_jobs_of_other_types_are_kept_apart():
    found = of_vm(JOBS, 'db01', job_types=['Backup'])
    assert found['jobs'] == [] and names(found['other_jobs']) == ['SQL Replica'] and found['refs'] == [DB01_REF]
    assert names(of_vm(JOBS, 'db01', job_types=['Backup', 'Replica'])['jobs']) == ['SQL Replica']


def test_without_job_types_every_type_counts():
    found = of_vm(JOBS, 'db01')
    assert names(found['jobs']) == ['SQL Replica'] and found['other_jobs'] == []


def test_a_job_that_includes_the_vm_twice_is_found_once_and_refs_are_unique():
    twice = job('Twice', 't', includes=[include('web01', WEB01_REF), include('other', WEB01_REF, display_name='web01'),
                                        include('web01', None)])
    found = of_vm([twice], 'web01')
    assert names(found['jobs']) == ['Twice'] and found['refs'] == [WEB01_REF]


def test_the_name_is_literal_not_a_pattern():
    assert of_vm(JOBS, 'web.1')['jobs'] == []
    assert of_vm(JOBS, 'web0')['jobs'] == []
    assert of_vm([job('Dots', 'x', includes=[include('web.1', WEB01_REF)])], 'WEB.1')['refs'] == [WEB01_REF]


def test_no_match_and_missing_or_odd_includes():
    odd = [job('No includes', 'x'), job('Null includes', 'y', includes=None),
           job('Numeric name', 'z', includes=[{'name': 42, 'display_name': None, 'object_type': 'Vm', 'hierarchy_obj_ref': WEB01_REF}])]
    assert of_vm(odd + JOBS, 'nowhere') == {'jobs': [], 'other_jobs': [], 'refs': []}
    assert of_vm(odd, '42') == {'jobs': [], 'other_jobs': [], 'refs': []}


@pytest.mark.parametrize('jobs, name, message', [
    ('not a list', 'web01', 'the jobs must be a list, not str'),
    (['not a job'], 'web01', 'every element of the jobs must be a dictionary, not str'),
    ([job('Bad', 'x', includes=['web01'])], 'web01', 'every element of the includes of job "Bad" must be a dictionary'),
    (JOBS, None, 'name must be a string, not NoneType'),
])
def test_wrong_input_is_a_clear_error(jobs, name, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_of_vm: ') as caught:
        of_vm(jobs, name)
    assert message in str(caught.value)
