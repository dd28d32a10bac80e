# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore points, restore tasks and restore sessions for tests of the VM restore, from the reference examples.

Payloads are PascalCase, as Enterprise Manager 12 writes them. ``script_points`` and ``script_parents`` script the
queries ``veeam_vm_restore`` sends for a VM's restore points and for the restore point of the chosen one.
"""

from __future__ import annotations

import copy

from .em_http import json_response
from .em_payloads import EM, VBR01, fixture_json, query_page
from .em_runs import finished, task
from . import em_vms as estate

SESSION_ID = 'e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63'
SESSION_PATH = '/api/restoreSessions/' + SESSION_ID
# Three points of web01 (vc01) in Daily VM Backup, one per night, newest first; two restore points (parents).
P3 = '3c3c3c3c-0000-4000-8000-000000000003'
P2 = '2b2b2b2b-0000-4000-8000-000000000002'
P1 = '1a1a1a1a-0000-4000-8000-000000000001'
RP3 = 'b36a86f1-0417-4378-83c0-639f1cb433ba'
RP2 = '9e8d7c6b-0000-4000-8000-0000000000b2'
RP1 = '8d7c6b5a-0000-4000-8000-0000000000b1'
TIMES = {P3: '2026-03-01T21:02:05.283Z', P2: '2026-02-28T21:01:44.907Z', P1: '2026-02-27T21:03:12.5Z'}
PARENTS = {P3: RP3, P2: RP2, P1: RP1}
BACKUP_ID = '5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'
# Cloud Director and Hyper-V VMs (the lab's tenant-web01 and sql-hv01).
VCD = '509e63d0-54f2-4b60-b3ca-cbe130329132'
TENANT_WEB01 = 'urn:vCloud:Vm:%s.urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec' % VCD
HV01 = '343c7197-0b5e-4c1a-9d2f-8e6a4b3c2d10'
SQL_HV01 = 'urn:HyperV:Vm:%s.020aa5ab-3523-4946-b658-b8ad5b372439' % HV01


def web01_points(ids=(P3, P2, P1), ref=estate.WEB01, name='web01'):
    return [estate.vm_point(ref, name, point_id, TIMES[point_id], PARENTS[point_id]) for point_id in ids]


def parent(point_id, backup='Daily VM Backup'):
    return estate.restore_point(PARENTS[point_id], backup, BACKUP_ID)


def script_points(http, points, ref=estate.WEB01, server=None):
    """The query of the VM's restore points by reference (newest first), optionally on one backup server."""
    expr = 'HierarchyObjRef=="%s"' % ref + (';BackupServerName=="%s"' % server if server else '')
    http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points)), filter_text=expr, sort_desc='CreationTime')


def script_parents(http, restore_point_ids, entities):
    expr = ','.join('UID=="urn:veeam:RestorePoint:%s"' % item for item in restore_point_ids)
    http.expect_query('RestorePoint', json_response(query_page('RestorePoint', entities)), filter_text=expr)


def restore_task(task_id='task-1', state='Finished', success=True, message='Ok', session_id=SESSION_ID):
    """A StartVMRestore task; once Finished with success it links the restore session (task-restore-finished.json)."""
    if state == 'Running':
        return task(task_id, 'Running', 'StartVMRestore')
    entity = finished(task_id, 'StartVMRestore', message, success, state)
    if state == 'Finished' and success and session_id:
        entity['Links'].append({'Rel': 'Related', 'Href': '%s/api/restoreSessions/%s?format=Entity' % (EM, session_id), 'Name': None,
                                'Type': 'RestoreSession'})
    return entity


def restore_session(state='Stopped', result='Success', progress=100, point_id=P3, vm_name='web01', session_id=SESSION_ID,
                    created='2026-03-02T11:05:31.87Z', failure=None, server=VBR01, job_type='RestoreVm'):
    """A RestoreSession entity (restore-session-entity.json), running or stopped."""
    session = copy.deepcopy(fixture_json('restore-session-entity.json'))
    stopped = state == 'Stopped'
    session.update({'State': state, 'Result': result if stopped else 'None', 'Progress': progress if stopped else min(progress, 99),
                    'EndTimeUTC': '2026-03-02T11:23:48.327Z' if stopped else None, 'CreationTimeUTC': created, 'VmDisplayName': vm_name,
                    'RestoredObjRef': session['RestoredObjRef'] if stopped else None, 'FailureMessage': failure, 'JobType': job_type,
                    'Name': '%s@%s' % (vm_name, created[:19].replace('T', ' ')), 'UID': 'urn:veeam:RestoreSession:' + session_id,
                    'Href': '%s/api/restoreSessions/%s?format=Entity' % (EM, session_id)})
    for link in session['Links']:
        if link['Type'] == 'VmRestorePointReference':
            if point_id is None:
                link['Href'] = None
            else:
                link['Href'] = '%s/api/vmRestorePoints/%s' % (EM, point_id)
        elif link['Type'] == 'BackupServerReference':
            link.update(Name=server[0], Href='%s/api/backupServers/%s' % (EM, server[1]))
        elif link['Type'] == 'RestoreSessionReference':
            link['Href'] = '%s/api/restoreSessions/%s' % (EM, session_id)
    session['Links'] = [link for link in session['Links'] if link['Href']]
    return session


def root(name, root_id, host_type):
    entity = estate.root(name, root_id, VBR01)
    entity['HostType'] = host_type
    return entity


ROOTS = estate.ROOTS + [root('vcd01.lab.local', VCD, 'VcdSystem'), root('hv01.lab.local', HV01, 'HvServer')]
