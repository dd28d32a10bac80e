# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/nas/jobs``: file share jobs, Portal Administrator only [agent-and-nas-jobs.md; examples/nas-job-entity.*].

Actions are path segments, ``POST /nas/jobs/{id}/start|stop|retry|toggleScheduleEnabled``
[D13.1: get_nas_jobs_id; O: by3]; ``?action=`` on a NAS job is not a route (405 [I]). Includes are
read-only; no clone, edit or delete.
"""

from __future__ import annotations

from .. import shapes
from ..context import ADMIN
from ..model import NAS
from ..views import fragment, job_ref, nas_include_entity, nas_job_entity
from .common import include_or_404, job_or_404, reply_job_sessions, reply_list, reply_one, reply_task


def get_jobs(ctx):
    ctx.require(ADMIN)
    return reply_list(ctx, 'nas_job', ctx.estate.jobs_of(NAS), 'NASJobs', shapes.NAS_JOBS)


def get_job(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, NAS)
    return reply_one(ctx, 'nas_job', job, 'NASJob', shapes.NAS_JOB, nas_job_entity, job_ref)


def _action(action):
    def handler(ctx, job_id):
        ctx.require(ADMIN)
        job = job_or_404(ctx, job_id, NAS)
        return reply_task(ctx, ctx.sim.actions.job_action(ctx.logon, job, action, ctx.now))
    handler.__name__ = f'post_{action}'
    return handler


post_start = _action('start')
post_stop = _action('stop')
post_retry = _action('retry')
post_toggle = _action('toggleScheduleEnabled')


def get_includes(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, NAS)
    return ctx.reply(200, 'NASObjects', shapes.NAS_OBJECTS, {'NASObject': [fragment('nas_include', item) for item in job.includes]})


def get_include(ctx, job_id, include_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, NAS)
    include = include_or_404(job, include_id)
    return ctx.reply(200, 'NASObject', shapes.NAS_OBJECT, nas_include_entity(include, ctx.style))


def get_sessions(ctx, job_id):
    ctx.require(ADMIN)
    return reply_job_sessions(ctx, job_id, NAS)
