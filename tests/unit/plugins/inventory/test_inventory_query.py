# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_inventory_query: the server-side job filter and the client-side selection."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._keys import snake_keys
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_query import JobSelection, job_filter_expr, job_view
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import job_entity


def test_no_filter():
    assert job_filter_expr() is None and job_filter_expr({}, []) is None


def test_fields_values_and_types():
    expr = job_filter_expr({'name': ['A "quoted" job', 'B;C'], 'ScheduleEnabled': False, 'nextrun': datetime.date(2026, 3, 1)},
                           ['Backup', 'Replica'])
    assert str(expr) == ('(Name=="A ""quoted"" job",Name=="B;C");ScheduleEnabled==false;NextRun=="2026-03-01";'
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
        job_filter_expr(filters)


def entity(**changes):
    return snake_keys(job_entity(**changes))


def test_exclude_patterns_are_case_sensitive_shell_patterns():
    selection = JobSelection(['*-test', 'Scratch?'])
    assert [selection.excludes(name) for name in ('web-test', 'web-TEST', 'Scratch1', 'Scratch12', None)] == [True, False, True, False, False]
    assert not selection.needs_view


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
    selection = JobSelection(job_query=expression)
    view = job_view(job, job['job_info']['backup_job_info']['includes']['object_in_jobs'])
    assert selection.needs_view and selection.accepts(view) is kept


def test_job_query_errors():
    with pytest.raises(EmInputError, match='Invalid JMESPath expression in job_query'):
        JobSelection(job_query='[?')
    selection = JobSelection(job_query='length(`1`)')
    with pytest.raises(EmInputError, match='job_query failed on job "Daily VM Backup"'):
        selection.accepts(job_view(entity(), []))
    with pytest.raises(EmInputError, match='slice step cannot be zero'):
        JobSelection(job_query='includes[::0]').accepts(job_view(entity(), []))
