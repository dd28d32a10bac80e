# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn Enterprise Manager entities (snake_case keys) into stable result dicts (internal; may change in any release).

The output keys are part of the modules' documented return values: add keys, never rename or drop them.
"""

from __future__ import annotations

from ._errors import EmHierarchyRefError
from ._hierarchy import parse_hierarchy_obj_ref
from ._query import list_in
from ._urls import link_id, link_segments


def find_link(entity, rel, link_type=None):
    """The first link of ``entity`` with that ``rel`` (and ``type`` when given), or None."""
    for link in (entity or {}).get('links') or []:
        if isinstance(link, dict) and link.get('rel') == rel and (link_type is None or link.get('type') == link_type):
            return link
    return None


def last_path_segment(href):
    """``https://em/api/jobs/<id>?format=Entity`` -> ``<id>`` (None for an empty href or one that is not plainly an API link)."""
    segments = link_segments(href)
    return segments[-1] if segments else None


def id_from_uid(uid):
    """``urn:veeam:Job:<id>`` -> ``<id>``."""
    if not uid or ':' not in uid:
        return None
    return uid.rsplit(':', 1)[-1] or None


def entity_id(entity):
    """The GUID of an entity: from its UID, else from its Href."""
    return id_from_uid(entity.get('uid')) or last_path_segment(entity.get('href'))


def job_info_of(job):
    """The JobInfo variant in use (``backup_job_info``, ``replica_job_info``, ...), or {}."""
    info = job.get('job_info') or {}
    for value in info.values():
        if isinstance(value, dict):
            return value
    return {}


def normalize_backup_server(entity):
    """Name, id and uid of the backup server an entity belongs to, from its ``Up`` link."""
    link = find_link(entity, 'Up', 'BackupServerReference') or {}
    server_id = link_id(link.get('href'), 'backupServers')
    return {
        'name': link.get('name'),
        'id': server_id,
        'uid': 'urn:veeam:BackupServer:%s' % server_id if server_id else None,
    }


def normalize_job(entity):
    """The stable summary of a Job entity."""
    return {
        'name': entity.get('name'),
        'id': entity_id(entity),
        'uid': entity.get('uid'),
        'job_type': entity.get('job_type'),
        'platform': entity.get('platform'),
        'description': entity.get('description'),
        'backup_server': normalize_backup_server(entity),
        'schedule_configured': entity.get('schedule_configured'),
        'schedule_enabled': entity.get('schedule_enabled'),
        'next_run': entity.get('next_run'),
        'href': entity.get('href'),
    }


def allowed_hours(days_wrapper):
    """``{"days": [{"name": "Monday", "value": "0,1,..."}]}`` -> ``{"monday": [1, ...]}`` (hours with flag 1)."""
    hours = {}
    for day in list_in(days_wrapper):
        if isinstance(day, dict) and day.get('name'):
            flags = str(day.get('value') or '').split(',')
            hours[str(day['name']).lower()] = [hour for hour, flag in enumerate(flags) if flag.strip() == '1']
    return hours


def _enabled(option):
    return bool(option and option.get('enabled'))


def _schedule_options(body):
    daily = body.get('options_daily')
    monthly = body.get('options_monthly')
    periodically = body.get('options_periodically')
    continuous = body.get('options_continuous')
    after_job = body.get('options_daisy_chaining')
    window = body.get('options_backup_window')
    return {
        'daily': daily and {'enabled': _enabled(daily), 'kind': daily.get('kind'), 'days': daily.get('days') or [],
                            'time': daily.get('time'), 'time_offset_utc': daily.get('time_offset_utc')},
        'monthly': monthly and {'enabled': _enabled(monthly), 'time': monthly.get('time'), 'time_offset_utc': monthly.get('time_offset_utc'),
                                'day_number_in_month': monthly.get('day_number_in_month'), 'day_of_week': monthly.get('day_of_week'),
                                'day_of_month': monthly.get('day_of_month'), 'months': monthly.get('months') or []},
        'periodically': periodically and {'enabled': _enabled(periodically), 'kind': periodically.get('kind'),
                                          'full_period': periodically.get('full_period'), 'hours': allowed_hours(periodically.get('schedule'))},
        'continuous': continuous and {'enabled': _enabled(continuous), 'hours': allowed_hours(continuous.get('schedule'))},
        'after_job': after_job and {'enabled': _enabled(after_job), 'previous_job_uid': after_job.get('previous_job_uid') or None},
        'backup_window': window and {'enabled': _enabled(window), 'hours': allowed_hours(window.get('time_periods'))},
    }


