# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the backup_jobs_* filters (internal; may change in any release).

The filters decide what the veeamops.em.backup_before_change role does; they take plain data (the results of the
collection's modules and the role's variables) and never read anything else. Wrong input raises
``FilterInputError``, which ``filter_errors`` turns into one AnsibleFilterError naming the filter.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean
from jinja2 import Undefined

SUCCESS = 'Success'


class FilterInputError(ValueError):
    """An argument of a filter that it cannot use; the message says which and why."""


def fail_if_undefined(values):
    """Fail on the first undefined value as Jinja does: ansible-core before 2.19 calls filters with undefined
    arguments, which would otherwise be reported as values of the wrong type instead of by their name."""
    for value in values:
        if isinstance(value, Undefined):
            str(value)  # a StrictUndefined, which ansible-core passes, raises "'<name>' is undefined"
            raise FilterInputError('an argument is undefined')


def filter_errors(name):
    """Decorate a filter function so that a FilterInputError becomes ``AnsibleFilterError('veeamops.em.<name>: ...')``."""
    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            try:
                fail_if_undefined(list(args) + list(kwargs.values()))
                return function(*args, **kwargs)
            except FilterInputError as exc:
                raise AnsibleFilterError('veeamops.em.%s: %s' % (name, exc)) from None
        return wrapper
    return decorate


def items(value, what):
    """``value`` as a list (None is empty); anything else than a list or tuple is an error naming ``what``."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    raise FilterInputError('%s must be a list, not %s' % (what, type(value).__name__))


def mappings(value, what):
    """The dictionaries of the list ``value``; any other element is an error naming ``what``."""
    found = items(value, what)
    for element in found:
        if not isinstance(element, Mapping):
            raise FilterInputError('every element of %s must be a dictionary, not %s' % (what, type(element).__name__))
    return found


def mapping(value, what):
    """``value`` as a dictionary (None is empty)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return value
    raise FilterInputError('%s must be a dictionary, not %s' % (what, type(value).__name__))


def text_list(value, what):
    """A list of strings, as given (a single string is a list of one)."""
    if isinstance(value, str):
        return [value]
    return [str(element) for element in items(value, what)]


def flag(value, what):
    """A boolean option; accepts what Ansible accepts as a boolean (V(yes), V(true), V(1)...)."""
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise FilterInputError('%s must be a boolean, not %r' % (what, value)) from None


def number(value, what):
    """An integer option (a string of digits is accepted, as Ansible's int filter does)."""
    if isinstance(value, bool):
        raise FilterInputError('%s must be an integer, not %r' % (what, value))
    try:
        return int(value)
    except (TypeError, ValueError):
        raise FilterInputError('%s must be an integer, not %r' % (what, value)) from None


def accepted_results(value):
    """The run results that count as a backup; V(Success) when not given."""
    return [SUCCESS] if value is None else text_list(value, 'accepted')


def same_text(left, right):
    """Whether two names are equal without regard to case (False when either is not a string)."""
    if not isinstance(left, str) or not isinstance(right, str):
        return False
    return re.fullmatch(re.escape(right), left, re.IGNORECASE) is not None


def server_name(value):
    """The backup server's name of a job or an entry: ``{'name': ...}`` or the name itself ('' when there is none)."""
    if isinstance(value, Mapping):
        value = value.get('name')
    return '' if value is None else str(value)


def unique_by_id(jobs):
    """The jobs in their order, each id once (the first). Ids are GUIDs, compared without regard to case."""
    seen = set()
    unique = []
    for job in jobs:
        key = job.get('id')
        key = key.lower() if isinstance(key, str) else key
        if key not in seen:
            seen.add(key)
            unique.append(job)
    return unique


def index_by_id(entries, id_of):
    """{id: first entry with that id} for the entries whose ``id_of(entry)`` is not None."""
    index = {}
    for entry in entries:
        key = id_of(entry)
        if key is not None and key not in index:
            index[key] = entry
    return index


def dig(value, *keys):
    """``value[k1][k2]...`` through dictionaries, or None where a level is missing or not a dictionary."""
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def label(job):
    """``Job "<name>" (<backup server>)``, how messages name a job."""
    return 'Job "%s" (%s)' % (job.get('name'), server_name(job.get('backup_server')))
