# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runtime settings that the command line sets and ``POST /_sim/config`` changes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

CASINGS = ('pascal', 'camel')
# switches with a fixed set of values: the variants of real EM servers (README "Real-EM variants", "Restore")
CHOICES = {
    'query_job_includes': ('embedded', 'omitted', 'empty', 'null'),
    'duplicate_include': ('fail', 'ignore'),
    'last_include_removal': ('task', 'http'),
    'restore_out_of_scope': ('403', 'task'),
    'restore_scope_lists': ('hide', 'show'),
    'quick_backup_busy_job': ('refuse', 'merge', 'queue'),
    'quick_backup_job': ('first', 'last'),
}


@dataclass
class Config:
    # JSON key casing: pascal = EM 12, camel = EM 13 [json-xml-conventions.md]; also selects the
    # date/name formats of that version
    casing: str = 'pascal'
    # write a UTF-8 BOM before JSON bodies [O: jdc]
    bom: bool = False
    # Includes of the Job entities of query?type=Job&format=Entities: embedded (as GET /jobs/{id}),
    # omitted (no Includes at all), empty (an empty list wrapper) or null [I: query_jobs.py]
    query_job_includes: str = 'embedded'
    # a task disappears once GET /tasks/{id} has read it this many times; 0 = never [O: mph: tasks vanish; I: after N reads]
    task_vanish_after_polls: int = 0
    # simulated seconds from an include task's Finished until the include shows in the API [O: mph re-reads; I]
    include_visibility_delay: float = 0.0
    # adding an object the job already has: fail the task, or ignore it (no second include) [I: jobs.md]
    duplicate_include: str = 'fail'
    # removing a job's last object: a failed task, or an HTTP error answer [I: jobs.md]
    last_include_removal: str = 'task'
    # simulated seconds until EM shows a job session and each change of it [I: sessions.md "allow a few seconds"]
    session_collect_delay: float = 0.0
    # a quick backup of a VM whose job is busy (running, or a start accepted): refuse it (a failed task), merge it into
    # the job's quick-backup run that has not begun processing VMs, or queue it as a run of its own after the current
    # one [I: backup-servers.md "it fails or waits if the job is already running"]
    quick_backup_busy_job: str = 'refuse'
    # which backup job runs the quick backup of a VM that several backup jobs of the server protect: the first or the
    # last in the order the jobs were created [I: not documented]
    quick_backup_job: str = 'first'
    # sliding idle expiry of logon sessions, real seconds [D: http_authentication: 15 minutes]
    idle_timeout: float = 900.0
    # simulated seconds per real second
    time_speed: float = 1.0
    # simulated seconds a task stays Running, and again OperationFinished, before Finished [I]
    task_duration: float = 1.0
    # simulated seconds of a job run when neither the job nor its outcome says otherwise [I]
    run_duration: float = 4.0
    # restore side (README "Restore"); each is a variant the reference leaves open [I]
    # simulated seconds of an entire-VM restore session when no queued outcome says otherwise
    restore_duration: float = 6.0
    # the restored VM gets a new managed-object reference (as examples/restore-session-entity.* suggests) instead of keeping its own
    restore_new_ref: bool = False
    # Portal User may restore (restore.md: the role table says no, the restore scenario says yes)
    portal_user_can_restore: bool = False
    # a VM Restore Operator's restore outside its scope: 403, or accepted with a failed task
    restore_out_of_scope: str = '403'
    # VM restore points outside a restore operator's scope: hidden from its lists and queries, or shown (restore refused)
    restore_scope_lists: str = 'hide'
    # a failed restore session carries the outcome's message in FailureMessage (EM is observed to leave it empty)
    restore_failure_message: bool = False
    # one restore point per VM (per-machine backup files) instead of one per run
    restore_point_per_vm: bool = False

    def validate(self) -> None:
        if self.casing not in CASINGS:
            raise ValueError(f"casing must be one of {', '.join(CASINGS)}, not {self.casing!r}")
        self._validate_variants()
        for name in ('idle_timeout', 'time_speed', 'run_duration', 'restore_duration'):
            if getattr(self, name) <= 0:
                raise ValueError(f'{name} must be greater than 0')
        if self.task_duration < 0:
            raise ValueError('task_duration must not be negative')

    def _validate_variants(self) -> None:
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, not {getattr(self, name)!r}")
        for name in ('task_vanish_after_polls', 'include_visibility_delay', 'session_collect_delay'):
            if getattr(self, name) < 0:
                raise ValueError(f'{name} must not be negative')

    def updated(self, changes: dict) -> Config:
        """A validated copy with ``changes`` applied; unknown keys and wrong types raise ValueError."""
        known = {field.name: field.type for field in fields(self)}
        values = {}
        for key, value in changes.items():
            if key not in known:
                raise ValueError(f"unknown setting '{key}'; known: {', '.join(known)}")
            values[key] = _coerce(key, value, getattr(self, key))
        result = replace(self, **values)
        result.validate()
        return result

    def as_dict(self) -> dict:
        return asdict(self)


def _coerce(key, value, current):
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ValueError(f'{key} must be true or false')
        return value
    if isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f'{key} must be a number')
        return float(value)
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f'{key} must be a whole number')
        return value
    if not isinstance(value, str):
        raise ValueError(f'{key} must be a string')
    return value
