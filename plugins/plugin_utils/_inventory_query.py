# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job selection of the veeam_em inventory (internal; may change in any release).

``job_filter_expr`` builds the query-service filter (evaluated by Enterprise Manager); ``JobSelection``
applies the client-side choices (``exclude_job_names`` patterns and the ``job_query`` JMESPath
expression) to each job entity the query returned.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._imports import HAS_JMESPATH, jmespath
from ansible_collections.veeamops.em.plugins.module_utils._normalize import normalize_include, normalize_job, normalize_schedule
from ansible_collections.veeamops.em.plugins.module_utils._query import all_of, one_of

# Filter fields of ``GET /api/query?type=Job`` (reference: query.md, "Filter/sort fields").
JOB_FILTER_FIELDS = ('UID', 'Name', 'Description', 'NextRun', 'JobType', 'Platform', 'ScheduleConfigured', 'ScheduleEnabled',
                     'BackupServerUid', 'BackupServerName')
JOB_TYPES = ('Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy')
_FIELDS_BY_LOWER = {field.lower(): field for field in JOB_FILTER_FIELDS}
_SCALARS = (str, int, float, bool)


def _filter_values(field, value):
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    if not values:
        raise EmInputError('Invalid value in job_filters', reason='%s has an empty list' % field, hint='give at least one value or drop the entry')
    for item in values:
        if item is None or isinstance(item, dict):
            raise EmInputError('Invalid value in job_filters', reason='%s: %r is not a string, number or boolean' % (field, item),
                               hint='give a value or a list of values; a list matches any of its values')
    return [item if isinstance(item, _SCALARS) else str(item) for item in values]


def job_filter_expr(job_filters=None, job_types=None):
    """The ``filter`` of the job query: every ``job_filters`` entry AND ``job_types``; a list value matches any of its items."""
    if job_filters is not None and not isinstance(job_filters, dict):
        raise EmInputError('Invalid value for option job_filters', reason='expected a mapping of job query fields to values')
    terms = []
    for key, value in (job_filters or {}).items():
        field = _FIELDS_BY_LOWER.get(str(key).lower())
        if field is None:
            raise EmInputError('Unknown field in job_filters', reason=str(key), hint='use one of %s' % ', '.join(JOB_FILTER_FIELDS))
        terms.append(one_of(field, _filter_values(field, value)))
    if job_types:
        terms.append(one_of('JobType', list(job_types)))
    return all_of(*terms)


def _jmespath_true(value):
    """JMESPath truth: false, null, and empty strings, lists and objects are false; everything else (0 included) is true."""
    return not (value is None or value is False or (isinstance(value, (str, list, dict)) and not value))


def job_view(entity, includes):
    """What ``job_query`` sees: the job summary of veeam_job_info plus ``schedule`` and ``includes`` (``includes`` are raw objects in job)."""
    view = normalize_job(entity)
    view['schedule'] = normalize_schedule(entity)
    view['includes'] = [normalize_include(obj) for obj in includes if isinstance(obj, dict)]
    return view


class JobSelection:
    """Client-side job selection: drop jobs whose name matches an ``exclude_job_names`` pattern, keep those ``job_query`` accepts."""

    def __init__(self, exclude_job_names=None, job_query=None):
        self.exclude_patterns = [str(pattern) for pattern in exclude_job_names or []]
        self.expression = None
        if job_query:
            if not HAS_JMESPATH:
                raise EmInputError('job_query needs the Python package jmespath', hint='install jmespath on the controller (pip install jmespath)')
            try:
                self.expression = jmespath.compile(str(job_query))
            except jmespath.exceptions.JMESPathError as exc:
                raise EmInputError('Invalid JMESPath expression in job_query', reason=str(exc).replace('\n', ' ')) from None

    @property
    def needs_view(self):
        """True when ``accepts`` has an expression to evaluate (building the view costs a little per job)."""
        return self.expression is not None

    def excludes(self, name):
        """True when the job name matches one of the ``exclude_job_names`` patterns (shell-style, case-sensitive)."""
        return any(fnmatchcase(str(name or ''), pattern) for pattern in self.exclude_patterns)

    def accepts(self, view):
        """True when ``job_query`` (if any) is true for the job view (see ``job_view``)."""
        if self.expression is None:
            return True
        try:
            return _jmespath_true(self.expression.search(view))
        except (ValueError, TypeError) as exc:  # JMESPath errors are ValueErrors; so is a slice step of 0
            raise EmInputError('job_query failed on job "%s"' % view.get('name'), reason=str(exc).replace('\n', ' ')) from None
