# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_jobs: listing, finding, includes and latest runs over scripted HTTP."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmAmbiguousJobError, EmInputError, EmJobNotFoundError
from ansible_collections.veeamops.em.plugins.module_utils._jobs import CHUNK, JobCriteria, JobsApi
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import (
    DAILY_ID,
    VBR02,
    fixture_json,
    job_entity,
    query_page,
    session_entity,
)

REPLICA_ID = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
COPY_ID = '45dc56b3-d9dd-4d71-babb-15e8894597e7'
DAILY = job_entity()
REPLICA = job_entity('SQL Replica', REPLICA_ID, 'Replica')
COPY = job_entity('Offsite Copy', COPY_ID, 'ImmediateBackupCopy', platform='CustomPlatform')


def run(em_http, em_settings, exchanges, action):
    em_http.expect_logon()
    for exchange in exchanges:
        exchange(em_http)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        return action(JobsApi(em))


def job_query(jobs, filter_text=None):
    def exchange(http):
        kwargs = {} if filter_text is None else {'filter_text': filter_text}
        http.expect_query('Job', json_response(query_page('Job', jobs)), sort_asc='Name', **kwargs)
    return exchange


def test_list_all_jobs_is_one_query(em_http, em_settings):
    jobs = run(em_http, em_settings, [job_query([DAILY, REPLICA, COPY])], lambda api: api.list())
    assert [job['name'] for job in jobs] == ['Daily VM Backup', 'SQL Replica', 'Offsite Copy']
    assert len(em_http.calls) == 3


def test_filters_are_sent_to_the_query_service(em_http, em_settings):
    criteria = JobCriteria(names=['Daily VM Backup', 'A "quoted" & odd; name'], job_types='Backup', platforms='VMware',
                           backup_servers='vbr01.lab.local', schedule_enabled=False)
    expected = ('(Name=="Daily VM Backup",Name=="A ""quoted"" & odd; name");JobType==Backup;Platform==VMware;'
                'BackupServerName=="vbr01.lab.local";ScheduleEnabled==false')
    disabled = job_entity(schedule_enabled=False)
    jobs = run(em_http, em_settings, [job_query([disabled], expected)], lambda api: api.list(criteria))
    assert [job['uid'] for job in jobs] == ['urn:veeam:Job:' + DAILY_ID]


def test_results_are_checked_again_on_the_client(em_http, em_settings):
    other_case = job_entity('daily vm backup', '11111111-1111-4111-8111-111111111111')
    upper_server = job_entity(server=('VBR01.LAB.LOCAL', 'af37938e-191c-4df1-891e-3a49c7a3bec7'))
    criteria = JobCriteria(names='Daily VM Backup', backup_servers='vbr01.lab.local', platforms='vmware', job_types='backup')
    jobs = run(em_http, em_settings, [job_query([other_case, upper_server, REPLICA], str(criteria.filter_expr()))],
               lambda api: api.list(criteria))
    assert [(job['name'], job['uid']) for job in jobs] == [('Daily VM Backup', 'urn:veeam:Job:' + DAILY_ID)]


def test_id_and_uid_filter_on_uid():
    assert str(JobCriteria(ids=DAILY_ID).filter_expr()) == 'UID=="urn:veeam:Job:%s"' % DAILY_ID
    assert str(JobCriteria(uids='urn:veeam:Job:' + DAILY_ID, ids=[REPLICA_ID]).filter_expr()) == (
        'UID=="urn:veeam:Job:%s",UID=="urn:veeam:Job:%s"' % (REPLICA_ID, DAILY_ID))
    assert JobCriteria().filter_expr() is None


def test_find_job_by_name(em_http, em_settings):
    job = run(em_http, em_settings, [job_query([DAILY], 'Name=="Daily VM Backup"')], lambda api: api.find(name='Daily VM Backup'))
    assert job['uid'] == 'urn:veeam:Job:' + DAILY_ID


def test_find_job_by_id_on_a_backup_server(em_http, em_settings):
    expected = 'UID=="urn:veeam:Job:%s";BackupServerName=="vbr01.lab.local"' % DAILY_ID
    job = run(em_http, em_settings, [job_query([DAILY], expected)], lambda api: api.find(job_id=DAILY_ID, backup_server='vbr01.lab.local'))
    assert job['name'] == 'Daily VM Backup'


def test_find_job_not_found(em_http, em_settings):
    with pytest.raises(EmJobNotFoundError) as caught:
        run(em_http, em_settings, [job_query([], 'Name==Nightly')], lambda api: api.find(name='Nightly'))
    assert 'No job named "Nightly"' in str(caught.value) and 'case included' in str(caught.value)


