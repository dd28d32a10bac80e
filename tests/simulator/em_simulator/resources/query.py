# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``GET /api/query`` and ``GET /api/querySvc`` [query.md; examples/query-*].

* ``type`` is case-insensitive [D: query_type]; parameter names are case-sensitive [I].
* ``format=References`` (default) or ``Entities``, case-insensitive [D: format].
* ``filter`` through query_filter.py; ``sortAsc``/``sortDesc`` one field [D: sortasc_sortdesc].
* Paging: ``pageSize`` defaults to 100 even though the docs say "all on one page" [O: vbg, cen, hax];
  ``PagingInfo`` links ``First``, ``Previous`` (after page 1), ``Next`` (before the last), ``Last``
  rebuilt by the server with the filter percent-encoded [D13.1: pagesize_and_page; O].
* Choices where the reference is silent [I]: an empty result is one empty page (``PagesCount=1``);
  a page beyond the last is an empty page with ``First``, ``Previous`` (the page before, at most
  the last page) and ``Last``; both ``sortAsc`` and ``sortDesc``, a bad number, a bad format, an
  unknown type or field, or a filter syntax error are 400 with a message saying what to fix;
  documented types the simulator does not hold are 501.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from .. import shapes
from ..http import ApiError
from ..query_filter import FilterSyntaxError, UnknownFieldError, compile_filter, find_field, sort_key
from ..query_types import DOCUMENTED_TYPES, QUERY_TYPES
from ..urls import query_string
from ..views import fragment, link, ref_fragment, task_entity

DEFAULT_PAGE_SIZE = 100
_CACHE_SIZE = 16


class ResultCache:
    """Filtered and sorted records per (type, filter, sort), valid while the estate generation holds."""

    def __init__(self):
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, generation):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] != generation:
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def put(self, key, generation, records):
        with self.lock:
            self.entries[key] = (generation, records)
            self.entries.move_to_end(key)
            while len(self.entries) > _CACHE_SIZE:
                self.entries.popitem(last=False)


RESULTS = ResultCache()


def _positive(ctx, name):
    text = ctx.query.get(name)
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ApiError(400, f"{name} must be a whole number greater than 0, not '{text}'.")
    return value


def _query_type(ctx):
    name = ctx.query.get('type')
    if not name:
        raise ApiError(400, 'The type parameter is required, for example query?type=Job.')
    query_type = QUERY_TYPES.get(name.lower())
    if query_type is None:
        if name.lower() in DOCUMENTED_TYPES:
            raise ApiError(501, f"Query type '{name}' is not implemented by this Enterprise Manager simulator.")
        raise ApiError(400, f"Unknown query type '{name}'; supported: {', '.join(qt.name for qt in QUERY_TYPES.values())}.")
    ctx.require(*query_type.roles)
    return query_type


def _sort(ctx, query_type):
    ascending, descending = ctx.query.get('sortAsc'), ctx.query.get('sortDesc')
    if ascending is not None and descending is not None:
        raise ApiError(400, 'Use either sortAsc or sortDesc, not both.')
    field = ascending if ascending is not None else descending
    if field is None:
        return None
    try:
        declared, field_type = find_field(query_type.field_types, field)
    except UnknownFieldError as error:
        raise ApiError(400, f'Cannot sort {query_type.name} results: {error}.') from None
    return declared, field_type, descending is not None


def _records(ctx, query_type, filter_text, sort):
    generation = None
    if query_type.generations is not None:
        generation = tuple(ctx.estate.generation[name] for name in query_type.generations)
        key = (query_type.name, filter_text, sort and (sort[0], sort[2]), ctx.estate.serial, ctx.style.profile)
        cached = RESULTS.get(key, generation)
        if cached is not None:
            return cached
    records = query_type.records(ctx)
    style = ctx.style
    if filter_text is not None:
        try:
            compiled = compile_filter(filter_text, query_type.field_types)
        except (FilterSyntaxError, UnknownFieldError) as error:
            raise ApiError(400, f'Invalid filter for query type {query_type.name}: {error}.') from None
        getters = query_type.getters
        records = [record for record in records if compiled.matches(lambda name, record=record: getters[name](record, style))]
    if sort is not None:
        declared, field_type, descending = sort
        getter = query_type.getters[declared.lower()]
        records = sorted(records, key=lambda record: sort_key(field_type, getter(record, style)), reverse=descending)
    if generation is not None:
        RESULTS.put(key, generation, records)
    return records


def _paging(ctx, query_type, total, page_size, page):
    pages = max(1, -(-total // page_size))
    base = [('type', ctx.query['type'])]
    for name in ('format', 'filter', 'sortAsc', 'sortDesc'):
        if name in ctx.query:
            base.append((name, ctx.query[name]))
    upper = ctx.style.profile == 'v13'

    def page_link(rel, number):
        return link(rel, ctx.style.href('/query?' + query_string(base + [('pageSize', page_size), ('page', number)], upper)))
    links = [page_link('First', 1)]
    if page > 1:
        links.append(page_link('Previous', min(page - 1, pages)))
    if page < pages:
        links.append(page_link('Next', page + 1))
    links.append(page_link('Last', pages))
    return {'PageNum': page, 'PageSize': page_size, 'PagesCount': pages, 'Links': links}


def get_query(ctx):
    query_type = _query_type(ctx)
    fmt = ctx.query.get('format', 'References')
    if fmt.lower() not in ('references', 'entities'):
        raise ApiError(400, f"format must be References or Entities, not '{fmt}'.")
    page_size = _positive(ctx, 'pageSize') or DEFAULT_PAGE_SIZE
    page = _positive(ctx, 'page') or 1
    sort = _sort(ctx, query_type)
    records = _records(ctx, query_type, ctx.query.get('filter'), sort)
    restrict = getattr(query_type, 'restrict', None)
    if restrict is not None:  # records that depend on the caller (restore scopes)
        records = restrict(ctx, records)
    window = records[(page - 1) * page_size:page * page_size]
    data = {'Refs': None, 'Entities': None, 'Resources': None, 'Links': None,
            'PagingInfo': _paging(ctx, query_type, len(records), page_size, page)}
    section, key = query_type.placement
    if section == 'Resources':
        items = [task_entity(task, ctx.style) for task in window] if query_type.kind == 'task' else [
            fragment(query_type.kind, record) for record in window]
        data['Resources'] = {key: items}
    elif fmt.lower() == 'entities':
        data['Entities'] = {key: [fragment(query_type.kind, record) for record in window]}
    else:
        data['Refs'] = [ref_fragment(query_type.kind, record) for record in window]
    return ctx.reply(200, 'QueryResult', shapes.QUERY_RESULT, data)


def get_query_service(ctx):
    """``QuerySvc`` with a ready-made query per type the caller may run [D13.1: get_querysvc; I: Name/Type of the links]."""
    upper = ctx.style.profile == 'v13'
    links = [link('Up', ctx.style.href(f'/logonSessions/{ctx.logon.id}'), type_='LogonSession')]
    for query_type in QUERY_TYPES.values():
        if ctx.has_role(*query_type.roles):
            pairs = (('type', query_type.name), ('format', 'Entities'), ('sortAsc', 'name' if 'Name' in query_type.fields else 'TaskId'),
                     ('pageSize', 15), ('page', 1))
            links.append(link('Down', ctx.style.href('/query?' + query_string(pairs, upper)), query_type.name, 'QueryResult'))
    return ctx.reply(200, 'QuerySvc', shapes.SERVICE, {'Href': ctx.style.href('/querySvc'), 'Type': 'QueryService', 'Links': links})
