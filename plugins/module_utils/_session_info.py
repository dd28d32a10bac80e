# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job sessions (runs) of backup, replica and backup copy jobs, filtered, with their per-VM task sessions
(internal; may change in any release). ``veeam_session_info`` reads them through ``read_sessions``; an event
source polls finished runs through ``runs_ended_since``.

Runs are read with the query service [D: get_query_backupjobsession, get_query_replicajobsession]: backup
runs (``BackupJobSession``: backup, backup copy, agent and file share jobs, told apart by ``JobType``) and
replica runs (``ReplicaJobSession``), newest first. Every filter the query service knows is sent with the query
(``JobName``, ``BackupServerName``, ``Result``, ``State``, ``CreationTime``, ``EndTime``) and checked again here.

Requests: one paged query per run type and per ``CHUNK`` job names; with ``vms``, one paged task session query per
``CHUNK`` VM names, then their runs by UID (one query per ``CHUNK``) or, when there are many, by date window
(``runs_by_uid``); task sessions cost one query per ``CHUNK`` runs (``RunsApi.task_sessions_of``), which is about one
page of task sessions each. Nothing is read per run, per job or per VM.
"""

from __future__ import annotations

from datetime import timedelta

from ._errors import EmAuthError, EmHttpError, EmInputError
from ._normalize import id_from_uid, job_info_of, normalize_backup_server, normalize_run, normalize_task_session
from ._query import DEFAULT_PAGE_SIZE, all_of, gather_pages, list_in, one_of, term
from ._runs import CHUNK, RunsApi, run_type
from ._times import parse_instant, parse_since, parse_time
from ._vms import VmResolver, check_items, vm_key

RESULTS = ('Success', 'Warning', 'Failed', 'None')
STATES = ('Starting', 'Stopping', 'Working', 'Pausing', 'Resuming', 'Stopped')
BACKUP_RUNS = 'BackupJobSession'
REPLICA_RUNS = 'ReplicaJobSession'
RUN_QUERY_TYPES = (BACKUP_RUNS, REPLICA_RUNS)
# Run type (from its UID, lower case) -> query type of its runs.
QUERY_TYPES = {'backupjobsession': BACKUP_RUNS, 'replicajobsession': REPLICA_RUNS}
# runs_by_uid: above this many runs of a type, read them by date window; the window starts this long before the oldest
# task session (a run starts before its task sessions [D: sessions.md], within the run).
WINDOW_FROM = 3 * CHUNK
WINDOW_SLACK = timedelta(days=1)


def chunks(values, size=CHUNK):
    """Distinct values (first occurrence kept) in lists of at most ``size``."""
    values = list(dict.fromkeys(values))
    return [values[start:start + size] for start in range(0, len(values), size)]


def names_option(value, option):
    """A name option as a list of names: a string is one name (commas included), a list is several; None stays None."""
    if value is None:
        return None
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    names = []
    for item in values:
        if not isinstance(item, str) or not item.strip():
            raise EmInputError('Invalid entry in option %s: %r' % (option, item), hint='give a job name or a list of job names')
        names.append(item.strip())
    if not names:
        raise EmInputError('Option %s is an empty list' % option, hint='give at least one job name, or leave the option out')
    return names


def _fold(value):
    return str(value or '').lower()


def raw_result(run):
    """The Result of a run entity as Enterprise Manager names it, ``None`` (a string) while the run has none."""
    result = run.get('result')
    return 'None' if result in (None, '', 'None') else result


class SessionFilter:
    """Which runs to read: job names, backup server, results, states, created since, ended since; all combined with AND.

    ``since`` and ``ended_since`` are aware datetimes (floored to the second, as filters are sent). Build it from module
    options with ``from_params``, which checks every value before any request is sent.
    """

    def __init__(self, jobs=None, backup_server=None, results=None, states=None, since=None, ended_since=None):
        self.jobs = list(jobs or [])
        self.backup_server = backup_server or None
        self.results = list(results or [])
        self.states = list(states or [])
        self.since = None if since is None else since.replace(microsecond=0)
        self.ended_since = None if ended_since is None else ended_since.replace(microsecond=0)
        for value, allowed, option in ((self.results, RESULTS, 'result'), (self.states, STATES, 'state')):
            unknown = [item for item in value if item not in allowed]
            if unknown:
                raise EmInputError('Unknown value in option %s: %s' % (option, ', '.join(str(item) for item in unknown)),
                                   hint='use %s' % ', '.join(allowed))

    @classmethod
    def from_params(cls, params, now=None):
        since = params.get('since')
        return cls(jobs=names_option(params.get('jobs'), 'jobs'), backup_server=params.get('backup_server'), results=params.get('result'),
                   states=params.get('state'), since=None if since in (None, '') else parse_since(since, 'since', now))

    def narrowing(self):
        """The filter terms besides the job names (None when there are none)."""
        return all_of(
            one_of('BackupServerName', [self.backup_server] if self.backup_server else []),
            one_of('Result', self.results),
            one_of('State', self.states),
            None if self.since is None else term('CreationTime', '>=', self.since),
            None if self.ended_since is None else term('EndTime', '>=', self.ended_since),
        )

    def job_selections(self):
        """``JobName==a,JobName==b,...`` per ``CHUNK`` names; [None] when no job names are given (one unselected query)."""
        return [one_of('JobName', chunk) for chunk in chunks(self.jobs)] or [None]

    def matches(self, run):
        """Client-side check of every filter (names and states without regard to case, as Enterprise Manager compares)."""
        if self.jobs and _fold(run.get('job_name')) not in {_fold(name) for name in self.jobs}:
            return False
        if self.backup_server and _fold(normalize_backup_server(run)['name']) != _fold(self.backup_server):
            return False
        if self.results and _fold(raw_result(run)) not in {_fold(item) for item in self.results}:
            return False
        if self.states and _fold(run.get('state')) not in {_fold(item) for item in self.states}:
            return False
        return _not_before(run.get('creation_time_utc'), self.since) and _not_before(run.get('end_time_utc'), self.ended_since)


def _not_before(text, moment):
    if moment is None:
        return True
    when = parse_time(text)
    return when is not None and when >= moment


# --- result shapes ------------------------------------------------------------------------------------

def duration_seconds(run):
    """Whole seconds from the run's start to its end; None while it runs (or when a time is missing)."""
    start, end = parse_instant(run.get('creation_time_utc')), parse_instant(run.get('end_time_utc'))
    if start is None or end is None:
        return None
    return int(round((end - start).total_seconds()))


