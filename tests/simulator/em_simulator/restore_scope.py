# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore scopes [restore.md "Roles and scope"; D: scenario_restore_scope].

A restore scope is a list of inventory nodes given to an account (scenario key ``scope``);
everything below a node is in scope, and an account without a scope has nothing in scope [D].
A VM whose managed-object reference a restore replaced keeps its place (and so its scope).

Who is limited [I]: a caller with a restore operator role and neither Portal Administrator nor
Portal User sees only the VM restore points in its scope when ``restore_scope_lists`` is ``hide``
(the default: the reference says restore operators "only see and restore objects inside their
restore scope"), all of them with ``show``; restoring is checked in restores.py.
"""

from __future__ import annotations

from .catalog import ref_key
from .context import ADMIN, FILE_RESTORE, RESTORE, USER

OPERATORS = (RESTORE, FILE_RESTORE)


def limited(ctx) -> bool:
    """The caller reads restore points through a restore scope."""
    return ctx.has_role(*OPERATORS) and not ctx.has_role(ADMIN, USER)


def in_scope(estate, account, vm_ref: str, memo: dict = None) -> bool:
    scope = estate.catalog.scopes.get(account.username.lower())
    if not scope:
        return False
    if memo is not None and vm_ref in memo:
        return memo[vm_ref]
    current = estate.catalog.current_ref(vm_ref)
    keys = {ref_key(vm_ref), ref_key(current)}
    obj = estate.inventory_object(current)
    if obj is not None:
        keys |= estate.ancestors(obj)
    found = not keys.isdisjoint(scope)
    if memo is not None:
        memo[vm_ref] = found
    return found


def visible_points(ctx, points) -> list:
    """``points`` as the caller may list them (``restore_scope_lists``)."""
    if not limited(ctx) or ctx.sim.config.restore_scope_lists == 'show':
        return points
    memo = {}
    account = ctx.logon.account
    return [point for point in points if in_scope(ctx.estate, account, point.vm_ref, memo)]
