# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the resource handlers: lookups that 404, list and task replies."""

from __future__ import annotations

from .. import shapes
from ..collect import seen_sessions
from ..http import ApiError
from ..views import fragment, ref_fragment, task_entity


def not_found(what: str, id_: str) -> ApiError:
    """``404`` naming the resource [D: http_response_codes; I: message text, as in examples/error-404.*]."""
    return ApiError(404, f'{what} with id [{id_}] was not found.')


def job_or_404(ctx, job_id: str, kind: str):
    job = ctx.estate.job(job_id, kind)
    if job is None:
        raise not_found({'vm': 'Job', 'agent': 'Agent backup job', 'nas': 'File share job'}[kind], job_id)
    return job


def include_or_404(job, include_id: str):
    for include in job.includes:
        if include.id.lower() == include_id.lower():
            return include
    raise not_found('Object in job', include_id)


def reply_list(ctx, kind: str, objects, entity_root: str, entity_shape):
    """``EntityReferences`` of ``objects``, or their entity list with ``?format=Entity``."""
    if ctx.wants_entity():
        item = entity_shape.members[0].name
        return ctx.reply(200, entity_root, entity_shape, {item: [fragment(kind, obj) for obj in objects]})
    return ctx.reply(200, 'EntityReferences', shapes.ENTITY_REFERENCES, {'Ref': [ref_fragment(kind, obj) for obj in objects]})


def reply_job_sessions(ctx, job_id: str, kind: str):
    """``/agents/jobs/{id}/backupSessions`` and ``/nas/jobs/{id}/backupSessions``: all of the job's runs."""
    job = job_or_404(ctx, job_id, kind)
    return reply_list(ctx, 'backup_session', seen_sessions(ctx, job.sessions), 'BackupJobSessions', shapes.BACKUP_JOB_SESSIONS)


def reply_one(ctx, kind: str, obj, entity_tag: str, entity_shape, entity_view, ref_view):
    """``EntityRef`` of ``obj``, or its entity with ``?format=Entity``."""
    if ctx.wants_entity():
        return ctx.reply(200, entity_tag, entity_shape, entity_view(obj, ctx.style))
    return ctx.reply(200, 'EntityRef', shapes.REF, ref_view(obj, ctx.style))


def reply_task(ctx, task):
    """``202 Accepted`` with the task [D: http_response_codes]."""
    return ctx.reply(202, 'Task', shapes.TASK, task_entity(task, ctx.style))
