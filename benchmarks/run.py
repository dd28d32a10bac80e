# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of the veeam_em inventory and the modules against the Enterprise Manager simulator.

    python benchmarks/run.py            the full set (estates of 100, 1,000 and 10,000 jobs; runs of 5, 60 and 600 s;
                                        quick backups of 10 and 50 VMs; a history of 10,000 sessions and 1,000 VMs with
                                        restore points, see history.py)
    python benchmarks/run.py --smoke    a tiny estate and a 5 s run, to check that the script still works

Every figure is measured against a simulator started here with 20 ms of latency on every /api request. Results are
printed as a table and written to $BENCH_RESULTS/results.json (default benchmarks/results). ``make bench`` runs it.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SIMULATOR = REPO / 'tests' / 'simulator'
USERNAME = 'LAB\\svc-ansible'
PASSWORD = 'Ansible:Pa&ss=wörd'
LATENCY_MS = 20
SPEED = 20.0  # simulated seconds per real second in the wait benchmark; poll intervals are divided by it too


def collections_root():
    """A folder with ansible_collections/veeamops/em: the first of ANSIBLE_COLLECTIONS_PATH that has it, else a link."""
    for root in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep):
        if root and (Path(root) / 'ansible_collections' / 'veeamops' / 'em' / 'plugins').is_dir():
            return root
    root = tempfile.mkdtemp(prefix='bench-collections-')
    (Path(root) / 'ansible_collections' / 'veeamops').mkdir(parents=True)
    (Path(root) / 'ansible_collections' / 'veeamops' / 'em').symlink_to(REPO, target_is_directory=True)
    return root


COLLECTIONS = collections_root()
sys.path.insert(0, COLLECTIONS)
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.module_utils._job_objects import job_roots  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.module_utils._jobs import JobsApi  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.module_utils._lookup import LookupApi  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.module_utils._settings import EmSettings  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.module_utils._vms import VmResolver, hierarchy_roots, vm_key  # noqa: E402 pylint: disable=wrong-import-position
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_fetch import fetch_inventory_data  # noqa: E402 pylint: disable=wrong-import-position
import history  # noqa: E402 pylint: disable=wrong-import-position


class Simulator:
    """One simulator daemon with a generated estate; stopped on exit."""

    def __init__(self, work, name, generate, *extra):
        self.state_dir = Path(work) / name
        env = dict(os.environ, PYTHONPATH=str(SIMULATOR))
        command = [sys.executable, '-m', 'em_simulator', '--daemon', '--state-dir', str(self.state_dir), '--lifetime', '1800',
                   '--generate', generate] + list(extra)
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, timeout=300)
        self.state = json.loads((self.state_dir / 'state.json').read_text())
        self.context = ssl.create_default_context(cafile=self.state['ca_path'])

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(self.state['control_url'] + path, data=data, method=method, headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, context=self.context, timeout=120) as answer:  # nosec: loopback simulator only
            text = answer.read()
        return json.loads(text) if text.strip() else None

    def requests_total(self):
        return self.control('GET', '/requests?limit=1')['total']

    def settings(self, timeout=600):
        return EmSettings(self.state['url'], USERNAME, PASSWORD, ca_path=self.state['ca_path'], timeout=timeout)

    def environment(self):
        return dict(os.environ, VEEAM_EM_URL=self.state['url'], VEEAM_EM_CA_PATH=self.state['ca_path'], VEEAM_EM_USERNAME=USERNAME,
                    VEEAM_EM_PASSWORD=PASSWORD, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED='true',
                    ANSIBLE_LOCALHOST_WARNING='false',
                    PYTHONPATH=os.pathsep.join(filter(None, (COLLECTIONS, os.environ.get('PYTHONPATH')))))

    def stop(self):
        subprocess.run([sys.executable, '-m', 'em_simulator', 'stop', '--state-dir', str(self.state_dir)], env=dict(os.environ, PYTHONPATH=str(SIMULATOR)),
                       stdout=subprocess.DEVNULL, check=False, timeout=60)


