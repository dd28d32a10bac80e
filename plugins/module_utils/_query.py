# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query service support: filter building, paging, locating result lists (internal; may change in any release).

Filter grammar (``GET /api/query?...&filter=``): ``;`` is AND, ``,`` is OR, parentheses group,
operators ``== != < > <= >=``; values are bare ``[A-Za-z0-9_]`` tokens or double-quoted with ``"``
doubled. The precedence of ``;`` against ``,`` is not documented, so mixed groups are always
parenthesised. The filter travels as one URL parameter percent-encoded by requests, so ``&``, ``;``,
``,``, quotes and non-ASCII characters inside values never end or split it.

Paging: every page is requested with the parameters of the first and the next ``page`` number, never through
the ``Next`` link of the answer (see ``_urls``); ``MAX_PAGES`` bounds a query.
"""

from __future__ import annotations

import datetime
import re

from ._errors import EmBadResponseError, EmInputError
from ._shapes import LINKS, Items, Number, Shape, query_shape

DEFAULT_PAGE_SIZE = 1000
# Pages one query may read: 1,000 pages of 1,000 items is a million items.
MAX_PAGES = 1000
QUERY_RESULT = Shape('QueryResult', {'paging_info': Shape('PagingInfo', {'page_num': Number(), 'pages_count': Number(), 'links': LINKS})})
OPERATORS = ('==', '!=', '<', '>', '<=', '>=')
_BARE_VALUE = re.compile(r'^[A-Za-z0-9_]+$')
_FIELD_NAME = re.compile(r'^[A-Za-z][A-Za-z0-9]*$')
_AND = ';'
_OR = ','


def quote_filter_value(value):
    """Render one filter value: bare when it is only ``[A-Za-z0-9_]``, else double-quoted with ``"`` doubled."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return '"%sZ"' % value.isoformat(timespec='seconds')
    text = str(value)
    if _BARE_VALUE.match(text):
        return text
    return '"%s"' % text.replace('"', '""')


class FilterExpr:
    """A filter expression; ``op`` is '' for one comparison, ';' for an AND group, ',' for an OR group."""

    __slots__ = ('text', 'op')

    def __init__(self, text, op=''):
        self.text = text
        self.op = op

    def __str__(self):
        return self.text

    def __repr__(self):
        return 'FilterExpr(%r)' % self.text

    def __eq__(self, other):
        return isinstance(other, FilterExpr) and self.text == other.text

    def __hash__(self):
        return hash(self.text)


def term(field, operator, value):
    """One comparison, e.g. ``term('CreationTime', '>=', '2025-08-15T06:00:00Z')``."""
    if not isinstance(field, str) or not _FIELD_NAME.match(field):
        raise EmInputError('Invalid query filter field', reason='field name %r is not a plain name' % (field,))
    if operator not in OPERATORS:
        raise EmInputError('Invalid query filter operator', reason='%r is not one of %s' % (operator, ' '.join(OPERATORS)))
    return FilterExpr('%s%s%s' % (field, operator, quote_filter_value(value)))


def eq(field, value):
    """``Field==value``."""
    return term(field, '==', value)


