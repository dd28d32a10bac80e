# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""VM, agent and file share jobs: where they live, how actions are addressed, how their runs are found
(internal; may change in any release).

=========  ================  ==================  =====================================  ==========================
kind       collection        query type          actions                                UID in examples
=========  ================  ==================  =====================================  ==========================
``vm``     ``/jobs``         ``Job``             ``?action=start|stop|retry|sync|...``  ``urn:veeam:Job:<id>``
``agent``  ``/agents/jobs``  ``AgentBackupJob``  ``?action=start|stop|retry|...``       ``urn:veeam:AgentBackupJob:<id>``
``nas``    ``/nas/jobs``     ``NasJob``          ``/start``, ``/stop``, ``/retry``, ...  ``urn:veeam:NasJob:<id>``
=========  ================  ==================  =====================================  ==========================

Action URLs come from the job entity's links (``Start``, ``Stop``, ``Retry``, ``Sync``,
``ToggleScheduleEnabled``) when it has them, as the reference asks; otherwise they are built from
the patterns above. Runs of every kind are job sessions found through the query service
(``BackupJobSession``, or ``ReplicaJobSession`` for replica jobs) by ``JobUid``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from ._errors import EmJobNotFoundError, EmNotFoundError
from ._jobs import JobsApi, session_type_of
from ._normalize import entity_id, find_link, id_from_uid, normalize_backup_server
from ._query import all_of, collection_items, one_of, query_items, query_params, term

VM = 'vm'
AGENT = 'agent'
NAS = 'nas'
COPY_JOB_TYPES = ('BackupCopy', 'ImmediateBackupCopy')
LINK_RELS = {'start': 'Start', 'stop': 'Stop', 'retry': 'Retry', 'sync': 'Sync', 'toggleScheduleEnabled': 'ToggleScheduleEnabled'}
_EM_TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?$', re.IGNORECASE)


class JobKind:
    """Addresses and names of one family of jobs."""

    def __init__(self, name, collection, query_type, uid_type, path_actions, actions, label):
        self.name = name
        self.collection = collection
        self.query_type = query_type
        self.uid_type = uid_type
        self.path_actions = path_actions
        self.actions = actions
        self.label = label

    def entity_path(self, job_id):
        return '%s/%s' % (self.collection, quote(str(job_id), safe=''))

    def action_request(self, job, action):
        """``(url or path, params)`` of a job action: the entity's link when present, else the documented pattern."""
        link = find_link(job, LINK_RELS[action])
        if link and link.get('href'):
            return link['href'], None
        path = self.entity_path(entity_id(job))
        if self.path_actions:
            return '%s/%s' % (path, action), None
        return path, {'action': action}

    def session_job_uids(self, job):
        """The ``JobUid`` values a session of this job may carry.

        [I] Sessions of agent and file share jobs may name their job ``urn:veeam:Job:<id>`` (the field table)
        or with the job's own UID type (the examples); both are searched.
        """
        uids = [job.get('uid') or 'urn:veeam:%s:%s' % (self.uid_type, entity_id(job)), 'urn:veeam:Job:%s' % entity_id(job)]
        unique = []
        for uid in uids:
            if uid.lower() not in [item.lower() for item in unique]:
                unique.append(uid)
        return unique


KINDS = {
    VM: JobKind(VM, 'jobs', 'Job', 'Job', False, ('start', 'stop', 'retry', 'sync'), 'job'),
    AGENT: JobKind(AGENT, 'agents/jobs', 'AgentBackupJob', 'AgentBackupJob', False, ('start', 'stop', 'retry'), 'agent backup job'),
    NAS: JobKind(NAS, 'nas/jobs', 'NasJob', 'NasJob', True, ('start', 'stop', 'retry'), 'file share job'),
}


def is_copy_job(job):
    return job.get('job_type') in COPY_JOB_TYPES