def timed_child(command, env, stdout=subprocess.DEVNULL, check=True):
    """Run a command: (wall seconds, peak resident MB of that process, from its own rusage through os.wait4); with
    ``check`` a non-zero exit status is an error."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.PIPE)  # pylint: disable=consider-using-with
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode and check:
        raise RuntimeError('%s failed (%s): %s' % (' '.join(command[:3]), process.returncode, stderr.decode('utf-8', 'replace')[-2000:]))
    return wall, usage.ru_maxrss / 1024


def naive_fetch(sim):
    """The baseline: GET /jobs, then GET /jobs/<id>/includes for every job, one after the other (what a simple client does)."""
    http = requests.Session()
    http.trust_env = False
    http.verify = sim.state['ca_path']
    api = sim.state['api_url']
    logon = http.post(api + '/sessionMngr/?v=latest', auth=(USERNAME.encode('utf-8'), PASSWORD.encode('utf-8')), headers={'Accept': 'application/json'})
    logon.raise_for_status()
    headers = {'Accept': 'application/json', 'X-RestSvcSessionId': logon.headers['X-RestSvcSessionId']}
    jobs = http.get(api + '/jobs', headers=headers).json()['Refs']
    includes = 0
    for job in jobs:
        answer = http.get(job['Href'] + '/includes', headers=headers)
        answer.raise_for_status()
        includes += len(answer.json().get('ObjectInJobs') or [])
    http.delete(api + '/logonSessions/' + logon.json()['SessionId'], headers=headers)
    return len(jobs), includes


def bench_inventory(sim, jobs, work, naive):
    config = Path(work) / 'bench.veeam_em.yml'
    config.write_text('plugin: veeamops.em.veeam_em\n')
    sim.control('POST', '/faults', {'latency_ms': LATENCY_MS})
    row = {'jobs': jobs}
    sim.control('DELETE', '/requests')
    start = time.perf_counter()
    with EmClient(sim.settings()) as em:
        data = fetch_inventory_data(em)
    row['fetch_s'] = time.perf_counter() - start
    row['fetch_requests'] = em.request_count
    row['includes'] = sum(len(job['includes']) for job in data['jobs'])
    sim.control('DELETE', '/requests')
    row['wall_s'], row['peak_mb'] = timed_child(['ansible-inventory', '-i', str(config), '--graph'], sim.environment())
    row['requests'] = sim.requests_total()
    row['bound_s'] = row['requests'] * LATENCY_MS / 1000.0
    row['ratio_to_bound'] = row['wall_s'] / row['bound_s']
    row['fetch_ratio_to_bound'] = row['fetch_s'] / row['bound_s']
    if naive:
        start = time.perf_counter()
        naive_jobs, _includes = naive_fetch(sim)
        row['naive_s'] = time.perf_counter() - start
        row['naive_requests'] = naive_jobs + 3
        row['naive_over_fetch'] = row['naive_s'] / row['fetch_s']
        row['naive_over_inventory'] = row['naive_s'] / row['wall_s']
    sim.control('DELETE', '/faults')
    return row


def run_module(sim, module, args, work):
    path = Path(work) / ('%s.json' % module)
    args = dict(args, url=sim.state['url'], username=USERNAME, password=PASSWORD, ca_path=sim.state['ca_path'])
    path.write_text(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    source = Path(COLLECTIONS) / 'ansible_collections' / 'veeamops' / 'em' / 'plugins' / 'modules' / ('%s.py' % module)
    sim.control('DELETE', '/requests')
    with tempfile.TemporaryFile() as output:
        # a module that fails exits with status 1 and its result (``failed``, ``msg``) on stdout
        wall, _peak = timed_child([sys.executable, str(source), str(path)], sim.environment(), stdout=output, check=False)
        output.seek(0)
        result = json.loads(output.read())
    return wall, sim.requests_total(), result


def bench_job_info(sim, jobs, work):
    rows = []
    sim.control('POST', '/faults', {'latency_ms': LATENCY_MS})
    for details in ([], ['schedule', 'includes', 'last_session']):
        wall, count, result = run_module(sim, 'veeam_job_info', {'details': details}, work)
        if result.get('failed'):
            raise RuntimeError('veeam_job_info failed: %s' % result.get('msg'))
        rows.append({'jobs': jobs, 'details': ','.join(details) or 'none', 'wall_s': wall, 'requests': count, 'listed': len(result['jobs'])})
    sim.control('DELETE', '/faults')
    return rows


def _sim_seconds(stamp):
    return time.mktime(time.strptime(stamp[:19], '%Y-%m-%dT%H:%M:%S')) + float('0' + stamp[19:].rstrip('Z').split('+')[0] or 0)


def bench_wait(sim, duration, work, poll=2.0, poll_max=30.0):
    """One run of ``duration`` simulated seconds with wait=true; the module's intervals are scaled by SPEED like the clock."""
    sim.control('POST', '/reset')
    job_id = next(job['id'] for job in sim.control('GET', '/jobs')['jobs'] if job['kind'] == 'vm' and job['job_type'] == 'Backup')
    job = sim.control('GET', '/jobs/%s' % job_id)['name']
    sim.control('POST', '/jobs/%s/outcome' % job_id, {'result': 'Success', 'duration': duration})
    args = {'id': job_id, 'action': 'start', 'wait': True, 'wait_timeout': 3600, 'poll_interval': poll / SPEED, 'poll_max_interval': poll_max / SPEED}
    _wall, count, result = run_module(sim, 'veeam_job', args, work)
    now = _sim_seconds(sim.control('GET', '/health')['sim_time'])
    if result.get('failed'):
        raise RuntimeError('veeam_job failed: %s' % result.get('msg'))
    ended = _sim_seconds(sim.control('GET', '/jobs/%s' % job_id)['sessions'][0]['ended'])
    delay = now - ended
    limit = duration / poll + 5
    return {'duration_sim_s': duration, 'speed': SPEED, 'return_delay_sim_s': delay, 'poll_interval_sim_s': poll, 'poll_max_interval_sim_s': poll_max,
            'within_max_interval': delay <= poll_max, 'requests': count, 'request_limit': limit, 'within_limit': count <= limit}


