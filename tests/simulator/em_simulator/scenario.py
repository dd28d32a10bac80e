# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenario files (YAML or JSON) that seed the estate; the format is described in the README.

Every key has a default so a scenario stays short; times are absolute ISO 8601 or relative to the
moment the scenario is loaded (``-1d2h``, ``+30d``). Errors name the item and the key at fault.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path

import yaml

from . import defaults
from . import scenario_restore as restore_side
from .model import AGENT, NAS, RESULTS, ROLES, VM, VM_JOB_TYPES, Account, BackupServer, HierarchyRoot, Include, InventoryObject, Job
from .model import JobSession, TaskSession
from .render import intern
from .runs import FAILED_REASON, WARNING_REASON, vm_size
from .scenario_base import NAMESPACE, ScenarioError, stable_guid
from .values import parse_duration, time_spec

PLATFORM_OF_HOST_TYPE = {'VC': 'VMware', 'ESX': 'VMware', 'ESXi': 'VMware', 'HvServer': 'HyperV', 'HvCluster': 'HyperV',
                         'Scvmm': 'HyperV', 'VcdSystem': 'vCloud'}
# the C implementation of the safe loader when PyYAML has it (about 7 times faster: every reset reads the scenario)
_YAML_LOADER = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
ROLE_ALIASES = {role.lower(): role for role in ROLES}
ROLE_ALIASES.update({'portal administrator': 'PortalAdministrator', 'portal user': 'PortalUser', 'restore operator': 'RestoreOperator',
                     'vm restore operator': 'RestoreOperator'})
ROLE_ALIASES.update({'file restore operator': 'FileRestoreOperator'})


def read_scenario(path: str) -> dict:
    """Parse a YAML or JSON scenario file."""
    text = Path(path).read_text(encoding='utf-8')
    try:
        data = json.loads(text) if path.endswith('.json') else yaml.load(text, Loader=_YAML_LOADER)  # nosec: a safe loader
    except (ValueError, yaml.YAMLError) as error:
        raise ScenarioError(f'{path}: not valid {"JSON" if path.endswith(".json") else "YAML"}: {error}') from None
    if not isinstance(data, dict):
        raise ScenarioError(f'{path}: a scenario is a mapping with keys such as backup_servers, hierarchy_roots, accounts, jobs')
    return data


def shared_blocks(blocks: dict) -> dict:
    """A new dict whose settings blocks are the shared (interned) copies; see render.intern."""
    return {name: intern(block) if isinstance(block, dict) else block for name, block in blocks.items()}


