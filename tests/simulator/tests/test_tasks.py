# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tasks that vanish while a client polls them [O: mph; tasks.md]: the record goes, the operation does not."""

from __future__ import annotations

import pytest

from conftest import DAILY, REPLICA, wait_for
from test_lifecycle import assert_no_such_task

MESSAGE_XML = b'Message="There is no backup task with id [task-9] in current rest session"'


def test_unknown_task_is_500_in_both_media(admin):
    assert_no_such_task(admin.get('/tasks/task-9'), 'task-9')
    response = admin.get('/tasks/task-9', media='xml')
    assert response.status_code == 500 and MESSAGE_XML in response.content


def test_vanish_every_task_the_run_still_starts(admin):
    task = admin.action(f'/jobs/{DAILY}?action=start')
    assert admin.sim.control('POST', '/tasks/vanish', {})['vanished'] == 1
    assert_no_such_task(admin.get(task['Href']), 'task-1')
    assert admin.json('/tasks')['Tasks'] == []
    wait_for(lambda: admin.sim.control('GET', f'/jobs/{DAILY}')['sessions'][0]['state'] != 'Stopped', what='the run to start')
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['counts']['start'] == 1


def test_vanish_by_session_and_by_task_id(sim):
    first, second = sim.logon(), sim.logon()
    for client in (first, second):
        client.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')
        client.action(f'/jobs/{REPLICA}?action=toggleScheduleEnabled')
    assert sim.control('POST', '/tasks/vanish', {'session_id': first.session_id})['vanished'] == 2
    assert first.json('/tasks')['Tasks'] == [] and len(second.json('/tasks')['Tasks']) == 2
    assert sim.control('POST', '/tasks/vanish', {'task_id': 'task-2'})['vanished'] == 1
    assert [task['TaskId'] for task in second.json('/tasks')['Tasks']] == ['task-1']
    assert sim.control('POST', '/tasks/vanish', {'task_id': 'task-7'})['vanished'] == 0


@pytest.mark.parametrize('body', [{'task_id': 1}, {'session_id': ['x']}])
def test_vanish_validation(sim, body):
    assert 'error' in sim.control('POST', '/tasks/vanish', body, expect=400)


def test_task_vanishes_after_n_polls_but_its_effect_happens(admin):
    admin.sim.control('POST', '/config', {'task_vanish_after_polls': 2, 'task_duration': 1000})
    task = admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')
    assert admin.json(task['Href'])['State'] == 'Running'
    assert admin.json(task['Href'])['State'] == 'Running'  # the second read still answers
    assert_no_such_task(admin.get(task['Href']), 'task-1')
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['schedule_enabled'] is True
    admin.sim.control('POST', '/advance', {'seconds': 1000})
    assert admin.sim.control('GET', f'/jobs/{DAILY}')['schedule_enabled'] is False


def test_task_list_reads_do_not_count_and_reset_restores_the_setting(admin):
    admin.sim.control('POST', '/config', {'task_vanish_after_polls': 1})
    task = admin.action(f'/jobs/{DAILY}?action=toggleScheduleEnabled')
    for _repeat in range(3):
        assert len(admin.json('/tasks')['Tasks']) == 1
    assert admin.get(task['Href']).status_code == 200
    assert admin.get(task['Href']).status_code == 500
    for bad in ({'task_vanish_after_polls': -1}, {'task_vanish_after_polls': 1.5}, {'task_vanish_after_polls': True}):
        assert 'error' in admin.sim.control('POST', '/config', bad, expect=400)
    admin.sim.control('POST', '/reset')
    assert admin.sim.control('GET', '/config')['task_vanish_after_polls'] == 0
