# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ``veeamops.em.job_sessions`` event source without its event loop: options, events, which errors stop it, and
one poll over the collection's client (internal; may change in any release).

``extensions/eda/plugins/event_source/job_sessions.py`` runs ``JobSessionsPoller.poll`` in a worker thread every
``interval`` seconds and puts the events it returns on ansible-rulebook's queue. Everything here is synchronous and
is tested without ansible-rulebook.

One ``EmClient`` (one logon session) serves every poll of a source run: a poll costs one query per run type, plus
one task session query per run type and per ``CHUNK`` new runs that are handed on, instead of also a logon and a
logoff each time. The logon session stays alive while ``interval`` is shorter than Enterprise Manager's 15-minute
idle expiry; after a longer pause, or when Enterprise Manager dropped it, the client logs on again once on the 401
(auth.md). ``close`` logs it off when the source stops, whatever stopped it.
"""

from __future__ import annotations

import math
import os
import threading
from contextlib import ExitStack
from datetime import timedelta

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import (
    EmAuthError,
    EmBadResponseError,
    EmError,
    EmHttpError,
    EmInputError,
    EmPermissionError,
    EmTlsError,
)
from ansible_collections.veeamops.em.plugins.module_utils._imports import HAS_REQUESTS
from ansible_collections.veeamops.em.plugins.module_utils._normalize import normalize_task_session
from ansible_collections.veeamops.em.plugins.module_utils._session_info import SessionReader, names_option, runs_ended_since
from ansible_collections.veeamops.em.plugins.module_utils._settings import CONNECTION_OPTIONS, EmSettings, env_value
from ansible_collections.veeamops.em.plugins.module_utils._times import parse_since, utc_now
from ansible_collections.veeamops.em.plugins.module_utils._urls import is_valid_id
from ansible_collections.veeamops.em.plugins.plugin_utils._session_window import SessionWindow

SOURCE = 'veeamops.em.job_sessions'
RESULTS = ('Success', 'Warning', 'Failed')
DEFAULT_RESULTS = ('Failed', 'Warning')
DEFAULT_INTERVAL = 60.0
# [I] How much later than the runs that ended after it Enterprise Manager may show a run: it collects its backup
# servers one after the other, and the reference gives no bound ("a few seconds", sessions.md).
DEFAULT_MARGIN = 600.0
# Task session results that put a VM into ``failed_vms``.
FAILED_VM_RESULTS = ('Failed', 'Warning')
SOURCE_OPTIONS = ('interval', 'results', 'job_types', 'jobs', 'task_sessions', 'start_at', 'margin')
# ansible-rulebook adds arguments of its own to a source's arguments (``eda_feedback_queue``).
RULEBOOK_PREFIX = 'eda_'
NOT_READ = object()


class SourceOptions:
    """The checked arguments of the event source."""

    def __init__(self, settings, interval, results, job_types, jobs, task_sessions, start, margin):
        self.settings = settings
        self.interval = interval
        self.results = results
        self.job_types = job_types
        self.jobs = jobs
        self.task_sessions = task_sessions
        self.start = start
        self.margin = margin


def _bad(option, value, fix):
    return EmInputError('Invalid value for option %s of %s: %r' % (option, SOURCE, value), hint=fix)


def _boolean(value, option):
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise _bad(option, value, 'give true or false') from None


def _seconds(value, option, default, least):
    """A number of seconds (an int, a float or a numeric string, as rulebook variables give them), at least ``least``."""
    if value is None or value == '':
        return default
    try:
        seconds = float(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not math.isfinite(seconds) or seconds < least:
        raise _bad(option, value, 'give a number of seconds of %g or more' % least)
    return seconds


def _texts(value, option):
    """A string as a one-item list, a list of non-empty strings as is; None stays None."""
    if value is None:
        return None
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise _bad(option, value, 'give a name or a list of names')
    return [item.strip() for item in items]


def _results(value):
    items = _texts(DEFAULT_RESULTS if value is None else value, 'results')
    canonical = {result.lower(): result for result in RESULTS}
    unknown = [item for item in items if item.lower() not in canonical]
    if unknown:
        raise _bad('results', value, 'use one or more of %s' % ', '.join(RESULTS))
    return list(dict.fromkeys(canonical[item.lower()] for item in items))


def connection_params(args):
    """The connection options from the source's arguments, each falling back to its ``VEEAM_EM_*`` variable."""
    params = {}
    for option in CONNECTION_OPTIONS:
        value = args.get(option.name)
        if (value is None or value == '') and option.env:
            value = env_value(option.env)
        if value is not None and option.type == 'bool':
            value = _boolean(value, option.name)
        elif isinstance(value, str) and option.type == 'path':
            value = os.path.expanduser(os.path.expandvars(value))
        params[option.name] = value
    return params


