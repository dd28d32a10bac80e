# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task sessions of replica runs are ``ReplicaTaskSession``: their resources, the query type, the entity of
the reference example, and their absence from ``BackupTaskSession`` [sessions.md "ReplicaTaskSession"]."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from conftest import DAILY, FIXTURES, PORTAL_USER, REPLICA, RESTORE_OPERATOR, VBR01, wait_until
from restore_helpers import query
from test_shapes import EXAMPLE_BASE

NS = '{http://www.veeam.com/ent/v1.0}'
RUN = '2c8f5e7a-91b4-4d36-a0e7-6f3b1c8d9a25'  # the run and task session of examples/replica-task-session-entity.*
TASK = '8e41c2b7-5d09-4a3f-9c68-b1f7e20d4a93'
TASK_UID = f'urn:veeam:ReplicaTaskSession:{TASK}'
RUN_UID = f'urn:veeam:ReplicaJobSession:{RUN}'
BACKUP_TASK = 'b12dda93-6b95-4349-b86c-c3b7d6404342'
FIELDS = ('UID', 'Name', 'CreationTime', 'EndTime', 'State', 'Result', 'Reason', 'TotalSize', 'JobSessionUid', 'JobUid', 'JobName',
          'BackupServerUid', 'BackupServerName', 'VmDisplayName')


def example():
    return json.loads((FIXTURES / 'replica-task-session-entity.json').read_text(encoding='utf-8'))


def run_replica(sim, count=1):
    """``count`` more runs of SQL Replica, each waited for; returns the /_sim summaries of the job's runs, newest first."""
    for number in range(count):  # pylint: disable=unused-variable
        before = len(sim.control('GET', f'/jobs/{REPLICA}')['sessions'])
        sim.control('POST', f'/jobs/{REPLICA}/run', expect=201)
        wait_until(lambda: sim.control('GET', f'/jobs/{REPLICA}')['sessions'],
                   lambda items: len(items) == before + 1 and items[0]['state'] == 'Stopped', what='the replica run')
    return sim.control('GET', f'/jobs/{REPLICA}')['sessions']


def test_the_example_task_session_as_the_reference_shows_it(admin):
    actual = admin.json(f'/replicaTaskSessions/{TASK}?format=Entity')
    expected = example()
    keys = ('Type', 'UID', 'VmDisplayName', 'JobSessionUid', 'State', 'Result', 'Reason')
    assert {key: actual[key] for key in keys} == {key: expected[key] for key in keys}
    assert 'VmUid' not in actual
    assert actual['Name'].startswith('db01@') and actual['Href'] == f'{admin.sim.url}/api/replicaTaskSessions/{TASK}?format=Entity'
    # every link of the example but its Related VmReplicaPoint (replica points are not simulated)
    links = [(link['Rel'], link['Href'].replace(EXAMPLE_BASE, admin.sim.url), link['Type']) for link in expected['Links']]
    assert links[-1][2] == 'VmReplicaPoint'
    assert [(link['Rel'], link['Href'], link['Type']) for link in actual['Links']] == links[:-1]


def test_the_example_task_session_in_xml(admin):
    root = ET.fromstring(admin.get(f'/replicaTaskSessions/{TASK}?format=Entity', media='xml').content)
    assert root.tag == f'{NS}ReplicaTaskSession' and root.get('Type') == 'ReplicaTaskSession' and root.get('UID') == TASK_UID
    assert root.get('VmDisplayName') == 'db01'
    children = ['Links', 'JobSessionUid', 'CreationTimeUTC', 'EndTimeUTC', 'State', 'Result', 'Reason', 'TotalSize']
    assert [child.tag[len(NS):] for child in root] == children
    assert root.find(f'{NS}JobSessionUid').text == RUN_UID


