# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``GET /api/``: the entry point, no authentication [auth.md; examples/api-root.*]."""

from __future__ import annotations

from .. import shapes
from ..views import link

API_VERSIONS = ('v1_5', 'v1_6', 'v1_7')


def get_root(ctx):
    href = ctx.style.href
    versions = [{'Name': name, 'Links': [link('Create', href(f'/sessionMngr/?v={name}'), type_='LogonSession')]} for name in API_VERSIONS]
    data = {'Href': None, 'Type': None, 'SupportedVersions': versions,
            'Links': [link('Down', href('/logonSessions'), type_='LogonSessionList'),
                      link('Create', href('/sessionMngr/?v=latest'), type_='LogonSession')]}
    return ctx.reply(200, 'EnterpriseManager', shapes.ENTERPRISE_MANAGER, data)