def test_find_job_ambiguous_lists_candidates(em_http, em_settings):
    twin = job_entity(job_id='22222222-2222-4222-8222-222222222222', server=VBR02)
    with pytest.raises(EmAmbiguousJobError) as caught:
        run(em_http, em_settings, [job_query([DAILY, twin], 'Name=="Daily VM Backup"')], lambda api: api.find(name='Daily VM Backup'))
    text = str(caught.value)
    assert '2 jobs match named "Daily VM Backup"' in text
    assert 'on vbr01.lab.local (id %s)' % DAILY_ID in text and 'on vbr02.lab.local (id 22222222-2222-4222-8222-222222222222)' in text
    assert 'add backup_server' in text
    assert [item['backup_server'] for item in caught.value.candidates] == ['vbr01.lab.local', 'vbr02.lab.local']


@pytest.mark.parametrize('kwargs', [{}, {'name': 'a', 'job_id': 'b'}, {'backup_server': 'vbr01'}])
def test_find_job_needs_exactly_one_identifier(kwargs):
    with pytest.raises(EmInputError, match='exactly one of name, id or uid'):
        JobsApi(None).find(**kwargs)


def test_get_job_entity(em_http, em_settings):
    def exchange(http):
        http.expect_get('/api/jobs/%s' % DAILY_ID, json_response(fixture_json('job-entity.json')), params={'format': 'Entity'})
    job = run(em_http, em_settings, [exchange], lambda api: api.get(snake_keys(DAILY)))
    assert job['name'] == 'Daily VM Backup' and job['job_type'] == 'Backup'


def test_includes_are_read_from_the_entity_without_a_request():
    api = JobsApi(None)
    includes = api.includes(snake_keys(DAILY))
    assert [item['name'] for item in includes] == ['web01', 'Production']
    assert api.includes(snake_keys(COPY)) == []
    assert [item['linked_job_uid'] for item in api.linked_jobs(snake_keys(COPY))] == ['urn:veeam:Job:' + DAILY_ID]
    assert api.linked_jobs(snake_keys(DAILY)) == []


def objects_query(filter_text, objects):
    def exchange(http):
        page = fixture_json('query-objectinjob.json')
        page['Resources']['sInObjectJob']['ObjectInJobs'] = objects
        kwargs = {} if filter_text is None else {'filter_text': filter_text}
        http.expect_query('ObjectInJob', json_response(page), **kwargs)
    return exchange


@pytest.mark.parametrize('variant', [None, {'ObjectInJobs': []}, 'absent'])
def test_includes_missing_from_the_entities_come_from_one_object_query(em_http, em_settings, variant):
    bare = snake_keys(DAILY)
    info = bare['job_info']['backup_job_info']
    if variant == 'absent':
        del info['includes']
    else:
        info['includes'] = snake_keys(variant)
    objects = fixture_json('query-objectinjob.json')['Resources']['sInObjectJob']['ObjectInJobs']
    other = dict(objects[0], Links=[{'Rel': 'Up', 'Href': 'https://em01.lab.local:9398/api/jobs/%s?format=Entity' % COPY_ID, 'Type': 'Job'}])
    api = {}

    def action(jobs_api):
        api['it'] = jobs_api
        return jobs_api.includes_of([bare, snake_keys(COPY)])
    found = run(em_http, em_settings, [objects_query('JobUid=="urn:veeam:Job:%s"' % DAILY_ID, objects + [other])], action)
    assert [item['name'] for item in found[DAILY['UID']]] == [item['Name'] for item in objects]
    assert found[COPY['UID']] == []  # a copy job links no objects: not asked for, and the stray object is not given to it
    assert api['it'].warnings == []


def test_a_job_that_links_objects_but_has_none_is_reported(em_http, em_settings):
    bare = snake_keys(DAILY)
    bare['job_info']['backup_job_info']['includes'] = None
    api = {}

    def action(jobs_api):
        api['it'] = jobs_api
        return jobs_api.includes(bare)
    assert run(em_http, em_settings, [objects_query('JobUid=="urn:veeam:Job:%s"' % DAILY_ID, [])], action) == []
    assert api['it'].warnings == ['Enterprise Manager lists no objects for 1 job(s) that link their objects: Daily VM Backup']