def test_references_of_the_task_session(admin):
    ref = admin.json(f'/replicaTaskSessions/{TASK}')
    assert (ref['Type'], ref['UID'], ref['Href']) == ('ReplicaTaskSessionReference', TASK_UID, f'{admin.sim.url}/api/replicaTaskSessions/{TASK}')
    assert [(link['Rel'], link['Type']) for link in ref['Links']] == [('Up', 'ReplicaJobSessionReference'), ('Alternate', 'ReplicaTaskSession')]
    assert ref['Links'][0]['Href'] == f'{admin.sim.url}/api/replicaSessions/{RUN}'
    listed = admin.json(f'/replicaSessions/{RUN}/replicaTaskSessions')['Refs']
    assert [item['UID'] for item in listed] == [TASK_UID]
    down = [link for link in admin.json(f'/replicaSessions/{RUN}?format=Entity')['Links'] if link['Rel'] == 'Down']
    assert [link['Href'] for link in down] == [f'{admin.sim.url}/api/replicaSessions/{RUN}/replicaTaskSessions']
    assert TASK_UID in {item['UID'] for item in admin.json('/replicaTaskSessions')['Refs']}


@pytest.mark.parametrize('media', ['json', 'xml'])
def test_query_in_both_media(admin, media):
    path = '/query?type=ReplicaTaskSession&format=Entities&filter=' + quote(f'JobSessionUid=="{RUN_UID}"', safe='')
    response = admin.get(path, media=media)
    assert response.status_code == 200
    if media == 'json':
        entities = response.json()['Entities']
        assert [key for key, value in entities.items() if value is not None] == ['ReplicaTaskSessions']
        items = entities['ReplicaTaskSessions']['ReplicaTaskSessions']
        assert [(item['Type'], item['UID']) for item in items] == [('ReplicaTaskSession', TASK_UID)] and 'VmUid' not in items[0]
        return
    root = ET.fromstring(response.content)
    items = root.findall(f'{NS}Entities/{NS}ReplicaTaskSessions/{NS}ReplicaTaskSession')
    assert [(item.get('Type'), item.get('UID')) for item in items] == [('ReplicaTaskSession', TASK_UID)]
    assert items[0].find(f'{NS}VmUid') is None and root.find(f'{NS}Entities/{NS}BackupTaskSessions') is None


def test_query_references(admin):
    refs = query(admin, 'ReplicaTaskSession', f'UID=="{TASK_UID}"', fmt='References')
    assert [(ref['Type'], ref['UID']) for ref in refs] == [('ReplicaTaskSessionReference', TASK_UID)]


@pytest.mark.parametrize('field', FIELDS)
def test_every_documented_field_filters(admin, field):
    item = admin.json(f'/replicaTaskSessions/{TASK}?format=Entity')
    value = {'CreationTime': item['CreationTimeUTC'], 'EndTime': item['EndTimeUTC'], 'JobUid': f'urn:veeam:Job:{REPLICA}',
             'JobName': 'SQL Replica', 'BackupServerUid': f'urn:veeam:BackupServer:{VBR01}', 'BackupServerName': 'vbr01.lab.local',
             'TotalSize': item['TotalSize']}.get(field, item.get(field))
    operator = '>=' if field in ('CreationTime', 'EndTime') else '=='  # the shown time is rounded
    text = f'{field}{operator}{value}' if field == 'TotalSize' else f'{field}{operator}"{value}"'
    assert TASK_UID in {found['UID'] for found in query(admin, 'ReplicaTaskSession', text)}
    if field in ('UID', 'Name', 'JobSessionUid', 'TotalSize', 'CreationTime', 'EndTime'):
        assert [found['UID'] for found in query(admin, 'ReplicaTaskSession', text)] == [TASK_UID]


def test_vm_uid_is_not_a_field(admin):
    response = admin.get('/query?type=ReplicaTaskSession&filter=' + quote('VmUid=="x"'))
    assert response.status_code == 400 and "unknown field 'VmUid'" in response.json()['Message']


def test_filter_sort_and_paging_over_several_runs(admin):
    runs = run_replica(admin.sim, 2)
    newest_first = query(admin, 'ReplicaTaskSession', 'VmDisplayName=="db01";JobName=="SQL Replica"', '&sortDesc=CreationTime')
    assert [item['JobSessionUid'] for item in newest_first] == [f'urn:veeam:ReplicaJobSession:{run["id"]}' for run in runs]
    times = [item['CreationTimeUTC'] for item in newest_first]
    assert times == sorted(times, reverse=True) and len(times) == 3
    first = admin.json('/query?type=ReplicaTaskSession&format=Entities&sortAsc=CreationTime&pageSize=2&page=1')
    assert (first['PagingInfo']['PagesCount'], len(first['Entities']['ReplicaTaskSessions']['ReplicaTaskSessions'])) == (2, 2)
    following = admin.json(next(link['Href'] for link in first['PagingInfo']['Links'] if link['Rel'] == 'Next'))
    paged = [item['UID'] for result in (first, following) for item in result['Entities']['ReplicaTaskSessions']['ReplicaTaskSessions']]
    assert paged == [item['UID'] for item in reversed(newest_first)]
    assert query(admin, 'ReplicaTaskSession', 'Result==Failed') == []


