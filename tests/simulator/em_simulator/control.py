# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``/_sim/`` control and inspection API (JSON in and out, no authentication; not part of EM).

It lets tests check effects out of band and steer the simulator; the README lists every call.
It never returns passwords, and session tokens only from ``GET /_sim/issued_tokens``, which exists so
that tests can search client output, logs and caches for tokens that leaked.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone

from . import __version__
from .control_restores import RESTORE_ROUTES
from .http import Response
from .model import RESULTS
from .render import CACHE
from .values import parse_duration


class ControlError(Exception):
    def __init__(self, status: int, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.payload = dict({'error': message}, **extra)


def _json(status: int, payload) -> Response:
    return Response(status, json.dumps(payload, ensure_ascii=False).encode('utf-8'), [('Content-Type', 'application/json; charset=utf-8')])


def _iso(value):
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def _body(request) -> dict:
    if not request.body.strip():
        return {}
    try:
        value = json.loads(request.body.decode('utf-8-sig'))
    except ValueError as error:
        raise ControlError(400, f'the body is not valid JSON: {error}') from None
    if not isinstance(value, dict):
        raise ControlError(400, 'the body must be a JSON object')
    return value


# ------------------------------------------------------------------ views

def session_summary(session) -> dict:
    return {'id': session.id, 'uid': session.uid, 'family': session.family, 'job_type': session.job_type, 'state': session.state,
            'result': session.result, 'progress': session.progress, 'is_retry': session.is_retry, 'created': _iso(session.created),
            'ended': _iso(session.ended), 'task_sessions': len(session.task_sessions),
            'trigger': session.trigger, 'vms': [task.vm.name for task in session.task_sessions],
            'restore_points': [point.id for point in session.restore_points]}


def include_summary(include, estate, visible=True) -> dict:
    obj = estate.inventory_object(include.ref) if include.ref else None
    return {'object_in_job_id': include.id, 'ref': include.ref, 'name': include.name, 'type': obj.type if obj else None,
            'visible': visible}


def job_summary(job, estate) -> dict:
    last = job.last_finished_session()
    return {'id': job.id, 'uid': job.uid, 'name': job.name, 'kind': job.kind, 'job_type': job.job_type, 'platform': job.platform,
            'backup_server': job.server.name, 'description': job.description, 'schedule_configured': job.schedule_configured,
            'schedule_enabled': job.schedule_enabled, 'next_run': _iso(job.next_run), 'running': job.busy,
            'last_result': last.result if last else None,
            'includes': [include.name for include in job.includes + job.pending_includes],
            'include_objects': [include_summary(include, estate) for include in job.includes]
            + [include_summary(include, estate, visible=False) for include in job.pending_includes],
            'quick_backups_waiting': [[vm.name for vm in run.vms] for run in job.quick_runs],
            'counts': dict(job.counts), 'queued_outcomes': [{'result': result, 'duration': duration, 'runs': runs}
                                                            for result, duration, runs in job.outcomes],
            'sessions': [session_summary(session) for session in reversed(job.sessions)]}


def _find_job(app, key: str, query: dict):
    wanted = key.lower()
    server = query.get('backup_server', '').lower()
    matches = [job for job in app.sim.estate.jobs.values()
               if wanted in (job.id.lower(), job.uid.lower(), job.name.lower())
               and (not server or server in (job.server.name.lower(), job.server.id.lower()))]
    if not matches:
        raise ControlError(404, f'no job with id, UID or name "{key}"' + (f' on backup server "{server}"' if server else ''))
    if len(matches) > 1:
        raise ControlError(409, f'"{key}" names {len(matches)} jobs; add ?backup_server=<name> or use the id',
                           candidates=[{'id': job.id, 'kind': job.kind, 'backup_server': job.server.name} for job in matches])
    return matches[0]


# ------------------------------------------------------------------ handlers

def health(app, request, body):
    estate = app.sim.estate
    return 200, {'ok': True, 'version': __version__, 'pid': os.getpid(), 'uptime_seconds': round(app.uptime(), 3),
                 'sim_time': _iso(app.sim.clock.now()), 'time_speed': app.sim.clock.speed,
                 'counts': {'backup_servers': len(estate.servers), 'hierarchy_roots': len(estate.roots),
                            'inventory_objects': len(estate.objects), 'accounts': len(estate.accounts), 'jobs': len(estate.jobs),
                            'includes': len(estate.includes), 'sessions': len(estate.sessions),
                            'task_sessions': len(estate.task_sessions), 'pending_events': len(app.sim.events),
                            **estate.catalog.counts()},
                 'open_logon_sessions': len(app.logons.open_sessions()),
                 'render_cache': {'entries': len(CACHE.entries), 'chars': CACHE.size, 'hits': CACHE.hits, 'misses': CACHE.misses}}


def issued_tokens(app, request, body):
    return 200, {'tokens': app.logons.issued_tokens()}


def logon_sessions(app, request, body):
    sessions = app.logons.open_sessions()
    return 200, {'open': len(sessions), 'sessions': [
        {'session_id': logon.id, 'username': logon.account.username, 'roles': sorted(logon.account.roles),
         'api_version': logon.api_version, 'created': _wall(app, logon, logon.created), 'last_used': _wall(app, logon, logon.last_used),
         'tasks': len(logon.tasks)} for logon in sessions]}


def _wall(app, logon, monotonic_value):
    return datetime.fromtimestamp(app.logons.wall_time(logon, monotonic_value), tz=timezone.utc).isoformat(
        timespec='milliseconds').replace('+00:00', 'Z')


def requests_get(app, request, body):
    limit = request.query.get('limit')
    if limit is not None and not limit.isdigit():
        raise ControlError(400, 'limit must be a whole number')
    return 200, app.requests.snapshot(int(limit) if limit is not None else None)


def requests_delete(app, request, body):
    app.requests.clear()
    return 200, {'cleared': True}


def jobs_list(app, request, body):
    with app.lock:
        app.sim.advance()
        return 200, {'jobs': [job_summary(job, app.sim.estate) for job in app.sim.estate.jobs.values()]}


def job_get(app, request, body, key):
    with app.lock:
        app.sim.advance()
        return 200, job_summary(_find_job(app, key, request.query), app.sim.estate)


def job_outcome(app, request, body, key):
    result = body.get('result')
    if result is not None:
        result = next((item for item in RESULTS if item.lower() == str(result).lower()), None)
        if result is None:
            raise ControlError(400, f'result must be one of {", ".join(RESULTS)}')
    try:
        duration = parse_duration(body['duration']) if body.get('duration') is not None else None
    except ValueError as error:
        raise ControlError(400, str(error)) from None
    runs = body.get('runs', 1)
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1 or (duration is not None and duration <= 0):
        raise ControlError(400, 'runs must be a whole number of 1 or more and duration greater than 0')
    with app.lock:
        job = _find_job(app, key, request.query)
        job.outcomes.append((result, duration, runs))
        return 200, job_summary(job, app.sim.estate)


def job_run(app, request, body, key):
    with app.lock:
        now = app.sim.advance()
        job = _find_job(app, key, request.query)
        session = app.sim.scheduler.run_now(job, now)
        if session is None:
            raise ControlError(409, f'job "{job.name}" is already running')
        return 201, session_summary(session)


def faults_get(app, request, body):
    return 200, app.faults.describe()


def faults_post(app, request, body):
    try:
        return 200, app.faults.configure(body)
    except ValueError as error:
        raise ControlError(400, str(error)) from None


def faults_delete(app, request, body):
    app.faults.clear()
    return 200, app.faults.describe()


def expire_sessions(app, request, body):
    return 200, {'expired': app.logons.expire(body.get('session_id'))}


def tasks_vanish(app, request, body):
    """Task records disappear as a real EM's do while a client polls them [O: mph]; the operations go on."""
    wanted = {key: body.get(key) for key in ('session_id', 'task_id')}
    if any(value is not None and not isinstance(value, str) for value in wanted.values()):
        raise ControlError(400, 'session_id and task_id must be strings')
    with app.lock:
        return 200, {'vanished': app.logons.vanish_tasks(wanted['session_id'], wanted['task_id'])}


def config_get(app, request, body):
    return 200, app.sim.config.as_dict()


def config_post(app, request, body):
    with app.lock:
        try:
            config = app.sim.config.updated(body)
        except ValueError as error:
            raise ControlError(400, str(error)) from None
        app.sim.set_config(config)
        return 200, config.as_dict()


def reset(app, request, body):
    app.reset()
    return 200, {'reset': True, 'jobs': len(app.sim.estate.jobs)}


def advance(app, request, body):
    try:
        seconds = parse_duration(body.get('seconds', 0))
        with app.lock:
            app.sim.clock.advance(seconds)
            now = app.sim.advance()
    except ValueError as error:
        raise ControlError(400, str(error)) from None
    return 200, {'sim_time': _iso(now)}


ROUTES = [
    ('GET', '/_sim/health', health), ('GET', '/_sim/logon_sessions', logon_sessions), ('GET', '/_sim/issued_tokens', issued_tokens),
    ('GET', '/_sim/requests', requests_get), ('DELETE', '/_sim/requests', requests_delete),
    ('GET', '/_sim/jobs', jobs_list), ('GET', '/_sim/jobs/{}', job_get), ('POST', '/_sim/jobs/{}/outcome', job_outcome),
    ('POST', '/_sim/jobs/{}/run', job_run),
    ('GET', '/_sim/faults', faults_get), ('POST', '/_sim/faults', faults_post), ('DELETE', '/_sim/faults', faults_delete),
    ('POST', '/_sim/expire_sessions', expire_sessions), ('GET', '/_sim/config', config_get), ('POST', '/_sim/config', config_post),
    ('POST', '/_sim/reset', reset), ('POST', '/_sim/advance', advance),
    ('POST', '/_sim/tasks/vanish', tasks_vanish),
]
ROUTES += RESTORE_ROUTES
_COMPILED = [(method, re.compile('^' + re.escape(path).replace(re.escape('{}'), '([^/]+)') + '/?$'), handler)
             for method, path, handler in ROUTES]


def handle(app, request) -> Response:
    allowed = []
    for method, pattern, handler in _COMPILED:
        found = pattern.match(request.path)
        if not found:
            continue
        if method != request.method:
            allowed.append(method)
            continue
        try:
            status, payload = handler(app, request, _body(request), *found.groups())
        except ControlError as error:
            return _json(error.status, error.payload)
        return _json(status, payload)
    if allowed:
        response = _json(405, {'error': f'{request.method} is not allowed here; use {", ".join(allowed)}'})
        response.headers.append(('Allow', ', '.join(allowed)))
        return response
    return _json(404, {'error': f'no control call {request.path}', 'calls': [f'{method} {path}' for method, path, _h in ROUTES]})
