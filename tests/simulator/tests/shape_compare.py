# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Structural comparison of payloads: same keys/elements, same nesting, same order; values ignored.

JSON: objects must have the same keys in the same order; every item of an actual array must match
the shape of some item of the expected array (``null`` and scalars are interchangeable).
XML: same tags, same attribute names, same child sequence (runs of a repeated tag are one group;
every actual element of a group must match some expected element of it).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET


def json_problems(expected, actual, path='$') -> list:
    if isinstance(expected, dict) or isinstance(actual, dict):
        if not (isinstance(expected, dict) and isinstance(actual, dict)):
            return [f'{path}: expected {type(expected).__name__}, got {type(actual).__name__}']
        if list(expected) != list(actual):
            return [f'{path}: keys differ\n  expected {list(expected)}\n  actual   {list(actual)}']
        problems = []
        for key in expected:
            problems += json_problems(expected[key], actual[key], f'{path}.{key}')
        return problems
    if isinstance(expected, list) or isinstance(actual, list):
        if not (isinstance(expected, list) and isinstance(actual, list)):
            return [f'{path}: expected {type(expected).__name__}, got {type(actual).__name__}']
        return _items(expected, actual, path, json_problems)
    return []


def _items(expected, actual, path, compare):
    if not expected or not actual:
        return [] if not actual or not expected else [f'{path}: expected no items']
    problems = []
    for index, item in enumerate(actual):
        attempts = [compare(candidate, item, f'{path}[{index}]') for candidate in expected]
        if all(attempts):
            problems += min(attempts, key=len)
    return problems


def _groups(element):
    groups = []
    for child in element:
        if groups and groups[-1][0] == child.tag:
            groups[-1][1].append(child)
        else:
            groups.append((child.tag, [child]))
    return groups


def xml_problems(expected, actual, path='') -> list:
    path = f'{path}/{_local(actual.tag)}'
    if expected.tag != actual.tag:
        return [f'{path}: tag {actual.tag} instead of {expected.tag}']
    if set(expected.attrib) != set(actual.attrib):
        return [f'{path}: attributes {sorted(actual.attrib)} instead of {sorted(expected.attrib)}']
    wanted, got = _groups(expected), _groups(actual)
    if [tag for tag, _items in wanted] != [tag for tag, _items in got]:
        return [f'{path}: children {[_local(tag) for tag, _i in got]}\n  instead of {[_local(tag) for tag, _i in wanted]}']
    problems = []
    for (_tag, expected_items), (_same, actual_items) in zip(wanted, got):
        problems += _items(expected_items, actual_items, path, xml_problems)
    return problems


def _local(tag):
    return tag.rpartition('}')[2]


def parse_xml(content) -> ET.Element:
    return ET.fromstring(content)