class Loader:
    """Builds the estate of ``data`` into ``sim`` (its estate, runs and scheduler)."""

    def __init__(self, sim, data: dict, now):
        self.sim = sim
        self.estate = sim.estate
        self.data = data
        self.now = now

    def load(self) -> None:
        for entry in self._list('backup_servers'):
            self._server(entry)
        restore_side.load_repositories(self)
        for entry in self._list('hierarchy_roots'):
            self._root(entry)
        for entry in self._list('accounts'):
            self._account(entry)
        jobs = [self._job(entry) for entry in self._list('jobs')]
        for job, entry in jobs:
            self._linked(job, entry)
            restore_side.job_storage(self, job, entry)
            for start, item in restore_side.history_items(job, entry, self.now):
                self._past_session(job, item, start)
            self.sim.scheduler.arm(job)
        restore_side.after_history(self)

    def _list(self, key):
        value = self.data.get(key) or []
        if not isinstance(value, list):
            raise ScenarioError(f'{key}: expected a list')
        for index, entry in enumerate(value):
            if not isinstance(entry, dict):
                raise ScenarioError(f'{key}[{index}]: expected a mapping')
        return value

    @staticmethod
    def _need(entry, key, where):
        if entry.get(key) in (None, ''):
            raise ScenarioError(f'{where}: missing required key "{key}"')
        return entry[key]

    # ------------------------------------------------------------------ static parts

    def _server(self, entry):
        name = self._need(entry, 'name', 'backup_servers')
        self.estate.add_server(BackupServer(
            str(entry.get('id') or stable_guid('server', name)), name, entry.get('description', ''), int(entry.get('port', 9392)),
            str(entry.get('version', '12.3.2.4465')), int(entry.get('wcf_port', 9405)),
            entry.get('thumbprint') or uuid.uuid5(NAMESPACE, name).hex[:40].upper().ljust(40, '0')))

    def _server_of(self, entry, where):
        name = entry.get('backup_server')
        server = self.estate.server_named(str(name)) if name else next(iter(self.estate.servers.values()), None)
        if server is None:
            raise ScenarioError(f'{where}: unknown backup_server "{name}"')
        return server

    def _root(self, entry):
        name = self._need(entry, 'name', 'hierarchy_roots')
        where = f'hierarchy_roots "{name}"'
        host_type = entry.get('host_type', 'VC')
        platform = entry.get('platform') or PLATFORM_OF_HOST_TYPE.get(host_type)
        if platform is None:
            raise ScenarioError(f'{where}: unknown host_type "{host_type}"; one of {", ".join(PLATFORM_OF_HOST_TYPE)}')
        root_id = str(entry.get('id') or stable_guid('root', name))
        root = HierarchyRoot(root_id, name, host_type, str(entry.get('unique_id') or root_id.upper()),
                             self._server_of(entry, where), platform)
        self.estate.add_root(root)
        for obj in entry.get('objects') or ():
            parents = [self._full_ref(root, parent) for parent in obj.get('in') or ()]
            self.estate.add_object(InventoryObject(root, obj.get('type', 'Vm'), str(self._need(obj, 'ref', where)),
                                                   str(self._need(obj, 'name', where)), parents))

    def _full_ref(self, root, ref):
        obj = self.estate.local_object(root, str(ref)) or self.estate.inventory_object(str(ref))
        if obj is None:
            raise ScenarioError(f'hierarchy_roots "{root.name}": parent "{ref}" must be listed before the objects in it')
        return obj.ref

    def _account(self, entry):
        username = self._need(entry, 'username', 'accounts')
        roles = entry.get('roles') or [entry.get('role', 'PortalAdministrator')]
        try:
            roles = [ROLE_ALIASES[str(role).lower()] for role in roles]
        except KeyError as error:
            raise ScenarioError(f'accounts "{username}": unknown role {error}; one of {", ".join(ROLES)}') from None
        self.estate.add_account(Account(username, str(self._need(entry, 'password', f'accounts "{username}"')), roles))

    # ------------------------------------------------------------------ jobs

    def _job(self, entry):
        name = self._need(entry, 'name', 'jobs')
        where = f'jobs "{name}"'
        kind = entry.get('kind', VM)
        job_type = entry.get('type') or {VM: 'Backup', AGENT: 'AgentBackup', NAS: 'NasBackup'}.get(kind)
        if kind not in (VM, AGENT, NAS) or (kind == VM and job_type not in VM_JOB_TYPES):
            raise ScenarioError(f'{where}: kind must be vm, agent or nas, and type one of {", ".join(VM_JOB_TYPES)} for vm jobs')
        server = self._server_of(entry, where)
        job = Job(str(entry.get('id') or stable_guid('job', server.name, name)), name, kind, job_type,
                  entry.get('platform') or self._default_platform(kind, job_type, entry), server, entry.get('description', ''))
        self._schedule(job, entry.get('schedule') or {}, where)
        job.settings = shared_blocks(defaults.job_settings(job_type, int((entry.get('retention') or {}).get('cycles', 14))))
        run = entry.get('run') or {}
        job.run_duration = parse_duration(run['duration']) if run.get('duration') is not None else None
        job.run_result = self._result(run.get('result'), where) if run.get('result') else None
        for index, item in enumerate(entry.get('includes') or ()):
            job.includes.append(self._include(job, item, f'{where} includes[{index}]'))
        if kind == NAS:
            job.storage = defaults.nas_storage_options(entry.get('repository_uid', f'urn:veeam:Repository:{stable_guid("repo", server.name)}'))
        self.estate.add_job(job)
        return job, entry

    def _default_platform(self, kind, job_type, entry):
        if kind == NAS:
            return ''  # file share jobs have no platform [D13.1: get_nas_jobs_id]
        if kind == AGENT:
            return 'AgentForWindows'
        if job_type in ('BackupCopy', 'ImmediateBackupCopy'):
            return 'CustomPlatform'
        for item in entry.get('includes') or ():
            root = self.estate.root_named(str(item.get('root', ''))) if item.get('root') else None
            if root is not None:
                return root.platform
        return 'VMware'

    def _schedule(self, job, schedule, where):
        job.schedule_configured = bool(schedule.get('configured', True))
        job.schedule_enabled = bool(schedule.get('enabled', job.schedule_configured))
        periodic = schedule.get('periodic')
        job.schedule = shared_blocks(defaults.schedule_options(
            job.job_type, daily_enabled=job.schedule_configured and not schedule.get('monthly'), time=str(schedule.get('daily', '22:00')),
            offset_hours=int(schedule.get('offset_hours', 1)), monthly_enabled=bool(schedule.get('monthly')),
            periodic=(periodic.get('kind', 'Hours'), int(periodic.get('period', 1))) if periodic else None))
        if job.schedule_configured and job.job_type != 'ImmediateBackupCopy':
            try:
                job.next_run = time_spec(schedule.get('next_run', '+30d'), self.now).replace(microsecond=0)
            except ValueError as error:
                raise ScenarioError(f'{where}: schedule.next_run: {error}') from None

    def _include(self, job, item, where):
        include_id = str(item.get('id') or stable_guid('include', job.id, item.get('ref') or item.get('name') or item.get('path')))
        if job.kind == AGENT:
            return Include(include_id, job, None, self._need(item, 'name', where),
                           guest_processing=intern(defaults.agent_include_guest_processing()))
        if job.kind == NAS:
            path = self._need(item, 'path', where)
            nas = {'FileOrFolder': path, 'FileServerUid': item.get('file_server_uid') or f'urn:veeam:FileServer:{stable_guid("fs", path)}',
                   'InclusionMask': list(item.get('include_mask', ['*.*'])), 'ExclusionMask': list(item.get('exclude_mask', []))}
            return Include(include_id, job, f'urn:NasBackup:BackupServer:{job.server.id}', path, nas=nas)
        obj = self._inventory_ref(item, where)
        gpo = intern(defaults.include_guest_processing(item.get('windows_credentials_id') or ''))
        return Include(include_id, job, obj.ref, item.get('name') or obj.name, guest_processing=gpo)

    def _inventory_ref(self, item, where):
        ref = str(self._need(item, 'ref', where))
        obj = None
        if item.get('root'):
            root = self.estate.root_named(str(item['root']))
            if root is None:
                raise ScenarioError(f'{where}: unknown root "{item.get("root")}"')
            obj = self.estate.local_object(root, ref)
        obj = obj or self.estate.inventory_object(ref)
        if obj is None:
            raise ScenarioError(f'{where}: "{ref}" is not an object of any hierarchy root')
        return obj

    def _linked(self, job, entry):
        """``linked_jobs``: names or ids of source jobs, or ``{job: <name or id>, id: <ObjectInJobId>}``."""
        for index, source in enumerate(entry.get('linked_jobs') or ()):
            key = source.get('job') if isinstance(source, dict) else source
            linked = next((other for other in self.estate.jobs.values() if key in (other.name, other.id)), None)
            if linked is None:
                raise ScenarioError(f'jobs "{job.name}": linked_jobs[{index}] "{key}" is not a job of the scenario')
            object_id = source.get('id') if isinstance(source, dict) and source.get('id') else stable_guid('linked', job.id, linked.id)
            job.linked['LinkedJobIncludes'].append({'ObjectInJobId': str(object_id), 'LinkedJobUid': linked.uid})

    @staticmethod
    def _result(value, where):
        for result in RESULTS:
            if str(value).lower() == result.lower():
                return result
        raise ScenarioError(f'{where}: result "{value}" must be one of {", ".join(RESULTS)}')

    def _past_session(self, job, item, start):
        where = f'jobs "{job.name}" history'
        result = self._result(item.get('result', 'Success'), where)
        duration = parse_duration(item.get('duration', 600))
        retry = bool(item.get('retry'))
        session = JobSession(str(item.get('id') or stable_guid('session', job.id, start.isoformat())), job, start, retry,
                             'retry' if retry else 'schedule')
        session.state, session.result, session.ended = 'Stopped', result, start + timedelta(seconds=duration)
        session.progress = 0 if session.job_type == 'ImmediateBackupCopy' else 100
        self.estate.add_session(session)
        vms = self.estate.processed_vms(job)
        slot = duration / max(len(vms), 1)
        for index, vm in enumerate(vms):
            task_session = TaskSession(restore_side.task_session_id(item, session, vm), session, vm,
                                       start + timedelta(seconds=slot * index), vm_size(vm))
            outcome = result if index == len(vms) - 1 else 'Success'
            task_session.state, task_session.result, task_session.ended = 'Completed', outcome, task_session.created + timedelta(seconds=slot)
            task_session.reason = {'Warning': WARNING_REASON, 'Failed': FAILED_REASON}.get(outcome, '')
            self.estate.add_task_session(task_session)
        restore_side.past_points(self, session, item)
