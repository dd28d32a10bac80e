# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request bodies (XML or JSON) to canonical data, checked against the shapes of shapes.py.

The parser is chosen by ``Accept``, not ``Content-Type`` [O: by1, by2]: with a JSON ``Accept`` an
XML body fails with ``400 Node [root] does not exist.``; with an XML ``Accept`` a JSON body is not
valid XML. XML must be in EM's namespace with children in XSD order [D: em_web_api_specifications];
unknown elements are ignored, elements out of order are rejected with 400 [I: a clear error
instead of the silent drop of an XSD-ordered deserializer]. JSON keys match case-insensitively, so
PascalCase, camelCase and ``RetrySpecified``/``RetrySpecified1`` are all accepted; numbers and
booleans may be strings [D: put_jobs_id_actionedit examples; I: lenient deserializer].
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from .dsl import ATTR, BOOL, CHILD, CLOCK, DATETIME, ELEM, INT, LINKS, LIST, REPEAT, STRLIST, TEXT
from .http import NODE_ROOT, ApiError
from .values import ClockTime, parse_datetime

NAMESPACE = 'http://www.veeam.com/ent/v1.0'
_NS = '{' + NAMESPACE + '}'

# enumerations checked on input [D: jobscheduleoptions, simple_and_gfs_retention_policies, guestprocessingoptions]
DAYS = ('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
ENUMS = {
    ('OptionsDaily', 'Kind'): ('Everyday', 'WeekDays', 'SelectedDays'),
    ('OptionsDaily', 'Days'): DAYS,
    ('OptionsPeriodically', 'Kind'): ('Hours', 'Minutes'),
    ('OptionsMonthly', 'DayNumberInMonth'): ('First', 'Second', 'Third', 'Fourth', 'Last', 'OnDay'),
    ('OptionsMonthly', 'DayOfWeek'): DAYS,
    ('OptionsMonthly', 'Months'): ('January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
                                   'October', 'November', 'December'),
    ('Day', 'Name'): DAYS,
    ('SimpleRetentionPolicy', 'RetainLimitType'): ('Cycles', 'Days'),
    ('VssSnapshotOptions', 'VssSnapshotMode'): ('RequireSuccess', 'IgnoreFailures', 'Disabled'),
    ('GuestFSIndexingOptions', 'FileSystemIndexingMode'): ('EveryFolders', 'SpecifiedFolders', 'ExceptSpecifiedFolders', 'Disabled'),
    ('SqlBackupOptions', 'TransactionLogsProcessing'): ('OnlyOnSuccessJob', 'Backup', 'NotProcess'),
}


def _bad(message: str) -> ApiError:
    return ApiError(400, message)


def _convert(type_, value, where: str, shape_name: str, member_name: str):
    try:
        if type_ == INT:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if type_ == BOOL:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text not in ('true', 'false', '1', '0'):
                raise ValueError
            return text in ('true', '1')
        if type_ == CLOCK:
            return ClockTime.parse(str(value))
        if type_ == DATETIME:
            return parse_datetime(str(value))
    except (TypeError, ValueError):
        raise _bad(f"'{value}' is not a valid {type_} value for {where}.") from None
    text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, (dict, list)) else str(value)
    allowed = ENUMS.get((shape_name, member_name))
    if allowed is not None:
        for candidate in allowed:
            if candidate.lower() == text.lower():
                return candidate
        raise _bad(f"'{text}' is not a valid value for {where}; expected one of {', '.join(allowed)}.")
    return text


# ------------------------------------------------------------------------------------------ XML

def parse_xml(body: bytes, root_name: str, shape) -> dict:
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        line, column = error.position
        raise _bad(f'There is an error in XML document ({line}, {column + 1}).') from None
    if root.tag != _NS + root_name:
        raise _bad(f'There is an error in XML document (1, 2). <{_local(root.tag)} xmlns=\'{_namespace(root.tag)}\'> was not expected; '
                   f'the body must be a {root_name} element in namespace {NAMESPACE}.')
    return _xml_struct(root, shape, root_name)


def _local(tag: str) -> str:
    return tag.rpartition('}')[2]


def _namespace(tag: str) -> str:
    return tag[1:].partition('}')[0] if tag.startswith('{') else ''