def describe_task_session(item):
    """One VM of a run: ``normalize_task_session`` (shared with veeam_job) plus ``vm`` (its name) and ``ref``."""
    described = normalize_task_session(item)
    described['vm'] = described['vm_name']
    described['ref'] = described['vm_uid']
    return described


UNASKED = object()


def describe_run(run, task_sessions=UNASKED):
    """A run as veeam_session_info returns it: ``normalize_run`` (shared with veeam_job) plus ``job``, ``backup_server``,
    ``duration_seconds`` and, when given, ``task_sessions`` (a list of task session entities, or None: not readable)."""
    described = normalize_run(run)
    described['job'] = {'name': run.get('job_name'), 'id': id_from_uid(run.get('job_uid')), 'uid': run.get('job_uid'),
                        'type': run.get('job_type')}
    described['backup_server'] = normalize_backup_server(run)['name']
    described['duration_seconds'] = duration_seconds(run)
    if task_sessions is not UNASKED:
        described['task_sessions'] = None if task_sessions is None else [describe_task_session(item) for item in task_sessions]
    return described


# --- decisions over raw runs ----------------------------------------------------------------------------

def _moment_key(run, field):
    return (parse_instant(run.get(field)), _fold(run.get('uid')))


def newest_first(runs):
    """Runs sorted by start time, newest first, ties by UID; runs without a readable start come last."""
    dated = sorted((run for run in runs if parse_instant(run.get('creation_time_utc'))), key=lambda run: _moment_key(run, 'creation_time_utc'),
                   reverse=True)
    return dated + [run for run in runs if not parse_instant(run.get('creation_time_utc'))]


