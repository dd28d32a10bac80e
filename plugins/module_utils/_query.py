# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query service support: filter building, paging, locating result lists (internal; may change in any release).

Filter grammar (``GET /api/query?...&filter=``): ``;`` is AND, ``,`` is OR, parentheses group,
operators ``== != < > <= >=``; values are bare ``[A-Za-z0-9_]`` tokens or double-quoted with ``"``
doubled. The precedence of ``;`` against ``,`` is not documented, so mixed groups are always
parenthesised. The filter travels as one URL parameter percent-encoded by requests, so ``&``, ``;``,
``,``, quotes and non-ASCII characters inside values never end or split it.
"""

from __future__ import annotations

import datetime
import re

from ._errors import EmBadResponseError, EmInputError

DEFAULT_PAGE_SIZE = 1000
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


def next_page_href(page):
    """The ``Next`` link of a QueryResult page, or None on the last page."""
    return _paging(page)[1]


def _paging(page):
    """``(page_num, next_href)``; next_href is None when there is no Next link or PageNum reached PagesCount."""
    info = page.get('paging_info') if isinstance(page, dict) else None
    if not isinstance(info, dict):
        return None, None
    page_num, pages_count = info.get('page_num'), info.get('pages_count')
    if isinstance(page_num, int) and isinstance(pages_count, int) and page_num >= pages_count:
        return page_num, None
    for link in info.get('links') or []:
        if isinstance(link, dict) and link.get('rel') == 'Next' and link.get('href'):
            return page_num, link['href']
    return page_num, None


def iter_query(session, query_type, filter_expr=None, fmt='Entities', sort_asc=None, sort_desc=None, page_size=DEFAULT_PAGE_SIZE):
    """Yield every item of a query, following ``PagingInfo`` ``Next`` links until the last page."""
    page = session.get('query', params=query_params(query_type, filter_expr, fmt, sort_asc, sort_desc, page_size))
    followed = set()
    previous_num = 0
    while True:
        page_num, next_href = _paging(page)
        if isinstance(page_num, int):
            if page_num <= previous_num:
                raise _loop(query_type, next_href)
            previous_num = page_num
        yield from query_items(page)
        if not next_href:
            return
        if next_href in followed:
            raise _loop(query_type, next_href)
        followed.add(next_href)
        page = session.get(next_href)


def _loop(query_type, href):
    return EmBadResponseError('Query paging does not advance', method='GET', url=href,
                              reason='type=%s: the Next link repeats a page already read' % query_type,
                              hint='report this Enterprise Manager answer; narrowing the query with filters avoids paging')
