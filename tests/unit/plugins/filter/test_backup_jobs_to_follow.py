# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_to_follow: the runs followed instead of started, and those still going on."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import (
    job, planned, session, start_result, the_filter,
)

RUNNING = planned(job('Dev Backup', 'dev'), 'running')
STARTED = planned(job('Daily', 'daily'), 'start')
RACED = planned(job('DC Backup', 'dc'), 'start')  # started by its schedule between the plan and the start
RECENT = planned(job('Gold', 'gold'), 'recent')
PLAN = [STARTED, RACED, RECENT, RUNNING]
STARTS = [
    start_result(STARTED, changed=True, session=session('Daily@1')),
    start_result(RACED, changed=False, session=session('DC@1', state='Working')),
]

to_follow = the_filter('backup_jobs_to_follow')


def ids(jobs):
    return [found['id'] for found in jobs]


def test_running_jobs_then_jobs_whose_start_found_a_run_going_on():
    assert ids(to_follow(PLAN, STARTS)) == ['dev', 'dc']


def test_without_starts_only_running_jobs():
    assert ids(to_follow(PLAN)) == ['dev']
    assert ids(to_follow(PLAN, [])) == ['dev']


@pytest.mark.parametrize('result', [
    start_result(RACED, changed=True, session=session('DC@1', state='Working')),     # its own run, timed out
    start_result(RACED, changed=False, session=session('DC@1')),                     # a run that has ended
    start_result(RACED, changed=False, session=None),                                # no session
    start_result(RACED, changed=False),
    start_result(RACED, session=session('DC@1', state='Working')),                   # no changed (skipped)
    start_result(RACED, changed='false', session=session('DC@1', state='Working')),  # only a real false counts
    {'ansible_job_id': 'j2', 'changed': False, 'session': session('DC@1', state='Working')},  # no job to follow
])
def test_other_start_results_are_not_followed(result):
    assert ids(to_follow(PLAN, [result])) == ['dev']


def test_with_latest_only_the_runs_still_going_on_remain():
    latest = [job('Dev Backup', 'dev', last_session=session('Dev@1')),
              job('DC Backup', 'dc', last_session=session('DC@1', state='Working')),
              job('DC Backup', 'other-dc', last_session=session('DC@9'))]
    assert ids(to_follow(PLAN, STARTS, latest=latest)) == ['dc']


def test_a_followed_job_missing_from_latest_or_without_a_run_is_done():
    assert to_follow(PLAN, STARTS, latest=[job('Dev Backup', 'dev', last_session=None)]) == []
    assert to_follow(PLAN, STARTS, latest=[]) == []


def test_nothing_to_follow():
    assert to_follow([STARTED, RECENT], STARTS[:1]) == []


@pytest.mark.parametrize('options, message', [
    ({'started': {'results': []}}, 'started must be a list, not dict'),
    ({'latest': 'Dev Backup'}, 'latest must be a list, not str'),
])
def test_wrong_input_is_a_clear_error(options, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_to_follow: ') as caught:
        to_follow(PLAN, **options)
    assert message in str(caught.value)