def normalize_schedule(entity):
    """The schedule of a Job entity: state, which trigger is active, and each option block."""
    options = entity.get('job_schedule_options') or {}
    standard = options.get('standart')  # sic: EM spells the element "Standart"
    immediate = options.get('immediate_copy_mode')
    body = standard or immediate or {}
    blocks = _schedule_options(body)
    retry = body.get('retry_options')
    trigger = next((name for name in ('daily', 'monthly', 'periodically', 'continuous', 'after_job') if _enabled(blocks[name])), None)
    schedule = {
        'configured': entity.get('schedule_configured'),
        'enabled': entity.get('schedule_enabled'),
        'next_run': entity.get('next_run'),
        'mode': 'standard' if standard else ('immediate_copy' if immediate else None),
        'trigger': trigger,
        'retry': retry and {
            'enabled': retry.get('retry_specified1', retry.get('retry_specified')),
            'times': retry.get('retry_times'),
            'timeout_minutes': retry.get('retry_timeout'),
        },
        'wait_for_backup_completion': body.get('wait_for_backup_completion'),
        'backup_completion_wait_minutes': body.get('backup_competition_waiting_period_min'),  # sic: "Competition"
    }
    schedule.update(blocks)
    return schedule


def normalize_include(obj):
    """One object in a job, with its HierarchyObjRef split into parts (parts are None when the ref is malformed)."""
    ref = obj.get('hierarchy_obj_ref')
    try:
        parts = parse_hierarchy_obj_ref(ref)
    except EmHierarchyRefError:
        parts = {}
    return {
        'id': obj.get('object_in_job_id'),
        'name': obj.get('name'),
        'display_name': obj.get('display_name'),
        'hierarchy_obj_ref': ref,
        'platform': parts.get('platform'),
        'object_type': parts.get('object_type'),
        'hierarchy_root_id': parts.get('hierarchy_root_id'),
        'object_ref': parts.get('object_ref'),
        'href': obj.get('href'),
    }


def normalize_linked_job(obj):
    """One source job of a backup copy job (``LinkedJobObject``)."""
    uid = obj.get('linked_job_uid')
    return {'id': obj.get('object_in_job_id'), 'job_uid': uid, 'job_id': id_from_uid(uid)}


def normalize_run(entity):
    """A run (backup or replica job session). ``result`` is None while it runs (EM reports ``None``)."""
    state = entity.get('state')
    result = entity.get('result')
    return {
        'id': entity_id(entity),
        'uid': entity.get('uid'),
        'name': entity.get('name'),
        'job_uid': entity.get('job_uid'),
        'job_name': entity.get('job_name'),
        'job_type': entity.get('job_type'),
        'state': state,
        'result': None if result in (None, '', 'None') else result,
        'progress': entity.get('progress'),
        'creation_time': entity.get('creation_time_utc'),
        'end_time': entity.get('end_time_utc'),
        'is_retry': entity.get('is_retry'),
        'running': None if state is None else state != 'Stopped',
        'failure_message': entity.get('failure_message'),
        'href': entity.get('href'),
    }


def normalize_task_session(entity):
    """The processing of one VM in a job session (``BackupTaskSession``). ``result`` is None while it runs."""
    result = entity.get('result')
    return {
        'id': entity_id(entity),
        'uid': entity.get('uid'),
        'name': entity.get('name'),
        'vm_name': entity.get('vm_display_name'),
        'vm_uid': entity.get('vm_uid'),
        'state': entity.get('state'),
        'result': None if result in (None, '', 'None') else result,
        'reason': entity.get('reason') or None,
        'total_size': entity.get('total_size'),
        'creation_time': entity.get('creation_time_utc'),
        'end_time': entity.get('end_time_utc'),
        'href': entity.get('href'),
    }


def describe_job(job, details, includes=None, linked=None, last_run=None):
    """A job as ``veeam_job_info`` returns it (and as the inventory's ``job_query`` sees it), with the requested details.

    ``details`` is a set of ``schedule``, ``includes``, ``last_session`` and ``raw``; ``includes`` and ``linked`` are
    the raw objects in the job and its source jobs, ``last_run`` the raw latest run (or None).
    """
    result = normalize_job(job)
    if 'schedule' in details:
        result['schedule'] = normalize_schedule(job)
    if 'includes' in details:
        result['includes'] = [normalize_include(item) for item in includes or []]
        result['linked_jobs'] = [normalize_linked_job(item) for item in linked or []]
    if 'last_session' in details:
        result['last_session'] = normalize_run(last_run) if last_run else None
    if 'raw' in details:
        result['raw'] = job
    return result