def test_replica_task_sessions_are_not_backup_task_sessions(admin):
    run_replica(admin.sim)
    replica = {item['UID'].rsplit(':', 1)[1] for item in query(admin, 'ReplicaTaskSession')}
    backup = query(admin, 'BackupTaskSession')
    assert len(replica) == 2 and backup
    assert {item['Type'] for item in backup} == {'BackupTaskSession'}
    assert all(item['JobSessionUid'].startswith('urn:veeam:BackupJobSession:') for item in backup)
    assert not replica & {item['UID'].rsplit(':', 1)[1] for item in backup}
    assert query(admin, 'BackupTaskSession', 'JobName=="SQL Replica"') == []
    assert query(admin, 'BackupTaskSession', f'JobUid=="urn:veeam:Job:{REPLICA}"') == []
    assert not replica & {ref['UID'].rsplit(':', 1)[1] for ref in admin.json('/backupTaskSessions')['Refs']}
    assert admin.get(f'/backupTaskSessions/{TASK}').status_code == 404
    assert admin.get(f'/replicaTaskSessions/{BACKUP_TASK}').status_code == 404
    assert {ref['UID'].rsplit(':', 1)[1] for ref in admin.json('/replicaTaskSessions')['Refs']} == replica
    daily = admin.sim.control('GET', f'/jobs/{DAILY}')['sessions'][0]['id']
    assert admin.get(f'/replicaSessions/{daily}/replicaTaskSessions').status_code == 404


def test_the_lists_hold_the_last_30_days_the_query_and_single_resource_everything(admin):
    admin.sim.control('POST', '/advance', {'seconds': '31d'})
    assert admin.json(f'/replicaSessions/{RUN}/replicaTaskSessions')['Refs'] == []
    assert TASK_UID not in {ref['UID'] for ref in admin.json('/replicaTaskSessions')['Refs']}
    assert admin.get(f'/replicaTaskSessions/{TASK}').status_code == 200
    assert [item['UID'] for item in query(admin, 'ReplicaTaskSession', f'UID=="{TASK_UID}"')] == [TASK_UID]


def test_a_new_run_shows_its_task_sessions_after_the_collect_delay(admin):
    sim = admin.sim
    sim.control('POST', '/config', {'session_collect_delay': 300})
    sim.control('POST', f'/jobs/{REPLICA}/outcome', {'duration': 1000})
    run = sim.control('POST', f'/jobs/{REPLICA}/run', expect=201)
    assert query(admin, 'ReplicaTaskSession', f'JobSessionUid=="{run["uid"]}"') == []
    assert admin.get(f'/replicaSessions/{run["id"]}/replicaTaskSessions').status_code == 404
    sim.control('POST', '/advance', {'seconds': 300})
    items = query(admin, 'ReplicaTaskSession', f'JobSessionUid=="{run["uid"]}"')
    assert [(item['VmDisplayName'], item['State']) for item in items] == [('db01', 'Pending')]


@pytest.mark.parametrize('credentials, path, status', [
    (PORTAL_USER, '/replicaTaskSessions', 200), (PORTAL_USER, f'/replicaTaskSessions/{TASK}', 200),
    (PORTAL_USER, f'/replicaSessions/{RUN}/replicaTaskSessions', 200), (PORTAL_USER, '/query?type=ReplicaTaskSession', 200),
    (RESTORE_OPERATOR, '/replicaTaskSessions', 403), (RESTORE_OPERATOR, f'/replicaTaskSessions/{TASK}', 403),
    (RESTORE_OPERATOR, f'/replicaSessions/{RUN}/replicaTaskSessions', 403), (RESTORE_OPERATOR, '/query?type=ReplicaTaskSession', 403),
])
def test_roles(sim, credentials, path, status):
    assert sim.logon(credentials).get(path).status_code == status