def oldest_end_first(runs):
    """Runs sorted by end time, oldest first, ties by UID (the order an event source hands them on); runs without an end last."""
    ended = sorted((run for run in runs if parse_instant(run.get('end_time_utc'))), key=lambda run: _moment_key(run, 'end_time_utc'))
    return ended + [run for run in runs if not parse_instant(run.get('end_time_utc'))]


def first_per_key(items, key):
    """The first of ``items`` for each value of ``key(item)``, in their order."""
    seen, found = set(), []
    for item in items:
        value = key(item)
        if value not in seen:
            seen.add(value)
            found.append(item)
    return found


def distinct(runs):
    """Runs without repeats (the same UID from two queries), first occurrence kept."""
    return first_per_key(runs, lambda run: _fold(run.get('uid')))


def job_key(run):
    """What identifies a run's job: its JobUid, else its job name and backup server."""
    return _fold(run.get('job_uid')) or '%s@%s' % (_fold(run.get('job_name')), _fold(normalize_backup_server(run)['name']))


def latest_per_job(runs):
    """The first run of each job in ``runs`` (newest first), in that order."""
    return first_per_key(runs, job_key)


def same_vm(item, target):
    """Whether a task session processed the resolved VM ``target`` (see ``processed``)."""
    return processed(item, {vm_key(target.get('ref'))}, {_fold(target.get('name'))})


def processed(item, keys, names):
    """Whether a task session processed one of the VMs with these identities (``vm_key``): by reference when the task
    session has one (``VmUid``), else by name (replica task sessions carry no reference [D: get_replicatasksessions_id])."""
    ref = item.get('vm_uid')
    if ref:
        key = vm_key(ref)
        return key is not None and key in keys
    return _fold(item.get('vm_display_name')) in names


def _add_owner(owners, uid, started):
    """Keep, per run UID, the earliest task session start seen (None when none could be read)."""
    if not uid:
        return
    known = owners.get(uid)
    owners[uid] = started if known is None else (known if started is None else min(known, started))


def run_query_type(uid):
    """``BackupJobSession`` or ``ReplicaJobSession`` for a run UID; None for anything else."""
    return QUERY_TYPES.get(run_type({'uid': uid}))


# --- reading ------------------------------------------------------------------------------------------

