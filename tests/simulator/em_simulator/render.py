# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render shaped data (see dsl.py) as EM's XML or JSON.

* XML: declaration, default namespace ``http://www.veeam.com/ent/v1.0`` plus ``xsd``/``xsi`` on the
  root, children in XSD order, two-space indentation, ``&`` written ``&amp;`` [D: examples, special_symbols].
* JSON: root element dropped, compact, keys PascalCase (EM 12) or camelCase (EM 13), optional UTF-8
  BOM before the document [O: hax, cen, jdc]. Compact output is [I]: the JSON captures carry no
  layout information that clients could depend on.

Data is plain dicts keyed by member name. Items of lists may also be ``Fragment`` objects that
render (and cache) one entity; pages of thousands of entities are then assembled from cached text.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict

from .dsl import ATTR, BOOL, CHILD, CLOCK, DATETIME, ELEM, INT, ITEMS, LINKS, LIST, REPEAT, STRLIST, TEXT
from .values import format_datetime

XML_NAMESPACES = (' xmlns="http://www.veeam.com/ent/v1.0" xmlns:xsd="http://www.w3.org/2001/XMLSchema"'
                  ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
BOM = b'\xef\xbb\xbf'
_PADS = ['  ' * depth for depth in range(64)]
_NEEDS_ESCAPE = re.compile(r'[&<>"]')
_ATTR_NEEDS_ESCAPE = re.compile(r'[&<>"\r\n\t]')
_ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;', '\n': '&#xA;', '\t': '&#x9;'}
_RAW_MARK = '\x00'


def escape(text: str) -> str:
    """XML escaping of text content (``"`` as ``&quot;`` as in examples/task-finished.xml)."""
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    return _NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group(0)], text)


def escape_attr(text: str) -> str:
    """XML escaping of attribute values (line breaks and tabs as character references)."""
    if _ATTR_NEEDS_ESCAPE.search(text) is None:
        return text
    return _ATTR_NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group(0)], text)


class Style:
    """How one response is written: base URL for Hrefs, key casing, date profile."""

    __slots__ = ('base', 'casing', 'profile', 'today', 'key')

    def __init__(self, base: str, casing: str = 'pascal', today: str = '2026-01-01'):
        self.base = base
        self.casing = casing
        self.profile = 'v13' if casing == 'camel' else 'v12'
        self.today = today
        self.key = (base, casing, today)

    def href(self, path: str) -> str:
        return self.base + path

    def datetime(self, value) -> str:
        return format_datetime(value, self.profile)


def _scalar_text(type_, value, style) -> str:
    if type_ == BOOL:
        return 'true' if value else 'false'
    if type_ == INT:
        return str(int(value))
    if type_ == DATETIME:
        return style.datetime(value)
    if type_ == CLOCK:
        return value.xml()
    return str(value)


def _scalar_json(type_, value, style):
    if type_ == BOOL:
        return bool(value)
    if type_ == INT:
        return int(value)
    if type_ == DATETIME:
        return style.datetime(value)
    if type_ == CLOCK:
        return value.json(style.today)
    return value


# ------------------------------------------------------------------------------------------ shared blocks

# Settings blocks shared by many jobs and includes (interned defaults) are rendered once per form.
# They must never be changed in place: edits build new dicts (edit.deep_merge), so a changed block
# is simply not shared any more. _SHARED keeps them alive, so their id() is never reused.
_SHARED = {}
_INTERNED = {}
_MEMO = {}
_MEMO_LOCK = threading.Lock()


def intern(block: dict) -> dict:
    """The shared copy of a settings block equal to ``block`` (registering ``block`` if it is new)."""
    key = json.dumps(block, sort_keys=True, default=repr)
    with _MEMO_LOCK:
        existing = _INTERNED.get(key)
        if existing is None:
            _INTERNED[key] = existing = block
            _SHARED[id(block)] = block
        return existing


def _shared_xml(member, value, style, depth):
    key = (id(value), member.name, 'xml', depth, style.profile)
    text = _MEMO.get(key)
    if text is None:
        out = []
        xml_element(out, member.name, member.shape, value, style, depth)
        text = _MEMO[key] = ''.join(out)
    return text


def _shared_json(member, value, style):
    key = (id(value), member.name, 'json', style.casing, style.today)
    obj = _MEMO.get(key)
    if obj is None:
        obj = _MEMO[key] = json_object(member.shape, value, style)
    return obj


