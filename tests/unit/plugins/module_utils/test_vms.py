# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_vms: the one VM identity rule over scripted HTTP."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import (
    EmAmbiguousVmError,
    EmInputError,
    EmVmNotFoundError,
    EmVmNotProtectedError,
)
from ansible_collections.veeamops.em.plugins.module_utils._vms import VmResolver, vm_key
from ansible_collections.veeamops.em.tests.unit.utils import em_vms as estate
from ansible_collections.veeamops.em.tests.unit.utils.em_http import error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR01, VBR02, job_entity, query_page, session_entity


def resolve(em_http, em_settings, items, require_job=True, backup_server=None, **script):
    em_http.expect_logon()
    estate.script_resolution(em_http, **script)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        return VmResolver(em, backup_server).resolve(items, require_job=require_job)


def test_vm_identity_folds_case_except_the_object_ref():
    assert vm_key(estate.WEB01) == vm_key(estate.WEB01.replace('VMware:Vm', 'vmware:VM').upper().replace('VM-1042', 'vm-1042'))
    assert vm_key(estate.WEB01) != vm_key(estate.WEB01.replace('vm-1042', 'VM-1042'))
    assert vm_key(estate.TAG) is None and vm_key('web01') is None


def test_a_reference_that_a_job_includes_needs_no_restore_point_query(em_http, em_settings):
    (web01,) = resolve(em_http, em_settings, [estate.WEB01])
    assert web01['ref'] == estate.WEB01 and web01['name'] == 'web01' and web01['hierarchy_root'] == 'vc01.lab.local'
    assert web01['backup_server'] == 'vbr01.lab.local' and web01['protected_by'] == 'include'
    assert [(job['name'], job['protected_by']) for job in web01['jobs']] == [('Daily VM Backup', 'include')]
    assert len(em_http.calls) == 4  # logon, roots, jobs, logoff


def test_a_name_is_matched_without_case_and_checked_against_restore_points(em_http, em_settings):
    (db01,) = resolve(em_http, em_settings, ['DB01'], points=[], point_filter='VmDisplayName==DB01')
    assert db01['ref'] == estate.DB01 and db01['jobs'][0]['name'] == 'Daily VM Backup'


def test_a_name_of_two_vms_fails_with_the_candidates(em_http, em_settings):
    with pytest.raises(EmAmbiguousVmError) as caught:
        resolve(em_http, em_settings, ['web01'], points=[], point_filter='VmDisplayName==web01')
    text = str(caught.value)
    assert text.startswith('2 VMs are named "web01": %s (hierarchy root vc01.lab.local, jobs: Daily VM Backup (vbr01.lab.local)); '
                           '%s (hierarchy root vc02.lab.local, jobs: DR Site Backup (vbr02.lab.local))' % (estate.WEB01, estate.WEB01_DR))
    assert [item['ref'] for item in caught.value.candidates] == [estate.WEB01, estate.WEB01_DR]
    assert 'veeam_hierarchy_obj_ref' in text


def test_backup_server_narrows_the_jobs(em_http, em_settings):
    (web01,) = resolve(em_http, em_settings, ['web01'], backup_server='vbr02.lab.local', jobs=[estate.DR], points=[],
                       job_filter='BackupServerName=="vbr02.lab.local"', point_filter='VmDisplayName==web01;BackupServerName=="vbr02.lab.local"')
    assert web01['ref'] == estate.WEB01_DR and web01['backup_server'] == 'vbr02.lab.local'


def test_a_vm_protected_through_a_tag_is_found_through_its_restore_points(em_http, em_settings):
    points = [estate.vm_point(estate.GOLD01, 'gold01', restore_point='c0c0c0c0-0000-4000-8000-000000000001')]
    restore_points = [estate.restore_point('c0c0c0c0-0000-4000-8000-000000000001', 'Gold Tag Backup')]
    (gold01,) = resolve(em_http, em_settings, ['gold01'], points=points, restore_points=restore_points, point_filter='VmDisplayName==gold01',
                        rp_filter='UID=="urn:veeam:RestorePoint:c0c0c0c0-0000-4000-8000-000000000001"')
    assert gold01['ref'] == estate.GOLD01 and gold01['protected_by'] == 'container'
    assert [(job['name'], job['protected_by']) for job in gold01['jobs']] == [('Gold Tag Backup', 'container')]


