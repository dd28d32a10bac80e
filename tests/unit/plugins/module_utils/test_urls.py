# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_urls: request paths from validated parts; links from Enterprise Manager read, never followed."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmBadResponseError, EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._urls import api_path, check_id, link_id, link_segments

GUID = '47752464-8e77-407a-a936-132173ac15f5'


@pytest.mark.parametrize('href, segments', [
    ('https://em01.lab.local:9398/api/jobs/%s?format=Entity' % GUID, ['jobs', GUID]),
    ('https://10.0.0.5:9398/api/restoreSessions/%s' % GUID, ['restoreSessions', GUID]),  # [I] EM's own host name may differ
    ('https://[fe80::1]:9398/api/tasks/task-3', ['tasks', 'task-3']),
    ('/api/backupSessions/%s/' % GUID, ['backupSessions', GUID]),
    ('HTTPS://EM01:9398/api/', []),
])
def test_plain_api_links_give_their_segments(href, segments):
    assert link_segments(href) == segments


@pytest.mark.parametrize('href', [
    'https://em01:9398\\@evil.example:443/api/jobs/%s' % GUID,  # a backslash that one parser reads as a path, another as user info
    'https://user:pass@em01:9398/api/jobs/%s' % GUID,
    'https://em01:9398@evil.example/api/jobs/%s' % GUID,
    'https://em01]:9398/api/jobs/x',
    'https://[em01/api/jobs/x',
    'https://em01:99999/api/jobs/x',
    'https://em01:9398/api/../_sim/reset',
    'https://em01:9398/api/jobs/./x',
    'https://em01:9398/api/jobs/%2e%2e/x',
    'https://em01:9398/api/jobs%2fx',
    'https://em01:9398/other/jobs/x',
    'https://em01:9398/apix/jobs',
    'ftp://em01/api/jobs/x',
    'javascript:alert(1)',
    'https://em01:9398/api/jobs/a b',
    'https://em01:9398/api/jobs/x\n',
    '//evil.example/api/jobs/x',
    'api/jobs/x',
    '',
    None,
    42,
])
def test_anything_else_is_not_an_api_link(href):
    assert link_segments(href) is None


def test_link_id_needs_the_named_collection():
    href = 'https://em01:9398/api/restoreSessions/%s?format=Entity' % GUID
    assert link_id(href, 'restoreSessions') == GUID and link_id(href, 'RESTORESESSIONS') == GUID
    assert link_id(href, 'backupSessions') is None
    assert link_id('https://em01:9398/api/jobs/%s/includes' % GUID, 'jobs') is None


def test_api_path_accepts_only_valid_segments():
    assert api_path('jobs', GUID, 'includes') == 'jobs/%s/includes' % GUID
    for bad in ('..', '.', 'a/b', '', None, 'a%2fb', 'x\\y'):
        with pytest.raises(EmBadResponseError, match='cannot be part of a request path'):
            api_path('jobs', bad)


def test_ids_given_by_the_user_are_checked():
    assert check_id(GUID) == GUID
    with pytest.raises(EmInputError, match=r"Invalid job id: '\.\.'"):
        check_id('..', 'job id')