def _object_candidates(sim, job_id, count):
    """``count`` VM names that are unique under the job's hierarchy roots and not in the job yet, and the job's objects."""
    with EmClient(sim.settings()) as em:
        jobs = JobsApi(em)
        job = jobs.find(job_id=job_id)
        current = {item.get('hierarchy_obj_ref') for item in jobs.listed_includes(job)}
        seen = {}
        for root in job_roots(hierarchy_roots(em), job):
            for item in LookupApi(em).by_name(root['id'], '*', 'Vm'):
                seen.setdefault(str(item['name']).lower(), []).append(item)
    names = sorted(key for key, items in seen.items() if len(items) == 1 and items[0]['ref'] not in current)
    return names[:count], sorted(current)


def _writes(sim):
    log = sim.control('GET', '/requests')['log']
    return sum(1 for entry in log if entry['route'] in ('POST /api/jobs/{id}/includes', 'DELETE /api/jobs/{id}/includes/{id}'))


def bench_job_object(sim, jobs, work, count=10):
    """veeam_job_object on one job: add one VM by name, add ``count`` more (one name=* lookup), run that again, make the job's
    objects what they were (exclusive). Intervals are scaled by SPEED like the simulated time."""
    sim.control('POST', '/reset')
    job_id = next(job['id'] for job in sim.control('GET', '/jobs')['jobs']
                  if job['kind'] == 'vm' and job['job_type'] == 'Backup' and job['platform'] == 'VMware' and job['include_objects'])
    names, original = _object_candidates(sim, job_id, count + 1)
    if len(names) < count + 1:
        raise RuntimeError('job %s: only %d VM names to add' % (job_id, len(names)))
    base = {'id': job_id, 'poll_interval': 2.0 / SPEED, 'poll_max_interval': 30.0 / SPEED}
    steps = [('add 1 VM by name', dict(base, objects=[{'name': names[0], 'type': 'vm'}])),
             ('add %d VMs by name' % count, dict(base, objects=[{'name': name, 'type': 'vm'} for name in names[1:]])),
             ('the same again', dict(base, objects=[{'name': name, 'type': 'vm'} for name in names[1:]])),
             ('exclusive: back to the %d objects by reference' % len(original), dict(base, objects=original, exclusive=True))]
    rows = []
    sim.control('POST', '/faults', {'latency_ms': LATENCY_MS})
    for step, args in steps:
        wall, count_requests, result = run_module(sim, 'veeam_job_object', args, work)
        if result.get('failed'):
            raise RuntimeError('veeam_job_object failed (%s): %s' % (step, result.get('msg')))
        rows.append({'jobs': jobs, 'step': step, 'changed': result['changed'], 'added': len(result['added']), 'removed': len(result['removed']),
                     'requests': count_requests, 'writes': _writes(sim), 'wall_s': wall})
    sim.control('DELETE', '/faults')
    return rows


