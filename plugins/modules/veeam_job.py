#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_job
short_description: Start, stop, retry or sync a Veeam job and switch its schedule on or off through Enterprise Manager
version_added: 1.0.0
description:
  - Runs an action on a backup, replication, backup copy, agent or file share job known to Veeam Backup
    Enterprise Manager, and enables or disables the job's schedule.
  - The action is guarded by the job's run state, which Enterprise Manager only reports through the
    job's latest session. Starting a running job or stopping an idle one changes nothing and says so;
    V(retry) only runs after a failed run.
  - O(schedule_enabled) is declarative. Enterprise Manager can only flip the schedule, so the module
    reads the current state and flips it only when it differs.
  - When both O(schedule_enabled) and O(action) are given, the schedule is changed first.
author:
  - veeamops.em maintainers (@veeamops)
options:
  name:
    description:
      - Name of the job, exactly as Enterprise Manager shows it (case-sensitive).
      - If several backup servers have a job with this name, add O(backup_server) or use O(id) or O(uid);
        the failure message lists the candidates.
      - Exactly one of O(name), O(id) and O(uid) is required.
    type: str
  id:
    description:
      - Id of the job (the GUID in C(/api/jobs/<id>), C(/api/agents/jobs/<id>) or C(/api/nas/jobs/<id>)).
    type: str
  uid:
    description:
      - UID of the job, for example V(urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5).
    type: str
  backup_server:
    description:
      - Name of the backup server that owns the job, as Enterprise Manager lists it (case-insensitive).
      - Needed only when the job name exists on several backup servers.
    type: str
  job_kind:
    description:
      - Where Enterprise Manager keeps the job.
      - V(vm) for backup, replication and backup copy jobs (C(/api/jobs)).
      - V(agent) for Veeam Agent backup jobs managed by a backup server (C(/api/agents/jobs)).
      - V(nas) for file share backup jobs (C(/api/nas/jobs)).
    type: str
    choices: [vm, agent, nas]
    default: vm
  action:
    description:
      - V(start) starts a backup or replication job. On a backup copy job it fails and points to V(sync).
      - V(stop) stops the running job. A backup copy job is stopped through its running session.
      - V(retry) runs a job again whose last run failed; otherwise nothing happens and RV(msg) says why.
        Not available for backup copy jobs.
      - V(sync) starts a backup copy job (V(BackupCopy) or V(ImmediateBackupCopy)) and fails for any other job;
        only with O(job_kind=vm).
      - With V(start), V(retry) and V(sync), a job that is already running is left alone (C(changed=false)).
      - At least one of O(action) and O(schedule_enabled) is required.
    type: str
    choices: [start, stop, retry, sync]
  schedule_enabled:
    description:
      - V(true) enables the job's schedule, V(false) disables it (the job is then only run by hand).
      - Fails for a job without a configured schedule when the state would have to change.
    type: bool
  wait:
    description:
      - Wait for the job run to end, not only for Enterprise Manager to accept the action.
      - With V(start), V(retry) and V(sync) the module finds the job session that its own action created
        and follows it until it stops, then returns its result, times and per-VM task sessions in RV(session).
        A run that ends V(Failed) fails the task, as does V(Warning) with O(fail_on_warning=true).
      - With V(stop) it waits until the running session has stopped. A stopped run usually ends with
        V(Failed); that does not fail the task.
      - If not set, the default is V(true) for V(stop) and V(false) for V(start), V(retry) and V(sync).
        Stopping takes seconds, and the job is not in its requested state before that; a run takes as long
        as the backup, which can be hours, so waiting for it is a choice to make together with O(wait_timeout).
      - Without waiting, the module still waits for Enterprise Manager's task, so a refused action fails the task.
    type: bool
  fail_on_warning:
    description:
      - With O(wait=true), also fail when the run ends with V(Warning).
    type: bool
    default: false
