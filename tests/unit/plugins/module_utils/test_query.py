# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_query: filter quoting and grouping, encoding on the wire, paging, locating result lists."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmBadResponseError, EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._keys import decode_json, snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._query import (
    all_of,
    any_of,
    collection_items,
    eq,
    list_in,
    one_of,
    query_items,
    quote_filter_value,
    term,
)
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import fixture_bytes, job_entity, query_page


@pytest.mark.parametrize('value, rendered', [
    ('Backup', 'Backup'),
    ('web_01', 'web_01'),
    ('Daily VM Backup', '"Daily VM Backup"'),
    ('"Backup"', '"""Backup"""'),
    ('say "hi" & bye', '"say ""hi"" & bye"'),
    ('a,b;c', '"a,b;c"'),
    ('Sauvegarde été', '"Sauvegarde été"'),
    ('urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5', '"urn:veeam:Job:47752464-8e77-407a-a936-132173ac15f5"'),
    ('', '""'),
    (True, 'true'),
    (False, 'false'),
    (42, '42'),
    (datetime.datetime(2025, 8, 15, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))), '"2025-08-15T06:00:00Z"'),
])
def test_quote_filter_value(value, rendered):
    assert quote_filter_value(value) == rendered


def test_terms_and_groups():
    assert str(eq('Name', 'Daily VM Backup')) == 'Name=="Daily VM Backup"'
    assert str(term('CreationTime', '>=', '2025-08-15T06:00:00Z')) == 'CreationTime>="2025-08-15T06:00:00Z"'
    assert str(all_of(eq('JobType', 'Backup'), None, eq('ScheduleEnabled', True))) == 'JobType==Backup;ScheduleEnabled==true'
    assert str(one_of('Name', ['a', 'b c'])) == 'Name==a,Name=="b c"'
    mixed = all_of(one_of('Name', ['a', 'b']), eq('Platform', 'VMware'))
    assert str(mixed) == '(Name==a,Name==b);Platform==VMware'
    nested = any_of(all_of(eq('JobType', 'Replica'), eq('ScheduleConfigured', False)),
                    all_of(eq('JobType', 'Backup'), eq('ScheduleConfigured', True)))
    assert str(nested) == '(JobType==Replica;ScheduleConfigured==false),(JobType==Backup;ScheduleConfigured==true)'
    assert all_of() is None and any_of(None) is None and one_of('Name', []) is None
    assert all_of(eq('A', 1)) == eq('A', 1)


@pytest.mark.parametrize('field, operator', [('Name;x', '=='), ('', '=='), ('Name', '=~'), (None, '==')])
def test_bad_terms(field, operator):
    with pytest.raises(EmInputError):
        term(field, operator, 'x')


@pytest.mark.parametrize('name', [
    'Backup "Prod" & Co, Ltd; daily',
    'A&B=C',
    'Sauvegarde quotidienne été 東京',
    '  leading and trailing  ',
    '%20 not decoded %26',
    '+plus+',
])
def test_filter_survives_the_url_encoding(em_http, em_settings, name):
    expression = str(all_of(eq('Name', name), eq('JobType', 'Backup')))
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(query_page('Job', [])), filter_text=expression, sort_asc='Name')
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        assert list(em.query('Job', expression, sort_asc='Name')) == []
    sent = urlsplit(em_http.calls[1].sent_url).query
    assert parse_qs(sent, keep_blank_values=True)['filter'] == [expression]
    assert sent.count('&') == 5  # type, format, filter, sortAsc, pageSize, page: a '&' in a value never splits the filter
    assert '"' not in sent and ' ' not in sent and ';' not in sent