def a_restorable_vm(sim):
    """The reference of a VM with a restore point (the newest point of the estate), read with the client."""
    with EmClient(sim.settings()) as em:
        points, _more = em.query_first_page('VmRestorePoint', sort_desc='CreationTime', page_size=1)
    return points[0]['hierarchy_obj_ref']


def bench_restore(sim, work, durations, poll=2.0, poll_max=30.0):
    """veeam_vm_restore of one VM: check mode, then one restore per duration (simulated seconds) with wait=true, intervals
    scaled by SPEED as in bench_wait. Requests, wall time, and the delay from the restore session's end to the return."""
    sim.control('POST', '/reset')
    ref = a_restorable_vm(sim)
    sim.control('POST', '/faults', {'latency_ms': LATENCY_MS})
    runs = [('check', 0, {'vm': ref, '_ansible_check_mode': True})]
    runs += [('restore', duration, {'vm': ref, 'confirm': True, 'wait_timeout': 3600, 'poll_interval': poll / SPEED,
                                    'poll_max_interval': poll_max / SPEED}) for duration in durations]
    rows = []
    for mode, duration, args in runs:
        if duration:
            sim.control('POST', '/restores/outcome', {'result': 'Success', 'duration': duration, 'vm': ref})
        wall, count, result = run_module(sim, 'veeam_vm_restore', args, work)
        if result.get('failed'):
            raise RuntimeError('veeam_vm_restore failed: %s' % result.get('msg'))
        row = {'mode': mode, 'restore_sim_s': duration, 'requests': count, 'wall_s': wall}
        if duration:
            now = _sim_seconds(sim.control('GET', '/health')['sim_time'])
            row['return_delay_sim_s'] = now - _sim_seconds(result['restore_session']['end_time'])
            row['within_max_interval'] = row['return_delay_sim_s'] <= poll_max
        rows.append(row)
    sim.control('DELETE', '/faults')
    return rows


def pick_vms(sim, count):
    """Names of ``count`` VMs for the quick backup benchmark: each included by a Backup job whose last run succeeded (a
    quick backup needs a restore point), each name held by no other VM of the estate (so that it resolves to one VM), and
    no two protected by the same backup job, directly or through a container (the simulator refuses a second quick
    backup of a job while the first runs)."""
    last_result = {job['uid'].lower(): job['last_result'] for job in sim.control('GET', '/jobs')['jobs']}
    with EmClient(sim.settings()) as em:
        data = fetch_inventory_data(em)
        points = list(em.query('VmRestorePoint'))
        refs_by_name = {}
        named = [(obj['name'], obj['hierarchy_obj_ref']) for job in data['jobs'] for obj in job['includes']]
        named += [(point.get('vm_display_name') or point.get('vm_name'), point.get('hierarchy_obj_ref')) for point in points]
        for name, ref in named:
            if name and vm_key(ref) is not None:
                refs_by_name.setdefault(name.lower(), set()).add(vm_key(ref))
        candidates = []
        for job in data['jobs']:
            if job['job_type'] == 'Backup' and last_result.get(job['uid'].lower()) == 'Success':
                candidates += [obj['name'] for obj in job['includes']
                               if vm_key(obj['hierarchy_obj_ref']) and len(refs_by_name[obj['name'].lower()]) == 1 and obj['name'] not in candidates]
        targets = VmResolver(em).resolve(candidates)
    picked, used = [], set()
    for target in targets:
        jobs = {job['uid'].lower() for job in target['jobs'] if job['job_type'] == 'Backup'}
        if jobs and not jobs & used and all(last_result.get(uid) == 'Success' for uid in jobs):
            picked.append(target['name'])
            used |= jobs
        if len(picked) == count:
            return picked
    raise RuntimeError('the estate has only %d VMs that fit the quick backup benchmark' % len(picked))


