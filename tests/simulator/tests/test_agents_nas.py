# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Agent and file share (NAS) jobs: own shapes, own action styles [agent-and-nas-jobs.md]."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import AGENT_JOB, NAS_JOB, PORTAL_USER, wait_for

NS = '{http://www.veeam.com/ent/v1.0}'


def test_agent_job_shape(admin):
    job = admin.json(f'/agents/jobs/{AGENT_JOB}?format=Entity')
    assert job['Type'] == 'AgentBackupJob' and job['UID'] == f'urn:veeam:AgentBackupJob:{AGENT_JOB}'
    assert (job['JobType'], job['Platform']) == ('AgentBackup', 'AgentForWindows')
    assert [link['Rel'] for link in job['Links']] == ['Up', 'Alternate', 'Down', 'ToggleScheduleEnabled', 'Down', 'Start', 'Stop', 'Retry']
    assert job['Links'][5]['Href'].endswith(f'/agents/jobs/{AGENT_JOB}?action=start')
    includes = job['JobInfo']['Includes']['ObjectInAgentBackupJobs']
    assert includes[0]['Name'] == 'Windows Servers' and 'HierarchyObjRef' not in includes[0]
    assert set(job['JobInfo']) == {'Includes', 'GuestProcessingOptions', 'GfsRetentionPolicy', 'SimpleRetentionPolicy'}
    root = ET.fromstring(admin.get(f'/agents/jobs/{AGENT_JOB}?format=Entity', media='xml').content)
    assert root.tag == NS + 'AgentBackupJob' and root.find(f'{NS}JobInfo/{NS}Includes/{NS}ObjectInAgentBackupJob') is not None
    assert admin.json(f'/agents/jobs/{AGENT_JOB}/includes/12b0ee7a-ed46-4a54-a898-6ac047073e8a')['Type'] == 'ObjectInAgentBackupJob'
    assert admin.json('/agents/jobs')['Refs'][0]['Type'] == 'JobReference'


def test_agent_actions_and_sessions(admin):
    task = admin.wait_task(admin.action(f'/agents/jobs/{AGENT_JOB}?action=start'))
    assert task['Operation'] == 'StartJob' and task['Result']['Success'] is True
    stop = admin.wait_task(admin.action(f'/agents/jobs/{AGENT_JOB}?action=stop'))
    assert stop['Operation'] == 'StopAgentJob'
    retry = admin.wait_task(admin.action(f'/agents/jobs/{AGENT_JOB}?action=retry'))
    assert retry['Operation'] == 'RetryAgentJob'
    sessions = admin.json(f'/agents/jobs/{AGENT_JOB}/backupSessions?format=Entity')['BackupJobSessions']
    assert {session['JobType'] for session in sessions} == {'AgentBackup'}
    assert sessions[0]['JobUid'] == f'urn:veeam:AgentBackupJob:{AGENT_JOB}'
    everywhere = admin.json('/backupSessions?format=Entity')['BackupJobSessions']
    assert any(session['JobType'] == 'AgentBackup' for session in everywhere)
    assert all(session['JobType'] == 'AgentBackup' for session in admin.json('/agents/backupSessions?format=Entity')['BackupJobSessions'])
    assert admin.post(f'/agents/jobs/{AGENT_JOB}?action=clone', {}).status_code == 400
    assert admin.request('PUT', f'/agents/jobs/{AGENT_JOB}?action=edit', {}).status_code == 405


def test_nas_job_shape(admin):
    job = admin.json(f'/nas/jobs/{NAS_JOB}?format=Entity')
    assert job['Type'] == 'NasJob' and job['UID'] == f'urn:veeam:NasJob:{NAS_JOB}'
    assert 'JobType' not in job and 'Platform' not in job
    share = job['Includes']['NASObjects'][0]
    assert share['FileOrFolder'] == '\\\\fs01.lab.local\\dept' and share['InclusionMask'] == {'Extensions': ['*.*']}
    assert share['ExclusionMask'] is None and share['HierarchyObjRef'] == 'urn:NasBackup:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7'
    assert job['StorageOptions']['KeepFileVersionsHistoryOptions'] is None
    assert [link['Href'].rsplit('/', 1)[1] for link in job['Links'][-3:]] == ['start', 'stop', 'retry']
    root = ET.fromstring(admin.get(f'/nas/jobs/{NAS_JOB}?format=Entity', media='xml').content)
    assert root.tag == NS + 'NASJob' and root.get('Type') == 'NasJob'
    assert root.find(f'{NS}Includes/{NS}NASObject/{NS}ExclusionMask') is not None
    assert admin.json('/nas/jobs')['Refs'][0]['Type'] == 'NasJobReference'
    assert admin.json(f'/nas/jobs/{NAS_JOB}/includes')['NASObjects'][0]['Type'] == 'NasObject'


def test_nas_actions_are_path_segments(admin):
    task = admin.wait_task(admin.action(f'/nas/jobs/{NAS_JOB}/start'))
    assert task['Operation'] == 'StartNasJob' and task['Result']['Message'] == 'Job "File Share Backup" triggered to start.'
    toggle = admin.wait_task(admin.action(f'/nas/jobs/{NAS_JOB}/toggleScheduleEnabled'))
    assert toggle['Operation'] == 'UpdateJob' and admin.json(f'/nas/jobs/{NAS_JOB}?format=Entity')['ScheduleEnabled'] is False
    assert admin.post(f'/nas/jobs/{NAS_JOB}?action=start').status_code == 405

    def finished_run():
        sessions = admin.json(f'/nas/jobs/{NAS_JOB}/backupSessions?format=Entity')['BackupJobSessions']
        return sessions if len(sessions) == 2 and sessions[-1]['State'] == 'Stopped' else None
    sessions = wait_for(finished_run, what='the NAS run')
    assert {session['JobType'] for session in sessions} == {'NasBackup'} and sessions[-1]['Result'] == 'Success'
    counts = admin.sim.control('GET', f'/jobs/{NAS_JOB}')['counts']
    assert counts['start'] == 1 and counts['toggle'] == 1


def test_agent_and_nas_need_portal_administrator(sim):
    user = sim.logon(PORTAL_USER)
    assert user.get(f'/agents/jobs/{AGENT_JOB}').status_code == 403
    assert user.post(f'/nas/jobs/{NAS_JOB}/start').status_code == 403
