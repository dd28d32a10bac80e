# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the backup_jobs_* filters (internal; may change in any release).

The filters decide what the veeamops.em.backup_before_change role does; they take plain data (the results of the
collection's modules and the role's variables) and never read anything else. Wrong input raises
``FilterInputError``, which ``filter_errors`` turns into one AnsibleFilterError naming the filter.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean
from jinja2 import Undefined

SUCCESS = 'Success'
SOURCES = ('names', 'inventory', 'lookup')
POLICIES = ('fail', 'skip')
SKIPPED = ' It is left in the play without a backup (backup_before_change_unprotected=skip).'
NO_INVENTORY = 'the host has no inventory variable veeam_jobs (it does not come from the veeamops.em.veeam_em inventory)'
NOT_LISTED = ('no job includes a VM named "%s"; a VM that a job protects only through a folder, tag, cluster, host,'
              ' resource pool or vApp is not listed in the job, so name its jobs in backup_before_change_jobs')
OTHER_TYPES = 'its jobs %s are not of the types in backup_before_change_job_types (%s)'


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


def choice(value, what, choices):
    """``value`` when it is one of ``choices``."""
    if value not in choices:
        raise FilterInputError('%s must be one of %s, not %r' % (what, ', '.join(choices), value))
    return value


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


def backup_state(ok, check_mode):
    """How the backup of a host went, as the end of "Backup of <host> ...": what would happen in check mode, else what did."""
    if check_mode:
        return 'would run' if ok else 'cannot run as planned'
    return 'succeeded' if ok else 'did not succeed'


def utc_now(value):
    """``now`` as a naive UTC datetime: a datetime (naive ones are UTC), an ISO 8601 string, or None for the clock."""
    if value is None:
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    if isinstance(value, str):
        # Python before 3.11 reads neither Z nor every length of fraction; a fraction of a second does not matter here.
        text = re.sub(r'(:\d\d)\.\d+', r'\1', value.strip()).replace('Z', '+00:00').replace('z', '+00:00')
        try:
            value = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise FilterInputError('now must be a date and time in ISO 8601 format, not %r' % value) from None
    if not isinstance(value, datetime.datetime):
        raise FilterInputError('now must be a date and time, not %s' % type(value).__name__)
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value


def iso_time(moment):
    """A naive UTC datetime as ISO 8601 text to the second, with Z."""
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def _by(tasks, key):
    """{lower-case value of ``key``: task session} (the last task session wins)."""
    return {task[key].lower(): task for task in tasks if isinstance(task.get(key), str)}


def vm_task_of(tasks, refs, vm_name):
    """The VM's own task session in a run: by reference (``refs``) first, then by ``vm_name``; {} when the run does not
    list the VM."""
    by_ref = _by(tasks, 'vm_uid')
    for ref in refs:
        if ref.lower() in by_ref:
            return by_ref[ref.lower()]
    return _by(tasks, 'vm_name').get(str(vm_name).lower(), {})


def why_unprotected(source, other_jobs, job_types, vm_name):
    """Why no job protects the host."""
    if other_jobs:
        return OTHER_TYPES % (', '.join(str(job.get('name')) for job in other_jobs), ', '.join(job_types))
    if source == 'inventory':
        return NO_INVENTORY
    if source == 'lookup':
        return NOT_LISTED % vm_name
    return 'no job'
