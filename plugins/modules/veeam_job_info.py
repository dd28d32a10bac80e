#!/usr/bin/python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: veeam_job_info
short_description: List Veeam backup, replication, backup copy, agent and file share jobs from Enterprise Manager
version_added: 1.0.0
description:
  - Returns the backup, replication and backup copy jobs of every backup server known to Veeam Backup
    Enterprise Manager, optionally filtered, with their schedule, included objects, latest run and
    raw entity on request; with O(job_kinds) also agent backup jobs and file share backup jobs.
  - Filters are evaluated by Enterprise Manager's query service, and checked again on the returned jobs.
author:
  - veeamops.em maintainers (@veeamops)
options:
  name:
    description:
      - Only jobs with this exact name (case-sensitive), or with one of these names.
      - A string is always one name, even when it contains commas; give several names as a list.
    type: raw
  id:
    description:
      - Only the job with this id (the GUID in C(/api/jobs/<id>)).
    type: str
  uid:
    description:
      - Only the job with this UID, for example V(urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5).
    type: str
  job_type:
    description:
      - Only jobs of this type. V(AgentBackup) is the type of agent backup jobs; file share jobs have no type.
    type: str
    choices: [Backup, Replica, BackupCopy, ImmediateBackupCopy, AgentBackup]
  job_kinds:
    description:
      - Which kinds of jobs to list, as O(veeamops.em.veeam_job#module:job_kind) names them.
      - V(vm) are backup, replication and backup copy jobs (C(/api/jobs)); V(agent) are Veeam Agent backup jobs
        managed by a backup server (C(/api/agents/jobs)); V(nas) are file share backup jobs (C(/api/nas/jobs)).
      - Each kind costs its own requests (see the notes). Each job in RV(jobs) says its kind in RV(jobs[].job_kind).
    type: list
    elements: str
    choices: [vm, agent, nas]
    default: [vm]
  platform:
    description:
      - Only jobs of this platform, for example V(VMware), V(HyperV), V(vCloud) or V(CustomPlatform) (backup copy jobs).
      - Compared case-insensitively.
    type: str
  backup_server:
    description:
      - Only jobs of the backup server with this name, as Enterprise Manager lists it (for example V(vbr01.example.com)).
      - Compared case-insensitively.
    type: str
  schedule_enabled:
    description:
      - Only jobs whose schedule is enabled (V(true)) or disabled (V(false)).
    type: bool
  details:
    description:
      - Extra information to add to each job.
      - V(schedule) adds RV(jobs[].schedule) and V(includes) adds RV(jobs[].includes) and RV(jobs[].linked_jobs);
        both come with the job list and cost no extra request.
      - V(last_session) adds RV(jobs[].last_session), the latest run of each job. This costs one extra
        query per 40 jobs for backup and backup copy jobs, and one per 40 replication jobs, plus one more
        query per group when some jobs ran much less recently than others. Enterprise Manager may keep
        job sessions for 30 days only, so a job that has not run for longer can show no latest run.
      - V(raw) adds RV(jobs[].raw), the job entity as Enterprise Manager returned it, with keys in snake_case.
      - Details make the result larger. With thousands of jobs, V(schedule) and V(raw) add several megabytes
        that Ansible takes seconds to process; narrow the list with the filters when you do not need every job.
    type: list
    elements: str
    choices: [schedule, includes, last_session, raw]
    default: []
  query:
    description:
      - A JMESPath expression applied to the list in RV(jobs); the outcome is returned in RV(query_result).
      - Needs the Python package C(jmespath) on the host that runs the module.
    type: str
extends_documentation_fragment:
  - veeamops.em.connection
  - veeamops.em.connection.modules
  - veeamops.em.attributes
  - veeamops.em.attributes.action_group
  - veeamops.em.attributes.info_module
notes:
  - Filters combine with AND. Without filters the module returns every job.
  - "HTTP requests per run: one logon, one query page per 1000 jobs, one logoff; so three requests for up to
    1000 jobs, whatever O(details) holds except V(last_session), which adds the queries described there.
    Retries after connection errors or HTTP 502, 503, 504 add requests."
  - "With O(details=includes): if Enterprise Manager's job entities come without their objects (seen as a possibility,
    not confirmed, on some versions), the objects of those jobs are read with one more paged query
    (C(query?type=ObjectInJob)), and a warning names jobs that still show no objects."
  - "O(job_kinds): agent backup jobs add one query page per 1000 jobs (C(query?type=AgentBackupJob)), file share jobs
    one request (C(GET /api/nas/jobs?format=Entity)); their filters other than the name are then checked by the module."
