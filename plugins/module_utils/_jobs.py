# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The jobs API: one ``JobsApi`` per job kind that finds, reads, lists jobs, their includes and their latest runs
(internal; may change in any release). Modules and the inventory plugin read jobs only through it.

=========  ================  ==================  =====================================  ==========================
kind       collection        listed with         actions                                UID
=========  ================  ==================  =====================================  ==========================
``vm``     ``/jobs``         ``query?type=Job``  ``?action=start|stop|retry|sync|...``  ``urn:veeam:Job:<id>``
``agent``  ``/agents/jobs``  ``query?type=       ``?action=start|stop|retry|...``       ``urn:veeam:AgentBackupJob:<id>``
                             AgentBackupJob``
``nas``    ``/nas/jobs``     ``GET /nas/jobs``   ``/start``, ``/stop``, ``/retry``, ...  ``urn:veeam:NasJob:<id>``
=========  ================  ==================  =====================================  ==========================

Requests: listing N jobs is one paged query (``format=Entities``, whose job entities embed their includes).
[I] Whether the query service embeds includes on every Enterprise Manager version is not confirmed; when a job
comes without them (no ``Includes`` at all, or an empty list although the job links its includes), the
includes of all such jobs are read with one paged ``query?type=ObjectInJob`` (filtered by ``JobUid`` for up to
``CHUNK`` jobs, unfiltered for more). Latest runs cost one query per ``CHUNK`` jobs and run type.
Action paths follow the documented patterns above; the links of the entity are never sent.
"""

from __future__ import annotations

from ._errors import EmAmbiguousJobError, EmInputError, EmJobNotFoundError, EmNotFoundError
from ._normalize import entity_id, find_link, job_info_of, normalize_backup_server, normalize_job
from ._query import DEFAULT_PAGE_SIZE, all_of, list_in, one_of, term
from ._shapes import JOB, OBJECT_IN_JOB
from ._urls import api_path, check_id, link_id

VM = 'vm'
AGENT = 'agent'
NAS = 'nas'
COPY_JOB_TYPES = ('BackupCopy', 'ImmediateBackupCopy')
# Jobs per filtered query (JobUid==a,JobUid==b,...): keeps the URL short. [I] EM's URL limit is not documented.
CHUNK = 40
RUN_PAGE_SIZE = 500
# Filter fields of the query types (query.md, "Filter/sort fields").
VM_JOB_FIELDS = ('UID', 'Name', 'Description', 'NextRun', 'JobType', 'Platform', 'ScheduleConfigured', 'ScheduleEnabled',
                 'BackupServerUid', 'BackupServerName')
AGENT_JOB_FIELDS = ('UID', 'Name', 'Description', 'JobType', 'Platform', 'ScheduleConfigured', 'ScheduleEnabled', 'BackupServerUid',
                    'BackupServerName')


class JobKind:
    """Addresses and names of one family of jobs."""

    def __init__(self, name, collection, query_type, uid_type, path_actions, actions, label, filter_fields):
        self.name = name
        self.collection = collection
        self.query_type = query_type  # None: listed with GET <collection>?format=Entity
        self.uid_type = uid_type
        self.path_actions = path_actions
        self.actions = actions
        self.label = label
        self.filter_fields = filter_fields

    def entity_path(self, job_id):
        return api_path(*self.collection.split('/'), job_id)

    def action_path(self, job, action):
        """``(path, params)`` of a job action, by the documented pattern of the kind."""
        path = self.entity_path(entity_id(job))
        if self.path_actions:
            return '%s/%s' % (path, action), None
        return path, {'action': action}

    def run_job_uids(self, job):
        """The ``JobUid`` values a run of this job may carry.

        [I] Runs of agent and file share jobs may name their job ``urn:veeam:Job:<id>`` (the field table) or with
        the job's own UID type (the examples); both are searched.
        """
        uids = [job.get('uid') or 'urn:veeam:%s:%s' % (self.uid_type, entity_id(job)), 'urn:veeam:Job:%s' % entity_id(job)]
        unique = []
        for uid in uids:
            if uid.lower() not in [item.lower() for item in unique]:
                unique.append(uid)
        return unique


KINDS = {
    VM: JobKind(VM, 'jobs', 'Job', 'Job', False, ('start', 'stop', 'retry', 'sync'), 'job', VM_JOB_FIELDS),
    AGENT: JobKind(AGENT, 'agents/jobs', 'AgentBackupJob', 'AgentBackupJob', False, ('start', 'stop', 'retry'), 'agent backup job',
                   AGENT_JOB_FIELDS),
    NAS: JobKind(NAS, 'nas/jobs', None, 'NasJob', True, ('start', 'stop', 'retry'), 'file share job', ()),
}


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [item for item in value if item is not None]
    return [value]


def job_uid(job_id):
    """``<id>`` -> ``urn:veeam:Job:<id>`` (a UID is returned unchanged)."""
    text = str(job_id)
    return text if text.lower().startswith('urn:') else 'urn:veeam:Job:' + text


def is_copy_job(job):
    return job.get('job_type') in COPY_JOB_TYPES


def run_query_type(job):
    """The query type that holds the runs of this job (raw entity or normalised dict)."""
    return 'ReplicaJobSession' if str(job.get('job_type') or '').lower() == 'replica' else 'BackupJobSession'


class JobCriteria:
    """Job filters: each is None (no filter) or a list of accepted values; combined with AND.

    ``fields`` holds further query fields (``job_filters`` of the inventory): ``(field name, accepted values)`` pairs, sent
    to the query service only.
    """

    def __init__(self, names=None, ids=None, uids=None, job_types=None, platforms=None, backup_servers=None, schedule_enabled=None,
                 fields=None, kind=VM):
        self.kind = kind
        self.names = _as_list(names)
        self.ids = [str(item) for item in _as_list(ids)]
        self.uids = [str(item) for item in _as_list(uids)]
        if kind == VM:  # VM job UIDs are urn:veeam:Job:<id>; [I] agent and file share job UIDs come in two forms
            self.uids = [job_uid(item) for item in self.ids + self.uids]
            self.ids = []
        self.job_types = _as_list(job_types)
        self.platforms = _as_list(platforms)
        self.backup_servers = _as_list(backup_servers)
        self.schedule_enabled = schedule_enabled
        self.fields = list(fields or [])

    @classmethod
    def from_filters(cls, job_filters=None, job_types=None, kind=VM):
        """Criteria from a mapping of query fields to a value or a list of values (the inventory's ``job_filters``)."""
        if job_filters is not None and not isinstance(job_filters, dict):
            raise EmInputError('Invalid value for option job_filters', reason='expected a mapping of job query fields to values')
        allowed = {field.lower(): field for field in KINDS[kind].filter_fields}
        fields = []
        for key, value in (job_filters or {}).items():
            field = allowed.get(str(key).lower())
            if field is None:
                raise EmInputError('Unknown field in job_filters', reason=str(key), hint='use one of %s' % ', '.join(KINDS[kind].filter_fields))
            fields.append((field, _filter_values(field, value)))
        if job_types:
            fields.append(('JobType', list(job_types)))
        return cls(fields=fields, kind=kind)

    def filter_expr(self):
        """The server-side query filter (None when there is nothing to filter on)."""
        fields = KINDS[self.kind].filter_fields
        return all_of(
            one_of('Name', self.names),
            one_of('UID', self.uids) if self.kind == VM else None,
            one_of('JobType', self.job_types) if 'JobType' in fields else None,
            one_of('Platform', self.platforms) if 'Platform' in fields else None,
            one_of('BackupServerName', self.backup_servers),
            None if self.schedule_enabled is None else one_of('ScheduleEnabled', [bool(self.schedule_enabled)]),
            *(one_of(field, values) for field, values in self.fields),
        )

    def matches(self, entity):
        """Client-side re-check of the criteria this client can evaluate: names exactly, the others case-insensitively."""
        server = normalize_backup_server(entity)['name']
        checks = (
            (self.names, entity.get('name'), False),
            (self.ids, entity_id(entity), True),
            (self.uids, entity.get('uid'), True),
            (self.job_types, entity.get('job_type'), True),
            (self.platforms, entity.get('platform'), True),
            (self.backup_servers, server, True),
        )
        for accepted, value, fold in checks:
            if accepted and not _one_of(value, accepted, fold):
                return False
        return self.schedule_enabled is None or bool(entity.get('schedule_enabled')) == bool(self.schedule_enabled)


def _filter_values(field, value):
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise EmInputError('Invalid value in job_filters', reason='%s has an empty list' % field, hint='give at least one value or drop the entry')
    for item in values:
        if item is None or isinstance(item, dict):
            raise EmInputError('Invalid value in job_filters', reason='%s: %r is not a string, number or boolean' % (field, item),
                               hint='give a value or a list of values; a list matches any of its values')
    return [item if isinstance(item, (str, int, float, bool)) else str(item) for item in values]


def _one_of(value, accepted, fold):
    if value is None:
        return False
    if fold:
        return str(value).lower() in {str(item).lower() for item in accepted}
    return value in accepted


class JobsApi:
    """Reads jobs of one kind over an open EmClient. Methods return raw entities (snake_case keys) unless named otherwise."""

    def __init__(self, em, kind=VM, page_size=DEFAULT_PAGE_SIZE):
        self.em = em
        self.kind = KINDS[kind] if isinstance(kind, str) else kind
        self.page_size = page_size
        self.warnings = []

    # --- jobs ---------------------------------------------------------------------------------------

    def list(self, criteria=None):
        """Every job matching ``criteria`` (a JobCriteria), sorted by name as Enterprise Manager sorts."""
        criteria = criteria or JobCriteria(kind=self.kind.name)
        if self.kind.query_type is None:  # file share jobs: GET /nas/jobs?format=Entity, filtered here
            jobs = self.em.items(self.kind.collection, JOB, params={'format': 'Entity'})
        else:
            jobs = self.em.query(self.kind.query_type, criteria.filter_expr(), sort_asc='Name', page_size=self.page_size)
        return [job for job in jobs if criteria.matches(job)]

    def find(self, name=None, job_id=None, uid=None, backup_server=None):
        """Exactly one job by ``name``, ``job_id`` or ``uid`` (optionally on ``backup_server``)."""
        given = [key for key, value in (('name', name), ('id', job_id), ('uid', uid)) if value]
        if len(given) != 1:
            raise EmInputError('Give exactly one of name, id or uid to identify a job', reason='got %s' % (', '.join(given) or 'none'))
        if self.kind.name != VM and not name:
            return self._find_by_id(job_id, uid, backup_server)
        label = _job_label(name, job_id, uid, backup_server)
        matches = self.list(JobCriteria(names=name, ids=job_id, uids=uid, backup_servers=backup_server, kind=self.kind.name))
        if not matches:
            raise EmJobNotFoundError('No %s %s' % (self.kind.label, label),
                                     hint='check the spelling (names match exactly, case included) or list jobs with veeamops.em.veeam_job_info')
        if len(matches) > 1:
            candidates = [_candidate(job) for job in matches]
            listing = ', '.join('"%s" on %s (id %s)' % (item['name'], item['backup_server'], item['id']) for item in candidates)
            raise EmAmbiguousJobError('%d jobs match %s: %s' % (len(matches), label, listing), candidates=candidates,
                                      hint='add backup_server, or identify the job by id or uid')
        return matches[0]

    def _find_by_id(self, job_id, uid, backup_server):
        """Agent and file share jobs by id or uid: their UIDs are not ``urn:veeam:Job:<id>``, so read the entity."""
        wanted = check_id(job_id or uid.rsplit(':', 1)[-1], 'job id')
        label = 'with id "%s"' % job_id if job_id else 'with uid "%s"' % uid
        try:
            job = self.em.get(self.kind.entity_path(wanted), params={'format': 'Entity'}, shape=JOB)
        except EmNotFoundError:
            raise EmJobNotFoundError('No %s %s' % (self.kind.label, label),
                                     hint='check the id, and that job_kind=%s is the kind of this job' % self.kind.name) from None
        if str(entity_id(job) or '').lower() != wanted.lower():
            raise EmJobNotFoundError('No %s %s' % (self.kind.label, label), reason='Enterprise Manager answered with %s, not a job with id "%s"'
                                     % (job.get('uid') or job.get('href') or 'something else', wanted),
                                     hint='check the id: it is the GUID of the job (the last part of its uid)')
        if uid and str(job.get('uid') or '').lower() != uid.lower():
            raise EmJobNotFoundError('No %s %s' % (self.kind.label, label), reason='the job with id %s has uid %s' % (wanted, job.get('uid')))
        server = normalize_backup_server(job)['name']
        if backup_server and str(server or '').lower() != backup_server.lower():
            raise EmJobNotFoundError('No %s %s on backup server "%s"' % (self.kind.label, label, backup_server),
                                     reason='that job belongs to backup server "%s"' % server)
        return job

    def get(self, job):
        """The job entity read again (``GET <collection>/<id>?format=Entity``)."""
        return self.em.get(self.kind.entity_path(entity_id(job)), params={'format': 'Entity'}, shape=JOB)

    # --- includes -----------------------------------------------------------------------------------

    def includes(self, job):
        """The objects in one job (see ``includes_of``)."""
        return self.includes_of([job]).get(job.get('uid'), [])

    def includes_of(self, jobs):
        """``{job uid: [ObjectInJob]}``: embedded in the entities; the missing ones from one paged ObjectInJob query."""
        found, missing = {}, []
        for job in jobs:
            embedded = self._embedded_includes(job)
            if embedded or self.kind.name != VM or find_link(job, 'Down', 'ObjectInJobList') is None:
                found[job.get('uid')] = embedded
            else:
                missing.append(job)
        if missing:
            found.update(self._queried_includes(missing))
        return found

    def _embedded_includes(self, job):
        """Includes in the entity: in the JobInfo variant (VM jobs), in JobInfo itself (agent jobs), at the top (file share jobs)."""
        if self.kind.name == NAS:
            return list_in(job.get('includes'))
        if self.kind.name == AGENT:
            return list_in((job.get('job_info') or {}).get('includes'))
        return list_in(job_info_of(job).get('includes'))

    def _queried_includes(self, jobs):
        by_id = {str(entity_id(job)).lower(): job.get('uid') for job in jobs}
        expr = one_of('JobUid', [job.get('uid') for job in jobs]) if len(jobs) <= CHUNK else None
        found = {uid: [] for uid in by_id.values()}
        for obj in self.em.query('ObjectInJob', expr, page_size=self.page_size):
            owner = link_id((find_link(obj, 'Up', 'Job') or {}).get('href'), 'jobs')
            uid = by_id.get(str(owner).lower())
            if uid is not None:
                found[uid].append(obj)
        empty = sorted(job.get('name') for job in jobs if not found[job.get('uid')])
        if empty:
            self.warnings.append('Enterprise Manager lists no objects for %d job(s) that link their objects: %s' % (len(empty), ', '.join(empty)))
        return found

    def includes_path(self, job, object_in_job_id=None):
        """``jobs/<id>/includes[/<ObjectInJobId>]``: the objects of a VM job (agent and file share jobs are not served here)."""
        if self.kind.name != VM:
            raise EmInputError('Objects of %ss are not managed through jobs/<id>/includes' % self.kind.label,
                               hint='only backup and replication jobs (job_kind=vm) are supported')
        parts = ('jobs', entity_id(job), 'includes') + ((object_in_job_id,) if object_in_job_id is not None else ())
        return api_path(*parts)

    def listed_includes(self, job):
        """The objects in a VM job as ``GET jobs/<id>/includes`` lists them (ObjectInJob entities), one request."""
        return self.em.items(self.includes_path(job), OBJECT_IN_JOB)

    def add_include_request(self, job, ref, name):
        """``(path, params, body)`` that adds an object (``POST jobs/<id>/includes``, a minimal CreateObjectInJobSpec).

        [O: mph] the minimal JSON body with PascalCase keys works against EM 12 and 13.
        """
        return self.includes_path(job), None, {'HierarchyObjRef': ref, 'HierarchyObjName': name}

    def remove_include_request(self, job, object_in_job_id):
        """``(path, params, body, method)`` that removes one object by its ObjectInJobId (``DELETE jobs/<id>/includes/<oid>``)."""
        return self.includes_path(job, object_in_job_id), None, None, 'DELETE'

    def linked_jobs(self, job):
        """Source jobs of a backup copy job (``LinkedJobIncludes``); [] for other jobs."""
        return list_in(job_info_of(job).get('linked_job_includes'))

    # --- runs ---------------------------------------------------------------------------------------

    def latest_runs(self, jobs):
        """``{job uid: latest run entity}`` for the given jobs; jobs that never ran are absent.

        Cost: one query per run type and per ``CHUNK`` jobs, plus one more per round when some jobs of a chunk ran
        much less recently than the others (each round drops the jobs found).
        """
        owners_by_type = {}
        for job in jobs:
            if job.get('uid'):
                owners = owners_by_type.setdefault(run_query_type(job), {})
                for uid in self.kind.run_job_uids(job):
                    owners[uid.lower()] = (uid, job['uid'])
        latest = {}
        for query_type, owners in sorted(owners_by_type.items()):
            uids = list(owners)
            for start in range(0, len(uids), CHUNK):
                latest.update(self._latest_in_chunk(query_type, {uid: owners[uid] for uid in uids[start:start + CHUNK]}))
        return latest

    def _latest_in_chunk(self, query_type, owners):
        """``owners`` maps each JobUid a run may carry (lower case) to ``(that JobUid, UID of its job)``."""
        missing = dict(owners)
        found = {}
        while missing:
            before = len(missing)
            runs, more = self.em.query_first_page(query_type, one_of('JobUid', [uid for uid, _job in missing.values()]),
                                                  sort_desc='CreationTime', page_size=RUN_PAGE_SIZE)
            for run in runs:
                owner = missing.get(str(run.get('job_uid') or '').lower())
                if owner is not None and owner[1] not in found:
                    found[owner[1]] = run
                    missing = {key: value for key, value in missing.items() if value[1] != owner[1]}
            if not more or len(missing) == before:
                break
        return found

    def runs(self, job, since=None, limit=1):
        """The newest runs of ``job`` (raw entities, newest first), at most ``limit``; one query, first page only.

        ``since`` (aware datetime) keeps runs created at or after it. The job of every run is checked here again.
        """
        expr = all_of(one_of('JobUid', self.kind.run_job_uids(job)), None if since is None else term('CreationTime', '>=', since))
        runs, _more = self.em.query_first_page(run_query_type(job), expr, sort_desc='CreationTime', page_size=limit)
        wanted = str(entity_id(job) or '').lower()
        return [run for run in runs if str(run.get('job_uid') or '').rsplit(':', 1)[-1].lower() == wanted]

    def latest_run(self, job):
        """The newest run of one job, or None when it never ran."""
        runs = self.runs(job)
        return runs[0] if runs else None

    # --- actions ------------------------------------------------------------------------------------

    def stop_path(self, job, running):
        """``(path, params)`` that stops ``job``, whose run is ``running``.

        Backup copy jobs have no ``Stop`` link: their run is stopped through the run
        (``POST /backupSessions/<id>?action=stop`` [D: post_backupsessions_id_stop]).
        """
        if is_copy_job(job) and find_link(job, 'Stop') is None and running is not None:
            return api_path('backupSessions', entity_id(running)), {'action': 'stop'}
        return self.kind.action_path(job, 'stop')


def _job_label(name, job_id, uid, backup_server):
    label = 'named "%s"' % name if name else ('with id %s' % job_id if job_id else 'with uid %s' % uid)
    return label + (' on backup server "%s"' % backup_server if backup_server else '')


def _candidate(job):
    summary = normalize_job(job)
    return {'name': summary['name'], 'id': summary['id'], 'uid': summary['uid'], 'backup_server': summary['backup_server']['name']}
