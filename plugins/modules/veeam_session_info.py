#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_session_info
short_description: List the job sessions (runs) of Veeam jobs from Enterprise Manager, with the result of every VM
version_added: 1.0.0
description:
  - Returns the job sessions of backup, replication and backup copy jobs (and of agent and file share jobs, whose
    sessions Enterprise Manager lists with the backup sessions) of every backup server known to Veeam Backup
    Enterprise Manager, newest first, optionally filtered.
  - Filters are evaluated by Enterprise Manager's query service and checked again on the returned sessions; they
    combine with AND.
  - With O(task_sessions=true) every session comes with the result of each VM it processed, including the reason
    a VM failed or ended with a warning.
author:
  - veeamops.em maintainers (@veeamops)
options:
  jobs:
    description:
      - Only sessions of the jobs with this name, or with one of these names. Names compare without regard to case,
        as Enterprise Manager compares them.
      - A string is always one name, even when it contains commas; give several names as a list.
    type: raw
  backup_server:
    description:
      - Only sessions of jobs of the backup server with this name, as Enterprise Manager lists it (compared without
        regard to case). With O(vms), it also narrows how VM names are resolved.
    type: str
  result:
    description:
      - Only sessions with one of these results. V(None) is the result of a session that still runs.
    type: list
    elements: str
    choices: [Success, Warning, Failed, None]
  state:
    description:
      - Only sessions in one of these states. V(Stopped) sessions have ended; any other state means running.
    type: list
    elements: str
    choices: [Starting, Stopping, Working, Pausing, Resuming, Stopped]
  since:
    description:
      - Only sessions that started at or after this time.
      - An ISO 8601 time (V(2026-03-01T21:00:00Z); a time without zone is UTC) or an age before now, a number followed
        by V(s), V(m), V(h), V(d) or V(w) (V(30m), V(24h), V(7d)).
      - A session that started before this time is left out even when it ended after it.
    type: str
  latest_per_job:
    description:
      - Only the newest of the matching sessions of each job.
      - Filters apply first, so with O(result=Failed) this is the newest failed session of each job. To find the jobs
        whose newest session failed, leave O(result) out and filter the outcome, for example with
        O(query=[?result=='Failed']).
    type: bool
    default: false
  vms:
    description:
      - Only sessions that processed one of these VMs, given by name or by reference
        (C(urn:<Platform>:Vm:<HierarchyRootId>.<ObjectRef>), the inventory variable C(veeam_hierarchy_obj_ref)).
      - VMs are resolved as in the other VM-level modules of the collection (a name is matched among the VMs that jobs
        protect; a name that matches nothing or several VMs fails before the sessions are read, listing the
        candidates); a reference is taken as it is.
    type: list
    elements: str
  limit:
    description:
      - At most this many sessions, the newest.
    type: int
  task_sessions:
    description:
      - Add RV(sessions[].task_sessions), the result of every VM the session processed.
    type: bool
    default: false
  query:
    description:
      - A JMESPath expression applied to the list in RV(sessions); the outcome is returned in RV(query_result).
      - Needs the Python package C(jmespath) on the host that runs the module.
    type: str
extends_documentation_fragment:
  - veeamops.em.connection
  - veeamops.em.connection.modules
  - veeamops.em.attributes
  - veeamops.em.attributes.action_group
  - veeamops.em.attributes.info_module
notes:
  - "HTTP requests per run: one logon, one query page per 1000 backup sessions and one per 1000 replica sessions (so at
    least two), one logoff. O(jobs) with more than 40 names adds these queries per 40 names. They grow with the number
    of sessions returned, never one request per session or per job, also with O(latest_per_job). Retries after
    connection errors or HTTP 502, 503, 504 add requests."
  - "O(task_sessions): one more query per 40 sessions of each kind (backup, replica)."
  - Task sessions are secondary to the sessions. When Enterprise Manager answers a task session query with an HTTP error
    (for example a server that does not serve replica task sessions), the module still returns the sessions, with
    RV(sessions[].task_sessions) V(null) for that kind, or without the replica sessions of O(vms), and a warning.
  - "O(vms): the VMs are resolved first (one query of hierarchy roots, one query page per 1000 jobs, one VM restore
    point query per 40 names); then one task session query per 40 VMs, and the sessions found: one query per 40 of them up
    to 120, and for more, the sessions from a day before the oldest on, page by page while that takes fewer requests.
    Replica task sessions are queried as well (one more query per 40 VMs) when a replication job includes one of the
    VMs or a container; replica sessions of deleted replication jobs are not looked for."
  - Enterprise Manager keeps job sessions of the last 30 days in some lists; whether its query service returns older
    sessions depends on the server.
  - The account needs the Portal Administrator role for O(vms) (it reads the jobs); the sessions themselves may be
    read with the Portal User role as well.