extends_documentation_fragment:
  - veeamops.em.connection
  - veeamops.em.connection.modules
  - veeamops.em.wait
  - veeamops.em.attributes
  - veeamops.em.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Check mode reads the job and its latest session and predicts C(changed) without sending any action.
  diff_mode:
    support: full
    details:
      - The diff shows C(schedule_enabled) and C(running) before and after. C(running) after is the state the
        action puts the job in (V(true) after a start even when O(wait) followed the run to its end).
  idempotent:
    description:
      - When run twice in a row with the same parameters, the second run reports no change.
    support: partial
    details:
      - O(schedule_enabled) is fully idempotent.
      - V(start), V(sync) and V(stop) are idempotent while the job is still in the state the first run left
        it in (running, or stopped); once a started run has ended, starting again starts a new run.
      - V(retry) is idempotent once the retried run has succeeded.
notes:
  - The module waits for Enterprise Manager's task of every change it sends; for the schedule until the
    task is V(Finished) (stored in Enterprise Manager's database, so that the next read sees it); for an
    action until it is V(OperationFinished) or V(Finished), because the command is then done on the backup
    server and everything after that is read from the job's sessions.
  - Action requests are sent once and never repeated, also after a connection error.
  - If the logon session expires during a long wait (15 minutes idle, for example after a network outage),
    the module logs on again and continues with the job's sessions, because the task of the old logon
    session can no longer be read.
  - The run state comes from the newest job session in Enterprise Manager. A run that the backup server
    started a moment ago may not be visible yet.
  - "HTTP requests: logon, one query for the job, one for its latest session, logoff; each change adds its
    POST and a few task polls. Waiting for a run adds one request per poll, and the poll interval grows
    from O(poll_interval) to O(poll_max_interval)."
  - Works with C(async) and C(poll) (for example O(wait=true) with C(async) so that a long run does not block the play);
    O(wait_timeout) should then be shorter than the C(async) value.
  - Agent and file share jobs (O(job_kind=agent), O(job_kind=nas)) support V(start), V(stop), V(retry) and
    O(schedule_enabled). Their runs are looked up by job UID in both forms Enterprise Manager may use for them.
seealso:
  - module: veeamops.em.veeam_job_info
  - name: Enterprise Manager REST API reference
    description: Job actions, tasks and job sessions.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/em_web_api_reference.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: Start a job and wait until the run has ended
  veeamops.em.veeam_job:
    name: Daily VM Backup
    action: start
    wait: true
    wait_timeout: 7200
  register: backup_run

- name: Show how the run ended
  ansible.builtin.debug:
    msg: "{{ backup_run.session.result }}, {{ backup_run.session.task_sessions | length }} objects processed"

- name: Disable the schedule of a job (nothing is sent if it is already disabled)
  veeamops.em.veeam_job:
    name: Daily VM Backup
    schedule_enabled: false

- name: Enable the schedule again and start a run without waiting for it
  veeamops.em.veeam_job:
    name: Daily VM Backup
    schedule_enabled: true
    action: start

- name: Stop the job if it runs (waits until the run has stopped)
  veeamops.em.veeam_job:
    name: Daily VM Backup
    action: stop

- name: Retry a job whose last run failed, and wait for the retry
  veeamops.em.veeam_job:
    name: File Server Backup
    action: retry
    wait: true

- name: Start a backup copy job
  veeamops.em.veeam_job:
    name: Offsite Copy
    action: sync

- name: Start one of two jobs that have the same name, chosen by backup server
  veeamops.em.veeam_job:
    name: Nightly Backup
    backup_server: vbr02.lab.local
    action: start

- name: Start an agent backup job by id
  veeamops.em.veeam_job:
    job_kind: agent
    id: e99db98b-0827-404d-9457-33d618a76497
    action: start

- name: Back up a file share and fail on warnings too
  veeamops.em.veeam_job:
    job_kind: nas
    name: File Share Backup
    action: start
    wait: true
    fail_on_warning: true

- name: Run a long backup in the background
  veeamops.em.veeam_job:
    name: Daily VM Backup
    action: start
    wait: true
    wait_timeout: 14000
  async: 14400
  poll: 0
  register: background_backup

- name: Wait for the background backup to end
  ansible.builtin.async_status:
    jid: "{{ background_backup.ansible_job_id }}"
  register: background_result
  until: background_result.finished
  retries: 1440
  delay: 10

# Connection options can also be set once for every module of the collection.
- name: Disable the schedule of a job identified by its UID
  module_defaults:
    group/veeamops.em.veeam:
      url: "{{ em_url }}"
      username: "{{ em_username }}"
      password: "{{ em_password }}"
      ca_path: "{{ em_ca_path }}"
  block:
    - name: Disable the schedule of SQL Replica
      veeamops.em.veeam_job:
        uid: urn:veeam:Job:bc39ed6c-d173-4df1-aeec-87ac42b80657
        schedule_enabled: false
"""

RETURN = r"""
msg:
  description: What the module did or found, in one or more sentences.
  returned: always
  type: str
  sample: Job "Daily VM Backup" was started. Its run "Daily VM Backup@2026-03-02 10:15:02" ended with Success after 1512 s.
job:
  description: The job, after the schedule change if there was one.
  returned: when the job was found
  type: dict
  contains:
    name:
      description: Job name.
      type: str
      sample: Daily VM Backup
    id:
      description: Job id (GUID).
      type: str
      sample: 47752464-8e77-407a-a936-132173ac15f5
    uid:
      description: Job UID.
      type: str
      sample: urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5
    job_type:
      description: V(Backup), V(Replica), V(BackupCopy), V(ImmediateBackupCopy), V(AgentBackup); V(null) for file share jobs.
      type: str
      sample: Backup
    platform:
      description: Platform as Enterprise Manager reports it.
      type: str
      sample: VMware
    description:
      description: Job description.
      type: str
      sample: Nightly backup of production VMs
    backup_server:
      description: The backup server that owns the job (C(name), C(id), C(uid)).
      type: dict
      sample: {name: vbr01.lab.local, id: af37938e-191c-4df1-891e-3a49c7a3bec7, uid: 'urn:veeam:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7'}
    schedule_configured:
      description: Whether the job has schedule options.
      type: bool
      sample: true
    schedule_enabled:
      description: Whether the schedule is active.
      type: bool
      sample: true
    next_run:
      description: Next scheduled run (UTC, ISO 8601), V(null) without an active schedule.
      type: str
      sample: '2026-03-02T21:00:00Z'
    href:
      description: URL of the job entity in the REST API.
      type: str
      sample: https://em01.lab.local:9398/api/jobs/47752464-8e77-407a-a936-132173ac15f5?format=Entity
task:
  description:
    - The last Enterprise Manager task the module created (the action's, else the schedule change's), as last seen.
    - V(null) when nothing was sent (no change needed, or check mode).
  returned: always
  type: dict
  contains:
    id:
      description: Task id (per logon session).
      type: str
      sample: task-1
    operation:
      description: Operation, for example V(StartJob), V(StopJob), V(RetryJob), V(StartJobSync), V(StartNasJob), V(UpdateJob).
      type: str
      sample: StartJob
    state:
      description: V(Running), V(OperationFinished) or V(Finished).
      type: str
      sample: Finished
    success:
      description: Whether Enterprise Manager reports success; V(null) while the task runs.
      type: bool
      sample: true
    message:
      description: Enterprise Manager's message.
      type: str
      sample: Job "Daily VM Backup" triggered to start.
    href:
      description: URL of the task.
      type: str
      sample: https://em01.lab.local:9398/api/tasks/task-1
session:
  description:
    - The job session the action created or acted on, as last seen.
    - For V(start), V(retry) and V(sync) without O(wait) it is V(null) after a change, because the new
      session is not looked up (except after an expired logon session, when the new run is looked up to
      confirm the action); when nothing was changed it is the job's latest session (the running one, or
      the run that made V(retry) unnecessary).
    - V(null) when no O(action) was given, or when the job never ran.
  returned: always
  type: dict
  contains:
    id:
      description: Session id.
      type: str
      sample: 9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
    uid:
      description: Session UID.
      type: str
      sample: urn:veeam:BackupJobSession:9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
    name:
      description: Session name (job name and start time).
      type: str
      sample: Daily VM Backup@2026-03-02 10:15:02
    job_uid:
      description: UID of the job.
      type: str
    job_name:
      description: Name of the job.
      type: str
    job_type:
      description: Job type of the session (V(Backup), V(Replica), V(AgentBackup), V(NasBackup), ...).
      type: str
      sample: Backup
    state:
      description: V(Starting), V(Working), V(Stopping), V(Stopped), ...
      type: str
      sample: Stopped
    result:
      description: V(Success), V(Warning) or V(Failed); V(null) while the session runs.
      type: str
      sample: Success
    progress:
      description: Progress in percent.
      type: int
      sample: 100
    creation_time:
      description: Start time (UTC, ISO 8601).
      type: str
      sample: '2026-03-02T10:15:02.310Z'
    end_time:
      description: End time (UTC, ISO 8601); V(null) while the session runs.
      type: str
      sample: '2026-03-02T10:40:14.872Z'
    is_retry:
      description: Whether the run was a retry.
      type: bool
      sample: false
    running:
      description: Whether the session is still running.
      type: bool
      sample: false
    failure_message:
      description: Failure text when Enterprise Manager gives one (usually V(null)).
      type: str
    href:
      description: URL of the session entity.
      type: str
    task_sessions:
      description: One entry per processed VM or object.
      returned: when O(wait) followed the run to its end and Enterprise Manager lists task sessions for it
      type: list
      elements: dict
      contains:
        id:
          description: Task session id.
          type: str
        uid:
          description: Task session UID.
          type: str
        name:
          description: Task session name (VM name and start time).
          type: str
          sample: web01@2026-03-02 10:16:40
        vm_name:
          description: Name of the VM.
          type: str
          sample: web01
        vm_uid:
          description: Reference of the VM.
          type: str
          sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
        state:
          description: V(Pending), V(InProgress) or V(Completed).
          type: str
          sample: Completed
        result:
          description: V(Success), V(Warning) or V(Failed); V(null) while in progress.
          type: str
          sample: Success
        reason:
          description: Failure or warning text; V(null) on success.
          type: str
        total_size:
          description: Size processed, in bytes.
          type: int
          sample: 64424509440
        creation_time:
          description: Start time (UTC, ISO 8601).
          type: str
        end_time:
          description: End time (UTC, ISO 8601).
          type: str
        href:
          description: URL of the task session entity.
          type: str
"""

from ansible_collections.veeamops.em.plugins.module_utils._job_actions import JobActionFlow, validate_options
from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._wait import wait_argument_spec

ARGUMENT_SPEC = {
    'name': {'type': 'str'},
    'id': {'type': 'str'},
    'uid': {'type': 'str'},
    'backup_server': {'type': 'str'},
    'job_kind': {'type': 'str', 'choices': ['vm', 'agent', 'nas'], 'default': 'vm'},
    'action': {'type': 'str', 'choices': ['start', 'stop', 'retry', 'sync']},
    'schedule_enabled': {'type': 'bool'},
    'wait': {'type': 'bool'},
    **wait_argument_spec(),
    'fail_on_warning': {'type': 'bool', 'default': False},
}


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True, mutually_exclusive=[('name', 'id', 'uid')],
                      required_one_of=[('name', 'id', 'uid'), ('action', 'schedule_enabled')])
    module.run(lambda em, _checked: JobActionFlow(em, module.params, module.check_mode, module.diff_mode, module.warn).execute(),
               prepare=validate_options)


if __name__ == '__main__':
    main()
