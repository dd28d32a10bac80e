# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``/api/repositories`` and ``/api/backupServers/{id}/repositories`` [repositories.md; examples/repositor*].

Read-only, Portal Administrator and Portal User [D: security_roles_concept]. ``/repositories/{id}/backups``
lists the backups stored there [D: get_repositories_id links]; ``…/replicas`` is not simulated (501).
"""

from __future__ import annotations

from .. import restore_shapes as shapes
from ..context import ADMIN, USER
from ..restore_views import repository_entity, repository_ref
from .common import not_found, reply_list, reply_one


def _repository_or_404(ctx, repository_id):
    repository = ctx.estate.catalog.repositories.get(repository_id.lower())
    if repository is None:
        raise not_found('Repository', repository_id)
    return repository


def get_repositories(ctx):
    ctx.require(ADMIN, USER)
    return reply_list(ctx, 'repository', list(ctx.estate.catalog.repositories.values()), 'Repositories', shapes.REPOSITORIES)


def get_repository(ctx, repository_id):
    ctx.require(ADMIN, USER)
    return reply_one(ctx, 'repository', _repository_or_404(ctx, repository_id), 'Repository', shapes.REPOSITORY, repository_entity,
                     repository_ref)


def get_repository_backups(ctx, repository_id):
    ctx.require(ADMIN, USER)
    repository = _repository_or_404(ctx, repository_id)
    return reply_list(ctx, 'backup', ctx.estate.catalog.backups_in(repository), 'Backups', shapes.BACKUPS)


def get_server_repositories(ctx, server_id):
    ctx.require(ADMIN, USER)
    server = ctx.estate.servers.get(server_id.lower())
    if server is None:
        raise not_found('Backup server', server_id)
    return reply_list(ctx, 'repository', ctx.estate.catalog.repositories_of(server), 'Repositories', shapes.REPOSITORIES)
