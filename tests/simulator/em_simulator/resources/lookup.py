# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hierarchy roots and the lookup service [hierarchy.md; examples/hierarchyroot*, lookupsvc.xml, lookup-hierarchyitems.*].

``/lookup?host=<root UID>&name=<name|*>&type=<type>`` or ``/lookup?hierarchyRef=<ref>``; names and
types match case-insensitively [D: get_lookup]; no match is an empty list [I]; ``host`` also accepts
the bare root GUID [I]; a missing parameter or an unknown root is a 400 naming it [I].
"""

from __future__ import annotations

from .. import shapes
from ..context import ADMIN, USER
from ..http import ApiError
from ..urls import query_string
from ..views import hierarchy_item, link, root_entity, root_ref
from .common import not_found, reply_list, reply_one

# ready-made lookups per platform [D13.1: get_lookupsvc]
LOOKUP_TYPES = {'VMware': ('Vm', 'Tag', 'StoragePod'), 'HyperV': ('Vm', 'VmGroup'),
                'vCloud': ('Vm', 'Organization', 'OrgVdc', 'Datastore', 'OrgVdcStorageProfile', 'Vapp')}


def get_roots(ctx):
    ctx.require(ADMIN, USER)
    return reply_list(ctx, 'root', list(ctx.estate.roots.values()), 'HierarchyRoots', shapes.HIERARCHY_ROOTS)


def get_root(ctx, root_id):
    ctx.require(ADMIN, USER)
    root = ctx.estate.roots.get(root_id.lower())
    if root is None:
        raise not_found('Hierarchy root', root_id)
    return reply_one(ctx, 'root', root, 'HierarchyRoot', shapes.HIERARCHY_ROOT, root_entity, root_ref)


def get_lookup_service(ctx):
    ctx.require(ADMIN, USER)
    upper = ctx.style.profile == 'v13'
    links = [link('Up', ctx.style.href(f'/logonSessions/{ctx.logon.id}'), type_='LogonSession')]
    for root in ctx.estate.roots.values():
        for type_ in LOOKUP_TYPES.get(root.platform, ('Vm',)):
            query = query_string((('host', root.uid), ('name', '*'), ('type', type_)), upper)
            links.append(link('Down', ctx.style.href(f'/lookup?{query}'), type_='HierarchyItemList'))
    return ctx.reply(200, 'LookupSvc', shapes.SERVICE, {'Href': ctx.style.href('/lookupSvc'), 'Type': 'LookupService', 'Links': links})


def get_lookup(ctx):
    ctx.require(ADMIN, USER)
    query = ctx.query
    if 'hierarchyRef' in query:
        obj = ctx.estate.inventory_object(query['hierarchyRef'])
        found = [obj] if obj is not None else []
    else:
        missing = [name for name in ('host', 'name', 'type') if not query.get(name)]
        if missing:
            raise ApiError(400, f"Missing query parameter(s) {', '.join(missing)}: use lookup?host=<hierarchy root UID>&name=<name or *>"
                                f"&type=<type> or lookup?hierarchyRef=<reference>.")
        host = query['host'].lower()
        root = next((item for item in ctx.estate.roots.values() if host in (item.uid.lower(), item.id.lower())), None)
        if root is None:
            raise ApiError(400, f"Hierarchy root [{query['host']}] was not found; host takes the UID of a hierarchy root.")
        found = ctx.estate.lookup(root, query['type'], query['name'])
    items = [hierarchy_item(obj, ctx.style) for obj in found]
    return ctx.reply(200, 'HierarchyItems', shapes.HIERARCHY_ITEMS, {'HierarchyItem': items})