def find_job(em, kind, name=None, job_id=None, uid=None, backup_server=None):
    """Exactly one job of ``kind`` (raw entity). VM jobs and names go through ``JobsApi.find_job``."""
    if kind.name == VM or name:
        return JobsApi(em, query_type=kind.query_type).find_job(name=name, job_id=job_id, uid=uid, backup_server=backup_server)
    wanted = job_id or id_from_uid(uid) or uid
    label = 'with id "%s"' % job_id if job_id else 'with uid "%s"' % uid
    try:
        job = em.get(kind.entity_path(wanted), params={'format': 'Entity'})
    except EmNotFoundError:
        raise EmJobNotFoundError('No %s %s' % (kind.label, label), hint='check the id, and that job_kind=%s is the kind of this job' % kind.name) from None
    if str(entity_id(job) or '').lower() != str(wanted).lower():
        # e.g. an id of "." or "..", which the URL path turns into the job list or another resource
        raise EmJobNotFoundError('No %s %s' % (kind.label, label), reason='Enterprise Manager answered with %s, not a job with id "%s"'
                                 % (job.get('uid') or job.get('href') or 'something else', wanted),
                                 hint='check the id: it is the GUID of the job (the last part of its uid)')
    if uid and str(job.get('uid') or '').lower() != uid.lower():
        raise EmJobNotFoundError('No %s %s' % (kind.label, label), reason='the job with id %s has uid %s' % (wanted, job.get('uid')))
    server = normalize_backup_server(job)['name']
    if backup_server and str(server or '').lower() != backup_server.lower():
        raise EmJobNotFoundError('No %s %s on backup server "%s"' % (kind.label, label, backup_server),
                                 reason='that job belongs to backup server "%s"' % server)
    return job


def stop_request(kind, job, running):
    """``(url or path, params)`` that stops ``job``, whose run is the session ``running``.

    Backup copy jobs have no ``Stop`` link: their run is stopped through the session's ``Stop`` link
    (``POST /backupSessions/<id>?action=stop`` [D: post_backupsessions_id_stop]).
    """
    if is_copy_job(job) and find_link(job, 'Stop') is None and running is not None:
        link = find_link(running, 'Stop')
        if link and link.get('href'):
            return link['href'], None
        return 'backupSessions/%s' % quote(str(entity_id(running)), safe=''), {'action': 'stop'}
    return kind.action_request(job, 'stop')


def get_job(em, kind, job):
    """The job entity read again (``GET <collection>/<id>?format=Entity``)."""
    return em.get(kind.entity_path(entity_id(job)), params={'format': 'Entity'})


def floor_to_second(text):
    """An EM date-time (``2026-03-01T21:00:12.437Z``) as an aware UTC datetime without fraction, or None."""
    match = _EM_TIME.match(str(text or '').strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    if zone and zone.upper() != 'Z':
        digits = zone[1:].replace(':', '')
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        moment = moment - offset if zone[0] == '+' else moment + offset
    return moment


def newest_sessions(em, kind, job, since=None, limit=1):
    """The newest job sessions of ``job`` (raw entities, newest first), at most ``limit``; one query, first page only.

    ``since`` (aware datetime) keeps sessions created at or after it.
    """
    expr = all_of(one_of('JobUid', kind.session_job_uids(job)), None if since is None else term('CreationTime', '>=', since))
    page = em.get('query', params=query_params(session_type_of(job), expr, sort_desc='CreationTime', page_size=limit))
    wanted = str(entity_id(job) or '').lower()
    return [session for session in query_items(page) if str(id_from_uid(session.get('job_uid')) or '').lower() == wanted]


def newest_session(em, kind, job):
    sessions = newest_sessions(em, kind, job)
    return sessions[0] if sessions else None


def task_sessions(em, session):
    """The per-VM task sessions of a job session, from its ``Down`` link to the task session list; None without one."""
    for link in session.get('links') or []:
        if link.get('rel') == 'Down' and str(link.get('type') or '').endswith('TaskSessionReferenceList') and link.get('href'):
            return collection_items(em.get(link['href'], params={'format': 'Entity'}))
    return None
