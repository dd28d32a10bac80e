# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Large estates for benchmarks: ``servers=N,jobs=M,includes=K,seed=S``.

K is the number of objects in VM jobs of the whole estate (what ``query?type=ObjectInJob``
returns), spread over the backup and replica jobs (at least one each; duplicates within a job
are skipped, so the count can come out slightly lower).

Deterministic for a seed. Mixed on purpose: vCenters on every backup server, a Hyper-V host on
every third and a Cloud Director on every fifth; about 10 % of VM names repeat across vCenters;
VMs in several jobs; container includes (folders, clusters, hosts, datastores, resource pools,
tags); job types Backup ~70 %, Replica ~15 %, BackupCopy and ImmediateBackupCopy ~10 % (no
includes, linked to a backup job), agent and NAS jobs ~5 %; a past run for most VM jobs.
The three lab accounts are included so the same credentials work.

History for the restore side: ``runs=R`` gives every backup, replica and backup copy job R past runs
(one a day, the newest 1–23 hours ago), or ``sessions=N`` spreads N past runs over those jobs;
``points=P`` is the retention of every job (``retention.cycles``, default 14), so a VM keeps at
most P restore points per backup. Without ``runs`` or ``sessions`` most VM jobs get one past run.
Every backup server gets a ``Default Backup Repository`` and an object-storage repository with
``-1`` sizes.
"""

from __future__ import annotations

import json
import random
import re

import yaml

from .values import new_guid

LAB_ACCOUNTS = [
    {'username': 'LAB\\svc-ansible', 'password': 'Ansible:Pa&ss=wörd', 'role': 'PortalAdministrator'},
    {'username': 'LAB\\portal-user', 'password': 'PortalUser!1', 'role': 'PortalUser'},
    {'username': 'LAB\\restore-op', 'password': 'Restore!1', 'role': 'RestoreOperator'},
]
_VMWARE_CONTAINERS = (('Folder', 'group-v'), ('Cluster', 'domain-c'), ('Host', 'host-'), ('Datastore', 'datastore-'),
                      ('ResourcePool', 'resgroup-'), ('Tag', 'urn:vmomi:InventoryServiceTag:'))
_NAME_WORDS = ('web', 'app', 'db', 'sql', 'file', 'dc', 'mail', 'erp', 'crm', 'git', 'ci', 'log', 'mon', 'proxy', 'cache', 'api')
_SPEC_KEYS = ('servers', 'jobs', 'includes', 'seed', 'runs', 'sessions', 'points')
_HISTORY_TYPES = ('Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy')
_RESULT_WEIGHTS = (('Success', 'Warning', 'Failed'), (85, 10, 5))


class GeneratorSpecError(ValueError):
    pass


def parse_spec(text: str) -> dict:
    values = {}
    for part in filter(None, re.split(r'[,\s]+', text.strip())):
        key, sep, value = part.partition('=')
        if not sep or key not in _SPEC_KEYS or not value.isdigit():
            raise GeneratorSpecError(f"bad generator setting '{part}'; use servers=N,jobs=M,includes=K,seed=S"
                                     f"[,runs=R|sessions=N][,points=P] (whole numbers)")
        values[key] = int(value)
    values.setdefault('servers', 2)
    values.setdefault('jobs', 100)
    values.setdefault('includes', values['jobs'] * 3)
    values.setdefault('seed', 1)
    if values['servers'] < 1 or values['jobs'] < 1:
        raise GeneratorSpecError('servers and jobs must be at least 1')
    if 'runs' in values and 'sessions' in values:
        raise GeneratorSpecError('give either runs (past runs per job) or sessions (past runs in all), not both')
    if values.get('points', 1) < 1:
        raise GeneratorSpecError('points must be at least 1')
    return values


class _Builder:
    def __init__(self, servers, jobs, includes, seed, runs=None, sessions=None, points=None):
        self.rng = random.Random(seed)
        self.counts = (servers, jobs, includes)
        self.history = (runs, sessions, points)
        self.servers, self.roots, self.jobs = [], [], []
        self.vms_by_server = {}
        self.containers_by_server = {}

    def guid(self):
        return new_guid(self.rng)

    def build(self) -> dict:
        servers, jobs, includes = self.counts
        for index in range(servers):
            self._server(index)
        self._inventory(max(10, int(includes * 0.8)))
        self._jobs(jobs, includes)
        runs, sessions, points = self.history
        if runs is not None or sessions is not None:
            self._histories(runs, sessions)
        if points is not None:
            for job in self.jobs:
                job['retention'] = {'cycles': points}
        return {'backup_servers': self.servers, 'repositories': self._repositories(), 'hierarchy_roots': self.roots,
                'accounts': [dict(item) for item in LAB_ACCOUNTS], 'jobs': self.jobs}

    def _repositories(self):
        repositories = []
        for server in self.servers:
            repositories.append({'id': self.guid(), 'name': 'Default Backup Repository', 'backup_server': server['name'],
                                 'kind': 'WindowsLocal', 'capacity': 16 * 1024 ** 4, 'free_space': self.rng.randrange(1, 16) * 1024 ** 4})
            repositories.append({'id': self.guid(), 'name': f'Object Storage {server["name"].split(".")[0]}', 'backup_server': server['name'],
                                 'kind': 'AmazonS3Compatible', 'capacity': -1, 'free_space': -1})
        return repositories

    def _histories(self, runs, sessions):
        """``runs`` past runs per VM job, or ``sessions`` in all spread over them (one a day, the newest first hours ago)."""
        jobs = [job for job in self.jobs if job.get('type') in _HISTORY_TYPES]
        if not jobs:
            return
        for index, job in enumerate(jobs):
            count = runs if runs is not None else sessions // len(jobs) + (1 if index < sessions % len(jobs) else 0)
            newest = self.rng.randrange(1, 24)
            results = self.rng.choices(*_RESULT_WEIGHTS, k=count)
            job['history'] = [{'start': f'-{newest + 24 * number}h', 'duration': self.rng.randrange(300, 5400), 'result': result}
                              for number, result in enumerate(results)]

    def _server(self, index):
        name = f'vbr{index + 1:02d}.gen.local'
        self.servers.append({'id': self.guid(), 'name': name, 'description': f'Generated backup server {index + 1}'})
        kinds = [('VC', f'vc{index + 1:02d}a.gen.local'), ('VC', f'vc{index + 1:02d}b.gen.local')]
        if index % 3 == 0:
            kinds.append(('HvServer', f'hv{index + 1:02d}.gen.local'))
        if index % 5 == 0:
            kinds.append(('VcdSystem', f'vcd{index + 1:02d}.gen.local'))
        for host_type, root_name in kinds:
            self.roots.append({'id': self.guid(), 'name': root_name, 'backup_server': name, 'host_type': host_type, 'objects': []})

    def _inventory(self, vm_total):
        per_kind = max(2, vm_total // len(self.roots) // 40)
        containers_by_kind = {}
        for root in self.roots:
            containers_by_kind[root['name']] = self._containers(root, per_kind)
        name_pool = max(1, int(vm_total * 0.9))
        if len(self.roots) > 1 and name_pool % len(self.roots) == 0:
            name_pool -= 1  # VM n and VM n + name_pool share a name and sit under different roots
        for index in range(vm_total):
            root = self.roots[index % len(self.roots)]
            kinds = containers_by_kind[root['name']]
            number = index % name_pool
            parents = {self.rng.choice(refs) for refs in self.rng.sample(kinds, min(2, len(kinds)))}
            vm = {'type': 'Vm', 'ref': self._vm_ref(root, index), 'name': f'{_NAME_WORDS[number % len(_NAME_WORDS)]}{number:05d}',
                  'in': sorted(parents)}
            root['objects'].append(vm)
            self.vms_by_server.setdefault((root['backup_server'], root['host_type']), []).append((root['name'], vm))

    def _containers(self, root, per_kind):
        """``per_kind`` containers of each kind the platform has; returns their refs per kind."""
        kinds = {'VC': _VMWARE_CONTAINERS, 'HvServer': (('Host', 'host-'), ('VmGroup', 'vmgroup-')),
                 'VcdSystem': (('Vapp', 'urn:vcloud:vapp:'), ('OrgVdc', 'urn:vcloud:vdc:'))}[root['host_type']]
        short = root['name'].split('.')[0]
        refs_by_kind = []
        for kind, prefix in kinds:
            refs = []
            for number in range(per_kind):
                ref = f'{prefix}{self.guid()}' if prefix.startswith('urn') else f'{prefix}{100 + number}'
                obj = {'type': kind, 'ref': ref, 'name': f'{kind}-{short}-{number + 1}'}
                root['objects'].append(obj)
                refs.append(ref)
                self.containers_by_server.setdefault((root['backup_server'], root['host_type']), []).append((root['name'], obj))
            refs_by_kind.append(refs)
        return refs_by_kind

    def _vm_ref(self, root, index):
        if root['host_type'] == 'HvServer':
            return self.guid()
        if root['host_type'] == 'VcdSystem':
            return f'urn:vcloud:vm:{self.guid()}'
        return f'vm-{1000 + index}'

    def _jobs(self, count, include_total):
        kinds = self.rng.choices(['Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy', 'agent', 'nas'],
                                 weights=[70, 15, 5, 5, 3, 2], k=count)
        kinds[0] = 'Backup'
        vm_jobs = [index for index, kind in enumerate(kinds) if kind in ('Backup', 'Replica')]
        quota = {index: 1 for index in vm_jobs}
        for _repeat in range(max(0, include_total - len(vm_jobs))):
            quota[self.rng.choice(vm_jobs)] += 1
        backup_names = {}
        for index, kind in enumerate(kinds):
            server = self.servers[index % len(self.servers)]['name']
            name = f'{kind if kind not in ("agent", "nas") else kind.upper()} Job {index + 1:05d}'
            job = {'id': self.guid(), 'name': name, 'backup_server': server, 'description': f'Generated {kind} job',
                   'schedule': {'configured': self.rng.random() < 0.9, 'enabled': self.rng.random() < 0.8,
                                'next_run': f'+{30 + self.rng.randrange(0, 30)}d',
                                'daily': f'{self.rng.randrange(18, 24)}:{self.rng.choice(("00", "30"))}'},
                   'run': {'duration': round(2 + self.rng.random() * 4, 1)}}
            if kind == 'agent':
                job.update(kind='agent', includes=[{'name': f'Servers group {index + 1}'}])
            elif kind == 'nas':
                job.update(kind='nas', includes=[{'path': f'\\\\fs{index % 9 + 1}.gen.local\\share{index + 1}'}])
            elif kind in ('BackupCopy', 'ImmediateBackupCopy'):
                job['type'] = kind
                if backup_names.get(server):
                    job['linked_jobs'] = [self.rng.choice(backup_names[server])]
            else:
                job['type'] = kind
                job['includes'] = self._includes(server, quota[index])
                if not job['includes']:
                    continue
                if kind == 'Backup':
                    backup_names.setdefault(server, []).append(name)
                if self.rng.random() < 0.7:
                    job['history'] = [{'id': self.guid(), 'start': f'-{self.rng.randrange(2, 72)}h',
                                       'duration': self.rng.randrange(300, 5400),
                                       'result': self.rng.choices(['Success', 'Warning', 'Failed'], weights=[85, 10, 5])[0]}]
            self.jobs.append(job)

    def _includes(self, server, count):
        platform = 'VC' if self.rng.random() < 0.85 else self.rng.choice(('HvServer', 'VcdSystem'))
        if (server, platform) not in self.vms_by_server:
            platform = 'VC'
        vms = self.vms_by_server.get((server, platform), [])
        containers = self.containers_by_server.get((server, platform), [])
        chosen, items = set(), []
        for _repeat in range(count * 3):
            if len(items) >= count:
                break
            pool = containers if containers and self.rng.random() < 0.15 else vms
            root_name, obj = self.rng.choice(pool)
            key = (root_name, obj['ref'])
            if key not in chosen:
                chosen.add(key)
                items.append({'id': self.guid(), 'root': root_name, 'ref': obj['ref']})
        return items


def generate(servers: int = 2, jobs: int = 100, includes: int = 300, seed: int = 1, runs: int = None, sessions: int = None,
             points: int = None) -> dict:
    return _Builder(servers, jobs, includes, seed, runs, sessions, points).build()


def write_scenario(data: dict, path: str) -> None:
    with open(path, 'w', encoding='utf-8') as handle:
        if path.endswith('.json'):
            json.dump(data, handle, ensure_ascii=False)
        else:
            yaml.safe_dump(data, handle, allow_unicode=True, sort_keys=False, width=200)
