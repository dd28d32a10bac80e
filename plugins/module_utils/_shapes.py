# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shapes of what Enterprise Manager answers, checked where the data enters (internal; may change in any release).

Everything Enterprise Manager returns is untrusted: a list item that is not an object, a name that is a
number, a ``JobInfo`` that is a string would otherwise fail deep inside the code that reads it, as a
traceback. ``EmClient`` checks every answer against the shape its caller names (``get(..., shape=)``,
``items(..., shape=)``) or the shape of the query type (``query()``), once, before anyone reads it. A
mismatch is an ``EmBadResponseError`` that names the URL and the place in the answer.

A shape lists only the keys the collection reads (snake_case, as ``_keys`` decodes them); other keys pass
unchecked. ``None`` (JSON null, or an absent key) is accepted for every key unless the key is required.
"""

from __future__ import annotations

_LIST_CONTAINERS = ('refs', 'entities', 'resources')


class ShapeError(ValueError):
    """Where the answer does not have the expected shape (``path``) and what was found there."""

    def __init__(self, path, expected, value):
        self.path = path
        super().__init__('%s: expected %s, got %s' % (path or 'the answer', expected, describe(value)))


def describe(value):
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'a boolean'
    if isinstance(value, (int, float)):
        return 'a number'
    if isinstance(value, str):
        return 'a string'
    if isinstance(value, list):
        return 'a list'
    if isinstance(value, dict):
        return 'an object'
    return type(value).__name__


class Spec:
    """One value's rule: ``check(value, path)`` returns the value or raises ShapeError."""

    expected = 'a value'

    def __init__(self, required=False):
        self.required = required

    def check(self, value, path):
        if value is None:
            if self.required:
                raise ShapeError(path, self.expected, value)
            return value
        if not self.accepts(value):
            raise ShapeError(path, self.expected, value)
        return self.inner(value, path)

    def accepts(self, value):  # pylint: disable=unused-argument
        return True

    def inner(self, value, path):  # pylint: disable=unused-argument
        return value


class Text(Spec):
    expected = 'a string'

    def accepts(self, value):
        return isinstance(value, str)


class RequiredText(Text):
    """A string that is present and not empty (names and UIDs that identify something)."""

    expected = 'a non-empty string'

    def __init__(self):
        super().__init__(required=True)

    def accepts(self, value):
        return isinstance(value, str) and value != ''


class Number(Spec):
    expected = 'a number'

    def accepts(self, value):
        return isinstance(value, (int, float)) and not isinstance(value, bool)


class Flag(Spec):
    expected = 'a boolean'

    def accepts(self, value):
        return isinstance(value, bool)


class Shape(Spec):
    """An object whose listed keys follow their specs."""

    expected = 'an object'

    def __init__(self, name, fields=None, required=False, values=None):
        super().__init__(required)
        self.name = name
        self.fields = fields or {}
        self.values = values  # a spec every value must follow (for mappings with free keys, such as JobInfo)

    def accepts(self, value):
        return isinstance(value, dict)

    def inner(self, value, path):
        for key, spec in self.fields.items():
            spec.check(value.get(key), _join(path, key))
        if self.values is not None:
            for key, item in value.items():
                self.values.check(item, _join(path, key))
        return value


class Items(Spec):
    """A list, or a rule-7 list wrapper (``{"ObjectInJobs": [...]}``), of items that follow ``item``.

    ``wrapped=False``: a plain list only (``Links`` are plain arrays in JSON [O]).
    """

    expected = 'a list'

    def __init__(self, item, required=False, wrapped=True):
        super().__init__(required)
        self.item = item
        self.wrapped = wrapped

    def accepts(self, value):
        return isinstance(value, list) or (self.wrapped and isinstance(value, dict))

    def inner(self, value, path):
        for index, (item_path, item) in enumerate(_wrapped(value, path)):
            self.item.check(item, '%s[%d]' % (item_path, index))
        return value


def _join(path, key):
    return '%s.%s' % (path, key) if path else key


def _wrapped(value, path):
    """``(path, item)`` of every item of a list or of the lists inside a wrapper object."""
    if isinstance(value, list):
        return [(path, item) for item in value]
    found = []
    for key, child in value.items():
        if isinstance(child, list) and key != 'links':
            found.extend((_join(path, key), item) for item in child)
        elif child is not None and not isinstance(child, list):
            raise ShapeError(_join(path, key), 'a list', child)
    return found


# --- the building blocks ----------------------------------------------------------------------------

LINK = Shape('Link', {'rel': Text(), 'href': Text(), 'name': Text(), 'type': Text()})
LINKS = Items(LINK, wrapped=False)


def entity(name, fields, identified=True):
    """An entity: ``uid`` (required when ``identified``), ``name``, ``href``, ``type`` and ``links``, plus ``fields``."""
    common = {'uid': RequiredText() if identified else Text(), 'name': Text(), 'href': Text(), 'type': Text(), 'links': LINKS}
    common.update(fields)
    return Shape(name, common)


OBJECT_IN_JOB = Shape('ObjectInJob', {'object_in_job_id': Text(), 'hierarchy_obj_ref': Text(), 'name': Text(), 'display_name': Text(),
                                      'href': Text(), 'links': LINKS})