# ------------------------------------------------------------------------------------------ XML

def xml_element(out: list, tag: str, shape, data: dict, style: Style, depth: int, namespaces: str = '') -> None:
    """Append ``<tag …>…</tag>`` for ``data`` to ``out`` (a list of str)."""
    pad = _PADS[depth]
    parts = [pad, '<', tag]
    for member in shape.attrs:
        value = data.get(member.name)
        if value is not None:
            parts.append(f' {member.name}="{escape_attr(_scalar_text(member.type, value, style))}"')
    parts.append(namespaces)
    text_member = shape.by_name.get('Value')
    if text_member is not None and text_member.kind == TEXT:
        value = data.get('Value')
        parts.append(f'>{escape(_scalar_text(text_member.type, value, style))}</{tag}>\n' if value not in (None, '') else ' />\n')
        out.append(''.join(parts))
        return
    children = []
    for member in shape.elements:
        value = data.get(member.name)
        if value is not None:
            _xml_member(children, member, value, style, depth + 1)
    if children:
        parts.append('>\n')
        out.append(''.join(parts))
        out.extend(children)
        out.append(f'{pad}</{tag}>\n')
    else:
        parts.append(' />\n')
        out.append(''.join(parts))


def _xml_scalar(out, tag, type_, value, style, depth):
    text = escape(_scalar_text(type_, value, style))
    out.append(f'{_PADS[depth]}<{tag}>{text}</{tag}>\n' if text else f'{_PADS[depth]}<{tag} />\n')


def _xml_member(out, member, value, style, depth):
    kind = member.kind
    if kind == ELEM:
        _xml_scalar(out, member.name, member.type, value, style, depth)
    elif kind == CHILD:
        if id(value) in _SHARED:
            out.append(_shared_xml(member, value, style, depth))
        else:
            xml_element(out, member.name, member.shape, value, style, depth)
    elif kind == REPEAT:
        for item in value:
            _xml_scalar(out, member.name, member.type, item, style, depth)
    elif kind == LINKS:
        _xml_links(out, value, depth)
    elif kind == ITEMS:
        _xml_items(out, member, value, style, depth)
    elif kind in (STRLIST, LIST):
        if not value:
            out.append(f'{_PADS[depth]}<{member.name} />\n')
            return
        out.append(f'{_PADS[depth]}<{member.name}>\n')
        _xml_items(out, member, value, style, depth + 1)
        out.append(f'{_PADS[depth]}</{member.name}>\n')


def _xml_items(out, member, items, style, depth):
    shape = member.shape
    for item in items:
        if isinstance(item, Fragment):
            out.append(item.xml(style, depth))
        elif shape is None:
            _xml_scalar(out, member.item, member.type, item, style, depth)
        else:
            xml_element(out, member.item, shape, item, style, depth)


def _xml_links(out, links, depth):
    pad = _PADS[depth]
    if not links:
        out.append(f'{pad}<Links />\n')
        return
    out.append(f'{pad}<Links>\n')
    inner = _PADS[depth + 1]
    for rel, href, name, type_ in links:
        name_attr = f' Name="{escape_attr(name)}"' if name is not None else ''
        type_attr = f' Type="{type_}"' if type_ is not None else ''
        out.append(f'{inner}<Link Href="{escape_attr(href)}"{name_attr}{type_attr} Rel="{rel}" />\n')
    out.append(f'{pad}</Links>\n')


def xml_text(tag: str, shape, data: dict, style: Style, depth: int = 0, root: bool = False) -> str:
    out = []
    xml_element(out, tag, shape, data, style, depth, XML_NAMESPACES if root else '')
    return ''.join(out)


# ------------------------------------------------------------------------------------------ JSON

class _RawCollector:
    """Stands in for lists of pre-rendered JSON fragments while the rest is serialised by ``json``."""

    def __init__(self):
        self.raw = []

    def placeholder(self, text: str) -> str:
        self.raw.append(text)
        return f'{_RAW_MARK}{len(self.raw) - 1}{_RAW_MARK}'

    def splice(self, text: str) -> str:
        for index, raw in enumerate(self.raw):
            text = text.replace(f'"\\u0000{index}\\u0000"', raw, 1)
        return text


