# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/backups`` and ``/api/restorePoints`` [restore-points.md; examples/backup-entity.*, restorepoint-entity.*].

Read-only; every role that restores may read them [D: security_roles_concept], except
``/restorePoints/{id}/vmRestorePoints``, which the role table lists as unavailable to restore
operators [D]. No 30-day limit [D: get_vmrestorepoints vs get_backupsessions]. ``/backupFiles``,
``/backups/{id}/childbackups`` and ``/restorePoints/{id}/vAppRestorePoints`` are not simulated (501).
"""

from __future__ import annotations

from .. import restore_shapes as shapes
from ..context import ADMIN, FILE_RESTORE, RESTORE, USER
from ..restore_views import backup_entity, backup_ref, restore_point_entity, restore_point_ref
from .common import not_found, reply_list, reply_one

READERS = (ADMIN, USER, RESTORE, FILE_RESTORE)


def _backup_or_404(ctx, backup_id):
    backup = ctx.estate.catalog.backups.get(backup_id.lower())
    if backup is None:
        raise not_found('Backup', backup_id)
    return backup


def _point_or_404(ctx, point_id):
    point = ctx.estate.catalog.restore_points.get(point_id.lower())
    if point is None:
        raise not_found('Restore point', point_id)
    return point


def get_backups(ctx):
    ctx.require(*READERS)
    return reply_list(ctx, 'backup', list(ctx.estate.catalog.backups.values()), 'Backups', shapes.BACKUPS)


def get_backup(ctx, backup_id):
    ctx.require(*READERS)
    return reply_one(ctx, 'backup', _backup_or_404(ctx, backup_id), 'Backup', shapes.BACKUP, backup_entity, backup_ref)


def get_backup_points(ctx, backup_id):
    ctx.require(*READERS)
    backup = _backup_or_404(ctx, backup_id)
    return reply_list(ctx, 'restore_point', list(backup.restore_points), 'RestorePoints', shapes.RESTORE_POINTS)


def get_restore_points(ctx):
    ctx.require(*READERS)
    return reply_list(ctx, 'restore_point', list(ctx.estate.catalog.restore_points.values()), 'RestorePoints', shapes.RESTORE_POINTS)


def get_restore_point(ctx, point_id):
    ctx.require(*READERS)
    return reply_one(ctx, 'restore_point', _point_or_404(ctx, point_id), 'RestorePoint', shapes.RESTORE_POINT, restore_point_entity,
                     restore_point_ref)


def get_point_vm_points(ctx, point_id):
    ctx.require(ADMIN, USER)
    point = _point_or_404(ctx, point_id)
    return reply_list(ctx, 'vm_restore_point', list(point.vm_points), 'VmRestorePoints', shapes.VM_RESTORE_POINTS)
