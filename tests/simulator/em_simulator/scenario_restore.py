# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore side of scenario files (README "Scenario files"): repositories, where each job
writes its backup, the ids of the points a history entry creates, past restores and restore scopes.

::

    repositories:
      - {name: Default Backup Repository, id: <guid>, backup_server: vbr01.lab.local, kind: WindowsLocal,
         capacity: 4398046511104, free_space: 1752346656768}      # -1 for "unknown" (object storage)
    accounts:
      - {username: 'LAB\\restore-op', password: ..., role: RestoreOperator,
         scope: ['urn:VMware:Folder:<root>.group-v2101', {root: vc01.lab.local, ref: vm-1042}]}
    jobs:
      - name: ...
        repository: Default Backup Repository   # name or id of a repository of the job's backup server
        backup_id: <guid>                        # id of the job's Backup
        history:
          - {start: -2d, result: Success, restore_point: <guid>, backup_file: <guid>,
             vm_points: {web01: <guid>}, task_sessions: {vm-1042: <guid>}}   # VM name, own id or full ref
          - {start: -5d, repeat: 7, every: 1d, result: Success}              # 7 runs: -5d, -6d, ... -11d
    restores:                                    # finished restores (restore sessions)
      - {id: <guid>, point: <VM restore point id>, start: -34h, duration: 1097, result: Success, account: 'LAB\\svc-ansible'}

