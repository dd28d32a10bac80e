# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/jobs``: VM backup, replica and backup copy jobs, Portal Administrator only [jobs.md, auth.md]."""

from __future__ import annotations

from .. import shapes
from ..collect import seen_sessions
from ..context import ADMIN
from ..http import NULL_REFERENCE, ApiError
from ..model import VM
from ..views import job_entity, job_ref
from .common import job_or_404, reply_list, reply_one, reply_task

POST_ACTIONS = ('start', 'stop', 'retry', 'sync', 'clone', 'toggleScheduleEnabled')


def get_jobs(ctx):
    ctx.require(ADMIN)
    return reply_list(ctx, 'job', ctx.estate.jobs_of(VM), 'Jobs', shapes.JOBS)


def get_job(ctx, job_id):
    ctx.require(ADMIN)
    return reply_one(ctx, 'job', job_or_404(ctx, job_id, VM), 'Job', shapes.JOB, job_entity, job_ref)


def post_job(ctx, job_id):
    """``?action=start|stop|retry|sync|clone|toggleScheduleEnabled`` → 202 + task [D: post_jobs_id_action*]."""
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, VM)
    action = ctx.action(POST_ACTIONS)
    body = None
    if action == 'clone':
        spec = ctx.body('JobCloneSpec', shapes.JOB_CLONE_SPEC)
        given = [name for name, value in spec.items() if value is not None]
        if not given:
            raise ApiError(500, NULL_REFERENCE)
        wanted = shapes.CLONE_INFO_FOR_JOB_TYPE[job.job_type]
        if wanted not in given:
            message = f'Job "{job.name}" of type {job.job_type} is cloned with {wanted}, not {given[0]}.'
            return reply_task(ctx, ctx.sim.actions.reject(ctx.logon, job, action, ctx.now, message))
        body = spec[wanted]
    return reply_task(ctx, ctx.sim.actions.job_action(ctx.logon, job, action, ctx.now, body))


def put_job(ctx, job_id):
    """``PUT /jobs/{id}?action=edit`` with a (partial) ``Job`` body → 202 + ``EditJob`` task [D: put_jobs_id_actionedit]."""
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, VM)
    ctx.action(('edit',))
    body = ctx.body('Job', shapes.JOB)
    return reply_task(ctx, ctx.sim.actions.job_action(ctx.logon, job, 'edit', ctx.now, body))


def delete_job(ctx, job_id):
    """``DELETE /jobs/{id}`` → 202 + ``DeleteJob`` task [D: delete_jobs_id]."""
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, VM)
    return reply_task(ctx, ctx.sim.actions.job_action(ctx.logon, job, 'delete', ctx.now))


def get_job_sessions(ctx, job_id, family):
    """``/jobs/{id}/backupSessions`` and ``/replicaSessions``; a job's sessions of the other family: empty list [I]."""
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, VM)
    sessions = seen_sessions(ctx, [session for session in job.sessions if session.family == family])
    if family == 'replica':
        return reply_list(ctx, 'replica_session', sessions, 'ReplicaJobSessions', shapes.REPLICA_JOB_SESSIONS)
    return reply_list(ctx, 'backup_session', sessions, 'BackupJobSessions', shapes.BACKUP_JOB_SESSIONS)


def get_backup_sessions_of_job(ctx, job_id):
    return get_job_sessions(ctx, job_id, 'backup')


def get_replica_sessions_of_job(ctx, job_id):
    return get_job_sessions(ctx, job_id, 'replica')