LINKED_JOB = Shape('LinkedJobObject', {'object_in_job_id': Text(), 'linked_job_uid': Text()})
JOB_INFO_VARIANT = Shape('JobInfo variant', {'includes': Items(OBJECT_IN_JOB), 'linked_job_includes': Items(LINKED_JOB)})
JOB_INFO = Shape('JobInfo', values=JOB_INFO_VARIANT)
DAYS = Items(Shape('Day', {'name': Text(), 'value': Text()}))
SCHEDULE_BODY = Shape('Standart', {
    'options_daily': Shape('OptionsDaily', {'enabled': Flag(), 'kind': Text(), 'time': Text(), 'time_offset_utc': Number(),
                                            'days': Items(Text())}),
    'options_monthly': Shape('OptionsMonthly', {'enabled': Flag(), 'time': Text(), 'time_offset_utc': Number(),
                                                'day_number_in_month': Text(), 'day_of_week': Text(), 'day_of_month': Number(),
                                                'months': Items(Text())}),
    'options_periodically': Shape('OptionsPeriodically', {'enabled': Flag(), 'kind': Text(), 'full_period': Number(),
                                                          'schedule': Shape('Schedule', {'days': DAYS})}),
    'options_continuous': Shape('OptionsContinuous', {'enabled': Flag(), 'schedule': Shape('Schedule', {'days': DAYS})}),
    'options_daisy_chaining': Shape('OptionsDaisyChaining', {'enabled': Flag(), 'previous_job_uid': Text()}),
    'options_backup_window': Shape('OptionsBackupWindow', {'enabled': Flag(), 'time_periods': Shape('TimePeriods', {'days': DAYS})}),
    'retry_options': Shape('RetryOptions', {'retry_specified': Flag(), 'retry_specified1': Flag(), 'retry_times': Number(),
                                            'retry_timeout': Number()}),
    'wait_for_backup_completion': Flag(),
    'backup_competition_waiting_period_min': Number(),
})
SCHEDULE_OPTIONS = Shape('JobScheduleOptions', {'standart': SCHEDULE_BODY, 'immediate_copy_mode': SCHEDULE_BODY})
JOB = entity('Job', {'name': RequiredText(), 'job_type': Text(), 'platform': Text(), 'description': Text(), 'schedule_configured': Flag(),
                     'schedule_enabled': Flag(), 'next_run': Text(), 'job_info': JOB_INFO, 'job_schedule_options': SCHEDULE_OPTIONS,
                     'includes': Items(Shape('NASObject', {'object_in_job_id': Text(), 'hierarchy_obj_ref': Text(), 'name': Text()}))})
RUN = entity('Job session', {'job_uid': Text(), 'job_name': Text(), 'job_type': Text(), 'state': Text(), 'result': Text(),
                             'progress': Number(), 'creation_time_utc': Text(), 'end_time_utc': Text(), 'is_retry': Flag(),
                             'failure_message': Text()})
TASK_SESSION = entity('Task session', {'job_session_uid': Text(), 'vm_uid': Text(), 'vm_display_name': Text(), 'state': Text(),
                                       'result': Text(), 'reason': Text(), 'total_size': Number(), 'creation_time_utc': Text(),
                                       'end_time_utc': Text()})
TASK = Shape('Task', {'task_id': RequiredText(), 'state': Text(), 'operation': Text(), 'href': Text(), 'links': LINKS,
                      'result': Shape('Result', {'success': Flag(), 'message': Text()})})
LOGON_SESSION = Shape('LogonSession', {'session_id': Text(), 'user_name': Text(), 'links': LINKS})
HIERARCHY_ROOT = entity('HierarchyRoot', {'hierarchy_root_id': Text(), 'host_type': Text(), 'unique_id': Text()}, identified=False)
BACKUP_SERVER = entity('BackupServer', {'description': Text(), 'version': Text()})
REFERENCE = entity('Reference', {})
VM_RESTORE_POINT = entity('VmRestorePoint', {'creation_time_utc': Text(), 'vm_name': Text(), 'vm_display_name': Text(), 'algorithm': Text(),
                                             'point_type': Text(), 'hierarchy_obj_ref': Text()})
RESTORE_POINT = entity('RestorePoint', {'backup_date_utc': Text()})
BACKUP = entity('Backup', {'platform': Text(), 'backup_type': Text()})
RESTORE_SESSION = entity('RestoreSession', {'restored_obj_ref': Text(), 'vm_display_name': Text(), 'job_type': Text(), 'state': Text(),
                                            'result': Text(), 'progress': Number(), 'creation_time_utc': Text(), 'end_time_utc': Text(),
                                            'failure_message': Text()})
HIERARCHY_ITEM = Shape('HierarchyItem', {'object_ref': RequiredText(), 'object_type': Text(), 'object_name': Text()})

# Shapes of the items of each query type (``EmClient.query``); a type missing here gets REFERENCE for format=References.
QUERY_SHAPES = {
    'Job': JOB,
    'AgentBackupJob': JOB,
    'NasJob': JOB,
    'BackupJobSession': RUN,
    'ReplicaJobSession': RUN,
    'BackupTaskSession': TASK_SESSION,
    'ReplicaTaskSession': TASK_SESSION,
    'HierarchyRoot': HIERARCHY_ROOT,
    'BackupServer': BACKUP_SERVER,
    'ObjectInJob': OBJECT_IN_JOB,
    'VmRestorePoint': VM_RESTORE_POINT,
    'RestorePoint': RESTORE_POINT,
    'Backup': BACKUP,
    'RestoreSession': RESTORE_SESSION,
}


def query_shape(query_type, fmt):
    """The item shape of a query: the entity's for ``format=Entities``, a reference's otherwise."""
    if str(fmt).lower() != 'entities':
        return REFERENCE if query_type != 'ObjectInJob' else OBJECT_IN_JOB
    return QUERY_SHAPES.get(query_type, REFERENCE)


def check_items(items, shape, path=''):
    """Check every item of a list; raises ShapeError naming the first item that does not fit."""
    for index, item in enumerate(items):
        shape.check(item, '%s[%d]' % (path or 'items', index))
    return items
