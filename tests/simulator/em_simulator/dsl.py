# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small vocabulary to declare EM representation shapes once and render them as XML and JSON.

A ``Shape`` lists its members in XML (XSD) order. The JSON property order follows what EM's .NET
serializer emits [I: json-xml-conventions.md rule 12, checked against every file in examples/]:
the elements (without ``Links``) in XSD order, then the attributes other than ``Href``/``Type``,
then ``Links``, then ``Href`` and ``Type``. Shapes whose examples differ declare ``json_order``
(or ``json_first``) explicitly.

Member kinds (json-xml-conventions.md, "XML → JSON mapping"):

=========== ==================================================== =============================================
kind        XML                                                  JSON
=========== ==================================================== =============================================
``Attr``    attribute of the element                             property (rule 2)
``Elem``    simple child element (``<X />`` for ``""``)          scalar property
``Child``   complex child element                                object
``Repeat``  the element repeated, no wrapper                     array (rule 4)
``StrList`` wrapper of ``<Path>`` items (``StringListType``)     plain array (rule 6)
``List``    wrapper of item elements (``…ListType``)             ``{"<Plural>": [...]}`` (rules 7, 7b)
``Items``   item elements directly under the document root       ``"<Plural>": [...]`` (rule 7a)
``Text``    text of an element that also has attributes          ``"Value"`` (rule 3)
``Links``   ``<Links><Link …/></Links>``                         plain array of Link objects (rule 5)
=========== ==================================================== =============================================

``None`` means "unset": omitted in XML, ``null`` in JSON (rule 8) — or omitted in JSON too for
members declared ``omit_null=True`` (e.g. ``UsePersistentGuestAgent`` of a job's own
``VssSnapshotOptions``, absent from both forms of examples/job-entity.*).
"""

from __future__ import annotations

STR = 'str'
BOOL = 'bool'
INT = 'int'
DATETIME = 'datetime'
CLOCK = 'clock'

ATTR = 'attr'
ELEM = 'elem'
CHILD = 'child'
REPEAT = 'repeat'
STRLIST = 'strlist'
LIST = 'list'
ITEMS = 'items'
TEXT = 'text'
LINKS = 'links'


def camel_case(name: str) -> str:
    """.NET ``JsonNamingPolicy.CamelCase``: ``UID``→``uid``, ``NASJobs``→``nasJobs``, ``VAppX``→``vAppX`` [O: hax v13]."""
    if not name or not name[0].isupper():
        return name
    chars = list(name)
    for index, char in enumerate(chars):
        if index == 1 and not char.isupper():
            break
        has_next = index + 1 < len(chars)
        if index > 0 and has_next and not chars[index + 1].isupper():
            if chars[index + 1] == ' ':
                chars[index] = char.lower()
            break
        chars[index] = char.lower()
    return ''.join(chars)


class Member:
    """One member of a shape; ``keys`` holds its JSON key per casing (``pascal``/``camel``)."""

    __slots__ = ('kind', 'name', 'type', 'shape', 'item', 'plural', 'omit_null', 'keep_empty', 'keys', 'plural_keys')

    def __init__(self, kind, name, type_=STR, shape=None, item=None, plural=None, json_name=None, omit_null=False, keep_empty=False):
        self.kind = kind
        self.name = name
        self.type = type_
        self.shape = shape
        self.item = item
        self.plural = plural
        self.omit_null = omit_null
        self.keep_empty = keep_empty
        json_key = json_name or ('Value' if kind == TEXT else name)
        self.keys = {'pascal': json_key, 'camel': camel_case(json_key)}
        self.plural_keys = {'pascal': plural, 'camel': camel_case(plural)} if plural else None

    def __repr__(self):
        return f'Member({self.kind}, {self.name})'


def Attr(name, type_=STR, json_name=None):
    return Member(ATTR, name, type_, json_name=json_name)


def Elem(name, type_=STR, json_name=None, omit_null=False):
    return Member(ELEM, name, type_, json_name=json_name, omit_null=omit_null)


def Child(name, shape, omit_null=False):
    return Member(CHILD, name, shape=shape, omit_null=omit_null)


def Repeat(name, type_=STR):
    return Member(REPEAT, name, type_)


def StrList(name, item='Path', type_=STR):
    return Member(STRLIST, name, type_, item=item)


def List(name, item, plural, shape_or_type, keep_empty=False):
    """A wrapper element of ``item`` elements; ``shape_or_type`` is a Shape or a scalar type.

    An empty list is ``<name />`` in XML and ``null`` in JSON [O: examples/nas-job-entity.json
    ``ExclusionMask``], or ``{"<plural>": []}`` with ``keep_empty`` (query results [I]).
    """
    if isinstance(shape_or_type, Shape):
        return Member(LIST, name, shape=shape_or_type, item=item, plural=plural, keep_empty=keep_empty)
    return Member(LIST, name, shape_or_type, item=item, plural=plural, keep_empty=keep_empty)


def Items(item, plural, shape):
    return Member(ITEMS, item, shape=shape, item=item, plural=plural)


def Text(type_=STR):
    return Member(TEXT, 'Value', type_)


def Links():
    return Member(LINKS, 'Links')


class Shape:
    """An element type: its members in XML order and its JSON property order."""

    __slots__ = ('name', 'members', 'attrs', 'elements', 'json_members', 'by_name', 'by_key')

    def __init__(self, name, members, json_order=None, json_first=()):
        self.name = name
        self.members = tuple(members)
        self.attrs = tuple(m for m in self.members if m.kind == ATTR)
        self.elements = tuple(m for m in self.members if m.kind != ATTR)
        self.by_name = {m.name: m for m in self.members}
        self.json_members = self._json_order(json_order, json_first)
        # request parsing: case-insensitive JSON keys (PascalCase, camelCase, or the XML name) [I]
        self.by_key = {}
        for member in self.members:
            for key in (member.name, member.keys['pascal']):
                self.by_key[key.lower()] = member

    def _json_order(self, json_order, json_first):
        if json_order:
            order = [self.by_name[name] for name in json_order]
            missing = [m.name for m in self.members if m not in order]
            if missing:
                raise ValueError(f'{self.name}: json_order misses {missing}')
            return tuple(order)
        first = [self.by_name[name] for name in json_first]
        body = [m for m in self.elements if m.kind != LINKS and m not in first]
        named = [m for m in self.attrs if m.name not in ('Href', 'Type')]
        links = [m for m in self.elements if m.kind == LINKS]
        tail = [self.by_name[name] for name in ('Href', 'Type') if name in self.by_name]
        return tuple(first + body + named + links + tail)

    def __repr__(self):
        return f'Shape({self.name})'
