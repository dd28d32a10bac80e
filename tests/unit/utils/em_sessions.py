# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs, task sessions and restore points for tests of veeam_session_info and veeam_restore_point_info.

Payloads are PascalCase, as Enterprise Manager 12 writes them, built from the reference examples
(``query-backuptasksession-entities.json``, ``query-backupjobsession-entities.json``, the restore point examples).
"""

from __future__ import annotations

import copy

from .em_http import json_response
from .em_payloads import EM, VBR01, fixture_json, job_entity, query_page, session_entity
from .em_vms import DB01, WEB01, restore_point, vm_point

DAILY = job_entity()
FILES = job_entity('File Server Backup', '4e6a8c0b-2d3f-4c5e-9a7b-1f3d5b7c9ea2')
REPLICA = job_entity('SQL Replica', 'bc39ed6c-d173-4df1-aeec-87ac42b80657', 'Replica')
FAILED_REASON = 'Error: Failed to create VM snapshot. The operation is not allowed in the current state.'


def run_id(number):
    return '00000000-0000-4000-8000-%012d' % number


def run(number, job=DAILY, created='2026-03-01T21:00:12.437Z', ended='2026-03-01T21:24:51.103Z', result='Success', state='Stopped',
        progress=100):
    """Run number ``number`` of ``job`` (ids ``00000000-0000-4000-8000-<number>``)."""
    entity = session_entity(job, run_id(number), state=state, result=result, created=created, ended=ended, progress=progress)
    if ended is None:
        del entity['EndTimeUTC']
    return entity


def task(owner, number, vm='web01', ref=WEB01, result='Success', reason='', created='2026-03-01T21:01:40.117Z',
         ended='2026-03-01T21:09:02.54Z', state='Completed'):
    """Task session ``number`` of the run ``owner``: a BackupTaskSession (ReplicaTaskSession, without VmUid, for replica runs)."""
    item = copy.deepcopy(fixture_json('query-backuptasksession-entities.json')['Entities']['BackupTaskSessions']['BackupTaskSessions'][0])
    task_id = 'b12dda93-6b95-4349-b86c-%012d' % number
    replica = owner['Type'] == 'ReplicaJobSession'
    kind = 'ReplicaTaskSession' if replica else 'BackupTaskSession'
    item.update({'JobSessionUid': owner['UID'], 'CreationTimeUTC': created, 'EndTimeUTC': ended, 'State': state, 'Result': result,
                 'Reason': reason, 'VmUid': ref, 'VmDisplayName': vm, 'Name': '%s@%s' % (vm, created[:19].replace('T', ' ')),
                 'UID': 'urn:veeam:%s:%s' % (kind, task_id), 'Type': kind,
                 'Href': '%s/api/%s/%s?format=Entity' % (EM, 'replicaTaskSessions' if replica else 'backupTaskSessions', task_id)})
    if replica:
        del item['VmUid']
    item['Links'] = [link for link in item['Links'] if link['Rel'] != 'Related']
    return item


def page(query_type, items, page_size=1000, page_num=1, pages_count=1):
    """A QueryResult page of ``query_type`` (also ``ReplicaTaskSession``, which em_payloads.query_page does not list)."""
    if query_type == 'ReplicaTaskSession':
        data = query_page('Job', [], page_num=page_num, pages_count=pages_count, page_size=page_size)
        data['Entities'] = {'Jobs': None, 'ReplicaTaskSessions': {'ReplicaTaskSessions': items}}
        return json_response(data)
    return json_response(query_page(query_type, items, page_num=page_num, pages_count=pages_count, page_size=page_size))


def backup(name='Daily VM Backup', backup_id='5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05', server=VBR01):
    """A Backup entity (from examples/query-backup-entities.json) named ``name`` on ``server``."""
    entity = copy.deepcopy(fixture_json('query-backup-entities.json')['Entities']['Backups']['Backups'][0])
    old_id = entity['UID'].rsplit(':', 1)[-1]
    entity['Name'] = name
    entity['UID'] = 'urn:veeam:Backup:' + backup_id
    entity['Href'] = entity['Href'].replace(old_id, backup_id)
    for link in entity['Links']:
        link['Href'] = link['Href'].replace(old_id, backup_id)
        if link.get('Type') == 'BackupServerReference':
            link.update(Name=server[0], Href='%s/api/backupServers/%s' % (EM, server[1]))
        elif link.get('Type') == 'BackupReference':
            link['Name'] = name
    return entity


def point_id(number):
    return 'd3c0e8f2-5a71-4c9b-b2e4-%012d' % number


def parent_id(number):
    return 'b36a86f1-0417-4378-83c0-%012d' % number


def points_of(ref, name, numbers, parent_of=lambda number: 1, day=1, server=VBR01):
    """VM restore points ``numbers`` of one VM, one a day back from 2026-03-<day + len>, newest first."""
    found = []
    for offset, number in enumerate(numbers):
        created = '2026-03-%02dT21:02:05.283Z' % (day + len(numbers) - offset)
        found.append(vm_point(ref, name, point_id(number), created, parent_id(parent_of(number)), server))
    return found


def parents(numbers, backup_name='Daily VM Backup', backup_id='5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'):
    return [restore_point(parent_id(number), backup_name, backup_id) for number in numbers]


__all__ = ['DAILY', 'DB01', 'FAILED_REASON', 'FILES', 'REPLICA', 'WEB01', 'backup', 'page', 'parent_id', 'parents', 'point_id', 'points_of',
           'run', 'run_id', 'task']