def bench_vm_backup(sim, counts, work, poll=2.0, poll_max=30.0):
    """Quick backups of ``counts`` VMs given by name, waited for; then the same VMs again with max_age_minutes (all skipped)."""
    rows = []
    for count in counts:
        sim.control('POST', '/reset')
        names = pick_vms(sim, count)
        sim.control('POST', '/faults', {'latency_ms': LATENCY_MS})
        args = {'vms': names, 'wait_timeout': 3600, 'poll_interval': poll / SPEED, 'poll_max_interval': poll_max / SPEED}
        wall, requests_made, result = run_module(sim, 'veeam_vm_backup', args, work)
        by_route = sim.control('GET', '/requests')['by_route']
        skip_wall, skip_requests, skipped = run_module(sim, 'veeam_vm_backup', dict(args, max_age_minutes=60), work)
        sim.control('DELETE', '/faults')
        if result.get('failed') or skipped.get('failed'):
            raise RuntimeError('veeam_vm_backup failed: %s' % (result.get('msg') if result.get('failed') else skipped.get('msg')))
        posts = by_route.get('POST /api/backupServers/{id}', 0)
        rows.append({'vms': count, 'requests': requests_made, 'posts': posts, 'other_requests': requests_made - posts,
                     'task_polls': by_route.get('GET /api/tasks', 0), 'queries': by_route.get('GET /api/query', 0), 'wall_s': wall,
                     'succeeded': len([vm for vm in result['vms'] if vm['result'] == 'Success']),
                     'skip_requests': skip_requests, 'skip_wall_s': skip_wall,
                     'skipped': len([vm for vm in skipped['vms'] if vm['action'] == 'skipped'])})
    return rows


def bench_history(results, work, smoke):
    """veeam_session_info and veeam_restore_point_info against an estate with a long history (benchmarks/history.py)."""
    results['history'] = history.SMOKE_HISTORY if smoke else history.HISTORY
    sim = Simulator(work, 'history', results['history'])
    try:
        refs, job = history.history_facts(sim, history.SMOKE_VMS if smoke else history.VMS)
        sim.control('POST', '/faults', {'latency_ms': LATENCY_MS})
        results['session_info'] = history.bench_sessions(sim, run_module, work, refs, LATENCY_MS)
        results['restore_point_info'] = history.bench_points(sim, run_module, work, refs, job, LATENCY_MS)
    finally:
        sim.stop()


