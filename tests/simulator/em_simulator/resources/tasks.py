# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/tasks``: the caller's logon session's tasks only [D: tasks_intro, get_tasks]; ``DELETE``
removes the record, not the work [D, I].

An unknown task ID — never issued, of another logon session, deleted or vanished — is ``500`` with
``There is no backup task with id [task-N] in current rest session`` [O: mph; tasks.md, errors.md].
Tasks can vanish while a client polls them [O: mph]: with ``task_vanish_after_polls`` N > 0 a task
disappears once ``GET /tasks/{id}`` has read it N times (the N-th read still answers), and
``POST /_sim/tasks/vanish`` removes tasks at once; their operations still take effect [I].
"""

from __future__ import annotations

from .. import shapes
from ..http import ApiError
from ..views import task_entity


def no_such_task(task_id: str) -> ApiError:
    return ApiError(500, f'There is no backup task with id [{task_id}] in current rest session')


def _task_or_500(ctx, task_id):
    task = ctx.logon.tasks.get(task_id)
    if task is None:
        raise no_such_task(task_id)
    return task


def get_tasks(ctx):
    return ctx.reply(200, 'Tasks', shapes.TASKS, {'Task': [task_entity(task, ctx.style) for task in ctx.logon.tasks.values()]})


def get_task(ctx, task_id):
    task = _task_or_500(ctx, task_id)
    response = ctx.reply(200, 'Task', shapes.TASK, task_entity(task, ctx.style))
    task.reads += 1
    limit = ctx.sim.config.task_vanish_after_polls
    if limit and task.reads >= limit:
        ctx.logon.tasks.pop(task.id, None)
    return response


def delete_task(ctx, task_id):
    del ctx.logon.tasks[_task_or_500(ctx, task_id).id]
    return ctx.no_content()
