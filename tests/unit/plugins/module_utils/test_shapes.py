# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Enterprise Manager answers is checked where it enters: shapes, nesting, size; one clean error naming the URL."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.veeamops.em.plugins.module_utils import _client
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmBadResponseError
from ansible_collections.veeamops.em.plugins.module_utils._jobs import JobsApi
from ansible_collections.veeamops.em.plugins.module_utils._shapes import JOB, ShapeError
from ansible_collections.veeamops.em.tests.unit.utils.em_http import FakeResponse, json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import job_entity, query_page
from ansible_collections.veeamops.em.tests.unit.utils.em_runs import task

JOB_QUERY_URL = 'https://em01.lab.local:9398/api/query?type=Job&format=Entities&sortAsc=Name&pageSize=1000&page=1'


def with_name(value):
    job = job_entity()
    job['Name'] = value
    return job


def with_uid(value):
    job = job_entity()
    job['UID'] = value
    return job


def with_job_info(value):
    job = job_entity()
    job['JobInfo'] = value
    return job


def with_includes(value):
    job = job_entity()
    job['JobInfo']['BackupJobInfo']['Includes'] = value
    return job


@pytest.mark.parametrize('items, where', [
    (['a job', 42], 'items[0]: expected an object, got a string'),
    ([with_name(None)], 'items[0].name: expected a non-empty string, got null'),
    ([with_name(17)], 'items[0].name: expected a non-empty string, got a number'),
    ([with_name(['x'])], 'items[0].name: expected a non-empty string, got a list'),
    ([with_uid(None)], 'items[0].uid: expected a non-empty string, got null'),
    ([with_uid({'a': 1})], 'items[0].uid: expected a non-empty string, got an object'),
    ([with_job_info('backup')], 'items[0].job_info: expected an object, got a string'),
    ([with_job_info({'BackupJobInfo': ['x']})], 'items[0].job_info.backup_job_info: expected an object, got a list'),
    ([with_includes({'ObjectInJobs': ['web01']})], 'includes.object_in_jobs[0]: expected an object, got a string'),
    ([with_includes({'ObjectInJobs': [{'HierarchyObjRef': 5}]})], 'hierarchy_obj_ref: expected a string, got a number'),
])
def test_a_job_query_with_a_wrong_shape_is_a_clean_error_naming_the_url(em_http, em_settings, items, where):
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(query_page('Job', items)), sort_asc='Name')
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError) as caught:
        with EmClient(em_settings) as em:
            JobsApi(em).list()
    text = str(caught.value)
    assert text.startswith('Enterprise Manager answered something this collection cannot read: GET %s returned HTTP 200' % JOB_QUERY_URL)
    assert where in text


@pytest.mark.parametrize('page', [{'PagingInfo': 'page 1'}, {'PagingInfo': {'PageNum': 'one'}}, ['not', 'a', 'page']])
def test_a_query_page_with_a_wrong_shape_is_a_clean_error(em_http, em_settings, page):
    em_http.expect_logon()
    em_http.expect_query('Job', json_response(page), sort_asc='Name')
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError, match='cannot read'):
        with EmClient(em_settings) as em:
            JobsApi(em).list()


def test_a_task_with_a_wrong_shape_says_the_action_was_accepted(em_http, em_settings):
    broken = task()
    broken['TaskId'] = None
    em_http.expect_logon()
    em_http.expect('POST', '/api/jobs/47752464-8e77-407a-a936-132173ac15f5', {'action': 'start'}, response=json_response(broken, 202))
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError) as caught:
        with EmClient(em_settings) as em:
            em.post_task('jobs/47752464-8e77-407a-a936-132173ac15f5', {'action': 'start'})
    assert 'task_id: expected a non-empty string, got null' in str(caught.value) and 'accepted the request' in str(caught.value)


def test_deeply_nested_json_is_a_clean_error(em_http, em_settings):
    body = b'[' * 200000 + b']' * 200000
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', FakeResponse(200, body, {'Content-Type': 'application/json'}))
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError, match='nested too deeply'):
        with EmClient(em_settings) as em:
            em.get('jobs')


def test_a_body_larger_than_the_limit_is_refused(em_http, em_settings, monkeypatch):
    big = json_response({'Refs': [{'Name': 'x' * 100}] * 20})
    announced = FakeResponse(200, b'{}', {'Content-Length': str(10 ** 12)})
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', big)
    em_http.expect_get('/api/jobs', announced)
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        monkeypatch.setattr(_client, 'MAX_BODY_BYTES', 1024)
        for _answer in range(2):
            with pytest.raises(EmBadResponseError, match='Answer from Enterprise Manager too large'):
                em.get('jobs')
        monkeypatch.undo()
    assert len(em_http.calls) == 4  # a read too large is not retried


def test_shapes_accept_the_reference_examples_and_name_the_place():
    job = copy.deepcopy(job_entity())
    from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys  # pylint: disable=import-outside-toplevel
    assert JOB.check(snake_keys(job), '') is not None
    with pytest.raises(ShapeError) as caught:
        JOB.check({'uid': 'x', 'name': 'y', 'links': [{'rel': 3}]}, 'job')
    assert caught.value.path == 'job.links[0].rel'


def test_links_must_be_a_plain_list():
    with pytest.raises(ShapeError, match=r'job.links: expected a list, got an object'):
        JOB.check({'uid': 'x', 'name': 'y', 'links': {'Link': [{'rel': 'Up'}]}}, 'job')