def table(title, rows, keys):
    print('\n%s' % title)
    print(' | '.join(keys))
    for row in rows:
        print(' | '.join(('%.3g' % row[key]) if isinstance(row.get(key), float) else str(row.get(key, '-')) for key in keys))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--smoke', action='store_true', help='a tiny estate and one short run: checks that the benchmarks work')
    args = parser.parse_args(argv)
    estates = [(20, 200)] if args.smoke else [(100, 1000), (1000, 10000), (10000, 100000)]
    durations = [5] if args.smoke else [5, 60, 600]
    results = {'machine': {'cores': os.cpu_count(), 'python': sys.version.split()[0]}, 'latency_ms': LATENCY_MS, 'inventory': [], 'job_info': [],
               'wait': [], 'job_object': [], 'restore': [], 'vm_backup': [], 'session_info': [], 'restore_point_info': []}
    with tempfile.TemporaryDirectory(prefix='veeamops-bench-') as work:
        for jobs, includes in estates:
            sim = Simulator(work, 'jobs%d' % jobs, 'servers=%d,jobs=%d,includes=%d,seed=1' % (max(1, jobs // 1000), jobs, includes), '--time-speed', str(SPEED))
            try:
                results['inventory'].append(bench_inventory(sim, jobs, work, naive=jobs <= 1000))
                if jobs >= 1000 or args.smoke:
                    results['job_info'].extend(bench_job_info(sim, jobs, work))
                if jobs == estates[0][0]:
                    results['wait'] = [bench_wait(sim, duration, work) for duration in durations]
                if jobs == 1000 or args.smoke:
                    results['job_object'] = bench_job_object(sim, jobs, work, count=3 if args.smoke else 10)
                if jobs == estates[0][0]:
                    results['restore'] = bench_restore(sim, work, durations[1:] or durations)
            finally:
                sim.stop()
        # Quick backups: an estate whose backup jobs have two past runs each, so that their VMs have restore points.
        sim = Simulator(work, 'vmbackup', 'servers=%d,jobs=%d,includes=%d,seed=1,runs=2' % ((2, 40, 200) if args.smoke else (5, 500, 1000)),
                        '--time-speed', str(SPEED))
        try:
            results['vm_backup'] = bench_vm_backup(sim, [3] if args.smoke else [10, 50], work)
        finally:
            sim.stop()
        bench_history(results, work, args.smoke)
    inventory = results['inventory']
    if len(inventory) > 1:
        results['time_10k_over_1k'] = inventory[-1]['wall_s'] / inventory[-2]['wall_s']
        results['fetch_10k_over_1k'] = inventory[-1]['fetch_s'] / inventory[-2]['fetch_s']
    table('Inventory (ansible-inventory --graph; fetch = the plugin\'s requests in-process)', inventory,
          ['jobs', 'includes', 'requests', 'bound_s', 'wall_s', 'ratio_to_bound', 'fetch_s', 'fetch_ratio_to_bound', 'peak_mb', 'naive_requests',
           'naive_s', 'naive_over_fetch', 'naive_over_inventory'])
    table('veeam_job_info', results['job_info'], ['jobs', 'details', 'listed', 'requests', 'wall_s'])
    table('veeam_job wait=true (simulated seconds; time %gx faster, intervals scaled alike)' % SPEED, results['wait'],
          ['duration_sim_s', 'return_delay_sim_s', 'poll_max_interval_sim_s', 'within_max_interval', 'requests', 'request_limit', 'within_limit'])
    table('veeam_job_object (one job; simulated time %gx faster, intervals scaled alike)' % SPEED, results['job_object'],
          ['jobs', 'step', 'changed', 'added', 'removed', 'requests', 'writes', 'wall_s'])
    table('veeam_vm_restore (check mode, then wait=true; simulated seconds, time %gx faster, intervals scaled alike)' % SPEED,
          results['restore'], ['mode', 'restore_sim_s', 'requests', 'wall_s', 'return_delay_sim_s', 'within_max_interval'])
    table('veeam_vm_backup by name, wait=true, then again with max_age_minutes (all skipped)', results['vm_backup'],
          ['vms', 'requests', 'posts', 'other_requests', 'task_polls', 'queries', 'succeeded', 'wall_s', 'skip_requests', 'skipped', 'skip_wall_s'])
    table('veeam_session_info (%s)' % results['history'], results['session_info'],
          ['case', 'sessions', 'task_sessions', 'warnings', 'requests', 'bound_s', 'wall_s'])
    table('veeam_restore_point_info (%s)' % results['history'], results['restore_point_info'],
          ['case', 'vms', 'points', 'requests', 'bound_s', 'wall_s', 'naive_requests'])
    for key in ('time_10k_over_1k', 'fetch_10k_over_1k'):
        if key in results:
            print('%s: %.2f' % (key, results[key]))
    out = Path(os.environ.get('BENCH_RESULTS') or HERE / 'results')
    out.mkdir(parents=True, exist_ok=True)
    (out / ('smoke.json' if args.smoke else 'results.json')).write_text(json.dumps(results, indent=2))
    if args.smoke:
        assert inventory[0]['requests'] == 4, inventory[0]
        assert all(row['within_max_interval'] and row['requests'] <= 20 for row in results['wait']), results['wait']
        objects = results['job_object']
        assert [row['writes'] for row in objects[:3]] == [1, 3, 0] and not objects[2]['changed'] and objects[3]['removed'] == 4, objects
        assert results['restore'][0]['requests'] <= 8 and results['restore'][1]['within_max_interval'], results['restore']
        assert all(row['posts'] == row['vms'] == row['succeeded'] == row['skipped'] for row in results['vm_backup']), results['vm_backup']
        assert results['session_info'][0]['requests'] == 4 and results['session_info'][0]['sessions'] == 200, results['session_info']
        assert all(row['requests'] <= 12 for row in results['session_info'] + results['restore_point_info']), results
        print('smoke: 5 passed, 0 failed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