def source_options(args, now=None):
    """The arguments of the event source as ``SourceOptions``, checked before any request; EmInputError otherwise."""
    if not HAS_REQUESTS:
        raise EmInputError('%s needs the Python package requests' % SOURCE,
                           hint='install requests where ansible-rulebook runs (in the decision environment: the requirements.txt of '
                                'the collection)')
    args = dict(args or {})
    known = {option.name for option in CONNECTION_OPTIONS} | set(SOURCE_OPTIONS)
    unknown = sorted(str(name) for name in args if name not in known and not str(name).startswith(RULEBOOK_PREFIX))
    if unknown:
        raise EmInputError('Unknown option(s) of %s: %s' % (SOURCE, ', '.join(unknown)),
                           hint='use %s' % ', '.join(sorted(known)))
    start_at = args.get('start_at')
    if start_at is None or str(start_at).strip().lower() in ('', 'now'):
        start = now or utc_now()
    else:
        start = parse_since(start_at, 'start_at', now)
    task_sessions = args.get('task_sessions')
    return SourceOptions(
        settings=EmSettings.from_params(connection_params(args)),
        interval=_seconds(args.get('interval'), 'interval', DEFAULT_INTERVAL, 0.1),
        results=_results(args.get('results')),
        job_types=_texts(args.get('job_types'), 'job_types'),
        jobs=names_option(args.get('jobs'), 'jobs'),
        task_sessions=True if task_sessions is None else _boolean(task_sessions, 'task_sessions'),
        start=start,
        margin=timedelta(seconds=_seconds(args.get('margin'), 'margin', DEFAULT_MARGIN, 0)),
    )


# --- events -----------------------------------------------------------------------------------------------

def _fold(value):
    return str(value or '').lower()


def wanted(run, options):
    """Whether a run (as ``runs_ended_since`` describes it) has one of the selected results and job types."""
    if _fold(run.get('result')) not in {_fold(result) for result in options.results}:
        return False
    return not options.job_types or _fold((run.get('job') or {}).get('type')) in {_fold(kind) for kind in options.job_types}


def _safe_id(value):
    """An id only when it has the form of one: it may end up in a path, a module argument or a playbook."""
    return value if is_valid_id(value) else None


def failed_vms(task_sessions):
    """``[{"name", "result", "reason"}]`` of the VMs that failed or warned, in the order Enterprise Manager lists them;
    None when the task sessions were not read."""
    if task_sessions is NOT_READ or task_sessions is None:
        return None
    found = []
    for item in task_sessions:
        task = normalize_task_session(item)
        if task['result'] in FAILED_VM_RESULTS:
            found.append({'name': task['vm_name'], 'result': task['result'], 'reason': task['reason']})
    return found


def event_of(run, task_sessions=NOT_READ):
    """The event of a run (as ``runs_ended_since`` describes it) with its raw task sessions (None: not readable)."""
    job = run.get('job') or {}
    retry = run.get('is_retry')
    return {'veeam_em': {
        'session': {'id': _safe_id(run.get('id')), 'uid': run.get('uid'), 'name': run.get('name'), 'result': run.get('result'),
                    'state': run.get('state'), 'creation_time': run.get('creation_time'), 'end_time': run.get('end_time'),
                    'is_retry': retry if isinstance(retry, bool) else None},
        'job': {'name': job.get('name'), 'id': _safe_id(job.get('id')), 'type': job.get('type')},
        'backup_server': run.get('backup_server'),
        'failed_vms': failed_vms(task_sessions),
    }}


