# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory's job selection: the server-side filter (JobCriteria.from_filters) and the client-side JobSelection."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._jobs import AGENT, JobCriteria
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_query import JobSelection
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import job_entity


def filter_text(job_filters=None, job_types=None, kind='vm'):
    expr = JobCriteria.from_filters(job_filters, job_types, kind).filter_expr()
    return None if expr is None else str(expr)


def test_no_filter():
    assert filter_text() is None and filter_text({}, []) is None


def test_fields_values_and_types():
    text = filter_text({'name': ['A "quoted" job', 'B;C'], 'ScheduleEnabled': False, 'nextrun': datetime.date(2026, 3, 1)},
                       ['Backup', 'Replica'])
    assert text == ('(Name=="A ""quoted"" job",Name=="B;C");ScheduleEnabled==false;NextRun=="2026-03-01";'
                    '(JobType==Backup,JobType==Replica)')


@pytest.mark.parametrize('filters, message', [
    ({'Colour': 'x'}, 'Unknown field in job_filters'),
    ({'Name': []}, 'Invalid value in job_filters'),
    ({'Name': None}, 'Invalid value in job_filters'),
    ({'Name': [{'a': 1}]}, 'Invalid value in job_filters'),
    (['Name'], 'Invalid value for option job_filters'),
])
def test_bad_filters(filters, message):
    with pytest.raises(EmInputError, match=message):
        filter_text(filters)


def test_fields_are_those_of_the_kind():
    assert filter_text({'JobType': 'AgentBackup'}, kind=AGENT) == 'JobType==AgentBackup'
    with pytest.raises(EmInputError, match='use one of UID, Name, Description, JobType') as caught:
        filter_text({'JobType': 'x', 'Nonsense': 1}, kind=AGENT)
    assert 'NextRun' not in str(caught.value)  # a field of VM jobs, not of agent jobs
    with pytest.raises(EmInputError, match='Unknown field in job_filters'):
        filter_text({'NextRun': '2026-03-01'}, kind=AGENT)


def entity(**changes):
    return snake_keys(job_entity(**changes))


def includes_of(job):
    return job['job_info']['backup_job_info']['includes']['object_in_jobs']


def test_exclude_patterns_are_case_sensitive_shell_patterns():
    selection = JobSelection(['*-test', 'Scratch?'])
    assert [selection.excludes(name) for name in ('web-test', 'web-TEST', 'Scratch1', 'Scratch12', None)] == [True, False, True, False, False]
    assert selection.accepts(entity(), [], [])  # no job_query: every job is kept


@pytest.mark.parametrize('expression, kept', [
    ("job_type == 'Backup'", True),
    ("job_type == 'Replica'", False),
    ('`0`', True),
    ("''", False),
    ('`[]`', False),
    ('`{}`', False),
    ('no_such_key', False),
    ("schedule.daily.enabled && backup_server.name == 'vbr01.lab.local'", True),
    ("includes[?object_type == 'Folder'] | [0].name", True),
])
def test_job_query_uses_jmespath_truth(expression, kept):
    job = entity()
    assert JobSelection(job_query=expression).accepts(job, includes_of(job), []) is kept


def test_job_query_errors():
    with pytest.raises(EmInputError, match='Invalid JMESPath expression in option job_query'):
        JobSelection(job_query='[?')
    selection = JobSelection(job_query='length(`1`)')
    with pytest.raises(EmInputError, match='option job_query failed on job "Daily VM Backup"'):
        selection.accepts(entity(), [], [])
    with pytest.raises(EmInputError, match='slice step cannot be zero'):
        JobSelection(job_query='includes[::0]').accepts(entity(), [], [])