requirements:
  - jmespath (Python package, only for O(query))
seealso:
  - module: veeamops.em.veeam_job_info
  - module: veeamops.em.veeam_restore_point_info
  - name: Enterprise Manager REST API, query of backup job sessions
    description: The query service call the module uses, and its filter fields.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_backupjobsession.html
  - name: Enterprise Manager REST API, query of backup task sessions
    description: The per-VM results of a session.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_backuptasksession.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: Sessions of the last 24 hours that failed, with the reason of every VM
  veeamops.em.veeam_session_info:
    since: 24h
    result: Failed
    task_sessions: true
  register: failed

- name: Show the failed VMs and why
  ansible.builtin.debug:
    msg: "{{ item.0.job.name }}: {{ item.1.vm }}: {{ item.1.reason }}"
  loop: "{{ failed.sessions | selectattr('task_sessions') | subelements('task_sessions') }}"
  when: item.1.result == 'Failed'

- name: The newest session of every job, and the jobs whose newest session failed
  veeamops.em.veeam_session_info:
    latest_per_job: true
    query: "[?result=='Failed'].job.name"
  register: latest

- name: The last five sessions of one job
  veeamops.em.veeam_session_info:
    jobs: Daily VM Backup
    limit: 5
  register: daily

- name: Sessions still running
  veeamops.em.veeam_session_info:
    state: [Starting, Working, Stopping]
  register: running

- name: Sessions of the last week that processed a VM, with its own result in each
  veeamops.em.veeam_session_info:
    vms: app01
    since: 7d
    task_sessions: true
    query: "[].{session: name, result: result, vm: task_sessions[?vm=='app01'] | [0].result}"
  register: app01_sessions
