# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job selection of the veeam_em inventory (internal; may change in any release).

The server-side part (``job_filters``, ``job_types``) is a ``JobCriteria`` of the jobs API
(``JobCriteria.from_filters``). ``JobSelection`` applies the client-side choices to each job the query
returned: ``exclude_job_names`` patterns and the ``job_query`` JMESPath expression, which sees the job as
``veeam_job_info`` describes it with its schedule and includes.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from ansible_collections.veeamops.em.plugins.module_utils._jmespath import compile_expression
from ansible_collections.veeamops.em.plugins.module_utils._normalize import describe_job

VIEW_DETAILS = frozenset(('schedule', 'includes'))


class JobSelection:
    """Client-side job selection: drop jobs whose name matches an ``exclude_job_names`` pattern, keep those ``job_query`` accepts."""

    def __init__(self, exclude_job_names=None, job_query=None):
        self.exclude_patterns = [str(pattern) for pattern in exclude_job_names or []]
        self.expression = compile_expression(job_query, 'job_query')

    def excludes(self, name):
        """True when the job name matches one of the ``exclude_job_names`` patterns (shell-style, case-sensitive)."""
        return any(fnmatchcase(str(name or ''), pattern) for pattern in self.exclude_patterns)

    def accepts(self, job, includes, linked):
        """True when ``job_query`` (if any) is true for the job as ``veeam_job_info`` describes it with schedule and includes."""
        if self.expression is None:
            return True
        view = describe_job(job, VIEW_DETAILS, includes, linked)
        return self.expression.accepts(view, 'job "%s"' % view.get('name'))