requirements:
  - jmespath (Python package, only for O(query))
seealso:
  - name: Enterprise Manager REST API, query of jobs
    description: The query service call the module uses to list jobs, and its filter fields.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/get_query_job.html
  - name: Enterprise Manager REST API, job entity
    description: The fields of a job, returned in RV(jobs[].raw).
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/get_jobs_id.html
"""

EXAMPLES = r"""
# These tasks take their connection options from the environment variables VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.

- name: List every job of every backup server
  veeamops.em.veeam_job_info:
  register: all_jobs

- name: Show the job names
  ansible.builtin.debug:
    msg: "{{ all_jobs.jobs | map(attribute='name') | list }}"

- name: Get one job with its latest run
  veeamops.em.veeam_job_info:
    name: Daily VM Backup
    details: last_session
  register: daily

- name: Show the result of the latest run
  ansible.builtin.debug:
    msg: "{{ daily.jobs[0].last_session.result | default('no finished run') }}"

- name: Get two jobs with their schedule and included objects
  veeamops.em.veeam_job_info:
    name:
      - Daily VM Backup
      - SQL Replica
    details:
      - schedule
      - includes
  register: two_jobs

- name: List backup jobs whose schedule is disabled
  veeamops.em.veeam_job_info:
    job_type: Backup
    schedule_enabled: false
  register: disabled_jobs

- name: Name and next run of the scheduled jobs of one backup server
  veeamops.em.veeam_job_info:
    backup_server: vbr01.lab.local
    query: "[?schedule_enabled].{name: name, next_run: next_run}"
  register: scheduled

# Connection options can also be set once for every module of the collection.
- name: Look a job up by its id, with the entity as Enterprise Manager returned it
  module_defaults:
    group/veeamops.em.veeam:
      url: "{{ em_url }}"
      username: "{{ em_username }}"
      password: "{{ em_password }}"
      ca_path: "{{ em_ca_path }}"
  block:
    - name: Get the job by id
      veeamops.em.veeam_job_info:
        id: 47752464-8e77-407a-a936-132173ac15f5
        details: raw
      register: by_id
