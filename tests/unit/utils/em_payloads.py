# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Enterprise Manager payloads for unit tests, derived from the reference examples in ``tests/unit/fixtures``.

Builders return PascalCase data as EM 12 writes it; ``encode(..., casing='camel')`` gives the EM 13 form.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / 'fixtures'
EM = 'https://em01.lab.local:9398'
DAILY_ID = '47752464-8e77-407a-a936-132173ac15f5'
VBR01 = ('vbr01.lab.local', 'af37938e-191c-4df1-891e-3a49c7a3bec7')
VBR02 = ('vbr02.lab.local', '5f0b7c2e-9d41-4a8e-b3f6-2c7d9e1a4b58')


def fixture_bytes(name):
    return (FIXTURES / name).read_bytes()


def fixture_json(name):
    """A reference example (PascalCase, as EM 12 writes it), parsed."""
    return json.loads(fixture_bytes(name).decode('utf-8'))


def dotnet_camel(key):
    """.NET ``JsonNamingPolicy.CamelCase`` (the EM 13 key casing): lower-case the leading capitals, except the
    last one when a lower-case character follows it (``UID`` -> ``uid``, ``NASJobs`` -> ``nasJobs``)."""
    if not key or not key[0].isupper():
        return key
    chars = list(key)
    for index, char in enumerate(chars):
        if index == 1 and not char.isupper():
            break
        if index > 0 and index + 1 < len(chars) and not chars[index + 1].isupper():
            if chars[index + 1] == ' ':
                chars[index] = char.lower()
            break
        chars[index] = char.lower()
    return ''.join(chars)


def camel_keys(value):
    """The same data with every key in EM 13 camelCase."""
    if isinstance(value, dict):
        return {dotnet_camel(key): camel_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [camel_keys(item) for item in value]
    return value


def encode(data, casing='pascal', bom=False):
    """JSON bytes of ``data`` as EM would send them (camelCase keys for EM 13, optional UTF-8 BOM)."""
    if casing == 'camel':
        data = camel_keys(data)
    body = json.dumps(data, ensure_ascii=False).encode('utf-8')
    return (b'\xef\xbb\xbf' + body) if bom else body


def _replace(value, old, new):
    if isinstance(value, dict):
        return {key: _replace(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, old, new) for item in value]
    if isinstance(value, str):
        return value.replace(old, new)
    return value


def job_entity(name='Daily VM Backup', job_id=DAILY_ID, job_type='Backup', server=VBR01, platform='VMware',
               schedule_enabled=True, next_run='2026-03-02T21:00:00Z'):
    """A Job entity as ``query?type=Job&format=Entities`` returns it, based on the "Daily VM Backup" example."""
    job = copy.deepcopy(fixture_json('query-job-entities.json')['Entities']['Jobs']['Jobs'][0])
    job = _replace(job, DAILY_ID, job_id)
    job = _replace(job, VBR01[1], server[1])
    job['Name'] = name
    for link in job['Links']:
        if link['Name'] == 'Daily VM Backup':
            link['Name'] = name
        elif link['Name'] == VBR01[0]:
            link['Name'] = server[0]
    job.update({'JobType': job_type, 'Platform': platform, 'ScheduleEnabled': schedule_enabled, 'NextRun': next_run})
    if job_type == 'Replica':
        info = job['JobInfo']
        info['ReplicaJobInfo'], info['BackupJobInfo'] = info['BackupJobInfo'], None
        for link in job['Links']:
            if link['Type'] == 'BackupJobSessionReferenceList':
                link.update(Type='ReplicaJobSessionReferenceList', Href=link['Href'].replace('/backupSessions', '/replicaSessions'))
    elif job_type == 'ImmediateBackupCopy':
        job['JobInfo'] = {'BackupJobInfo': None, 'ReplicaJobInfo': None, 'BackupCopyJobInfo': None, 'FileCopyJobInfo': None,
                          'ImmediateBackupCopyJobInfo': {
                              'LinkedJobIncludes': {'LinkedJobObjects': [
                                  {'ObjectInJobId': '2e9c4a71-6b3d-4f05-8d1e-9a7b5c3f1e28', 'LinkedJobUid': 'urn:veeam:Job:' + DAILY_ID}]},
                              'LinkedBackupIncludes': None, 'LinkedBackupRepositoryIncludes': None}}
        job['JobScheduleOptions'] = {'Standart': None, 'ImmediateCopyMode': {'OptionsContinuous': {
            'Schedule': {'Days': [{'Name': 'Sunday', 'Value': ','.join(['1'] * 24)}]}, 'Enabled': True}},
            'Links': None, 'Href': None, 'Type': None}
        job['Links'] = [link for link in job['Links'] if link['Type'] not in ('ObjectInJobList', 'ObjectInJob')]
    return job


def session_entity(job, session_id, state='Stopped', result='Success', created='2026-03-01T21:00:12.437Z', ended='2026-03-01T21:24:51.103Z',
                   progress=100, is_retry=False):
    """A BackupJobSession (ReplicaJobSession for replica jobs) of ``job`` (a job_entity), from the reference example."""
    session = copy.deepcopy(fixture_json('query-backupjobsession-entities.json')['Entities']['BackupJobSessions']['BackupJobSessions'][1])
    session = _replace(session, 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16', session_id)
    session = _replace(session, DAILY_ID, job['UID'].rsplit(':', 1)[-1])
    session = _replace(session, 'Daily VM Backup', job['Name'])
    session.update({'JobType': job['JobType'], 'State': state, 'Result': result, 'Progress': progress, 'IsRetry': is_retry,
                    'CreationTimeUTC': created, 'EndTimeUTC': ended})
    if job['JobType'] == 'Replica':
        session = _replace(session, '/backupSessions/', '/replicaSessions/')
        session['UID'] = 'urn:veeam:ReplicaJobSession:' + session_id
        session['Type'] = 'ReplicaJobSession'
    return session


ENTITY_LISTS = {'Job': 'Jobs', 'BackupJobSession': 'BackupJobSessions', 'ReplicaJobSession': 'ReplicaJobSessions', 'BackupServer': 'BackupServers',
                'HierarchyRoot': 'HierarchyRoots', 'VmRestorePoint': 'VmRestorePoints', 'RestorePoint': 'RestorePoints', 'Backup': 'Backups',
                'BackupTaskSession': 'BackupTaskSessions', 'RestoreSession': 'RestoreSessions'}


def query_page(query_type, items, page_num=1, pages_count=1, page_size=1000, refs=False, extra=''):
    """A QueryResult page (Entities, or Refs with ``refs=True``) with PagingInfo links as EM renders them."""
    fmt = 'References' if refs else 'Entities'
    href = '%s/api/query?type=%s&format=%s%s&pageSize=%d&page=%%d' % (EM, query_type, fmt, extra, page_size)
    links = [('First', 1)]
    if page_num > 1:
        links.append(('Previous', page_num - 1))
    if page_num < pages_count:
        links.append(('Next', page_num + 1))
    links.append(('Last', max(pages_count, 1)))
    entities = None
    if not refs:
        entities = {name: None for name in ENTITY_LISTS.values()}
        entities[ENTITY_LISTS[query_type]] = {ENTITY_LISTS[query_type]: items}
    return {
        'Refs': {'Refs': items} if refs else None,
        'Entities': entities,
        'Resources': None,
        'Links': None,
        'PagingInfo': {'Links': [{'Rel': rel, 'Href': href % number, 'Name': None, 'Type': None} for rel, number in links],
                       'PageNum': page_num, 'PageSize': page_size, 'PagesCount': pages_count},
    }
