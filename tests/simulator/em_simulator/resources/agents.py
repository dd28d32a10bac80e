# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/agents/jobs``: agent backup jobs, Portal Administrator only [agent-and-nas-jobs.md; examples/agent-job-entity.xml].

Actions are ``?action=start|stop|retry|toggleScheduleEnabled`` [D: post_agents_jobs_id_action*];
includes are read-only [D: get_agents_jobs_id_includes_id]; no clone, edit or delete (405).
"""

from __future__ import annotations

from .. import shapes
from ..context import ADMIN
from ..model import AGENT
from ..views import agent_include_entity, agent_job_entity, fragment, job_ref
from .common import include_or_404, job_or_404, reply_job_sessions, reply_list, reply_one, reply_task

ACTIONS = ('start', 'stop', 'retry', 'toggleScheduleEnabled')


def get_jobs(ctx):
    ctx.require(ADMIN)
    return reply_list(ctx, 'agent_job', ctx.estate.jobs_of(AGENT), 'AgentBackupJobs', shapes.AGENT_BACKUP_JOBS)


def get_job(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, AGENT)
    return reply_one(ctx, 'agent_job', job, 'AgentBackupJob', shapes.AGENT_BACKUP_JOB, agent_job_entity, job_ref)


def post_job(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, AGENT)
    return reply_task(ctx, ctx.sim.actions.job_action(ctx.logon, job, ctx.action(ACTIONS), ctx.now))


def get_includes(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, AGENT)
    items = [fragment('agent_include', include) for include in job.includes]
    return ctx.reply(200, 'ObjectsInAgentBackupJob', shapes.OBJECTS_IN_AGENT_BACKUP_JOB, {'ObjectInAgentBackupJob': items})


def get_include(ctx, job_id, include_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, AGENT)
    include = include_or_404(job, include_id)
    return ctx.reply(200, 'ObjectInAgentBackupJob', shapes.OBJECT_IN_AGENT_BACKUP_JOB, agent_include_entity(include, ctx.style))


def get_sessions(ctx, job_id):
    ctx.require(ADMIN)
    return reply_job_sessions(ctx, job_id, AGENT)
