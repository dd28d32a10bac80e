# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore-side examples value by value where the lab holds the example's objects: links href by
href, and the fields that the lab reproduces (names, types, point kinds, sizes of repositories).

(Keys, nesting and order of every example are compared in test_shapes.py.)
"""

from __future__ import annotations

import json

import pytest

from conftest import FIXTURES
from restore_cases import RESTORE_CASES, SAME_LINKS
from test_shapes import EXAMPLE_BASE, _hrefs


def _example(stem):
    return json.loads((FIXTURES / f'{stem}.json').read_text(encoding='utf-8'))


@pytest.mark.parametrize('stem', SAME_LINKS)
def test_links_are_those_of_the_example(sim, stem):
    expected = _hrefs(_example(stem))
    actual = _hrefs(RESTORE_CASES[stem](sim, sim.logon(), 'json').json())
    assert actual == [href.replace(EXAMPLE_BASE, sim.url) for href in expected]


def test_task_sessions_of_the_example_session_link_their_points(sim):
    """The example lists two of the session's task sessions (web01, app01): the lab's have the same ids and links."""
    found = RESTORE_CASES['query-backuptasksession-entities'](sim, sim.logon(), 'json').json()
    actual = {item['UID']: item for item in found['Entities']['BackupTaskSessions']['BackupTaskSessions']}
    for item in _example('query-backuptasksession-entities')['Entities']['BackupTaskSessions']['BackupTaskSessions']:
        assert [link['Href'] for link in actual[item['UID']]['Links']] == [link['Href'].replace(EXAMPLE_BASE, sim.url) for link in item['Links']]
        assert actual[item['UID']]['VmDisplayName'] == item['VmDisplayName']
    assert len(actual) == 4  # web01, web02, db01, app01: the VM and the Production folder of Daily VM Backup


@pytest.mark.parametrize('stem, keys', [
    ('repository-entity', ['Capacity', 'FreeSpace', 'Kind', 'Name', 'UID']),
    ('backup-entity', ['Platform', 'BackupType', 'Name', 'UID']),
    ('vmrestorepoint-entity', ['VmName', 'Algorithm', 'PointType', 'HierarchyObjRef', 'VmDisplayName', 'UID']),
    ('restore-session-entity', ['VmDisplayName', 'JobUid', 'JobName', 'JobType', 'State', 'Result', 'Progress', 'FailureMessage', 'UID']),
    ('restorepoint-entity', ['UID']),
])
def test_values_the_lab_reproduces(sim, stem, keys):
    actual = RESTORE_CASES[stem](sim, sim.logon(), 'json').json()
    expected = _example(stem)
    assert {key: actual[key] for key in keys} == {key: expected[key] for key in keys}


def test_repositories_are_those_of_the_example(sim):
    actual = RESTORE_CASES['repositories-entities'](sim, sim.logon(), 'json').json()['Repositories']
    expected = _example('repositories-entities')['Repositories']
    fields = ('Name', 'UID', 'Capacity', 'FreeSpace', 'Kind')
    assert [[item[key] for key in fields] for item in actual] == [[item[key] for key in fields] for item in expected]


def test_older_point_of_the_example_is_a_full_in_its_own_restore_point(sim):
    refs = RESTORE_CASES['vmrestorepoints-refs'](sim, sim.logon(), 'json').json()['Refs']
    by_uid = {ref['UID']: ref for ref in refs}
    for ref in _example('vmrestorepoints-refs')['Refs']:
        mine = by_uid[ref['UID']]
        assert [link['Href'] for link in mine['Links']] == [link['Href'].replace(EXAMPLE_BASE, sim.url) for link in ref['Links']]
        assert [link['Name'][-4:] for link in mine['Links'] if link['Type'] == 'BackupFileReference'] == [
            link['Name'][-4:] for link in ref['Links'] if link['Type'] == 'BackupFileReference']  # .vib / .vbk
