# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How to make the simulator answer each restore-side example of the reference (used by test_shapes.py).

Each case returns the simulator's answer for the resource and state of one file of ``fixtures/``;
the lab estate reuses the example ids (backup 5e1f0c3a, restore point b36a86f1, VM restore point
d3c0e8f2, task session b12dda93, restore session e4b7a1c9, repositories eb27f100 …).
"""

from __future__ import annotations

from urllib.parse import quote

from conftest import DAILY, VBR01, wait_for

BACKUP = '5e1f0c3a-7d24-4b8e-a6f1-2c9d83b47e05'
RESTORE_POINT = 'b36a86f1-0417-4378-83c0-639f1cb433ba'
WEB01_POINT = 'd3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'
WEB01_TASK = 'b12dda93-6b95-4349-b86c-c3b7d6404342'
RESTORE_SESSION = 'e4b7a1c9-2f60-4d83-9a1e-5c0b7d2f8e63'
DEFAULT_REPOSITORY = 'eb27f100-58e1-435c-bab3-47cf097c43fb'
SESSION = 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'


def _get(path):
    return lambda sim, client, media: client.get(path, media=media)


def _filter(text):
    return quote(text, safe='')


def restore_task(state):
    """A restore of web01's point d3c0e8f2 (no body, as real clients send it) whose task is in ``state``."""
    def fetch(sim, client, media):
        sim.control('POST', '/config', {'task_duration': 1000})
        task = client.action(f'/vmRestorePoints/{WEB01_POINT}?action=restore')
        if state == 'Finished':
            sim.control('POST', '/advance', {'seconds': 1500})
        return client.get(task['Href'], media=media)
    return fetch


def running_restore_session(sim, client, media):
    sim.control('POST', '/restores/outcome', {'duration': 1000})
    task = client.wait_task(client.action(f'/vmRestorePoints/{WEB01_POINT}?action=restore'))
    sim.control('POST', '/advance', {'seconds': 300})
    href = task['Links'][1]['Href']
    wait_for(lambda: client.json(href)['State'] == 'Working', what='the restore session to work')
    return client.get(href, media=media)


RESTORE_CASES = {
    'repositories-refs': _get('/repositories'),
    'repositories-entities': _get('/repositories?format=Entity'),
    'repository-entity': _get(f'/repositories/{DEFAULT_REPOSITORY}?format=Entity'),
    'query-repository-entities': _get('/query?type=Repository&format=Entities&filter='
                                      + _filter(f'BackupServerUid=="urn:veeam:BackupServer:{VBR01}"')),
    'backup-entity': _get(f'/backups/{BACKUP}?format=Entity'),
    'query-backup-entities': _get('/query?type=Backup&format=Entities&filter=' + _filter(f'JobUid=="urn:veeam:Job:{DAILY}"')),
    'restorepoint-entity': _get(f'/restorePoints/{RESTORE_POINT}?format=Entity'),
    'vmrestorepoint-entity': _get(f'/vmRestorePoints/{WEB01_POINT}?format=Entity'),
    'vmrestorepoints-refs': _get('/vmRestorePoints'),
    'query-vmrestorepoint-entities': _get('/query?type=VmRestorePoint&format=Entities&filter=' + _filter('VmDisplayName=="web01"')
                                          + '&sortDesc=CreationTime&pageSize=1'),
    'backup-task-session-entity': _get(f'/backupTaskSessions/{WEB01_TASK}?format=Entity'),
    'query-backuptasksession-entities': _get('/query?type=BackupTaskSession&format=Entities&filter='
                                             + _filter(f'JobSessionUid=="urn:veeam:BackupJobSession:{SESSION}"')),
    'restore-session-entity': _get(f'/restoreSessions/{RESTORE_SESSION}?format=Entity'),
    'restore-session-running': running_restore_session,
    'task-restore-running': restore_task('Running'),
    'task-restore-finished': restore_task('Finished'),
}
RESTORE_REQUEST_FIXTURES = {'restore-spec', 'restore-spec-vcloud'}
# examples whose every link the lab reproduces (same ids), compared href by href
SAME_LINKS = ('repositories-refs', 'repository-entity', 'query-repository-entities', 'backup-entity', 'query-backup-entities',
              'restorepoint-entity', 'vmrestorepoint-entity', 'backup-task-session-entity', 'restore-session-entity')