def test_paging_follows_next_links_over_three_pages(em_http, em_settings):
    jobs = [job_entity('Job %d' % number, '00000000-0000-4000-8000-%012d' % number) for number in range(5)]
    pages = [query_page('Job', jobs[0:2], 1, 3, 2), query_page('Job', jobs[2:4], 2, 3, 2), query_page('Job', jobs[4:], 3, 3, 2)]
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(pages[0]), page_size=2)
    em_http.expect_get('/api/query', json_response(pages[1], casing='camel'),
                       params={'type': 'Job', 'format': 'Entities', 'pageSize': '2', 'page': '2'})
    em_http.expect_get('/api/query', json_response(pages[2], bom=True),
                       params={'type': 'Job', 'format': 'Entities', 'pageSize': '2', 'page': '3'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        names = [job['name'] for job in em.query('Job', page_size=2)]
    assert names == ['Job 0', 'Job 1', 'Job 2', 'Job 3', 'Job 4']
    assert em.request_count == 5
    # the next page is built from the first request's parameters, never taken from the Next link
    assert em_http.calls[2].url == 'https://em01.lab.local:9398/api/query' and em_http.calls[2].params['page'] == 2


def test_next_links_are_never_followed_even_to_the_same_server(em_http, em_settings):
    page = query_page('Job', [job_entity()], 1, 2, 1)
    for link in page['PagingInfo']['Links']:
        link['Href'] = 'https://em01.lab.local:9398\\@evil.example:443/api/query?type=Job&page=2'
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(page), page_size=1)
    em_http.expect_get('/api/query', json_response(query_page('Job', [], 2, 2, 1)),
                       params={'type': 'Job', 'format': 'Entities', 'pageSize': '1', 'page': '2'})
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        assert len(list(em.query('Job', page_size=1))) == 1
    assert all(call.sent_url.startswith('https://em01.lab.local:9398/api/') for call in em_http.calls)


def test_paging_that_never_ends_stops_at_the_page_limit(em_http, em_settings):
    em_http.expect_logon()
    for number in range(1, 4):
        em_http.expect_get('/api/query', json_response(query_page('Job', [job_entity()], number, 1000000, 1)),
                           params={'type': 'Job', 'format': 'Entities', 'pageSize': '1', 'page': str(number)})
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError, match='Query has too many pages') as caught:
        with EmClient(em_settings) as em:
            list(em.query('Job', page_size=1, max_pages=3))
    assert 'more than 3 pages of 1 items' in str(caught.value) and 'narrow the query' in str(caught.value)


def test_paging_stops_on_the_last_page_even_with_a_next_link(em_http, em_settings):
    page = query_page('Job', [job_entity()], 1, 2, 1)
    page['PagingInfo']['PagesCount'] = 1
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(page))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        assert len(list(em.query('Job'))) == 1


def test_paging_loop_is_detected(em_http, em_settings):
    first = query_page('Job', [job_entity()], 1, 3, 1)
    again = query_page('Job', [job_entity()], 1, 3, 1)
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(first))
    em_http.expect_get('/api/query', json_response(again))
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError, match='paging does not advance'):
        with EmClient(em_settings) as em:
            list(em.query('Job'))


def test_empty_results_in_every_observed_form():
    for empty in (None, [], {'Jobs': None}, {'Jobs': {'Jobs': None}}, {'Jobs': {'Jobs': []}}):
        assert query_items(snake_keys({'Refs': None, 'Entities': empty, 'Resources': None, 'PagingInfo': None})) == []
    assert query_items(None) == [] and query_items([]) == []


@pytest.mark.parametrize('name, count, first', [
    ('query-job-refs.json', 1, 'Daily VM Backup'),
    ('query-job-entities.json', 1, 'Daily VM Backup'),
    ('query-backupjobsession-entities.json', 3, 'Daily VM Backup@2026-03-02 09:15:04'),
    ('query-backupjobsession-entities.v13.json', 3, 'Daily VM Backup@2026-03-02 09:15:04.220413'),
    ('query-objectinjob.json', 1, 'web01'),
    ('query-backupserver-refs-page1.json', 1, 'vbr01.lab.local'),
])
def test_items_are_found_wherever_the_type_puts_them(name, count, first):
    items = query_items(decode_json(fixture_bytes(name)))
    assert len(items) == count and items[0]['name'] == first


def test_collection_and_list_wrappers():
    assert [ref['name'] for ref in collection_items(decode_json(fixture_bytes('jobs-refs.json')))] == ['Daily VM Backup', 'SQL Replica', 'Offsite Copy']
    assert len(collection_items(decode_json(fixture_bytes('job-includes.json')))) == 2
    assert collection_items(None) == [] and collection_items({'links': [1]}) == []
    assert list_in({'object_in_jobs': [1, 2]}) == [1, 2] and list_in([3]) == [3] and list_in(None) == []
