# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.backup_jobs_plan: start, running or recent for each job, from its latest run."""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.tests.unit.plugins.filter.backup_jobs_data import job, session, the_filter

NOW = datetime.datetime(2024, 5, 1, 12, 0, 0)
BOTH = ['Success', 'Warning']

plan = the_filter('backup_jobs_plan')


def ended(minutes_ago, result='Success', suffix='.250Z'):
    """A job whose latest run ended ``minutes_ago`` minutes before NOW."""
    end = (NOW - datetime.timedelta(minutes=minutes_ago)).strftime('%Y-%m-%dT%H:%M:%S') + suffix
    return job('Daily', 'a', last_session=session('Daily@1', result=result, end_time=end))


def plan_of(found, **options):
    options.setdefault('now', NOW)
    return plan([found], **options)[0]['plan']


def test_a_job_that_never_ran_starts():
    assert plan_of(job('Daily', 'a', last_session=None), max_age_minutes=60) == 'start'
    assert plan_of(job('Daily', 'a'), max_age_minutes=60) == 'start'


def test_a_running_job_is_followed_whatever_the_max_age():
    running = job('Daily', 'a', last_session=session('Daily@2', state='Working'))
    assert plan_of(running) == 'running'
    assert plan_of(running, max_age_minutes=60) == 'running'


def test_a_recent_successful_run_is_enough():
    assert plan_of(ended(59), max_age_minutes=60) == 'recent'
    assert plan_of(ended(0), max_age_minutes=1) == 'recent'


def test_an_older_run_or_one_exactly_max_age_old_starts_again():
    assert plan_of(ended(61), max_age_minutes=60) == 'start'
    assert plan_of(ended(60, suffix='Z'), max_age_minutes=60) == 'start'


def test_max_age_zero_always_starts():
    assert plan_of(ended(0), max_age_minutes=0) == 'start'
    assert plan_of(ended(0)) == 'start'
    assert plan_of(ended(-5), max_age_minutes=0) == 'start'  # an end time ahead of the controller's clock


@pytest.mark.parametrize('accepted, expected', [(None, 'start'), (['Success'], 'start'), (BOTH, 'recent')])
def test_a_warning_counts_only_when_accepted(accepted, expected):
    assert plan_of(ended(5, 'Warning'), max_age_minutes=60, accepted=accepted) == expected


def test_a_failed_run_never_counts():
    assert plan_of(ended(5, 'Failed'), max_age_minutes=60, accepted=BOTH) == 'start'


@pytest.mark.parametrize('end_time', [None, '', '2024-05-01', '01/05/2024 11:30:00', 1714561800])
def test_a_run_without_a_readable_end_time_has_an_unknown_age_and_starts_again(end_time):
    found = job('Daily', 'a', last_session=dict(session('Daily@1'), end_time=end_time))
    assert plan_of(found, max_age_minutes=60) == 'start'


@pytest.mark.parametrize('now', [
    '2024-05-01T12:00:00', '2024-05-01T12:00:00Z', '2024-05-01T14:00:00+02:00', '2024-05-01 12:00:00.5',
    datetime.datetime(2024, 5, 1, 14, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
])
def test_now_as_text_or_with_an_offset_is_utc(now):
    assert plan_of(ended(59), max_age_minutes=60, now=now) == 'recent'
    assert plan_of(ended(61), max_age_minutes=60, now=now) == 'start'


def test_now_defaults_to_the_clock():
    just_now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    found = job('Daily', 'a', last_session=session('Daily@1', end_time=just_now))
    assert plan([found], max_age_minutes=5)[0]['plan'] == 'recent'
    assert plan([ended(10)], max_age_minutes=60)[0]['plan'] == 'start'  # NOW is long past


def test_each_job_once_in_order_with_the_plan_added_and_the_input_untouched():
    jobs = [ended(5), job('Dev', 'b'), job('Daily again', 'A'), job('Dev', 'b', extra=1)]
    before = copy.deepcopy(jobs)
    result = plan(jobs, max_age_minutes=60, now=NOW)
    assert [(found['name'], found['plan']) for found in result] == [('Daily', 'recent'), ('Dev', 'start')]
    assert result[0] == dict(jobs[0], plan='recent')
    assert jobs == before


def test_numbers_and_accepted_as_text():
    assert plan_of(ended(5, 'Warning'), max_age_minutes='60', accepted='Warning') == 'recent'


def test_in_a_template_with_now_from_ansible():
    from ansible.parsing.dataloader import DataLoader  # pylint: disable=import-outside-toplevel
    from ansible.template import Templar  # pylint: disable=import-outside-toplevel
    try:
        from ansible.template import trust_as_template  # pylint: disable=import-outside-toplevel
    except ImportError:  # ansible-core before 2.19 templates every string
        trust_as_template = str
    just_now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    jobs = [job('Daily', 'a', last_session=session('Daily@1', end_time=just_now)), job('Dev', 'b')]
    templar = Templar(loader=DataLoader(), variables={'jobs': jobs})
    template = "{{ jobs | veeamops.em.backup_jobs_plan(max_age_minutes=30, now=now(utc=true)) | map(attribute='plan') | list }}"
    assert templar.template(trust_as_template(template)) == ['recent', 'start']


@pytest.mark.parametrize('options, message', [
    ({'max_age_minutes': 'an hour'}, "max_age_minutes must be an integer, not 'an hour'"),
    ({'max_age_minutes': True}, 'max_age_minutes must be an integer, not True'),
    ({'now': 'yesterday'}, "now must be a date and time in ISO 8601 format, not 'yesterday'"),
    ({'now': 1714564800}, 'now must be a date and time, not int'),
    ({'accepted': {'Success': True}}, 'accepted must be a list, not dict'),
])
def test_wrong_options_are_a_clear_error(options, message):
    with pytest.raises(AnsibleFilterError, match='^veeamops.em.backup_jobs_plan: ') as caught:
        plan([ended(5)], **options)
    assert message in str(caught.value)


def test_a_last_session_that_is_not_a_dictionary_is_an_error():
    with pytest.raises(AnsibleFilterError, match='the last_session of job "Daily" must be a dictionary, not str'):
        plan([job('Daily', 'a', last_session='Success')], now=NOW)