def test_many_jobs_without_objects_read_every_object_once(em_http, em_settings):
    jobs = []
    for number in range(CHUNK + 1):
        job = snake_keys(job_entity('Job %02d' % number, '00000000-0000-4000-8000-%012d' % number))
        job['job_info']['backup_job_info']['includes'] = None
        jobs.append(job)
    objects = fixture_json('query-objectinjob.json')['Resources']['sInObjectJob']['ObjectInJobs'][:1]
    mine = dict(objects[0], Links=[{'Rel': 'Up', 'Href': 'https://em01.lab.local:9398/api/jobs/%s?format=Entity' % jobs[3]['uid'][-36:],
                                    'Type': 'Job'}])
    found = run(em_http, em_settings, [objects_query(None, [mine])], lambda api: api.includes_of(jobs))
    assert [len(found[job['uid']]) for job in jobs].count(1) == 1 and len(found[jobs[3]['uid']]) == 1


def session_query(session_type, uids, sessions, next_page=False):
    def exchange(http):
        filter_text = ','.join('JobUid=="%s"' % uid for uid in uids)
        page = query_page(session_type, sessions, 1, 2 if next_page else 1, 500)
        http.expect_query(session_type, json_response(page), filter_text=filter_text, sort_desc='CreationTime', page_size=500)
    return exchange


def test_latest_runs_in_bulk_per_run_type(em_http, em_settings):
    jobs = [snake_keys(job) for job in (DAILY, REPLICA, COPY)]
    backup_sessions = [
        session_entity(DAILY, '681ae4f5-3347-4f83-b506-d672640b035a', 'Working', 'None', '2026-03-02T09:15:04.220Z', None, 37),
        session_entity(COPY, '90000000-0000-4000-8000-000000000001', created='2026-03-02T08:00:00Z'),
        session_entity(DAILY, 'a8cafc11-2a5a-46a4-87f8-48b2d78d0d16'),
    ]
    replica_sessions = [session_entity(REPLICA, '90000000-0000-4000-8000-000000000002', result='Failed')]
    exchanges = [
        session_query('BackupJobSession', ['urn:veeam:Job:' + DAILY_ID, 'urn:veeam:Job:' + COPY_ID], backup_sessions),
        session_query('ReplicaJobSession', ['urn:veeam:Job:' + REPLICA_ID], replica_sessions),
    ]
    latest = run(em_http, em_settings, exchanges, lambda api: api.latest_runs(jobs))
    assert {uid.rsplit(':', 1)[1]: session['uid'].rsplit(':', 1)[1] for uid, session in latest.items()} == {
        DAILY_ID: '681ae4f5-3347-4f83-b506-d672640b035a',
        COPY_ID: '90000000-0000-4000-8000-000000000001',
        REPLICA_ID: '90000000-0000-4000-8000-000000000002',
    }
    assert len(em_http.calls) == 4


def test_latest_runs_are_chunked(em_http, em_settings):
    jobs = [job_entity('Job %02d' % number, '00000000-0000-4000-8000-%012d' % number) for number in range(CHUNK + 5)]
    uids = [job['UID'] for job in jobs]
    exchanges = [session_query('BackupJobSession', uids[:CHUNK], [session_entity(jobs[0], 's1')]),
                 session_query('BackupJobSession', uids[CHUNK:], [session_entity(jobs[-1], 's2')])]
    latest = run(em_http, em_settings, exchanges, lambda api: api.latest_runs([snake_keys(job) for job in jobs]))
    assert sorted(latest) == sorted([uids[0], uids[-1]])


def test_jobs_missing_from_a_full_page_are_asked_again(em_http, em_settings):
    rare = job_entity('Rare', '33333333-3333-4333-8333-333333333333')
    busy = [session_entity(DAILY, 'busy-%d' % number) for number in range(3)]
    exchanges = [session_query('BackupJobSession', [DAILY['UID'], rare['UID']], busy, next_page=True),
                 session_query('BackupJobSession', [rare['UID']], [session_entity(rare, 'rare-1', created='2025-12-01T00:00:00Z')])]
    latest = run(em_http, em_settings, exchanges, lambda api: api.latest_runs([snake_keys(DAILY), snake_keys(rare)]))
    assert latest[DAILY['UID']]['uid'].endswith('busy-0') and latest[rare['UID']]['uid'].endswith('rare-1')


def test_a_server_that_ignores_the_filter_cannot_loop(em_http, em_settings):
    stranger = session_entity(job_entity('Stranger', '44444444-4444-4444-8444-444444444444'), 'x')
    exchanges = [session_query('BackupJobSession', [DAILY['UID']], [stranger], next_page=True)]
    latest = run(em_http, em_settings, exchanges, lambda api: api.latest_runs([snake_keys(DAILY)]))
    assert latest == {}
