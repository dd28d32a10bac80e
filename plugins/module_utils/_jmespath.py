# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JMESPath options (``query`` of the info modules, ``job_query`` of the inventory): one way to compile and to
evaluate them, with clean input errors (internal; may change in any release)."""

from __future__ import annotations

from ._errors import EmInputError, one_line
from ._imports import HAS_JMESPATH, jmespath


class Expression:
    """A compiled JMESPath expression of option ``option``; ``search(data, what)`` evaluates it."""

    def __init__(self, text, option):
        self.option = option
        if not HAS_JMESPATH:
            raise EmInputError('Option %s needs the Python package jmespath' % option,
                               hint='install jmespath where the task runs (pip install jmespath)')
        try:
            self._compiled = jmespath.compile(str(text))
        except jmespath.exceptions.JMESPathError as exc:
            raise EmInputError('Invalid JMESPath expression in option %s' % option, reason=one_line(exc)) from None

    def search(self, data, what):
        """The result of the expression on ``data``; an EmInputError naming ``what`` when it fails on the data."""
        try:
            return self._compiled.search(data)
        except (ValueError, TypeError) as exc:  # JMESPath errors are ValueErrors; so is a slice step of 0
            raise EmInputError('The JMESPath expression in option %s failed on %s' % (self.option, what), reason=one_line(exc),
                               hint='check the functions and types in the expression against the data it runs on') from None

    def accepts(self, data, what):
        """True when the expression is true for ``data`` in JMESPath terms (not null, false, or an empty string, list or object)."""
        value = self.search(data, what)
        return not (value is None or value is False or (isinstance(value, (str, list, dict)) and not value))


def compile_expression(text, option):
    """An Expression for a non-empty ``text``, else None."""
    return Expression(text, option) if text else None


def with_query_result(result, expression, key, what):
    """``result`` of an info module, with ``query_result`` (``expression`` on ``result[key]``) when there is an expression."""
    if expression is not None:
        result['query_result'] = expression.search(result[key], what)
    return result