def test_a_name_that_matches_nothing_fails(em_http, em_settings):
    with pytest.raises(EmVmNotFoundError, match='No VM named "nothing" is protected by a job'):
        resolve(em_http, em_settings, ['nothing'], points=[], point_filter='VmDisplayName==nothing')


def test_an_unprotected_reference_fails_only_when_a_job_is_needed(em_http, em_settings):
    other = 'urn:VMware:Vm:%s.vm-9999' % estate.VC01
    with pytest.raises(EmVmNotProtectedError, match='No job protects VM %s' % other):
        resolve(em_http, em_settings, [other], points=[], point_filter='HierarchyObjRef=="%s"' % other)
    (vm,) = resolve(em_http, em_settings, [other], require_job=False, points=[], point_filter='HierarchyObjRef=="%s"' % other)
    assert vm['ref'] == other and vm['jobs'] == [] and vm['hierarchy_root'] == 'vc01.lab.local'


@pytest.mark.parametrize('items, message', [
    ([], 'needs at least one VM'),
    ('web01', 'needs at least one VM'),
    ([''], 'Invalid entry in option vms'),
    ([None], 'Invalid entry in option vms'),
    (['urn:VMware:Folder:%s.group-v1' % estate.VC01], 'Invalid VM reference in option vms'),
])
def test_bad_items_fail_before_any_request(items, message):
    with pytest.raises(EmInputError, match=message):
        VmResolver(None).resolve(items)


def test_an_account_that_may_not_read_jobs_resolves_through_restore_points_when_no_job_is_needed(em_http, em_settings):
    from ansible_collections.veeamops.em.tests.unit.utils.em_http import error_response, json_response  # pylint: disable=import-outside-toplevel
    from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import query_page  # pylint: disable=import-outside-toplevel

    points = [estate.vm_point(estate.WEB01, 'web01')]
    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', error_response(403), sort_asc='Name')
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points)), filter_text='VmDisplayName==web01',
                         sort_desc='CreationTime')
    em_http.expect_query('RestorePoint', json_response(query_page('RestorePoint', [estate.restore_point()])),
                         filter_text='UID=="urn:veeam:RestorePoint:%s"' % estate.POINT_ID)
    em_http.expect_query('BackupJobSession', error_response(403), filter_text='JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local"',
                         sort_desc='CreationTime', page_size=500)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        resolver = VmResolver(em)
        (web01,) = resolver.resolve(['web01'], require_job=False)
    assert web01['ref'] == estate.WEB01 and web01['jobs'] == [] and web01['hierarchy_root'] is None and web01['backup_server'] == 'vbr01.lab.local'
    assert [text.split(' (')[0] for text in resolver.warnings] == ['This account may not read hierarchy roots', 'This account may not read jobs',
                                                                   'This account may not read job sessions']
    assert list(resolver.restore_points) == [estate.POINT_ID]


def test_a_job_that_is_needed_makes_a_403_an_error(em_http, em_settings):
    from ansible_collections.veeamops.em.plugins.module_utils._errors import EmPermissionError  # pylint: disable=import-outside-toplevel
    from ansible_collections.veeamops.em.tests.unit.utils.em_http import error_response  # pylint: disable=import-outside-toplevel

    em_http.expect_logon()
    em_http.expect_query('HierarchyRoot', error_response(403), sort_asc='Name')
    em_http.expect_logoff()
    with pytest.raises(EmPermissionError):
        with EmClient(em_settings) as em:
            VmResolver(em).resolve(['web01'])