class SessionReader:
    """Reads runs over an open EmClient (``RunsApi``): by filter, by the VMs they processed, and their task sessions.

    Task sessions are secondary to the runs: when Enterprise Manager refuses to list those of one kind (an HTTP error
    answer, for example a server that does not serve ``query?type=ReplicaTaskSession``), the runs are still returned
    and ``warnings`` says what is missing and why. Connection failures and unreadable answers still fail.
    """

    def __init__(self, em, page_size=DEFAULT_PAGE_SIZE):
        self.runs_api = RunsApi(em, page_size=page_size)
        self.warnings = []

    def _optional(self, read, what):
        """``read()``, or None with a warning when Enterprise Manager answers it with an HTTP error."""
        try:
            return read()
        except EmHttpError as exc:
            if isinstance(exc, EmAuthError):
                raise
            self.warnings.append('%s could not be read, so %s: %s' % (what[0], what[1], exc))
            return None

    def runs(self, flt, limit=None, sort_asc=None):
        """Raw runs of both types matching ``flt``: newest first, or ascending by the field ``sort_asc``.

        With ``limit`` each query stops after that many runs (the caller cuts the merged list).
        """
        found = []
        for query_type in RUN_QUERY_TYPES:
            for selection in flt.job_selections():
                found.extend(self.runs_api.runs(query_type, all_of(selection, flt.narrowing()), limit=limit, sort_asc=sort_asc))
        return [run for run in distinct(found) if flt.matches(run)]

    def runs_of_vms(self, flt, targets, replica=True):
        """Raw runs matching ``flt`` that processed one of the resolved VMs ``targets`` (see ``same_vm``).

        Task sessions are found by ``VmDisplayName`` [D: get_query_backuptasksession] (replica task sessions too when
        ``replica``), narrowed by the creation time, job names and backup server of ``flt``; their runs by UID.
        """
        named = [target for target in targets if target.get('name')]
        keys, names = {vm_key(target.get('ref')) for target in named}, {_fold(target['name']) for target in named}
        task_types = ['BackupTaskSession'] + (['ReplicaTaskSession'] if replica else [])
        narrow = all_of(None if flt.since is None else term('CreationTime', '>=', flt.since),
                        one_of('BackupServerName', [flt.backup_server] if flt.backup_server else []),
                        one_of('JobName', flt.jobs) if len(flt.jobs) <= CHUNK else None)
        owners = {}
        for task_type in task_types:
            for chunk in chunks([target['name'] for target in named]):
                expr = all_of(one_of('VmDisplayName', chunk), narrow)
                if task_type == 'BackupTaskSession':
                    items = self.runs_api.task_sessions(expr, query_type=task_type)
                else:
                    items = self._optional(lambda expr=expr, task_type=task_type: self.runs_api.task_sessions(expr, query_type=task_type),
                                           ('The replica task sessions of the VMs', 'their replication sessions are left out')) or []
                for item in items:
                    if processed(item, keys, names):
                        _add_owner(owners, item.get('job_session_uid'), parse_time(item.get('creation_time_utc')))
        return self.runs_by_uid(owners, flt)

    def runs_by_uid(self, owners, flt):
        """Raw runs that match ``flt`` among ``owners`` (``{run UID: the start of one of its task sessions or None}``).

        Up to ``WINDOW_FROM`` runs of a type are asked for by UID (one query per ``CHUNK``); more are read as the runs that
        match ``flt`` and started from ``WINDOW_SLACK`` before the oldest task session on, page by page while that takes
        fewer queries than asking by UID, and the rest by UID (see ``_query.gather_pages``).
        """
        by_type = {}
        for uid, started in owners.items():
            query_type = run_query_type(uid)
            if query_type is not None:
                by_type.setdefault(query_type, {})[uid] = started
        found = []
        for query_type in RUN_QUERY_TYPES:
            group = by_type.get(query_type) or {}
            wanted = {_fold(uid): uid for uid in group}
            times = [started for started in group.values() if started is not None]
            got = {}
            if len(wanted) > WINDOW_FROM and times:
                expr = all_of(flt.narrowing(), term('CreationTime', '>=', min(times) - WINDOW_SLACK))
                got = gather_pages(self.runs_api.em, query_type, expr, set(wanted), lambda run: run.get('uid'), self.runs_api.page_size,
                                   'CreationTime', CHUNK)
            found.extend(got.values())
            for chunk in chunks([uid for key, uid in wanted.items() if key not in got]):
                found.extend(self.runs_api.runs(query_type, all_of(one_of('UID', chunk), flt.narrowing())))
        return [run for run in distinct(found) if flt.matches(run)]

    def task_sessions_of(self, runs):
        """``{run uid (lower case): [task session entities] or None}`` (see ``RunsApi.task_sessions_of``): one read per run
        type, so that a kind Enterprise Manager does not list leaves the other's task sessions readable."""
        found = {}
        for query_type in RUN_QUERY_TYPES:
            group = [run for run in runs if run_query_type(run.get('uid')) == query_type]
            if group:
                kind = 'replication' if query_type == REPLICA_RUNS else 'backup'
                tasks = self._optional(lambda group=group: self.runs_api.task_sessions_of(group),
                                       ('The task sessions of %d %s session(s)' % (len(group), kind), 'their task_sessions are null'))
                found.update(tasks if tasks is not None else {_fold(run.get('uid')): None for run in group})
        return found


def described(reader, runs, with_task_sessions):
    """The runs as the module returns them, with their task sessions when asked (one query per ``CHUNK`` runs)."""
    if not with_task_sessions:
        return [describe_run(run) for run in runs]
    tasks = reader.task_sessions_of(runs) if runs else {}
    return [describe_run(run, tasks.get(_fold(run.get('uid')), [])) for run in runs]


