# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks, job sessions, agent and file share jobs, and a fake clock for tests of job actions and waiting.

Payloads are PascalCase, as Enterprise Manager 12 writes them, built from the reference examples.
"""

from __future__ import annotations

import copy

from ansible_collections.veeamops.em.plugins.module_utils import _tasks

from .em_http import error_response, json_response, logon_response
from .em_payloads import EM, fixture_json, query_page

TOKEN2 = 'Zx8pQ2mW7rT4yU1iO0aS3g=='
SESSION_ID2 = '3b1f9c2e-5d7a-4e60-9f21-8c4b6a2d0e17'
AGENT_ID = 'e99db98b-0827-404d-9457-33d618a76497'
NAS_ID = '15e8ca67-f709-43c6-9794-e12fe1a5beb8'
VBR01_LINK = {'Rel': 'Up', 'Href': EM + '/api/backupServers/af37938e-191c-4df1-891e-3a49c7a3bec7', 'Name': 'vbr01.lab.local',
              'Type': 'BackupServerReference'}


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def install_fake_clock(monkeypatch):
    """Make every Waiter created during the test use one FakeClock (no real sleeping); returns it."""
    clock = FakeClock()
    monkeypatch.setattr(_tasks, 'monotonic', clock)
    monkeypatch.setattr(_tasks, 'pause', clock.sleep)
    return clock


def task(task_id='task-1', state='Running', operation='StartJob', success=None, message=None):
    """A Task entity; ``Result`` only once it has left Running, as Enterprise Manager writes it."""
    href = '%s/api/tasks/%s' % (EM, task_id)
    result = None if state == 'Running' else {'Message': message or 'Ok', 'Success': bool(success)}
    return {'TaskId': task_id, 'State': state, 'Operation': operation, 'Result': result,
            'Links': [{'Rel': 'Delete', 'Href': href, 'Name': None, 'Type': 'Task'}], 'Href': href, 'Type': 'Task'}


def finished(task_id='task-1', operation='StartJob', message='Ok', success=True, state='Finished'):
    return task(task_id, state, operation, success, message)


def task_session(session, vm_name='web01', result='Success', reason=''):
    """A BackupTaskSession of ``session`` (a session entity), from the reference's v12 capture."""
    session_id = session['UID'].rsplit(':', 1)[-1]
    return {'JobSessionUid': session['UID'], 'CreationTimeUTC': '2026-03-02T10:16:40.117Z', 'EndTimeUTC': '2026-03-02T10:24:02.540Z',
            'State': 'Completed', 'Result': result, 'Reason': reason, 'TotalSize': 64424509440,
            'VmUid': 'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042', 'VmDisplayName': vm_name,
            'Name': '%s@2026-03-02 10:16:40' % vm_name, 'UID': 'urn:veeam:BackupTaskSession:b12dda93-6b95-4349-b86c-c3b7d640' + session_id[-4:],
            'Links': [], 'Href': EM + '/api/backupTaskSessions/b12dda93-6b95-4349-b86c-c3b7d6404342?format=Entity',
            'Type': 'BackupTaskSession'}


def agent_job(schedule_enabled=True):
    """An AgentBackupJob entity (JSON form of examples/agent-job-entity.xml, reduced to what the module reads)."""
    base = '%s/api/agents/jobs/%s' % (EM, AGENT_ID)
    links = [VBR01_LINK, {'Rel': 'Alternate', 'Href': base, 'Name': 'Windows Servers Backup', 'Type': 'JobReference'},
             {'Rel': 'ToggleScheduleEnabled', 'Href': base + '?action=toggleScheduleEnabled', 'Name': None, 'Type': None},
             {'Rel': 'Down', 'Href': base + '/backupSessions', 'Name': None, 'Type': 'BackupJobSessionReferenceList'}]
    links += [{'Rel': rel, 'Href': '%s?action=%s' % (base, rel.lower()), 'Name': None, 'Type': None} for rel in ('Start', 'Stop', 'Retry')]
    return {'JobType': 'AgentBackup', 'Platform': 'AgentForWindows', 'Description': 'Backup of physical Windows servers',
            'ScheduleConfigured': True, 'ScheduleEnabled': schedule_enabled, 'NextRun': '2026-03-02T23:00:00Z', 'JobScheduleOptions': None,
            'JobInfo': None, 'Name': 'Windows Servers Backup', 'UID': 'urn:veeam:AgentBackupJob:' + AGENT_ID, 'Links': links,
            'Href': base + '?format=Entity', 'Type': 'AgentBackupJob'}


def nas_job():
    """The file share job of examples/nas-job-entity.json."""
    return copy.deepcopy(fixture_json('nas-job-entity.json'))


def sessions_page(session_type, sessions):
    return json_response(query_page(session_type, sessions))


def entities_page(list_key, items):
    """A one-page QueryResult whose ``Entities`` hold ``{list_key: {list_key: items}}`` (agent and file share job queries)."""
    page = query_page('Job', [])
    page['Entities'] = {'Jobs': None, list_key: {list_key: items}}
    return json_response(page)


def expect_relogon(http, token=TOKEN2, session_id=SESSION_ID2):
    """The 401 of an expired logon session is answered by a new logon."""
    http.expect_logon(response=logon_response(token=token, session_id=session_id))


def expired():
    return error_response(401)
