# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JobsApi: read jobs, their includes and their latest sessions (internal; may change in any release).

Jobs are listed through the query service (``type=Job&format=Entities``, large pages), which embeds
schedule and includes in each entity, so listing N jobs with every detail but the last session costs
one request per page. Latest sessions come from ``type=BackupJobSession`` / ``type=ReplicaJobSession``
sorted newest first and filtered on the job UIDs, in chunks of ``SESSION_CHUNK`` jobs.
The normalisers that turn these entities into result dicts are in ``_normalize.py``.
"""

from __future__ import annotations

from urllib.parse import quote

from ._errors import EmAmbiguousJobError, EmInputError, EmJobNotFoundError
from ._normalize import find_link, job_info_of, normalize_backup_server, normalize_job
from ._query import all_of, collection_items, list_in, next_page_href, one_of, query_items, query_params

JOB_UID_PREFIX = 'urn:veeam:Job:'
SESSION_CHUNK = 40
SESSION_PAGE_SIZE = 500


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [item for item in value if item is not None]
    return [value]


def job_uid(job_id):
    """``<id>`` -> ``urn:veeam:Job:<id>`` (a UID is returned unchanged)."""
    text = str(job_id)
    return text if text.lower().startswith('urn:') else JOB_UID_PREFIX + text


def session_type_of(job):
    """The query type that holds the sessions of this job (raw entity or normalised dict)."""
    return 'ReplicaJobSession' if str(job.get('job_type') or '').lower() == 'replica' else 'BackupJobSession'


class JobCriteria:
    """Job filters: each is None (no filter) or a list of accepted values; combined with AND."""

    def __init__(self, names=None, ids=None, uids=None, job_types=None, platforms=None, backup_servers=None, schedule_enabled=None):
        self.names = _as_list(names)
        self.uids = [job_uid(item) for item in _as_list(ids) + _as_list(uids)]
        self.job_types = _as_list(job_types)
        self.platforms = _as_list(platforms)
        self.backup_servers = _as_list(backup_servers)
        self.schedule_enabled = schedule_enabled

    def filter_expr(self):
        """The server-side query filter (None when there is nothing to filter on)."""
        return all_of(
            one_of('Name', self.names),
            one_of('UID', self.uids),
            one_of('JobType', self.job_types),
            one_of('Platform', self.platforms),
            one_of('BackupServerName', self.backup_servers),
            None if self.schedule_enabled is None else one_of('ScheduleEnabled', [bool(self.schedule_enabled)]),
        )

    def matches(self, entity):
        """Client-side re-check of the same criteria: names exactly, everything else case-insensitively."""
        server = normalize_backup_server(entity)['name']
        checks = (
            (self.names, entity.get('name'), False),
            (self.uids, entity.get('uid'), True),
            (self.job_types, entity.get('job_type'), True),
            (self.platforms, entity.get('platform'), True),
            (self.backup_servers, server, True),
        )
        for accepted, value, fold in checks:
            if accepted and not _one_of(value, accepted, fold):
                return False
        return self.schedule_enabled is None or bool(entity.get('schedule_enabled')) == bool(self.schedule_enabled)


def _one_of(value, accepted, fold):
    if value is None:
        return False
    if fold:
        return str(value).lower() in {str(item).lower() for item in accepted}
    return value in accepted


class JobsApi:
    """Job reads over an open EmSession. Methods return raw entities (snake_case keys) unless named otherwise."""

    def __init__(self, session, query_type='Job'):
        self.session = session
        # ``AgentBackupJob`` and ``NasJob`` list agent and file share jobs by name and backup server the same way;
        # their UIDs are not ``urn:veeam:Job:<id>``, so look those up by id with a GET of the entity instead.
        self.query_type = query_type

    def list_jobs(self, criteria=None, **filters):
        """All jobs matching ``criteria`` (a JobCriteria) or the JobCriteria keyword filters; one paged query."""
        criteria = criteria or JobCriteria(**filters)
        return [job for job in self.session.query(self.query_type, criteria.filter_expr(), sort_asc='Name') if criteria.matches(job)]

    def find_job(self, name=None, job_id=None, uid=None, backup_server=None):
        """Exactly one job by ``name``, ``job_id`` or ``uid`` (optionally on ``backup_server``)."""
        given = [key for key, value in (('name', name), ('id', job_id), ('uid', uid)) if value]
        if len(given) != 1:
            raise EmInputError('Give exactly one of name, id or uid to identify a job', reason='got %s' % (', '.join(given) or 'none'))
        criteria = JobCriteria(names=name, ids=job_id, uids=uid, backup_servers=backup_server)
        matches = self.list_jobs(criteria)
        label = _job_label(name, job_id, uid, backup_server)
        if not matches:
            raise EmJobNotFoundError('No job %s' % label,
                                     hint='check the spelling (names match exactly, case included) or list jobs with veeamops.em.veeam_job_info')
        if len(matches) > 1:
            candidates = [_candidate(job) for job in matches]
            listing = ', '.join('"%s" on %s (id %s)' % (item['name'], item['backup_server'], item['id']) for item in candidates)
            raise EmAmbiguousJobError('%d jobs match %s: %s' % (len(matches), label, listing), candidates=candidates,
                                      hint='add backup_server, or identify the job by id or uid')
        return matches[0]

    def get_job(self, job_id):
        """``GET /api/jobs/<id>?format=Entity`` (raises EmNotFoundError for an unknown id)."""
        return self.session.get('jobs/%s' % quote(str(job_id), safe=''), params={'format': 'Entity'})

    def includes(self, job):
        """The objects in a job: embedded in the entity; ``GET /jobs/<id>/includes`` only when the entity lacks them."""
        embedded = job_info_of(job).get('includes')
        if embedded is not None or find_link(job, 'Down', 'ObjectInJobList') is None:
            return list_in(embedded)
        job_id = normalize_job(job)['id']
        return collection_items(self.session.get('jobs/%s/includes' % quote(str(job_id), safe='')))

    def linked_jobs(self, job):
        """Source jobs of a backup copy job (``LinkedJobIncludes``); [] for other jobs."""
        return list_in(job_info_of(job).get('linked_job_includes'))

    def latest_sessions(self, jobs):
        """``{job_uid: latest session entity}`` for the given jobs; jobs that never ran are absent.

        Cost: one query per session type and per ``SESSION_CHUNK`` jobs, plus one more per round when
        some jobs of a chunk ran much less recently than the others (each round drops the found jobs).
        """
        uids_by_type = {}
        for job in jobs:
            if job.get('uid'):
                uids_by_type.setdefault(session_type_of(job), []).append(job['uid'])
        latest = {}
        for session_type, uids in sorted(uids_by_type.items()):
            for start in range(0, len(uids), SESSION_CHUNK):
                latest.update(self._latest_in_chunk(session_type, uids[start:start + SESSION_CHUNK]))
        return latest

    def latest_session(self, job):
        """The latest session entity of one job, or None."""
        return self.latest_sessions([job]).get(job.get('uid'))

    def _latest_in_chunk(self, session_type, uids):
        missing = {uid.lower(): uid for uid in uids}
        found = {}
        while missing:
            params = query_params(session_type, one_of('JobUid', list(missing.values())), sort_desc='CreationTime', page_size=SESSION_PAGE_SIZE)
            page = self.session.get('query', params=params)
            before = len(missing)
            for session in query_items(page):
                uid = missing.pop(str(session.get('job_uid') or '').lower(), None)
                if uid is not None:
                    found[uid] = session
            if next_page_href(page) is None or len(missing) == before:
                break
        return found


def _job_label(name, job_id, uid, backup_server):
    label = 'named "%s"' % name if name else ('with id %s' % job_id if job_id else 'with uid %s' % uid)
    return label + (' on backup server "%s"' % backup_server if backup_server else '')


def _candidate(job):
    summary = normalize_job(job)
    return {'name': summary['name'], 'id': summary['id'], 'uid': summary['uid'], 'backup_server': summary['backup_server']['name']}