"""

RETURN = r"""
jobs:
  description: The matching jobs, sorted by name and then backup server name.
  returned: success
  type: list
  elements: dict
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
    job_kind:
      description: V(vm), V(agent) or V(nas), as in O(job_kinds).
      type: str
      sample: vm
    platform:
      description: Platform as Enterprise Manager reports it.
      type: str
      sample: VMware
    description:
      description: Job description.
      type: str
      sample: Nightly backup of production VMs
    backup_server:
      description: The backup server that owns the job.
      type: dict
      contains:
        name:
          description: Backup server name.
          type: str
          sample: vbr01.lab.local
        id:
          description: Backup server id.
          type: str
          sample: af37938e-191c-4df1-891e-3a49c7a3bec7
        uid:
          description: Backup server UID.
          type: str
          sample: urn:veeam:BackupServer:af37938e-191c-4df1-891e-3a49c7a3bec7
    schedule_configured:
      description: Whether the job has schedule options.
      type: bool
      sample: true
    schedule_enabled:
      description: Whether the schedule is active (V(false) means the job is disabled).
      type: bool
      sample: true
    next_run:
      description: Next scheduled run (UTC, ISO 8601); V(null) for jobs without an active schedule.
      type: str
      sample: '2026-03-02T21:00:00Z'
    href:
      description: URL of the job entity in the REST API.
      type: str
      sample: https://em01.lab.local:9398/api/jobs/47752464-8e77-407a-a936-132173ac15f5?format=Entity
    schedule:
      description: Schedule options.
      returned: when O(details) contains V(schedule)
      type: dict
      contains:
        configured:
          description: Same as RV(jobs[].schedule_configured).
          type: bool
        enabled:
          description: Same as RV(jobs[].schedule_enabled).
          type: bool
        next_run:
          description: Same as RV(jobs[].next_run).
          type: str
        mode:
          description: V(standard) for backup, replication and periodic copy jobs, V(immediate_copy) for immediate backup copy jobs.
          type: str
          sample: standard
        trigger:
          description: The enabled schedule option (V(daily), V(monthly), V(periodically), V(continuous), V(after_job)), or V(null).
          type: str
          sample: daily
        daily:
          description: Daily option (C(enabled), C(kind), C(days), C(time), C(time_offset_utc)); V(null) when absent.
          type: dict
          sample: {enabled: true, kind: Everyday, days: [Sunday, Monday], time: '2026-03-02T22:00:00+01:00', time_offset_utc: 1}
        monthly:
          description: Monthly option (C(enabled), C(time), C(time_offset_utc), C(day_number_in_month), C(day_of_week), C(day_of_month), C(months)).
          type: dict
        periodically:
          description: Periodic option (C(enabled), C(kind) V(Hours) or V(Minutes), C(full_period), C(hours) allowed per week day).
          type: dict
        continuous:
          description: Continuous option (C(enabled), C(hours) allowed per week day).
          type: dict
        after_job:
          description: Run after another job (C(enabled), C(previous_job_uid)).
          type: dict
        backup_window:
          description: Backup window (C(enabled), C(hours) allowed per week day, for example V(monday) with V([0, 1, 2])).
          type: dict
        retry:
          description: Automatic retry (C(enabled), C(times), C(timeout_minutes)).
          type: dict
          sample: {enabled: true, times: 3, timeout_minutes: 10}
        wait_for_backup_completion:
          description: Whether the job waits for running backups to complete.
          type: bool
        backup_completion_wait_minutes:
          description: How long it waits, in minutes.
          type: int
    includes:
      description: Objects in the job (VMs and containers such as folders, tags, clusters).
      returned: when O(details) contains V(includes)
      type: list
      elements: dict
      contains:
        id:
          description: Id of the object in the job (C(ObjectInJobId)).
          type: str
          sample: 6eb9589d-5100-49a5-b885-742741f7ca22
        name:
          description: Object name.
          type: str
          sample: web01
        display_name:
          description: Display name.
          type: str
          sample: web01
        hierarchy_obj_ref:
          description: Reference of the object in the virtual infrastructure.
          type: str
          sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
        platform:
          description: Platform part of RV(jobs[].includes[].hierarchy_obj_ref) (V(null) if the reference is malformed).
          type: str
          sample: VMware
        object_type:
          description: Object type part (V(Vm), V(Folder), V(Tag), ...).
          type: str
          sample: Vm
        hierarchy_root_id:
          description: Id of the hierarchy root (vCenter, Hyper-V host, Cloud Director) the object belongs to.
          type: str
          sample: 1790e16e-e712-4c24-a47c-dc3b62a4c27f
        object_ref:
          description: The platform's own id of the object.
          type: str
          sample: vm-1042
        href:
          description: URL of the include in the REST API (V(null) when not given).
          type: str
    linked_jobs:
      description: Source jobs of a backup copy job (empty for other jobs).
      returned: when O(details) contains V(includes)
      type: list
      elements: dict
      contains:
        id:
          description: Id of the link (C(ObjectInJobId)).
          type: str
        job_uid:
          description: UID of the source job.
          type: str
          sample: urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5
        job_id:
          description: Id of the source job.
          type: str
          sample: 47752464-8e77-407a-a936-132173ac15f5
    last_session:
      description: The latest run of the job (V(null) if it never ran).
      returned: when O(details) contains V(last_session)
      type: dict
      contains:
        id:
          description: Session id.
          type: str
          sample: a8cafc11-2a5a-46a4-87f8-48b2d78d0d16
        uid:
          description: Session UID.
          type: str
          sample: urn:veeam:BackupJobSession:a8cafc11-2a5a-46a4-87f8-48b2d78d0d16
        name:
          description: Session name (job name and start time).
          type: str
          sample: Daily VM Backup@2026-03-01 21:00:12
        job_uid:
          description: UID of the job.
          type: str
        job_name:
          description: Name of the job.
          type: str
        job_type:
          description: Job type of the session.
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
          sample: '2026-03-01T21:00:12.437Z'
        end_time:
          description: End time (UTC, ISO 8601); V(null) while the session runs.
          type: str
          sample: '2026-03-01T21:24:51.103Z'
        is_retry:
          description: Whether the run was a retry.
          type: bool
          sample: false
        running:
          description: Whether the session is still running (its state is not V(Stopped)).
          type: bool
          sample: false
        failure_message:
          description: Failure text when Enterprise Manager gives one (usually V(null)).
          type: str
        href:
          description: URL of the session entity in the REST API.
          type: str
    raw:
      description: The job entity as Enterprise Manager returned it, with keys converted to snake_case.
      returned: when O(details) contains V(raw)
      type: dict
