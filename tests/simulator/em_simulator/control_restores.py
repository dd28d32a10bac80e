# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Control calls of the restore side (``/_sim/restores``; control.py adds them to its table).

* ``GET /_sim/restores[?vm=<ref, own id or name>]``: every accepted restore request, oldest first,
  with its spec, account, task, restore session, state, result and times; ``by_vm`` counts them per
  VM; ``queued_outcomes`` lists the outcomes still waiting.
* ``POST /_sim/restores/outcome`` ``{"result", "duration", "runs", "vm", "message"}`` queues the
  outcome of the next ``runs`` restores of ``vm`` (any VM when absent), as ``/_sim/jobs/{job}/outcome``
  does for runs.
* ``GET /_sim/vm_restore_points[?vm=<ref, own id or name>][&job=<id, UID or name>]``: the VM restore
  points that exist now (retention removed the others), oldest first, with their restore point,
  backup, job, job session and its trigger, and task session: what runs wrote, without a logon.
"""

from __future__ import annotations

from collections import Counter
from datetime import timezone

from .catalog import local_part, ref_key
from .model import RESULTS
from .values import format_datetime, parse_duration


def _iso(value):
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def _state(record):
    if record.rejected:
        return 'Rejected', 'Failed'
    if record.session is None:
        return 'Pending', None
    return record.session.state, record.session.result


def record_summary(record) -> dict:
    state, result = _state(record)
    session = record.session
    message = record.rejected or (record.outcome or {}).get('message')
    return {'point': record.point.id, 'vm_ref': record.vm_ref, 'vm_name': record.vm_name, 'spec': dict(record.spec),
            'account': record.account, 'task_id': record.task_id, 'restore_session': session.id if session else None,
            'state': state, 'result': result, 'message': message, 'restored_ref': session.restored_ref if session else None,
            'requested': _iso(record.requested), 'started': _iso(session.created) if session else None,
            'ended': _iso(session.ended) if session else None}


def _matches(record, wanted: str) -> bool:
    return wanted in (ref_key(record.vm_ref), local_part(record.vm_ref).lower(), record.vm_name.lower())


def restores_list(app, request, body):
    wanted = request.query.get('vm', '').lower()
    with app.lock:
        app.sim.advance()
        catalog = app.sim.estate.catalog
        records = [record for record in catalog.restores if not wanted or _matches(record, wanted)]
        counts = Counter((record.vm_ref, record.vm_name) for record in records)
        return 200, {'restores': [record_summary(record) for record in records],
                     'by_vm': [{'vm_ref': ref, 'vm_name': name, 'restores': count} for (ref, name), count in counts.items()],
                     'queued_outcomes': [dict(entry) for entry in catalog.restore_outcomes]}


def restores_outcome(app, request, body):
    result = body.get('result')
    if result is not None:
        result = next((item for item in RESULTS if item.lower() == str(result).lower()), None)
        if result is None:
            return 400, {'error': f'result must be one of {", ".join(RESULTS)}'}
    try:
        duration = parse_duration(body['duration']) if body.get('duration') is not None else None
    except ValueError as error:
        return 400, {'error': str(error)}
    runs = body.get('runs', 1)
    if not isinstance(runs, int) or isinstance(runs, bool) or runs < 1 or (duration is not None and duration <= 0):
        return 400, {'error': 'runs must be a whole number of 1 or more and duration greater than 0'}
    vm, message = body.get('vm'), body.get('message')
    if (vm is not None and not isinstance(vm, str)) or (message is not None and not isinstance(message, str)):
        return 400, {'error': 'vm (a VM reference, its own id or its name) and message must be strings'}
    with app.lock:
        queue = app.sim.estate.catalog.restore_outcomes
        queue.append({'result': result, 'duration': duration, 'runs': runs, 'vm': vm.lower() if vm else None, 'message': message})
        return 200, {'queued_outcomes': [dict(entry) for entry in queue]}


def vm_point_summary(point, profile) -> dict:
    parent = point.restore_point
    backup, session, task_session = parent.backup, parent.session, point.task_session
    return {'id': point.id, 'uid': point.uid, 'vm_ref': point.vm_ref, 'vm_name': point.vm_name, 'created': _iso(point.created),
            'creation_time_utc': format_datetime(point.created, profile), 'algorithm': point.algorithm, 'point_type': point.point_type,
            'restore_point': parent.id, 'backup': {'id': backup.id, 'name': backup.name},
            'job': {'id': backup.job.id, 'name': backup.job.name}, 'backup_server': backup.server.name,
            'job_session': session.id, 'trigger': session.trigger, 'task_session': task_session.id if task_session else None,
            'backup_file': point.backup_file.name if point.backup_file else None}


def _point_of(point, vm: str, job: str) -> bool:
    owner = point.restore_point.backup.job
    return ((not vm or vm in (ref_key(point.vm_ref), local_part(point.vm_ref).lower(), point.vm_name.lower()))
            and (not job or job in (owner.id.lower(), owner.uid.lower(), owner.name.lower())))


def vm_points_list(app, request, body):
    vm, job = (request.query.get(key, '').lower() for key in ('vm', 'job'))
    with app.lock:
        app.sim.advance()
        profile = 'v13' if app.sim.config.casing == 'camel' else 'v12'
        points = [point for point in app.sim.estate.catalog.vm_points.values() if _point_of(point, vm, job)]
        points.sort(key=lambda point: point.created)
        return 200, {'vm_restore_points': [vm_point_summary(point, profile) for point in points]}


RESTORE_ROUTES = [('GET', '/_sim/restores', restores_list), ('POST', '/_sim/restores/outcome', restores_outcome),
                  ('GET', '/_sim/vm_restore_points', vm_points_list)]