def read_sessions(em, flt, targets=None, latest=False, limit=None, task_sessions=False, replica=True, page_size=DEFAULT_PAGE_SIZE, warn=None):
    """Runs matching ``flt`` as ``veeam_session_info`` returns them, newest first.

    ``targets``: resolved VMs (``VmResolver``) whose runs are wanted (``replica``: look for replica task sessions too);
    ``latest``: only the newest run of each job; ``limit``: at most that many runs; ``task_sessions``: add each run's
    per-VM task sessions; ``warn``: called with each warning (task sessions that could not be read).
    """
    reader = SessionReader(em, page_size)
    if targets is not None:
        runs = reader.runs_of_vms(flt, targets, replica)
    else:
        runs = reader.runs(flt, limit=None if latest else limit)
    runs = newest_first(runs)
    if latest:
        runs = latest_per_job(runs)
    if limit is not None:
        runs = runs[:limit]
    result = described(reader, runs, task_sessions)
    _hand_on(reader.warnings, warn)
    return result


def _hand_on(warnings, warn):
    for warning in warnings:
        (warn or (lambda message: None))(warning)


def runs_ended_since(em, moment, task_sessions=True, jobs=None, backup_server=None, page_size=DEFAULT_PAGE_SIZE, warn=None):
    """Runs that ended at or after ``moment`` (aware datetime), oldest end first, each with its task sessions (and so the
    reason of every failed VM) unless ``task_sessions`` is false.

    The poll of an event source: one query page per run type and 1000 runs, and one task session query per ``CHUNK``
    runs. A run that ended exactly at ``moment`` comes again in the next poll from that time: callers skip the UIDs
    they have handed on. Task sessions that Enterprise Manager refuses to list are None, with a call of ``warn``.
    """
    flt = SessionFilter(jobs=jobs, backup_server=backup_server, states=['Stopped'], ended_since=moment)
    reader = SessionReader(em, page_size)
    runs = oldest_end_first(reader.runs(flt, sort_asc='EndTime'))
    result = described(reader, runs, task_sessions)
    _hand_on(reader.warnings, warn)
    return result


# --- the module ---------------------------------------------------------------------------------------

def prepare_sessions(params, now=None):
    """The options of veeam_session_info, checked before any request: ``{"filter", "vms", "latest", "limit", "task_sessions"}``."""
    limit = params.get('limit')
    if limit is not None and limit < 1:
        raise EmInputError('Invalid value for option limit: %r' % limit, hint='give a number of sessions of 1 or more, or leave limit out')
    vms = params.get('vms')
    return {'filter': SessionFilter.from_params(params, now), 'vms': None if vms is None else check_items(vms, 'vms'),
            'latest': bool(params.get('latest_per_job')), 'limit': limit, 'task_sessions': bool(params.get('task_sessions'))}


def replica_may_hold(targets, jobs, flt):
    """Whether replica task sessions may hold the resolved VMs ``targets``: a listed replication job that ``flt`` names (any,
    when it names none) includes one of the VMs, or a container, or does not show its includes in its entity.

    Replica runs of a deleted replication job are not looked for then (Enterprise Manager keeps no job to tell of them).
    """
    wanted = {vm_key(target.get('ref')) for target in targets}
    names = {_fold(name) for name in flt.jobs}
    for job in jobs:
        if job.get('job_type') != 'Replica' or (names and _fold(job.get('name')) not in names):
            continue
        includes = list_in(job_info_of(job).get('includes'))
        if not includes or any(vm_key(item.get('hierarchy_obj_ref')) in wanted | {None} for item in includes):
            return True
    return False


def gather_sessions(em, prepared, warn=None):
    """The result of veeam_session_info for the ``prepared`` options over an open client."""
    warn = warn or (lambda message: None)
    flt, targets, replica = prepared['filter'], None, True
    if prepared['vms'] is not None:
        resolver = VmResolver(em, flt.backup_server)
        targets = resolver.resolve(prepared['vms'], require_job=False)
        for warning in resolver.warnings:
            warn(warning)
        for target in targets:
            if not target.get('name'):
                warn('VM %s: Enterprise Manager knows no name for it (no job includes it and it has no restore point), so its task '
                     'sessions cannot be searched' % target['ref'])
        # An account that may not read jobs (a Portal User) cannot rule replica runs out: they are looked for.
        replica = not resolver.jobs_readable or replica_may_hold(targets, resolver.listed_jobs, flt)
    sessions = read_sessions(em, flt, targets, prepared['latest'], prepared['limit'], prepared['task_sessions'], replica, warn=warn)
    return {'changed': False, 'sessions': sessions}
