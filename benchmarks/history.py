# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of veeam_session_info and veeam_restore_point_info against a generated estate with a long history:
10,000 job sessions, and 1,000 VMs with up to 14 restore points per VM and backup (benchmarks/run.py calls these).

Each row runs the module as a child process (``run_module`` of run.py) or, for the reads that other plugins reuse,
in-process, with the latency of run.py on every /api request, and reports requests and wall time.
"""

from __future__ import annotations

import time
from datetime import timedelta

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._restore_point_info import read_vm_points
from ansible_collections.veeamops.em.plugins.module_utils._session_info import runs_ended_since
from ansible_collections.veeamops.em.plugins.module_utils._times import utc_now

HISTORY = 'servers=2,jobs=200,includes=1400,seed=1,sessions=10000,points=14'
SMOKE_HISTORY = 'servers=1,jobs=20,includes=100,seed=1,sessions=200,points=3'
VMS = 1000
SMOKE_VMS = 40


def history_facts(sim, vms):
    """``(refs, job name)``: the references of ``vms`` VMs that have restore points, and a backup job's name (read once,
    without latency, before the measurements)."""
    with EmClient(sim.settings()) as em:
        refs = sorted({point['hierarchy_obj_ref'] for point in em.query('VmRestorePoint', page_size=1000)})
        job = next(item['name'] for item in em.query('Job', page_size=1000) if item.get('job_type') == 'Backup')
    return refs[:vms], job


def _tasks(sessions):
    """Task sessions listed (those of sessions whose task sessions could not be read count as none)."""
    return sum(len(session.get('task_sessions') or []) for session in sessions)


def _row(case, count, wall, latency_ms, **extra):
    row = {'case': case, 'requests': count, 'wall_s': wall, 'bound_s': count * latency_ms / 1000.0}
    row.update(extra)
    return row


def bench_sessions(sim, run_module, work, refs, latency_ms):
    """veeam_session_info over the history: every session, the newest per job, failures with their VMs, VMs' sessions."""
    cases = [('every session', {}), ('latest_per_job', {'latest_per_job': True}),
             ('result Failed + task_sessions', {'result': ['Failed'], 'task_sessions': True}),
             ('since 24h + task_sessions', {'since': '24h', 'task_sessions': True}),
             ('vms: %d references' % min(40, len(refs)), {'vms': refs[:40]})]
    rows = []
    for case, args in cases:
        wall, count, result = run_module(sim, 'veeam_session_info', args, work)
        if result.get('failed'):
            raise RuntimeError('veeam_session_info failed (%s): %s' % (case, result.get('msg')))
        rows.append(_row(case, count, wall, latency_ms, sessions=len(result['sessions']), task_sessions=_tasks(result['sessions']),
                         warnings=len(result.get('warnings') or [])))
    start = time.perf_counter()
    warnings = []
    with EmClient(sim.settings()) as em:
        ended = runs_ended_since(em, utc_now() - timedelta(hours=24), warn=warnings.append)
    rows.append(_row('runs_ended_since 24h (in-process, the poll of an event source)', em.request_count, time.perf_counter() - start, latency_ms,
                     sessions=len(ended), task_sessions=_tasks(ended), warnings=len(warnings)))
    return rows


def bench_points(sim, run_module, work, refs, job, latency_ms):
    """veeam_restore_point_info over the history: VMs by reference (all points, newest only), a job, every VM since."""
    cases = [('%d VMs by reference, every point' % len(refs), {'vms': refs}),
             ('%d VMs by reference, latest_only' % len(refs), {'vms': refs, 'latest_only': True}),
             ('one job (%s)' % job, {'jobs': job}),
             ('every VM, since 3d', {'since': '3d'})]
    rows = []
    for case, args in cases:
        wall, count, result = run_module(sim, 'veeam_restore_point_info', args, work)
        if result.get('failed'):
            raise RuntimeError('veeam_restore_point_info failed (%s): %s' % (case, result.get('msg')))
        points = result['restore_points']
        parents = len({point['restore_point_id'] for point in points})
        vms = len({point['ref'] for point in points})
        # what a client without the query service sends: one VM restore point query per VM, one GET per restore point
        rows.append(_row(case, count, wall, latency_ms, vms=vms, points=len(points), naive_requests=vms + parents + 2))
    start = time.perf_counter()
    with EmClient(sim.settings()) as em:
        points = read_vm_points(em, since=utc_now() - timedelta(days=3))
    rows.append(_row('read_vm_points, every VM since 3d (in-process, for the inventory)', em.request_count, time.perf_counter() - start,
                     latency_ms, vms=len({point['ref'] for point in points}), points=len(points)))
    return rows
