# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small helpers of the restore-side tests: queries written as a person would, ids from UIDs, run and restore waits."""

from __future__ import annotations

from urllib.parse import quote

from conftest import VC01, wait_until

VC02 = '8d2f4c61-3b7a-4e59-9c1d-2a6e5f7b9c03'
VCD01 = '509e63d0-54f2-4b60-b3ca-cbe130329132'
HV01 = '343c7197-7bdd-465d-a5ad-ad923cfffdb4'
DB01_REF = f'urn:VMware:Vm:{VC01}.vm-1108'
DC01_REF = f'urn:VMware:Vm:{VC01}.vm-1201'
WEB01_DR_REF = f'urn:VMware:Vm:{VC02}.vm-2042'
TENANT_WEB01_REF = f'urn:vCloud:Vm:{VCD01}.urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec'
TENANT_VAPP_REF = f'urn:vCloud:Vapp:{VCD01}.urn:vcloud:vapp:8e1f3a5c-7b9d-4f02-a6c8-2e4d6f8a0b1c'
SQL_HV_REF = f'urn:HyperV:Vm:{HV01}.020aa5ab-3523-4946-b658-b8ad5b372439'


def ident(uid_or_href: str) -> str:
    """The id at the end of a UID (``urn:veeam:Backup:<id>``) or of an Href without query (``…/backups/<id>``)."""
    return uid_or_href.rsplit(':', 1)[-1].rsplit('/', 1)[-1]


def query(client, type_name, filter_text=None, extra='', expect=200, fmt='Entities'):
    """The items of ``query?type=…&format=…`` (one page of up to 1000)."""
    params = f'type={type_name}&format={fmt}&pageSize=1000'
    if filter_text is not None:
        params += '&filter=' + quote(filter_text, safe='')
    result = client.json(f'/query?{params}{extra}', expect=expect)
    if expect != 200:
        return result
    if fmt == 'References':
        return result['Refs']['Refs']
    holder = next(value for value in result['Entities'].values() if value is not None)
    return next(iter(holder.values()))


def vm_points(client, vm_ref, backup_name=None):
    """Entities of the VM restore points of ``vm_ref``, oldest first (optionally of one backup only)."""
    points = query(client, 'VmRestorePoint', f'HierarchyObjRef=="{vm_ref}"', '&sortAsc=CreationTime')
    if backup_name is None:
        return points
    return [point for point in points if point_backup(client, point)['Name'] == backup_name]


def link(entity, rel, type_):
    return next(item for item in entity['Links'] if item['Rel'] == rel and item['Type'] == type_)


def point_backup(client, vm_point):
    """VM restore point → Up RestorePointReference → Up BackupReference [restore-points.md]."""
    point = client.json(link(vm_point, 'Up', 'RestorePointReference')['Href'] + '?format=Entity')
    return client.json(link(point, 'Up', 'BackupReference')['Href'] + '?format=Entity')


def latest_session(client, job_id):
    sessions = query(client, 'BackupJobSession', f'JobUid=="urn:veeam:Job:{job_id}"', '&sortDesc=CreationTime')
    return sessions[0]


def run_and_wait(client, job_id, action='start'):
    """Start (or sync, retry) a job, wait for its new run to stop; returns the job session entity."""
    before = latest_session(client, job_id)['UID']
    client.wait_task(client.action(f'/jobs/{job_id}?action={action}'))
    return wait_until(lambda: latest_session(client, job_id), lambda item: item['UID'] != before and item['State'] == 'Stopped',
                      what='the run to stop')


def restore(client, point_id, body=None, media='json', expect=202):
    response = client.post(f'/vmRestorePoints/{point_id}?action=restore', body, media=media)
    assert response.status_code == expect, response.text
    return response


def restore_session_of(client, task):
    """Wait for a restore task to finish and its restore session to stop; returns (task, session)."""
    task = client.wait_task(task)
    session_link = next(item for item in task['Links'] if item['Type'] == 'RestoreSession')
    session = wait_until(lambda: client.json(session_link['Href']), lambda item: item['State'] == 'Stopped', what='the restore to stop')
    return task, session