A server without a repository gets a ``Default Backup Repository``.
"""

from __future__ import annotations

from datetime import timedelta

from .catalog import GIB, Repository, RestoreRecord, RestoreSession
from .model import COPY_JOB_TYPES, RESULTS
from .scenario_base import ScenarioError, stable_guid
from .values import parse_duration, time_spec

_ONE_RUN_KEYS = ('id', 'restore_point', 'backup_file', 'vm_points', 'task_sessions')


def _result(value, where):
    for result in RESULTS:
        if str(value).lower() == result.lower():
            return result
    raise ScenarioError(f'{where}: result "{value}" must be one of {", ".join(RESULTS)}')


def _int(entry, key, default, where):
    try:
        return int(entry.get(key, default))
    except (TypeError, ValueError):
        raise ScenarioError(f'{where}: {key} must be a whole number of bytes') from None


def load_repositories(loader) -> None:
    catalog = loader.estate.catalog
    for index, entry in enumerate(loader.data.get('repositories') or ()):
        where = f'repositories[{index}]'
        if not isinstance(entry, dict) or not entry.get('name'):
            raise ScenarioError(f'{where}: a mapping with at least a name')
        server = loader._server_of(entry, f'repositories "{entry["name"]}"')
        repository = Repository(str(entry.get('id') or stable_guid('repository', server.name, entry['name'])), str(entry['name']), server,
                                str(entry.get('kind', 'WindowsLocal')), _int(entry, 'capacity', 4096 * GIB, where),
                                _int(entry, 'free_space', 2048 * GIB, where))
        try:
            catalog.add_repository(repository)
        except ValueError as error:
            raise ScenarioError(f'{where}: {error}') from None
    for server in loader.estate.servers.values():
        catalog.default_repository(server)


def job_storage(loader, job, entry) -> None:
    """``repository``, ``backup_id`` and ``retention.cycles`` of a job entry."""
    catalog = loader.estate.catalog
    storage = {'cycles': (entry.get('retention') or {}).get('cycles')}
    if entry.get('repository'):
        repository = catalog.repository_named(str(entry['repository']), job.server)
        if repository is None:
            raise ScenarioError(f'jobs "{job.name}": repository "{entry["repository"]}" is not a repository of {job.server.name}')
        storage['repository'] = repository
    if entry.get('backup_id'):
        storage['backup_id'] = str(entry['backup_id'])
    catalog.storage[job.id.lower()] = storage


def history_items(job, entry, now) -> list:
    """(start, item) of every past run of a job entry, ``repeat``/``every`` expanded, oldest first."""
    runs = []
    for index, item in enumerate(entry.get('history') or ()):
        where = f'jobs "{job.name}" history[{index}]'
        if not isinstance(item, dict):
            raise ScenarioError(f'{where}: expected a mapping')
        try:
            start = time_spec(item.get('start', '-1d'), now)
            repeat = int(item.get('repeat', 1))
            every = parse_duration(item.get('every', '1d'))
        except (TypeError, ValueError) as error:
            raise ScenarioError(f'{where}: {error}') from None
        if repeat < 1 or every <= 0:
            raise ScenarioError(f'{where}: repeat must be 1 or more and every greater than 0')
        if repeat > 1 and any(key in item for key in _ONE_RUN_KEYS):
            raise ScenarioError(f'{where}: {", ".join(_ONE_RUN_KEYS)} name one run; they do not go with repeat')
        runs += [(start - timedelta(seconds=every * number), item) for number in range(repeat)]
    return sorted(runs, key=lambda pair: pair[0])


def task_session_id(item, session, vm) -> str:
    if not item.get('task_sessions'):
        return stable_guid('task', session.id, vm.ref)
    wanted = {str(key).lower(): str(value) for key, value in item['task_sessions'].items()}
    for key in (vm.ref.lower(), vm.local_ref.lower(), vm.name.lower()):
        if key in wanted:
            return wanted[key]
    return stable_guid('task', session.id, vm.ref)


def past_points(loader, session, item) -> None:
    """Points of a past run; those of copy jobs wait until every history is loaded (see ``after_history``)."""
    if session.job.job_type not in COPY_JOB_TYPES:
        loader.estate.catalog.record_run(session, loader.sim.config.restore_point_per_vm, item)


def after_history(loader) -> None:
    catalog = loader.estate.catalog
    copies = sorted((session for session in loader.estate.sessions.values()
                     if session.job.job_type in COPY_JOB_TYPES and session.state == 'Stopped'), key=lambda session: session.created)
    for session in copies:
        catalog.record_run(session, loader.sim.config.restore_point_per_vm)
    for entry in loader.data.get('accounts') or ():
        if isinstance(entry, dict) and entry.get('scope') is not None:
            _scope(loader, entry)
    for index, entry in enumerate(loader.data.get('restores') or ()):
        _past_restore(loader, entry, f'restores[{index}]')


def _scope(loader, entry) -> None:
    username = str(entry.get('username'))
    where = f'accounts "{username}" scope'
    items = entry['scope']
    if not isinstance(items, list):
        raise ScenarioError(f'{where}: a list of HierarchyObjRefs or {{root, ref}} mappings')
    refs = []
    for item in items:
        obj = None
        if isinstance(item, dict):
            root = loader.estate.root_named(str(item.get('root', '')))
            obj = loader.estate.local_object(root, str(item.get('ref', ''))) if root is not None else None
        else:
            obj = loader.estate.inventory_object(str(item))
        if obj is None:
            raise ScenarioError(f'{where}: "{item}" is not an object of any hierarchy root')
        refs.append(obj.ref.lower())
    loader.estate.catalog.scopes[username.lower()] = refs


def _past_restore(loader, entry, where) -> None:
    catalog = loader.estate.catalog
    if not isinstance(entry, dict) or not entry.get('point'):
        raise ScenarioError(f'{where}: a mapping with at least point (the id of a VM restore point)')
    point = catalog.vm_points.get(str(entry['point']).lower())
    if point is None:
        raise ScenarioError(f'{where}: point "{entry["point"]}" is not a VM restore point of the scenario (or retention removed it)')
    try:
        start = time_spec(entry.get('start', '-1d'), loader.now)
        duration = parse_duration(entry.get('duration', 600))
    except ValueError as error:
        raise ScenarioError(f'{where}: {error}') from None
    result = _result(entry.get('result', 'Success'), where)
    session = RestoreSession(str(entry.get('id') or stable_guid('restore', point.id, start.isoformat())), point, start)
    session.state, session.result, session.ended, session.progress = 'Stopped', result, start + timedelta(seconds=duration), 100
    if result != 'Failed':
        session.restored_ref = catalog.current_ref(point.vm_ref)
    spec = {'kind': 'VmRestoreSpec', 'power_on': bool(entry.get('power_on', True)), 'quick_rollback': bool(entry.get('quick_rollback', False)),
            'keep_original': bool(entry.get('keep_original', False))}
    record = RestoreRecord(point, spec, str(entry.get('account', '')), None, start)
    record.session, session.record = session, record
    catalog.add_restore_session(session)
    catalog.restores.append(record)