"""

RETURN = r"""
sessions:
  description: The matching job sessions, newest first.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Session id.
      type: str
      sample: a8cafc11-2a5a-46a4-87f8-48b2d78d0d16
    uid:
      description: Session UID; V(urn:veeam:BackupJobSession:...) or V(urn:veeam:ReplicaJobSession:...).
      type: str
      sample: urn:veeam:BackupJobSession:a8cafc11-2a5a-46a4-87f8-48b2d78d0d16
    name:
      description: Session name (job name and start time).
      type: str
      sample: Daily VM Backup@2026-03-01 21:00:12
    job:
      description: The job of the session.
      type: dict
      contains:
        name:
          description: Job name, as it was when the session ran.
          type: str
          sample: Daily VM Backup
        id:
          description: Job id (the last part of its UID).
          type: str
          sample: 47752464-8e77-407a-a936-132173ac15f5
        uid:
          description: Job UID (agent and file share jobs have UIDs of their own kinds).
          type: str
          sample: urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5
        type:
          description: Job type of the session, V(Backup), V(Replica), V(BackupCopy), V(ImmediateBackupCopy),
            V(AgentBackup), V(NasBackup), ...
          type: str
          sample: Backup
    backup_server:
      description: Name of the backup server that ran the session.
      type: str
      sample: vbr01.lab.local
    state:
      description: V(Starting), V(Working), V(Stopping), V(Stopped), ...
      type: str
      sample: Stopped
    result:
      description: V(Success), V(Warning) or V(Failed); V(null) while the session runs.
      type: str
      sample: Failed
    progress:
      description: Progress in percent.
      type: int
      sample: 100
    creation_time:
      description: Start time (UTC, ISO 8601).
      type: str
      sample: '2026-03-01T21:00:12.437Z'
    end_time:
      description: End time (UTC, ISO 8601); V(null) while the session runs.
      type: str
      sample: '2026-03-01T21:24:51.103Z'
    duration_seconds:
      description: Seconds from start to end, rounded; V(null) while the session runs.
      type: int
      sample: 1479
    running:
      description: Whether the session still runs (its state is not V(Stopped)).
      type: bool
      sample: false
    is_retry:
      description: Whether the session was a retry.
      type: bool
      sample: false
    failure_message:
      description: Failure text when Enterprise Manager gives one (usually V(null); the reasons are in the task sessions).
      type: str
      sample: 'Processing file01 Error: Failed to create VM snapshot.'
    job_uid:
      description: Same as RV(sessions[].job.uid).
      type: str
      sample: urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5
    job_name:
      description: Same as RV(sessions[].job.name).
      type: str
      sample: Daily VM Backup
    job_type:
      description: Same as RV(sessions[].job.type).
      type: str
      sample: Backup
    href:
      description: URL of the session entity in the REST API.
      type: str
      sample: https://em01.lab.local:9398/api/backupSessions/a8cafc11-2a5a-46a4-87f8-48b2d78d0d16?format=Entity
    task_sessions:
      description:
        - One entry per VM (or object) the session processed, in the order they started.
        - V(null) when Enterprise Manager refused to list the task sessions of this kind of session (it answered with an
          HTTP error); a warning then names the error, and the sessions themselves are complete.
      returned: when O(task_sessions=true)
      type: list
      elements: dict
      contains:
        vm:
          description: Name of the VM.
          type: str
          sample: web01
        ref:
          description: Reference of the VM (V(null) for replication sessions, whose task sessions do not carry it).
          type: str
          sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
        result:
          description: V(Success), V(Warning) or V(Failed); V(null) while the VM is processed.
          type: str
          sample: Failed
        reason:
          description: Why the VM failed or ended with a warning, as Veeam reports it; V(null) when there is no reason.
          type: str
          sample: 'Error: Failed to create VM snapshot. The operation is not allowed in the current state.'
        state:
          description: V(Pending), V(InProgress) or V(Completed).
          type: str
          sample: Completed
        total_size:
          description: Size in bytes that Enterprise Manager reports for the VM (the processed size, 0 for failed VMs on
            some servers).
          type: int
          sample: 64424509440
        creation_time:
          description: When the VM's processing started (UTC, ISO 8601).
          type: str
          sample: '2026-03-01T21:01:40.117Z'
        end_time:
          description: When it ended (UTC, ISO 8601); V(null) while it runs.
          type: str
          sample: '2026-03-01T21:09:02.540Z'
        id:
          description: Task session id.
          type: str
          sample: b12dda93-6b95-4349-b86c-c3b7d6404342
        uid:
          description: Task session UID.
          type: str
          sample: urn:veeam:BackupTaskSession:b12dda93-6b95-4349-b86c-c3b7d6404342
        name:
          description: Task session name (VM name and start time).
          type: str
          sample: web01@2026-03-01 21:01:40
        vm_name:
          description: Same as RV(sessions[].task_sessions[].vm).
          type: str
          sample: web01
        vm_uid:
          description: Same as RV(sessions[].task_sessions[].ref).
          type: str
          sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
        href:
          description: URL of the task session entity in the REST API.
          type: str
          sample: https://em01.lab.local:9398/api/backupTaskSessions/b12dda93-6b95-4349-b86c-c3b7d6404342?format=Entity
query_result:
  description: The outcome of O(query) applied to RV(sessions).
  returned: when O(query) is set
  type: raw
  sample: [File Server Backup]
"""

from ansible_collections.veeamops.em.plugins.module_utils._jmespath import compile_expression, with_query_result
from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._session_info import RESULTS, STATES, gather_sessions, prepare_sessions

ARGUMENT_SPEC = {
    'jobs': {'type': 'raw'},
    'backup_server': {'type': 'str'},
    'result': {'type': 'list', 'elements': 'str', 'choices': list(RESULTS)},
    'state': {'type': 'list', 'elements': 'str', 'choices': list(STATES)},
    'since': {'type': 'str'},
    'latest_per_job': {'type': 'bool', 'default': False},
    'vms': {'type': 'list', 'elements': 'str'},
    'limit': {'type': 'int'},
    'task_sessions': {'type': 'bool', 'default': False},
    'query': {'type': 'str'},
}


def prepare(params):
    """Every option checked before any request: the filters, and the JMESPath expression."""
    return prepare_sessions(params), compile_expression(params['query'], 'query')


def gather(em, prepared, warn=None):
    options, expression = prepared
    return with_query_result(gather_sessions(em, options, warn), expression, 'sessions', 'the session list')


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(lambda em, prepared: gather(em, prepared, module.warn), prepare=prepare)


if __name__ == '__main__':
    main()