def json_object(shape, data: dict, style: Style, raw: _RawCollector | None = None) -> dict:
    casing = style.casing
    obj = {}
    for member in shape.json_members:
        value = data.get(member.name)
        if value is None:
            if member.kind == ITEMS:
                obj[member.plural_keys[casing]] = []
            elif not member.omit_null:
                obj[member.keys[casing]] = None
            continue
        key = member.keys[casing]
        kind = member.kind
        if kind in (ATTR, ELEM, TEXT):
            obj[key] = _scalar_json(member.type, value, style)
        elif kind == CHILD:
            obj[key] = _shared_json(member, value, style) if id(value) in _SHARED else json_object(member.shape, value, style, raw)
        elif kind in (REPEAT, STRLIST):
            obj[key] = [_scalar_json(member.type, item, style) for item in value]
        elif kind == LINKS:
            obj[key] = _json_links(value, casing)
        elif kind == ITEMS:
            obj[member.plural_keys[casing]] = _json_items(member, value, style, raw)
        else:  # LIST
            obj[key] = {member.plural_keys[casing]: _json_items(member, value, style, raw)} if value or member.keep_empty else None
    return obj


_LINK_KEYS = {'pascal': ('Rel', 'Href', 'Name', 'Type'), 'camel': ('rel', 'href', 'name', 'type')}


def _json_links(links, casing):
    rel_key, href_key, name_key, type_key = _LINK_KEYS[casing]
    return [{rel_key: rel, href_key: href, name_key: name, type_key: type_} for rel, href, name, type_ in links]


def _json_items(member, items, style, raw):
    if items and isinstance(items[0], Fragment):
        if raw is None:
            return [json.loads(item.json(style)) for item in items]
        return raw.placeholder('[' + ','.join(item.json(style) for item in items) + ']')
    if member.shape is None:
        return [_scalar_json(member.type, item, style) for item in items]
    return [json_object(member.shape, item, style, raw) for item in items]


def json_text(shape, data: dict, style: Style) -> str:
    raw = _RawCollector()
    text = json.dumps(json_object(shape, data, style, raw), ensure_ascii=False, separators=(',', ':'))
    return raw.splice(text) if raw.raw else text


# ------------------------------------------------------------------------------------------ documents

def document(tag: str, shape, data: dict, style: Style, media: str, bom: bool = False) -> bytes:
    """A whole response body: XML with declaration and namespaces, or JSON (optionally with a BOM)."""
    if media == 'json':
        body = json_text(shape, data, style).encode('utf-8')
        return BOM + body if bom else body
    return (XML_DECLARATION + xml_text(tag, shape, data, style, root=True)).encode('utf-8')


# ------------------------------------------------------------------------------------------ fragments

class RenderCache:
    """LRU of rendered entity text, bounded by total characters; shared by all requests."""

    def __init__(self, budget_chars: int = 256 * 1024 * 1024):
        self.budget = budget_chars
        self.size = 0
        self.entries = OrderedDict()
        self.lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key):
        with self.lock:
            text = self.entries.get(key)
            if text is None:
                self.misses += 1
                return None
            self.entries.move_to_end(key)
            self.hits += 1
            return text

    def put(self, key, text: str) -> None:
        with self.lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self.entries[key] = text
            self.size += len(text)
            while self.size > self.budget and self.entries:
                _key, evicted = self.entries.popitem(last=False)
                self.size -= len(evicted)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


CACHE = RenderCache()


class Fragment:
    """One entity rendered from ``view(obj, style) -> data`` with ``shape``; cached per object version.

    ``obj`` must have ``id`` and ``rev`` attributes; bump ``rev`` (``touch()``) whenever anything the view
    reads changes.
    """

    __slots__ = ('kind', 'obj', 'view', 'shape', 'tag')

    def __init__(self, kind: str, obj, view, shape, tag: str):
        self.kind = kind
        self.obj = obj
        self.view = view
        self.shape = shape
        self.tag = tag

    def _key(self, style, form):
        return (self.kind, self.obj.id, self.obj.rev, style.key, form)

    def xml(self, style: Style, depth: int) -> str:
        key = self._key(style, depth)
        text = CACHE.get(key)
        if text is None:
            text = xml_text(self.tag, self.shape, self.view(self.obj, style), style, depth)
            CACHE.put(key, text)
        return text

    def json(self, style: Style) -> str:
        key = self._key(style, 'json')
        text = CACHE.get(key)
        if text is None:
            text = json.dumps(json_object(self.shape, self.view(self.obj, style), style), ensure_ascii=False, separators=(',', ':'))
            CACHE.put(key, text)
        return text
