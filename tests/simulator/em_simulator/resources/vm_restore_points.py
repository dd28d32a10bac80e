# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/vmRestorePoints`` and the entire-VM restore [restore-points.md; restore.md; examples/vmrestorepoint*].

Reading: every role that restores [D: security_roles_concept]; a VM Restore Operator sees only the
points in its restore scope unless ``restore_scope_lists=show`` (out-of-scope points are then
unknown to it: 404 [I]). ``POST /vmRestorePoints/{id}?action=restore`` [D: post_vmrestorepoints_id_actionrestore]:

* Portal Administrator: any point. VM Restore Operator: points of VMs in its scope; outside it
  ``403`` (``restore_out_of_scope=403``, default) or an accepted restore whose task fails (``task``) [I].
  Portal User: ``403`` (role table) unless ``portal_user_can_restore`` (restore scenario) [D vs D].
  File restore operators: ``403`` [D].
* The body (restore_spec.py) may be empty; one that does not parse or does not fit the point is 400.
* ``202`` + task ``StartVMRestore`` (restores.py). ``/vmRestorePoints/{id}/mounts`` is not simulated (501).
"""

from __future__ import annotations

from .. import restore_shapes as shapes
from ..context import ADMIN, FILE_RESTORE, RESTORE, USER
from ..http import ACCESS_DENIED, ApiError
from ..parse import parse_body
from ..restore_scope import in_scope, visible_points
from ..restore_spec import check_spec, default_spec
from ..restore_views import vm_point_entity, vm_point_ref
from .common import not_found, reply_list, reply_one, reply_task

READERS = (ADMIN, USER, RESTORE, FILE_RESTORE)


def _point_or_404(ctx, point_id, for_restore=False):
    point = ctx.estate.catalog.vm_points.get(point_id.lower())
    if point is None or (not for_restore and not visible_points(ctx, [point])):
        raise not_found('VM restore point', point_id)
    return point


def get_vm_points(ctx):
    ctx.require(*READERS)
    points = visible_points(ctx, list(ctx.estate.catalog.vm_points.values()))
    return reply_list(ctx, 'vm_restore_point', points, 'VmRestorePoints', shapes.VM_RESTORE_POINTS)


def get_vm_point(ctx, point_id):
    ctx.require(*READERS)
    return reply_one(ctx, 'vm_restore_point', _point_or_404(ctx, point_id), 'VmRestorePoint', shapes.VM_RESTORE_POINT, vm_point_entity,
                     vm_point_ref)


def _may_restore(ctx) -> bool:
    if ctx.has_role(ADMIN, RESTORE):
        return True
    return ctx.has_role(USER) and ctx.sim.config.portal_user_can_restore


def post_vm_point(ctx, point_id):
    if not _may_restore(ctx):
        raise ApiError(403, ACCESS_DENIED)
    point = _point_or_404(ctx, point_id, for_restore=True)
    ctx.action(('restore',))
    if ctx.request.body.strip():
        spec = check_spec(parse_body(ctx.request.body, ctx.media, 'RestoreSpec', shapes.RESTORE_SPEC), point, ctx.estate)
    else:
        spec = default_spec()
    refusal = None
    if _scoped(ctx) and not in_scope(ctx.estate, ctx.logon.account, point.vm_ref):
        if ctx.sim.config.restore_out_of_scope == '403':
            raise ApiError(403, ACCESS_DENIED)
        refusal = f'VM "{point.vm_name}" is outside the restore scope of {ctx.logon.account.username}.'
    return reply_task(ctx, ctx.sim.restores.request(ctx.logon, point, spec, ctx.now, refusal))


def _scoped(ctx) -> bool:
    """A VM Restore Operator restores within its scope; Portal Administrator and (when allowed) Portal User are not limited [I]."""
    return not ctx.has_role(ADMIN) and not (ctx.has_role(USER) and ctx.sim.config.portal_user_can_restore)
