# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small estate for tests of VM-level code: hierarchy roots, jobs with VM and container includes, VM restore points.

Built from the reference examples (PascalCase, as Enterprise Manager 12 writes it). ``script_resolution`` scripts
the requests ``VmResolver.resolve`` sends for it.
"""

from __future__ import annotations

import copy

from .em_http import json_response
from .em_payloads import EM, VBR01, VBR02, fixture_json, job_entity, query_page

VC01 = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
VC02 = '8d2f4c61-3b7e-4a90-9c15-6e2d8f0a1b34'
WEB01 = 'urn:VMware:Vm:%s.vm-1042' % VC01
WEB01_DR = 'urn:VMware:Vm:%s.vm-2042' % VC02
DB01 = 'urn:VMware:Vm:%s.vm-1108' % VC01
GOLD01 = 'urn:VMware:Vm:%s.vm-1301' % VC01
TAG = 'urn:VMware:Tag:%s.urn:vmomi:InventoryServiceTag:5b1e7c4a-0d3f-4e2a-9b6c-1a7f8e2d3c45:GLOBAL' % VC01
DAILY_ID = '47752464-8e77-407a-a936-132173ac15f5'
DR_ID = '0e2a4c6b-8d0f-4b1e-9a3c-5e7f9b1d3f50'
GOLD_ID = '7b9d1f3e-5a7c-4e9b-8d1f-3a5c7e9b1d20'
POINT_ID = 'b36a86f1-0417-4378-83c0-639f1cb433ba'


def root(name, root_id, server):
    entity = copy.deepcopy(fixture_json('hierarchyroot-entity.json'))
    entity.update({'Name': name, 'HierarchyRootId': root_id, 'UID': 'urn:veeam:HierarchyRoot:' + root_id,
                   'Href': '%s/api/hierarchyRoots/%s?format=Entity' % (EM, root_id)})
    for link in entity['Links']:
        if link.get('Type') == 'BackupServerReference':
            link.update(Name=server[0], Href='%s/api/backupServers/%s' % (EM, server[1]))
    return entity


def include(ref, name, oid='6eb9589d-5100-49a5-b885-742741f7ca22'):
    return {'ObjectInJobId': oid, 'HierarchyObjRef': ref, 'Name': name, 'DisplayName': name, 'Links': None, 'Href': None, 'Type': 'ObjectInJob'}


def job_with(name, job_id, includes, server=VBR01, job_type='Backup'):
    job = job_entity(name, job_id, job_type, server)
    info = job['JobInfo']['BackupJobInfo' if job_type != 'Replica' else 'ReplicaJobInfo']
    info['Includes'] = {'ObjectInJobs': includes}
    return job


def vm_point(ref, name, point_id='d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35', created='2026-03-01T21:02:05.283Z', restore_point=POINT_ID,
             server=VBR01):
    point = copy.deepcopy(fixture_json('query-vmrestorepoint-entities.json')['Entities']['VmRestorePoints']['VmRestorePoints'][0])
    point.update({'HierarchyObjRef': ref, 'VmName': name, 'VmDisplayName': name, 'CreationTimeUTC': created,
                  'Name': '%s@%s' % (name, created[:19].replace('T', ' ')), 'UID': 'urn:veeam:VmRestorePoint:' + point_id})
    for link in point['Links']:
        if link.get('Type') == 'RestorePointReference':
            link['Href'] = '%s/api/restorePoints/%s' % (EM, restore_point)
        elif link.get('Type') == 'BackupServerReference':
            link.update(Name=server[0], Href='%s/api/backupServers/%s' % (EM, server[1]))
        elif link.get('Href'):
            link['Href'] = link['Href'].replace('d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35', point_id)
    return point


def restore_point(point_id=POINT_ID, backup='Daily VM Backup', backup_id='5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'):
    entity = copy.deepcopy(fixture_json('restorepoint-entity.json'))
    entity['UID'] = 'urn:veeam:RestorePoint:' + point_id
    for link in entity['Links']:
        if link.get('Type') == 'BackupReference':
            link.update(Name=backup, Href='%s/api/backups/%s' % (EM, backup_id))
    return entity


ROOTS = [root('vc01.lab.local', VC01, VBR01), root('vc02.lab.local', VC02, VBR02)]
DAILY = job_with('Daily VM Backup', DAILY_ID, [include(WEB01, 'web01'), include(DB01, 'db01')])
DR = job_with('DR Site Backup', DR_ID, [include(WEB01_DR, 'web01')], server=VBR02)
GOLD = job_with('Gold Tag Backup', GOLD_ID, [include(TAG, 'Backup-Gold')])
JOBS = [DAILY, DR, GOLD]


def script_resolution(http, points=None, restore_points=None, point_filter=None, jobs=None, job_filter=None, rp_filter=None):
    """The requests of VmResolver.resolve: roots, jobs, and (when ``points`` is not None) VM restore points and restore points."""
    http.expect_query('HierarchyRoot', json_response(query_page('HierarchyRoot', ROOTS)), sort_asc='Name')
    kwargs = {} if job_filter is None else {'filter_text': job_filter}
    http.expect_query('Job', json_response(query_page('Job', JOBS if jobs is None else jobs)), sort_asc='Name', **kwargs)
    if points is not None:
        kwargs = {} if point_filter is None else {'filter_text': point_filter}
        http.expect_query('VmRestorePoint', json_response(query_page('VmRestorePoint', points)), sort_desc='CreationTime', **kwargs)
        if points:
            kwargs = {} if rp_filter is None else {'filter_text': rp_filter}
            http.expect_query('RestorePoint', json_response(query_page('RestorePoint', restore_points or [])), **kwargs)
