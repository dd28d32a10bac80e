# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/tasks``: the caller's logon session's tasks only [D: tasks_intro, get_tasks]; a task of
another logon session is unknown here (404 [I]); ``DELETE`` removes the record, not the work [D, I]."""

from __future__ import annotations

from .. import shapes
from ..views import task_entity
from .common import not_found


def _task_or_404(ctx, task_id):
    task = ctx.logon.tasks.get(task_id)
    if task is None:
        raise not_found('Task', task_id)
    return task


def get_tasks(ctx):
    return ctx.reply(200, 'Tasks', shapes.TASKS, {'Task': [task_entity(task, ctx.style) for task in ctx.logon.tasks.values()]})


def get_task(ctx, task_id):
    return ctx.reply(200, 'Task', shapes.TASK, task_entity(_task_or_404(ctx, task_id), ctx.style))


def delete_task(ctx, task_id):
    del ctx.logon.tasks[_task_or_404(ctx, task_id).id]
    return ctx.no_content()
