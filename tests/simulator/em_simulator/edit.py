# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``PUT /jobs/{id}?action=edit`` and clones: which parts of a job change, and how.

Editable [D: put_jobs_id_actionedit]: ``Description``, ``ScheduleConfigured``, ``ScheduleEnabled``,
``JobScheduleOptions`` (``Standart`` or ``ImmediateCopyMode`` by job type) and, under the job's
``JobInfo`` variant, ``SimpleRetentionPolicy`` and ``GfsRetentionPolicy``; real clients also replace
``Includes`` this way [O: ntx]. Other elements of the body (identity, ``JobType``, ``Platform``,
``NextRun``, guest processing, …) are accepted and ignored [I: not editable]. Sub-objects are
deep-merged: omitted siblings keep their values [D: example sends only ``RetryTimes``]; lists are
replaced as a whole [I].
"""

from __future__ import annotations

import copy

from .defaults import include_guest_processing
from .model import Include, Job
from .render import intern
from .shapes import JOB_INFO_VARIANTS
from .values import new_guid

EDITABLE_SETTINGS = ('SimpleRetentionPolicy', 'GfsRetentionPolicy')
DEFAULT_INCLUDE_OPTIONS = intern(include_guest_processing())


def deep_merge(target: dict, changes: dict) -> dict:
    """A copy of ``target`` with ``changes`` merged in (dicts recursively; other values replace)."""
    merged = dict(target)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def schedule_variant(job_type: str) -> str:
    return 'ImmediateCopyMode' if job_type == 'ImmediateBackupCopy' else 'Standart'


def edit_problem(job, body: dict, estate) -> str | None:
    """Why the edit cannot be applied (a task failure message), or None [I: messages]."""
    options = body.get('JobScheduleOptions') or {}
    wanted = schedule_variant(job.job_type)
    for variant in ('Standart', 'ImmediateCopyMode'):
        if options.get(variant) is not None and variant != wanted:
            return f'Job "{job.name}" of type {job.job_type} does not have {variant} schedule options.'
    info = body.get('JobInfo') or {}
    own = JOB_INFO_VARIANTS.get(job.job_type)
    for variant, value in info.items():
        if value is not None and variant != own:
            return f'Job "{job.name}" of type {job.job_type} cannot be edited with {variant}.'
    includes = (info.get(own) or {}).get('Includes')
    if includes is not None:
        if not includes:
            return f'Job "{job.name}" must keep at least one object.'
        for item in includes:
            problem = include_problem(job, item.get('HierarchyObjRef'), estate)
            if problem:
                return problem
    return None


def include_problem(job, ref: str, estate) -> str | None:
    """Why ``ref`` cannot be an object of ``job`` [I: hierarchy.md "Simulator notes"]."""
    if job.job_type not in ('Backup', 'Replica', 'BackupCopy'):
        return f'Job "{job.name}" of type {job.job_type} has no object list.'
    obj = estate.inventory_object(ref or '')
    if obj is None or obj.root.server is not job.server:
        return f'Object "{ref}" was not found in the virtual infrastructure of backup server "{job.server.name}".'
    if obj.root.platform.lower() != job.platform.lower() and job.job_type != 'BackupCopy':
        return f'Object "{obj.name}" ({obj.root.platform}) cannot be added to the {job.platform} job "{job.name}".'
    return None


def apply_edit(job, body: dict, estate, scheduler, now) -> None:
    was_scheduled = job.schedule_configured and job.schedule_enabled
    if body.get('Description') is not None:
        job.description = body['Description']
    if body.get('ScheduleConfigured') is not None:
        job.schedule_configured = body['ScheduleConfigured']
    options = (body.get('JobScheduleOptions') or {}).get(schedule_variant(job.job_type))
    if options is not None:
        variant = schedule_variant(job.job_type)
        job.schedule = {variant: deep_merge(job.schedule.get(variant) or {}, options)}
    if body.get('ScheduleEnabled') is not None:
        job.schedule_enabled = body['ScheduleEnabled']
    if job.schedule_configured and job.schedule_enabled and not was_scheduled:
        scheduler.enabled(job, now)
    own = (body.get('JobInfo') or {}).get(JOB_INFO_VARIANTS.get(job.job_type)) or {}
    for name in EDITABLE_SETTINGS:
        if own.get(name) is not None and name in job.settings:
            job.settings = deep_merge(job.settings, {name: own[name]})
    if own.get('Includes') is not None:
        replace_includes(job, own['Includes'], estate)
    job.touch()
    estate.changed('jobs')


def replace_includes(job, items: list, estate) -> None:
    """The job's objects become ``items``; an item keeps its ObjectInJobId when it names an existing one."""
    existing = {include.id.lower(): include for include in job.includes}
    job.pending_includes.clear()  # the list is replaced on the backup server too
    for include in list(job.includes):
        estate.remove_include(include)
    for item in items:
        obj = estate.inventory_object(item['HierarchyObjRef'])
        old = existing.get(str(item.get('ObjectInJobId') or '').lower())
        base = old.guest_processing if old else DEFAULT_INCLUDE_OPTIONS
        guest = item.get('GuestProcessingOptions')
        gpo = deep_merge(base, guest) if guest else base
        name = item.get('Name') or obj.name
        estate.add_include(job, Include(old.id if old else new_guid(), job, obj.ref, name, item.get('DisplayName') or name, gpo))


def clone_job(source, spec: dict, estate):
    """A new job like ``source`` with the name and description of the clone spec [D: post_jobs_id_actionclone]."""
    clone = Job(new_guid(), spec['JobName'], source.kind, source.job_type, source.platform, source.server,
                spec.get('Description') if spec.get('Description') is not None else source.description)
    clone.schedule_configured = source.schedule_configured
    clone.schedule_enabled = source.schedule_enabled
    clone.next_run = source.next_run
    clone.schedule = dict(source.schedule)  # blocks are never changed in place, so they can be shared
    clone.settings = dict(source.settings)
    clone.linked = {key: [dict(item, ObjectInJobId=new_guid()) for item in items] for key, items in source.linked.items()}
    clone.run_duration = source.run_duration
    clone.run_result = source.run_result
    for include in source.includes + source.pending_includes:  # the backup server's list
        clone.includes.append(Include(new_guid(), clone, include.ref, include.name, include.display_name, include.guest_processing))
    estate.add_job(clone)
    return clone