def test_the_jobs_of_a_vm_name_their_backup_server_and_its_id(em_http, em_settings):
    (web01,) = resolve(em_http, em_settings, [estate.WEB01_DR])
    assert [(job['name'], job['job_type'], job['backup_server'], job['backup_server_id']) for job in web01['jobs']] == [
        ('DR Site Backup', 'Backup', 'vbr02.lab.local', VBR02[1])]


def portal_user(em_http, points, restore_points, runs, point_filter, run_filter):
    """The requests of a Portal User: the job query is refused, jobs come from the runs of the points' backups."""
    em_http.expect_query('HierarchyRoot', json_response(query_page('HierarchyRoot', estate.ROOTS)), sort_asc='Name')
    em_http.expect_query('Job', error_response(403), sort_asc='Name')
    em_http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points)), filter_text=point_filter, sort_desc='CreationTime')
    if points:
        em_http.expect_query('RestorePoint', json_response(query_page('RestorePoint', restore_points)),
                             filter_text=','.join('UID=="%s"' % entity['UID'] for entity in restore_points))
    if run_filter:
        em_http.expect_query('BackupJobSession', json_response(query_page('BackupJobSession', runs)), filter_text=run_filter, sort_desc='CreationTime',
                             page_size=500)


def test_a_portal_user_finds_jobs_through_restore_points_and_runs(em_http, em_settings):
    copy_id = '45dc56b3-d9dd-4d71-babb-15e8894597e7'
    copy_point = 'c0c0c0c0-0000-4000-8000-000000000003'
    points = [estate.vm_point(estate.WEB01, 'web01'), estate.vm_point(estate.WEB01, 'web01', 'c0c0c0c0-0000-4000-8000-000000000004',
                                                                      restore_point=copy_point)]
    restore_points = [estate.restore_point(), estate.restore_point(copy_point, 'Offsite Copy', 'c0c0c0c0-0000-4000-8000-000000000005')]
    copy_job = job_entity('Offsite Copy', copy_id, 'ImmediateBackupCopy', platform='CustomPlatform')
    runs = [session_entity(estate.DAILY, 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'), session_entity(copy_job, '00000000-0000-4000-8000-000000000001')]
    em_http.expect_logon()
    portal_user(em_http, points, restore_points, runs, 'HierarchyObjRef=="%s"' % estate.WEB01,
                '(JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local"),(JobName=="Offsite Copy";BackupServerName=="vbr01.lab.local")')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        resolver = VmResolver(em)
        (web01,) = resolver.resolve([estate.WEB01])
    assert resolver.jobs_readable is False and 'may not read jobs' in resolver.warnings[0]
    # the copy job's run is left out: a backup copy job does not protect the VM
    assert [(job['name'], job['id'], job['job_type'], job['backup_server_id'], job['protected_by']) for job in web01['jobs']] == [
        ('Daily VM Backup', estate.DAILY_ID, 'Backup', VBR01[1], 'runs')]
    assert web01['name'] == 'web01' and web01['hierarchy_root'] == 'vc01.lab.local'


def test_a_portal_user_without_restore_points_of_a_name_is_told_why(em_http, em_settings):
    em_http.expect_logon()
    portal_user(em_http, [], [], [], 'VmDisplayName==db01', None)
    em_http.expect_logoff()
    with pytest.raises(EmVmNotFoundError) as caught:
        with EmClient(em_settings) as em:
            VmResolver(em).resolve(['db01'])
    assert 'this account may not read jobs, so only VMs with restore points are found' in str(caught.value)


def test_a_portal_user_vm_whose_job_has_no_run_is_not_protected(em_http, em_settings):
    em_http.expect_logon()
    portal_user(em_http, [estate.vm_point(estate.DB01, 'db01')], [estate.restore_point()], [], 'VmDisplayName==db01',
                'JobName=="Daily VM Backup";BackupServerName=="vbr01.lab.local"')
    em_http.expect_logoff()
    with pytest.raises(EmVmNotProtectedError, match='No job protects VM "db01"'):
        with EmClient(em_settings) as em:
            VmResolver(em).resolve(['db01'])
