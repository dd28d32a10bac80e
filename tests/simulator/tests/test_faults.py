# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection through ``/_sim/faults``: latency, 5xx, resets, expiry, slow, malformed and truncated bodies."""

from __future__ import annotations

import json
import time

import pytest
import requests

from conftest import DAILY


def faults(sim, **settings):
    return sim.control('POST', '/faults', settings)


def test_latency(admin):
    faults(admin.sim, latency_ms=150)
    started = time.monotonic()
    assert admin.get('/jobs').status_code == 200
    assert time.monotonic() - started >= 0.15
    assert admin.sim.control('GET', '/health')['ok']  # control calls are never delayed or failed


def test_error_rate_before_does_not_apply_the_action(admin):
    faults(admin.sim, error_rate=1.0, error_status=503, methods=['POST'])
    response = admin.post(f'/jobs/{DAILY}?action=start')
    assert response.status_code == 503
    assert response.json()['StatusCode'] == 503 and response.json()['Message']
    assert admin.get('/jobs').status_code == 200  # GET not selected
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['start'] == 0
    assert admin.sim.control('GET', '/faults')['injected'] == 1


def test_error_after_applies_the_action_but_hides_the_answer(admin):
    faults(admin.sim, error_rate=1.0, error_status=502, phase='after', path_regex=r'/jobs/[^/]+$')
    assert admin.post(f'/jobs/{DAILY}?action=start').status_code == 502
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['start'] == 1
    assert admin.sim.control('GET', '/requests')['log'][-1]['status'] == 502


def test_reset_rate(admin):
    faults(admin.sim, reset_rate=1.0, count=1)
    with pytest.raises(requests.ConnectionError):
        admin.get('/jobs')
    assert admin.get('/jobs').status_code == 200  # count=1: cleared after one request
    assert admin.sim.control('GET', '/faults')['active'] is False


def test_expire_rate(admin):
    faults(admin.sim, expire_rate=1.0, count=1)
    assert admin.get('/jobs').status_code == 401
    assert admin.sim.control('GET', '/logon_sessions')['open'] == 0


def test_slow_body_arrives_whole(admin):
    faults(admin.sim, slow_body_ms=300)
    started = time.monotonic()
    response = admin.get(f'/jobs/{DAILY}?format=Entity')
    assert time.monotonic() - started >= 0.3
    assert response.json()['Name'] == 'Daily VM Backup'
    with pytest.raises((requests.exceptions.ReadTimeout, requests.ConnectionError)):  # timed out inside the body
        admin.get('/jobs', timeout=0.1)


def test_malformed_body(admin):
    faults(admin.sim, malformed_rate=1.0, count=1)
    response = admin.get(f'/jobs/{DAILY}?format=Entity')
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.content)


def test_truncated_body(admin):
    faults(admin.sim, truncate_rate=1.0, count=1)
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        admin.get(f'/jobs/{DAILY}?format=Entity')
    assert admin.get(f'/jobs/{DAILY}').status_code == 200


def test_seeded_rates_repeat(admin):
    def statuses():
        faults(admin.sim, error_rate=0.5, seed=7)
        result = [admin.get(f'/jobs/{DAILY}').status_code for _repeat in range(12)]
        admin.sim.control('DELETE', '/faults')
        return result
    first = statuses()
    assert first == statuses()
    assert set(first) == {200, 503}


def test_path_regex_and_methods_select_requests(admin):
    faults(admin.sim, error_rate=1.0, path_regex='/api/query', methods=['GET'])
    assert admin.get('/query?type=Job').status_code == 503
    assert admin.get('/jobs').status_code == 200


@pytest.mark.parametrize('settings', [
    {'error_rate': 2}, {'latency_ms': -1}, {'error_status': 200}, {'methods': 'GET'}, {'path_regex': '('}, {'count': 0},
    {'phase': 'during'}, {'flood': True},
])
def test_bad_fault_settings(sim, settings):
    assert 'error' in sim.control('POST', '/faults', settings, expect=400)


def test_delete_clears(sim):
    faults(sim, error_rate=1.0)
    assert sim.control('GET', '/faults')['active'] is True
    assert sim.control('DELETE', '/faults')['active'] is False
    assert sim.raw('GET', '/api/').status_code == 200
