# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/jobs/{id}/includes[/{oid}]``: objects in VM jobs [jobs.md "Includes"; examples/job-includes.*].

Adding needs ``HierarchyObjRef`` and ``HierarchyObjName`` (1/1 [D: post_jobs_id_includes]); a body
without them fails like EM's deserializer on a missing node, ``500`` with the null-reference text
[O: errors.md]. Whether the object exists is checked when the task runs (task failure [I]); the
rules and switches are in membership.py.
"""

from __future__ import annotations

from .. import shapes
from ..context import ADMIN
from ..http import NULL_REFERENCE, ApiError
from ..model import VM
from ..views import fragment, include_entity
from .common import include_or_404, job_or_404, reply_task


def get_includes(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, VM)
    return ctx.reply(200, 'ObjectsInJob', shapes.OBJECTS_IN_JOB, {'ObjectInJob': [fragment('include', item) for item in job.includes]})


def get_include(ctx, job_id, include_id):
    ctx.require(ADMIN)
    include = include_or_404(job_or_404(ctx, job_id, VM), include_id)
    return ctx.reply(200, 'ObjectInJob', shapes.OBJECT_IN_JOB, include_entity(include, ctx.style))


def post_include(ctx, job_id):
    ctx.require(ADMIN)
    job = job_or_404(ctx, job_id, VM)
    spec = ctx.body('CreateObjectInJobSpec', shapes.CREATE_OBJECT_IN_JOB_SPEC)
    if not spec.get('HierarchyObjRef') or not spec.get('HierarchyObjName'):
        raise ApiError(500, NULL_REFERENCE)
    return reply_task(ctx, ctx.sim.membership.add(ctx.logon, job, spec, ctx.now))


def delete_include(ctx, job_id, include_id):
    ctx.require(ADMIN)
    include = include_or_404(job_or_404(ctx, job_id, VM), include_id)
    return reply_task(ctx, ctx.sim.membership.remove(ctx.logon, include, ctx.now))