# --- errors -----------------------------------------------------------------------------------------------

def is_fatal(error, polled_before):
    """Whether an error means the source cannot work (it stops) rather than a passing failure (it tries again).

    Bad options, TLS, credentials and roles stop it, as does any other 4xx answer (it would come again at every poll).
    An unreadable answer stops it before the first poll succeeded (``url`` points at something else) and is passing
    afterwards. Connection failures, time-outs and 5xx answers (after the client's retries) are passing.
    """
    if isinstance(error, (EmInputError, EmTlsError, EmAuthError, EmPermissionError)):
        return True
    if isinstance(error, EmBadResponseError):
        return not polled_before
    status = error.status if isinstance(error, EmHttpError) else None
    return isinstance(status, int) and 400 <= status < 500 and status not in (408, 429)


# --- polling ----------------------------------------------------------------------------------------------

class SourceStopped(Exception):
    """The source is stopping: a retry pause of the client ends the poll instead of waiting."""


class JobSessionsPoller:
    """The polls of one source run over one logon session (opened at the first poll, logged off by ``close``).

    ``warn`` takes each warning (already redacted). ``poll`` and ``close`` must not run at the same time (the event
    source runs them one after the other in one worker thread).
    """

    def __init__(self, options, warn, now=utc_now):
        self.options = options
        self.window = SessionWindow(options.start, options.margin)
        self.polls = 0
        self.em = None
        self._warn_to = warn
        self._now = now
        self._stack = None
        self._stopping = threading.Event()
        self._closing = False

    def redact(self, text):
        return self.em.redact(text) if self.em is not None else self.options.settings.secrets().redact(text)

    def warn(self, text):
        self._warn_to(self.redact(text))

    def _pause(self, seconds):
        """The client's pause between retries; it ends a poll at once when the source is stopping."""
        if self._stopping.wait(seconds) and not self._closing:
            raise SourceStopped()

    def request_stop(self):
        """Called from any thread: a poll that waits to retry gives up."""
        self._stopping.set()

    def _client(self):
        """The open client: logged on at the first poll, and again when a failed re-logon left it without a session."""
        if self.em is None:
            stack = ExitStack()
            self.em = stack.enter_context(EmClient(self.options.settings, sleep=self._pause))
            self._stack = stack
        elif self.em.logon_session_id is None:
            self.em.logon()
        return self.em

    def poll(self):
        """The events of the runs that ended since the last poll, oldest end first. After a passing failure: none, and
        a warning (the next poll reads the same window again). Raises the EmError (redacted) that stops the source."""
        try:
            return self._poll()
        except EmError as exc:
            exc.scrub(self.redact)
            if is_fatal(exc, self.polls > 0):
                raise
            self.warn('%s: the poll failed and is tried again in %g s: %s' % (SOURCE, self.options.interval, exc))
            return []

    def _poll(self):
        em = self._client()
        runs = runs_ended_since(em, self.window.since(), task_sessions=False, jobs=self.options.jobs, warn=self.warn)
        selected = [run for run in self.window.fresh(runs) if wanted(run, self.options)]
        tasks = self._task_sessions(em, selected)
        events = [event_of(run, tasks.get(_fold(run.get('uid')), NOT_READ)) for run in selected]
        self.window.commit(runs, self._now())
        self.polls += 1
        return events

    def _task_sessions(self, em, runs):
        if not runs or not self.options.task_sessions:
            return {}
        reader = SessionReader(em)
        found = reader.task_sessions_of(runs)
        for warning in reader.warnings:
            self.warn(warning)
        return found

    def close(self):
        """Log the logon session off (once); a failed logoff is a warning."""
        self._closing = True
        stack, em = self._stack, self.em
        self._stack = None
        if stack is None:
            return
        stack.close()
        if em.logoff_error is not None:
            self.warn('%s: the logoff failed, so the logon session stays open until Enterprise Manager expires it: %s'
                      % (SOURCE, em.logoff_error))