def _combine(op, exprs):
    parts = [expr for expr in exprs if expr is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    texts = ['(%s)' % part.text if part.op and part.op != op else part.text for part in parts]
    return FilterExpr(op.join(texts), op)


def all_of(*exprs):
    """AND of the given expressions (None entries are skipped; None when nothing is left)."""
    return _combine(_AND, exprs)


def any_of(*exprs):
    """OR of the given expressions (None entries are skipped; None when nothing is left)."""
    return _combine(_OR, exprs)


def one_of(field, values):
    """``Field==a,Field==b,...`` for a list of values (None for an empty list)."""
    return any_of(*(eq(field, value) for value in values))


def query_params(query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE):
    """The parameters of the first page request, in the order Enterprise Manager renders its own links."""
    params = {'type': query_type, 'format': fmt}
    if filter_expr is not None and str(filter_expr):
        params['filter'] = str(filter_expr)
    if sort_asc:
        params['sortAsc'] = sort_asc
    if sort_desc:
        params['sortDesc'] = sort_desc
    params['pageSize'] = int(page_size)
    params['page'] = 1
    return params


def _lists_in(value):
    """Items of a list wrapper: ``[...]``, ``{"x": [...]}`` or ``{"x": {"y": [...]}}``; null and [] give []."""
    if isinstance(value, list):
        return value
    items = []
    if isinstance(value, dict):
        for child in value.values():
            if isinstance(child, list):
                items.extend(child)
            elif isinstance(child, dict):
                items.extend(item for grandchild in child.values() if isinstance(grandchild, list) for item in grandchild)
    return items


def query_items(page):
    """The items of one QueryResult page, wherever they are (``refs``, ``entities``, ``resources``)."""
    if not isinstance(page, dict):
        return []
    for container in ('refs', 'entities', 'resources'):
        items = _lists_in(page.get(container))
        if items:
            return items
    return []


def collection_items(data):
    """The items of a plain collection answer such as ``{"refs": [...]}`` or ``{"object_in_jobs": [...]}``."""
    if not isinstance(data, dict):
        return []
    for key, value in data.items():
        if key != 'links' and isinstance(value, list):
            return value
    return []


def list_in(wrapper):
    """The list inside a rule-7 list wrapper (``{"object_in_jobs": [...]}``), a bare list, or [] for null."""
    if isinstance(wrapper, list):
        return wrapper
    if isinstance(wrapper, dict):
        return collection_items(wrapper)
    return []


def _more_pages(page, page_no, url, query_type):
    """Whether a page after ``page_no`` exists, from ``PagingInfo`` (``PageNum``/``PagesCount``, else a ``Next`` link).

    The next page is requested with the same parameters and ``page`` + 1, never through the ``Next`` link itself.
    """
    info = page.get('paging_info') if isinstance(page, dict) else None
    if not isinstance(info, dict):
        return False
    page_num, pages_count = info.get('page_num'), info.get('pages_count')
    if page_num is not None and page_num != page_no:
        raise EmBadResponseError('Query paging does not advance', method='GET', url=url,
                                 reason='type=%s: asked for page %d, got page %s' % (query_type, page_no, page_num),
                                 hint='report this Enterprise Manager answer; narrowing the query with filters avoids paging')
    if pages_count is not None:
        return page_no < pages_count
    return any(link.get('rel') == 'Next' for link in info.get('links') or [])


def _page(em, params):
    """One checked QueryResult page and the URL it came from."""
    response = em.request('GET', 'query', params=params)
    page = em.check(response.data, QUERY_RESULT, response)
    items = em.check(query_items(page), Items(query_shape(params['type'], params['format'])), response, path='items')
    return page, items, response.url


def iter_query(em, query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE,
               max_pages=MAX_PAGES):
    """Yield every item of a query, page after page, until ``PagingInfo`` says the last page was read.

    More than ``max_pages`` pages is an error: a query that large should be narrowed, and a server whose
    paging never ends must not keep the client busy.
    """
    params = query_params(query_type, filter_expr, fmt, sort_asc, sort_desc, page_size)
    page_no = 1
    while True:
        page, items, url = _page(em, params)
        yield from items
        if not _more_pages(page, page_no, url, query_type):
            return
        if page_no >= max_pages:
            raise EmBadResponseError('Query has too many pages', method='GET', url=url,
                                     reason='type=%s: more than %d pages of %d items' % (query_type, max_pages, page_size),
                                     hint='narrow the query with filters')
        page_no += 1
        params = dict(params, page=page_no)


def gather_pages(em, query_type, filter_expr, wanted, key, page_size=DEFAULT_PAGE_SIZE, sort_desc=None, chunk=40):
    """``{key: item}`` of the items of a query whose ``key(item)`` (lower case) is in ``wanted`` (lower-case keys).

    Pages are read until every wanted item is found, the query ends, or the pages read reach the number of queries of
    ``chunk`` keys that the missing items would still take (the caller then asks for those by key): so a caller that
    tries a broad query before asking by key pays at most about twice the cheaper of the two ways.
    """
    found, read = {}, 0
    for item in iter_query(em, query_type, filter_expr, sort_desc=sort_desc, page_size=page_size):
        read += 1
        item_key = str(key(item) or '').lower()
        if item_key in wanted and item_key not in found:
            found[item_key] = item
            if len(found) == len(wanted):
                break
        if read % page_size == 0 and read // page_size >= -(-(len(wanted) - len(found)) // chunk):
            break
    return found


def first_page(em, query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE):
    """``(items, more)``: the items of page 1 of a query, and whether more pages follow."""
    params = query_params(query_type, filter_expr, fmt, sort_asc, sort_desc, page_size)
    page, items, url = _page(em, params)
    return items, _more_pages(page, 1, url, query_type)
