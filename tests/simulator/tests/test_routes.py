# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every GET route in XML and JSON: status, XML root element and type, JSON shape of the same document."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import AGENT_JOB, DAILY, NAS_JOB, REPLICA, VBR01, VC01

NS = '{http://www.veeam.com/ent/v1.0}'
SESSION = 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'
REPLICA_RUN = '2c8f5e7a-91b4-4d36-a0e7-6f3b1c8d9a25'  # the run and task session of examples/replica-task-session-entity.*
REPLICA_TASK = '8e41c2b7-5d09-4a3f-9c68-b1f7e20d4a93'

ROUTES = [
    # path, XML root element, JSON key that the document must have
    ('/logonSessions', 'LogonSessions', 'LogonSessions'),
    ('/jobs', 'EntityReferences', 'Refs'),
    ('/jobs?format=Entity', 'Jobs', 'Jobs'),
    (f'/jobs/{DAILY}', 'EntityRef', 'UID'),
    (f'/jobs/{DAILY}?format=Entity', 'Job', 'JobInfo'),
    (f'/jobs/{DAILY}/includes', 'ObjectsInJob', 'ObjectInJobs'),
    (f'/jobs/{DAILY}/includes/6eb9589d-5100-49a5-b885-742741f7ca22', 'ObjectInJob', 'HierarchyObjRef'),
    (f'/jobs/{DAILY}/backupSessions', 'EntityReferences', 'Refs'),
    (f'/jobs/{DAILY}/backupSessions?format=Entity', 'BackupJobSessions', 'BackupJobSessions'),
    (f'/jobs/{REPLICA}/replicaSessions', 'EntityReferences', 'Refs'),
    (f'/jobs/{REPLICA}/replicaSessions?format=Entity', 'ReplicaJobSessions', 'ReplicaJobSessions'),
    ('/backupSessions', 'EntityReferences', 'Refs'),
    ('/backupSessions?format=Entity', 'BackupJobSessions', 'BackupJobSessions'),
    (f'/backupSessions/{SESSION}', 'EntityRef', 'UID'),
    (f'/backupSessions/{SESSION}?format=Entity', 'BackupJobSession', 'JobUid'),
    (f'/backupSessions/{SESSION}/taskSessions', 'EntityReferences', 'Refs'),
    (f'/backupSessions/{SESSION}/taskSessions?format=Entity', 'BackupTaskSessions', 'BackupTaskSessions'),
    ('/backupTaskSessions', 'EntityReferences', 'Refs'),
    ('/backupTaskSessions?format=Entity', 'BackupTaskSessions', 'BackupTaskSessions'),
    ('/replicaSessions', 'EntityReferences', 'Refs'),
    ('/replicaSessions?format=Entity', 'ReplicaJobSessions', 'ReplicaJobSessions'),
    (f'/replicaSessions/{REPLICA_RUN}', 'EntityRef', 'UID'),
    (f'/replicaSessions/{REPLICA_RUN}/replicaTaskSessions', 'EntityReferences', 'Refs'),
    (f'/replicaSessions/{REPLICA_RUN}/replicaTaskSessions?format=Entity', 'ReplicaTaskSessions', 'ReplicaTaskSessions'),
    ('/replicaTaskSessions', 'EntityReferences', 'Refs'),
    ('/replicaTaskSessions?format=Entity', 'ReplicaTaskSessions', 'ReplicaTaskSessions'),
    (f'/replicaTaskSessions/{REPLICA_TASK}', 'EntityRef', 'UID'),
    (f'/replicaTaskSessions/{REPLICA_TASK}?format=Entity', 'ReplicaTaskSession', 'JobSessionUid'),
    ('/tasks', 'Tasks', 'Tasks'),
    ('/backupServers', 'EntityReferences', 'Refs'),
    ('/backupServers?format=Entity', 'BackupServers', 'BackupServers'),
    (f'/backupServers/{VBR01}', 'EntityRef', 'UID'),
    (f'/backupServers/{VBR01}?format=Entity', 'BackupServer', 'WcfPort'),
    (f'/backupServers/{VBR01}/jobs', 'EntityReferences', 'Refs'),
    ('/hierarchyRoots', 'EntityReferences', 'Refs'),
    ('/hierarchyRoots?format=Entity', 'HierarchyRoots', 'HierarchyRoots'),
    (f'/hierarchyRoots/{VC01}', 'EntityRef', 'UID'),
    (f'/hierarchyRoots/{VC01}?format=Entity', 'HierarchyRoot', 'HostType'),
    ('/lookupSvc', 'LookupSvc', 'Links'),
    (f'/lookup?host=urn:veeam:HierarchyRoot:{VC01}&name=*&type=Vm', 'HierarchyItems', 'HierarchyItems'),
    ('/querySvc', 'QuerySvc', 'Links'),
    ('/query?type=Job', 'QueryResult', 'PagingInfo'),
    ('/agents/jobs', 'EntityReferences', 'Refs'),
    ('/agents/jobs?format=Entity', 'AgentBackupJobs', 'AgentBackupJobs'),
    (f'/agents/jobs/{AGENT_JOB}', 'EntityRef', 'UID'),
    (f'/agents/jobs/{AGENT_JOB}?format=Entity', 'AgentBackupJob', 'JobInfo'),
    (f'/agents/jobs/{AGENT_JOB}/includes', 'ObjectsInAgentBackupJob', 'ObjectInAgentBackupJobs'),
    (f'/agents/jobs/{AGENT_JOB}/includes/12b0ee7a-ed46-4a54-a898-6ac047073e8a', 'ObjectInAgentBackupJob', 'ObjectInJobId'),
    (f'/agents/jobs/{AGENT_JOB}/backupSessions', 'EntityReferences', 'Refs'),
    ('/agents/backupSessions', 'EntityReferences', 'Refs'),
    ('/nas/jobs', 'EntityReferences', 'Refs'),
    ('/nas/jobs?format=Entity', 'NASJobs', 'NASJobs'),
    (f'/nas/jobs/{NAS_JOB}', 'EntityRef', 'UID'),
    (f'/nas/jobs/{NAS_JOB}?format=Entity', 'NASJob', 'StorageOptions'),
    (f'/nas/jobs/{NAS_JOB}/includes', 'NASObjects', 'NASObjects'),
    (f'/nas/jobs/{NAS_JOB}/includes/ce5737dd-c0dc-48c4-8493-ea9cacb18af7', 'NASObject', 'FileOrFolder'),
    (f'/nas/jobs/{NAS_JOB}/backupSessions', 'EntityReferences', 'Refs'),
    ('/nas/backupSessions', 'EntityReferences', 'Refs'),
]


@pytest.mark.parametrize('path, root, key', ROUTES, ids=[route[0] for route in ROUTES])
def test_get_route_in_both_media(sim, path, root, key):
    client = sim.logon()
    xml = client.get(path, media='xml')
    assert xml.status_code == 200, xml.text
    element = ET.fromstring(xml.content)
    assert element.tag == NS + root
    document = client.get(path, media='json')
    assert document.status_code == 200
    body = document.json()
    assert key in body
    if isinstance(body[key], list) and key != 'Links':  # a list document: the same items in both forms
        assert len(body[key]) == len(element)