def _xml_struct(element, shape, where: str) -> dict:
    data = {}
    for member in shape.attrs:
        if member.name in element.attrib:
            data[member.name] = _convert(member.type, element.attrib[member.name], f'{where}/@{member.name}', shape.name, member.name)
    text_member = shape.by_name.get('Value')
    if text_member is not None and text_member.kind == TEXT:
        data['Value'] = _convert(text_member.type, element.text or '', where, shape.name, 'Value')
        return data
    position = -1
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith(_NS):
            continue
        name = _local(child.tag)
        member = shape.by_name.get(name)
        if member is None or member.kind == ATTR:
            continue
        index = shape.elements.index(member)
        if index < position or (index == position and member.kind != REPEAT):
            raise _bad(f'There is an error in XML document: <{name}> in <{where.rpartition("/")[2]}> is out of order or repeated; '
                       f'children must follow the schema order: {", ".join(m.name for m in shape.elements)}.')
        position = index
        _xml_member(data, member, child, f'{where}/{name}', shape.name)
    return data


def _xml_member(data, member, child, where, shape_name):
    kind = member.kind
    if kind == ELEM:
        data[member.name] = _convert(member.type, child.text or '', where, shape_name, member.name)
    elif kind == REPEAT:
        data.setdefault(member.name, []).append(_convert(member.type, child.text or '', where, shape_name, member.name))
    elif kind == CHILD:
        data[member.name] = _xml_struct(child, member.shape, where)
    elif kind in (STRLIST, LIST):
        items = []
        for item in child:
            if isinstance(item.tag, str) and item.tag == _NS + member.item:
                if member.shape is None:
                    items.append(_convert(member.type, item.text or '', f'{where}/{member.item}', shape_name, member.name))
                else:
                    items.append(_xml_struct(item, member.shape, f'{where}/{member.item}'))
        data[member.name] = items
    # LINKS and ITEMS are never read from requests


# ------------------------------------------------------------------------------------------ JSON

def parse_json(body: bytes, shape, root_name: str) -> dict:
    text = body.decode('utf-8-sig', errors='replace')
    if text.lstrip().startswith('<'):
        raise _bad(NODE_ROOT)
    try:
        value = json.loads(text)
    except ValueError as error:
        raise _bad(f'Unexpected character encountered while parsing the JSON body: {error}.') from None
    if not isinstance(value, dict):
        raise _bad(f'The JSON body must be an object (the content of {root_name}), not {type(value).__name__}.')
    return _json_struct(value, shape, root_name)


def _json_struct(value: dict, shape, where: str) -> dict:
    data = {}
    for key, item in value.items():
        member = shape.by_key.get(key.lower())
        if member is None or item is None or member.kind in (LINKS,):
            continue
        path = f'{where}.{member.name}'
        kind = member.kind
        if kind in (ATTR, ELEM, TEXT):
            data[member.name] = _convert(member.type, item, path, shape.name, member.name)
        elif kind == CHILD:
            if not isinstance(item, dict):
                raise _bad(f'{path} must be an object.')
            data[member.name] = _json_struct(item, member.shape, path)
        elif kind in (REPEAT, STRLIST):
            items = item if isinstance(item, list) else [item]
            data[member.name] = [_convert(member.type, entry, path, shape.name, member.name) for entry in items]
        elif kind == LIST:
            data[member.name] = _json_list(item, member, path)
    return data


def _json_list(value, member, path):
    if isinstance(value, dict):
        # {"<Plural>": [...]} (rule 7); accept the plural in any casing
        inner = [entry for key, entry in value.items() if key.lower() == member.plural.lower()]
        value = inner[0] if inner else []
    if not isinstance(value, list):
        raise _bad(f'{path} must be {{"{member.plural}": [...]}}.')
    if member.shape is None:
        return [_convert(member.type, entry, path, member.name, member.item) for entry in value]
    return [_json_struct(entry, member.shape, f'{path}.{member.item}') for entry in value if isinstance(entry, dict)]


def parse_body(body: bytes, media: str, root_name: str, shape) -> dict:
    """Canonical data of a request body; ``media`` is the negotiated type (from ``Accept``)."""
    if not body.strip():
        raise _bad(f'The request body is empty; this request needs a {root_name} document.')
    if media == 'json':
        return parse_json(body, shape, root_name)
    return parse_xml(body, root_name, shape)
