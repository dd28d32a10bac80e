# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy of reads (how many attempts, which pauses, which failures count as transient) and what an action's unreadable answer says."""

from __future__ import annotations

import pytest

from ansible_collections.veeamops.em.plugins.module_utils import _client
from ansible_collections.veeamops.em.plugins.module_utils._errors import OUTCOME_ACCEPTED, EmApiError, EmBadResponseError, EmConnectionError
from ansible_collections.veeamops.em.plugins.module_utils._client import CONNECT_RETRIES, DEFAULT_RETRIES, MAX_BACKOFF, EmClient
from ansible_collections.veeamops.em.plugins.module_utils._settings import EmSettings
from ansible_collections.veeamops.em.tests.unit.utils.em_http import (
    PASSWORD,
    USERNAME,
    FakeResponse,
    connection_refused,
    connection_reset,
    error_response,
    json_response,
    name_not_resolved,
    truncated_body,
)

JOBS = {'Refs': [], 'Links': []}
# 0.5 s doubling up to the cap, at the full pause (the em_http fixture fixes the jitter at 1.0).
FULL_PAUSES = [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0]


def test_the_policy_makes_a_quarter_of_failed_requests_survivable():
    # The fault suite injects 20 % HTTP 503 and then 5 % resets: 0.24 of all attempts fail. One read fails only when
    # every attempt fails; the suite's forty runs send about a hundred reads.
    per_read = 0.24 ** (DEFAULT_RETRIES + 1)
    assert per_read < 2e-7
    assert 1 - (1 - per_read) ** 100 < 2e-5
    assert sum(FULL_PAUSES[:DEFAULT_RETRIES]) <= 60 and CONNECT_RETRIES == 3


def test_transient_failures_are_retried_ten_times_with_growing_pauses(em_http, em_settings):
    em_http.expect_logon()
    transient = [{'raises': connection_reset()}, {'response': error_response(503, 'Busy')}, {'raises': truncated_body()},
                 {'response': error_response(502)}, {'response': error_response(504)}]
    for attempt in range(DEFAULT_RETRIES):
        em_http.expect('GET', '/api/jobs', **transient[attempt % len(transient)])
    em_http.expect_get('/api/jobs', json_response(JOBS))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        assert em.get('jobs') == {'refs': [], 'links': []}
    assert em_http.sleeps == FULL_PAUSES
    assert (em.request_count, em.retry_count) == (DEFAULT_RETRIES + 3, DEFAULT_RETRIES)


@pytest.mark.parametrize('answer, error', [
    ({'raises': connection_reset()}, EmConnectionError),
    ({'raises': truncated_body()}, EmBadResponseError),
    ({'response': error_response(503, 'Busy')}, EmApiError),
])
def test_the_eleventh_transient_failure_is_reported(em_http, em_settings, answer, error):
    em_http.expect_logon()
    for _attempt in range(DEFAULT_RETRIES + 1):
        em_http.expect('GET', '/api/jobs', **answer)
    em_http.expect_logoff()
    with pytest.raises(error) as caught:
        with EmClient(em_settings) as em:
            em.get('jobs')
    assert em.retry_count == DEFAULT_RETRIES and '/api/jobs' in str(caught.value)


@pytest.mark.parametrize('failure', [connection_refused, name_not_resolved])
def test_nothing_answering_is_retried_three_times_only(em_http, em_settings, failure):
    for _attempt in range(CONNECT_RETRIES + 1):
        em_http.expect_logon(raises=failure())
    with pytest.raises(EmConnectionError):
        with EmClient(em_settings):
            pass
    assert em_http.sleeps == FULL_PAUSES[:CONNECT_RETRIES]


def test_a_refusal_after_transient_failures_ends_the_retries(em_http, em_settings):
    em_http.expect_logon()
    for _attempt in range(CONNECT_RETRIES):
        em_http.expect_get('/api/jobs', error_response(503, 'Busy'))
    em_http.expect_get('/api/jobs', None, raises=connection_refused())
    em_http.expect_logoff()
    with pytest.raises(EmConnectionError, match='Connection refused'):
        with EmClient(em_settings) as em:
            em.get('jobs')
    assert len(em_http.sleeps) == CONNECT_RETRIES


def test_pauses_are_shortened_by_up_to_half_at_random(em_http, em_settings, monkeypatch):
    shares = iter([0.5, 0.75, 0.99])
    em_http.expect_logon()
    for _attempt in range(3):
        em_http.expect_get('/api/jobs', error_response(503, 'Busy'))
    em_http.expect_get('/api/jobs', json_response(JOBS))
    em_http.expect_logoff()
    with EmClient(em_settings, jitter=lambda: next(shares)) as em:
        em.get('jobs')
    assert em_http.sleeps == [0.25, 0.75, 1.98]


def test_the_default_jitter_stays_between_half_and_all_of_the_pause():
    shares = [_client.retry_jitter() for _draw in range(2000)]
    assert all(0.5 <= share < 1.0 for share in shares)
    assert min(shares) < 0.55 and max(shares) > 0.95  # spread over the whole range, not a constant


def test_no_pause_exceeds_the_cap(em_http, em_settings):
    em_http.expect_logon()
    for _attempt in range(DEFAULT_RETRIES):
        em_http.expect_get('/api/jobs', error_response(503, 'Busy', headers={'Retry-After': '3600'}))
    em_http.expect_get('/api/jobs', json_response(JOBS))
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        em.get('jobs')
    assert em_http.sleeps == [MAX_BACKOFF] * DEFAULT_RETRIES


def test_a_dropped_plain_http_connection_is_retried_three_times_only(em_http):
    em_http.origin = 'http://em01.lab.local:9398'
    settings = EmSettings('http://em01.lab.local:9398', USERNAME, PASSWORD)
    for _attempt in range(CONNECT_RETRIES + 1):
        em_http.expect_logon(raises=connection_reset())
    with pytest.raises(EmConnectionError, match='use an https:// URL'):
        with EmClient(settings):
            pass
    assert em_http.sleeps == FULL_PAUSES[:CONNECT_RETRIES]


@pytest.mark.parametrize('body', [b'{"TaskId": "task-1", "State": "Runn', b'\x00\xff<<< corrupted >>>\xfe'])
def test_an_unreadable_answer_to_an_action_says_it_was_accepted(em_http, em_settings, body):
    path = '/api/jobs/47752464-8e77-407a-a936-132173ac15f5'
    em_http.expect_logon()
    em_http.expect('POST', path, {'action': 'start'}, response=FakeResponse(202, body, {'Content-Type': 'application/json'}))
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError) as caught:
        with EmClient(em_settings) as em:
            em.request('POST', path[len('/api/'):], params={'action': 'start'})
    assert caught.value.outcome == OUTCOME_ACCEPTED and [call.method for call in em_http.calls].count('POST') == 2
    assert 'accepted the request, but its answer could not be read; it was not repeated' in str(caught.value)


def test_an_unreadable_answer_to_a_read_has_no_outcome(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', FakeResponse(200, b'{"Refs": [', {'Content-Type': 'application/json'}))
    em_http.expect_logoff()
    with pytest.raises(EmBadResponseError, match='ends early') as caught:
        with EmClient(em_settings) as em:
            em.get('jobs')
    assert caught.value.outcome is None
