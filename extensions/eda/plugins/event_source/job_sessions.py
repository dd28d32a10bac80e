# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeamops.em.job_sessions: an event source of ansible-rulebook that polls Veeam Backup Enterprise Manager for job
runs that ended, one event per run with a selected result (see DOCUMENTATION).

The polls go through the collection's own client and session reader (``plugin_utils/_job_sessions.py``), in one
worker thread, so that the event loop never waits for Enterprise Manager.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor

DOCUMENTATION = r"""
name: job_sessions
short_description: Events of Veeam job runs that ended, from Veeam Backup Enterprise Manager
description:
  - Polls Enterprise Manager every O(interval) seconds for job sessions (runs) of backup, replication, backup copy,
    agent and file share jobs that reached the state C(Stopped), and puts one event on the queue for each run whose
    result is one of O(results).
  - Each run is handed on exactly once per run of the source, in the order the runs ended, also when Enterprise
    Manager shows a run only some time after it ended: every poll reads the runs that ended from O(margin) seconds
    before the newest end it has seen, and runs already handed on are skipped.
  - "The event is C(veeam_em) with C(session) (C(id), C(uid), C(name), C(result), C(state), C(creation_time),
    C(end_time), C(is_retry)), C(job) (C(name), C(id), C(type)), C(backup_server) (its name) and C(failed_vms), a
    list of C(name), C(result) and C(reason) of each VM that failed or warned; C(failed_vms) is null when the task
    sessions were not read (O(task_sessions=false), or Enterprise Manager refused to list them)."
  - One logon session serves all polls; it is logged off when the source stops. Expired logon sessions are
    renewed, and connection failures, time-outs and server errors are logged as warnings and tried again at the
    next poll. Bad credentials, TLS failures, a missing role and invalid options stop the source with the reason.
options:
  url:
    description: Base URL of the Enterprise Manager REST API, for example V(https://em01.example.com:9398).
    type: str
    env: [{name: VEEAM_EM_URL}]
    required: true
  username:
    description: Account with the Portal Administrator or Portal User role (C(DOMAIN\\user) or C(user@domain)).
    type: str
    env: [{name: VEEAM_EM_USERNAME}]
    required: true
  password:
    description: Password of O(username). Better given as an environment variable than in the rulebook.
    type: str
    env: [{name: VEEAM_EM_PASSWORD}]
    required: true
  validate_certs:
    description: Verify Enterprise Manager's TLS certificate.
    type: bool
    default: true
    env: [{name: VEEAM_EM_VALIDATE_CERTS}]
  ca_path:
    description: PEM file with the CA certificate that signed Enterprise Manager's certificate.
    type: path
    env: [{name: VEEAM_EM_CA_PATH}]
  timeout:
    description: Seconds one request may take as a whole.
    type: float
    default: 60
    env: [{name: VEEAM_EM_TIMEOUT}]
  api_version:
    description: REST API version to log on with.
    type: str
    default: latest
  interval:
    description: Seconds between two polls (at least 0.1).
    type: float
    default: 60
  results:
    description: The results of the runs to hand on.
    type: list
    elements: str
    choices: [Failed, Warning, Success]
    default: [Failed, Warning]
  job_types:
    description:
      - Only runs of jobs of these types (as Enterprise Manager names them, without regard to case), for example
        V(Backup), V(Replica), V(BackupCopy), V(AgentBackup), V(NasBackup). All types when not set.
    type: list
    elements: str
  jobs:
    description: Only runs of the jobs with these names (on any backup server). All jobs when not set.
    type: list
    elements: str
  task_sessions:
    description:
      - Read the task sessions of each run handed on, for C(failed_vms). One query per run type and per 40 runs.
    type: bool
    default: true
  start_at:
    description:
      - V(now) hands on the runs that end from the start of the source on. An ISO 8601 time (V(2026-03-01T21:00:00Z))
        or an age (V(12h), V(2d)) replays the runs that ended since then first; Enterprise Manager keeps runs for 30 days.
    type: str
    default: now
  margin:
    description:
      - Seconds by which Enterprise Manager may show a run later than runs that ended after it (it collects its backup
        servers one after the other). Each poll reads the runs that ended within this margin again; a run shown later
        than that is missed.
    type: float
    default: 600
"""

EXAMPLES = r"""
- name: Failed and warning runs of production jobs
  hosts: localhost
  sources:
    - veeamops.em.job_sessions:
        results: [Failed, Warning]
        job_types: [Backup, Replica]
        interval: 60
  rules:
    - name: Report
      condition: event.veeam_em is defined
      action:
        debug:
          msg: "{{ event.veeam_em.job.name }}: {{ event.veeam_em.session.result }}"
"""

LOGGER = logging.getLogger('veeamops.em.job_sessions')


def _add_collection_path():
    """ansible-rulebook runs this file by its path, outside Ansible's collection loader: put the folder that holds its
    ``ansible_collections`` first on the import path, so that the collection's own helpers come from the same copy."""
    folder = os.path.dirname(os.path.abspath(__file__))  # .../ansible_collections/veeamops/em/extensions/eda/plugins/event_source
    for dummy in range(6):
        folder = os.path.dirname(folder)
    if os.path.basename(folder) == 'ansible_collections':
        root = os.path.dirname(folder)
        if root not in sys.path:
            sys.path.insert(0, root)


_add_collection_path()

# pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmError  # noqa: E402
from ansible_collections.veeamops.em.plugins.plugin_utils._job_sessions import SOURCE, JobSessionsPoller, source_options  # noqa: E402


async def main(queue, args):
    """Poll until cancelled; put each event on ``queue``. A fatal error ends the source with that error (redacted)."""
    try:
        options = source_options(args)
    except EmError as exc:
        LOGGER.error('%s cannot start: %s', SOURCE, exc)
        raise
    poller = JobSessionsPoller(options, warn=LOGGER.warning)
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix='veeamops-em-job-sessions')
    loop = asyncio.get_running_loop()
    LOGGER.info('%s: polling %s every %g s for runs that ended from %s on with result %s', SOURCE, options.settings.base_url,
                options.interval, options.start.isoformat(), ', '.join(options.results))
    try:
        while True:
            for event in await loop.run_in_executor(worker, poller.poll):
                await queue.put(event)
            await asyncio.sleep(options.interval)
    except EmError as exc:
        LOGGER.error('%s stopped: %s', SOURCE, exc)
        raise
    finally:
        # Also on cancellation: the logoff waits in the one worker for a poll still running, and is shielded from a
        # second cancellation (the worker thread finishes it before the interpreter exits).
        poller.request_stop()
        closing = loop.run_in_executor(worker, poller.close)
        worker.shutdown(wait=False)
        await asyncio.shield(closing)
        LOGGER.info('%s: stopped after %d poll(s); logged off', SOURCE, poller.polls)


if __name__ == '__main__':
    # python job_sessions.py: print the events of the runs that end while it runs (connection from VEEAM_EM_*).
    class _Printer:
        @staticmethod
        async def put(event):
            print(event, flush=True)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_Printer(), {'interval': 10}))