query_result:
  description: The outcome of O(query) applied to RV(jobs).
  returned: when O(query) is set
  type: raw
  sample: [{name: Daily VM Backup, next_run: '2026-03-02T21:00:00Z'}]
"""

from ansible_collections.veeamops.em.plugins.module_utils._jmespath import compile_expression, with_query_result
from ansible_collections.veeamops.em.plugins.module_utils._jobs import JobCriteria, JobsApi
from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._normalize import describe_job

ARGUMENT_SPEC = {
    'name': {'type': 'raw'},
    'id': {'type': 'str'},
    'uid': {'type': 'str'},
    'job_type': {'type': 'str', 'choices': ['Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy', 'AgentBackup']},
    'job_kinds': {'type': 'list', 'elements': 'str', 'choices': ['vm', 'agent', 'nas'], 'default': ['vm']},
    'platform': {'type': 'str'},
    'backup_server': {'type': 'str'},
    'schedule_enabled': {'type': 'bool'},
    'details': {'type': 'list', 'elements': 'str', 'choices': ['schedule', 'includes', 'last_session', 'raw'], 'default': []},
    'query': {'type': 'str'},
}


def job_names(value):
    """The ``name`` option as a list of names: a string is one name (commas included), a list is several."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return [str(value)]


def _sort_key(job):
    return ((job['name'] or '').lower(), (job['backup_server']['name'] or '').lower(), job['id'] or '')


def list_kind(em, kind, params, details):
    """The described jobs of one kind matching the filters; warnings of the jobs API go to ``em``'s caller through the result."""
    criteria = JobCriteria(names=job_names(params['name']), ids=params['id'], uids=params['uid'], job_types=params['job_type'],
                           platforms=params['platform'], backup_servers=params['backup_server'],
                           schedule_enabled=params['schedule_enabled'], kind=kind)
    api = JobsApi(em, kind)
    jobs = api.list(criteria)
    includes = api.includes_of(jobs) if 'includes' in details else {}
    runs = api.latest_runs(jobs) if 'last_session' in details else {}
    described = []
    for job in jobs:
        item = describe_job(job, details, includes.get(job.get('uid')), api.linked_jobs(job), runs.get(job.get('uid')))
        item['job_kind'] = kind
        described.append(item)
    return described, api.warnings


def gather(params, em, expression=None, warn=None):
    """List the jobs matching ``params`` over the open client ``em`` and build the module result."""
    details = set(params['details'])
    described = []
    for kind in dict.fromkeys(params['job_kinds']):
        jobs, warnings = list_kind(em, kind, params, details)
        described.extend(jobs)
        for warning in warnings:
            (warn or (lambda message: None))(warning)
    return with_query_result({'changed': False, 'jobs': sorted(described, key=_sort_key)}, expression, 'jobs', 'the job list')


def main():
    module = EmModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    module.run(lambda em, expression: gather(module.params, em, expression, module.warn),
               prepare=lambda params: compile_expression(params['query'], 'query'))


if __name__ == '__main__':
    main()
