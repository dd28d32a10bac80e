# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/backupServers`` and VM quick backup [backup-servers.md; examples/backupservers-entities.*].

Reading and quick backup: Portal Administrator and Portal User [D: security_roles_concept]; the
server's job list (``/backupServers/{id}/jobs``) is job data, Portal Administrator only [I].
``?action=veeamzip`` and ``?action=collect`` exist in EM but are out of scope (501).
"""

from __future__ import annotations

from .. import shapes
from ..context import ADMIN, USER
from ..http import NULL_REFERENCE, ApiError
from ..model import VM
from ..views import server_entity, server_ref
from .common import not_found, reply_list, reply_one, reply_task


def _server_or_404(ctx, server_id):
    server = ctx.estate.servers.get(server_id.lower())
    if server is None:
        raise not_found('Backup server', server_id)
    return server


def get_servers(ctx):
    ctx.require(ADMIN, USER)
    return reply_list(ctx, 'server', list(ctx.estate.servers.values()), 'BackupServers', shapes.BACKUP_SERVERS)


def get_server(ctx, server_id):
    ctx.require(ADMIN, USER)
    return reply_one(ctx, 'server', _server_or_404(ctx, server_id), 'BackupServer', shapes.BACKUP_SERVER, server_entity, server_ref)


def get_server_jobs(ctx, server_id):
    ctx.require(ADMIN)
    server = _server_or_404(ctx, server_id)
    return reply_list(ctx, 'job', [job for job in ctx.estate.jobs_of(VM) if job.server is server], 'Jobs', shapes.JOBS)


def post_server(ctx, server_id):
    ctx.require(ADMIN, USER)
    server = _server_or_404(ctx, server_id)
    action = ctx.action(('quickbackup', 'veeamzip', 'collect'))
    if action != 'quickbackup':
        raise ApiError(501, f'The {action} action is not implemented by this Enterprise Manager simulator.')
    spec = ctx.body('QuickBackupStartupSpec', shapes.QUICK_BACKUP_STARTUP_SPEC)
    if not spec.get('VmRef'):
        raise ApiError(500, NULL_REFERENCE)
    return reply_task(ctx, ctx.sim.quick_backups.request(ctx.logon, server, spec['VmRef'], ctx.now))
