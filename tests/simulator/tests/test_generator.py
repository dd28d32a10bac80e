# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated estates: deterministic, mixed, loadable (no server needed)."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import LAB, VC01

from em_simulator.config import Config
from em_simulator.generator import GeneratorSpecError, generate, parse_spec
from em_simulator.scenario import ScenarioError, read_scenario
from em_simulator.sim import Simulation


def test_same_seed_same_estate_other_seed_other_estate():
    assert generate(servers=3, jobs=60, includes=200, seed=5) == generate(servers=3, jobs=60, includes=200, seed=5)
    assert generate(servers=3, jobs=60, includes=200, seed=5) != generate(servers=3, jobs=60, includes=200, seed=6)


def test_generated_estate_loads_and_is_mixed():
    sim = Simulation(Config())
    sim.load(generate(servers=6, jobs=300, includes=1500, seed=2))
    estate = sim.estate
    assert len(estate.servers) == 6 and len(estate.jobs) == 300
    vm_includes = [include for include in estate.includes.values() if include.job.kind == 'vm']
    assert 1400 <= len(vm_includes) <= 1500  # includes=K counts the objects of VM jobs (query type ObjectInJob)
    types = Counter(job.job_type for job in estate.jobs.values())
    assert set(types) == {'Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy', 'AgentBackup', 'NasBackup'}
    platforms = {job.platform for job in estate.jobs.values()}
    assert {'VMware', 'HyperV', 'vCloud'} <= platforms
    kinds = Counter(estate.inventory_object(include.ref).type for include in vm_includes)
    assert kinds['Vm'] > 0 and len(kinds) > 2  # container includes of several kinds
    per_vm = Counter(include.ref for include in vm_includes if estate.inventory_object(include.ref).is_vm)
    assert max(per_vm.values()) > 1  # VMs in several jobs
    names = Counter((obj.name, obj.root.id) for obj in estate.objects.values() if obj.is_vm)
    by_name = Counter(name for name, _root in names)
    assert any(count > 1 for count in by_name.values())  # the same VM name under several roots
    assert sum(1 for session in estate.sessions.values()) > 100
    assert all(job.includes for job in estate.jobs.values() if job.job_type in ('Backup', 'Replica'))


@pytest.mark.parametrize('text, expected', [
    ('servers=2,jobs=10,includes=30,seed=4', {'servers': 2, 'jobs': 10, 'includes': 30, 'seed': 4}),
    ('jobs=10', {'servers': 2, 'jobs': 10, 'includes': 30, 'seed': 1}),
    ('jobs=10,sessions=500,points=7', {'servers': 2, 'jobs': 10, 'includes': 30, 'seed': 1, 'sessions': 500, 'points': 7}),
    ('jobs=10,runs=3', {'servers': 2, 'jobs': 10, 'includes': 30, 'seed': 1, 'runs': 3}),
])
def test_parse_spec(text, expected):
    assert parse_spec(text) == expected


@pytest.mark.parametrize('text', ['servers=two', 'colour=1', 'jobs=0', 'servers', 'runs=2,sessions=9', 'points=0'])
def test_parse_spec_errors(text):
    with pytest.raises(GeneratorSpecError):
        parse_spec(text)


@pytest.mark.parametrize('data, fragment', [
    ({'jobs': [{'name': 'x', 'kind': 'tape'}]}, 'kind must be'),
    ({'backup_servers': [{'name': 'a'}], 'jobs': [{'name': 'x', 'backup_server': 'b'}]}, 'unknown backup_server'),
    ({'accounts': [{'username': 'u', 'password': 'p', 'role': 'Janitor'}]}, 'unknown role'),
    ({'backup_servers': [{'name': 'a'}], 'hierarchy_roots': [{'name': 'r', 'host_type': 'Mainframe'}]}, 'host_type'),
    ({'backup_servers': [{'name': 'a'}], 'jobs': [{'name': 'x', 'history': [{'result': 'Great'}]}]}, 'must be one of'),
    ({'jobs': 'many'}, 'expected a list'),
])
def test_scenario_errors_name_the_culprit(data, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        Simulation(Config()).load(data)


def test_history_for_benchmarks_runs_sessions_and_points():
    sim = Simulation(Config())
    sim.load(generate(servers=2, jobs=40, includes=150, seed=3, sessions=600, points=5))
    estate = sim.estate
    with_history = [job for job in estate.jobs.values() if job.job_type in ('Backup', 'Replica', 'BackupCopy', 'ImmediateBackupCopy')]
    share = 600 // len(with_history)
    assert len(estate.sessions) == 600 and {len(job.sessions) for job in with_history} <= {share, share + 1}
    catalog = estate.catalog
    chains = Counter((point.restore_point.backup.id, point.vm_ref) for point in catalog.vm_points.values())
    assert max(chains.values()) == 5  # retention: points=5 per VM and backup
    assert len({ref for _backup, ref in chains}) > 20 and len(catalog.backups) > 10
    assert {repository.kind for repository in catalog.repositories.values()} == {'WindowsLocal', 'AmazonS3Compatible'}
    assert {session.trigger for session in estate.sessions.values()} == {'schedule'}
    runs = generate(servers=2, jobs=40, includes=150, seed=3, runs=4)
    assert all(len(job['history']) == 4 for job in runs['jobs'] if job.get('type') in ('Backup', 'Replica', 'BackupCopy'))
    assert all(len(job.get('history', [])) <= 1 for job in generate(servers=2, jobs=40, includes=150, seed=3)['jobs'])  # the default


@pytest.mark.parametrize('data, fragment', [
    ({'backup_servers': [{'name': 'a'}], 'repositories': [{'kind': 'Nfs'}]}, 'at least a name'),
    ({'backup_servers': [{'name': 'a'}], 'repositories': [{'name': 'r', 'capacity': 'big'}]}, 'whole number of bytes'),
    ({'backup_servers': [{'name': 'a'}], 'jobs': [{'name': 'x', 'repository': 'elsewhere'}]}, 'is not a repository of a'),
    ({'backup_servers': [{'name': 'a'}], 'jobs': [{'name': 'x', 'history': [{'repeat': 2, 'restore_point': 'p'}]}]}, 'do not go with repeat'),
    ({'backup_servers': [{'name': 'a'}], 'jobs': [{'name': 'x', 'history': [{'repeat': 0}]}]}, 'repeat must be 1 or more'),
    ({'backup_servers': [{'name': 'a'}], 'accounts': [{'username': 'u', 'password': 'p', 'scope': ['urn:VMware:Vm:x.vm-1']}]},
     'is not an object of any hierarchy root'),
    ({'backup_servers': [{'name': 'a'}], 'restores': [{'point': 'nope'}]}, 'is not a VM restore point'),
    ({'backup_servers': [{'name': 'a'}], 'restores': [{'start': '-1d'}]}, 'at least point'),
])
def test_restore_side_scenario_errors_name_the_culprit(data, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        Simulation(Config()).load(data)


def test_lab_history_repeats_and_fixed_ids():
    sim = Simulation(Config())
    sim.load(read_scenario(str(LAB)))
    daily = sim.estate.job('47752464-8e77-407a-a936-132173ac15f5')
    starts = [session.created for session in daily.sessions]
    assert starts == sorted(starts) and len(starts) == 11
    assert {round((later - earlier).total_seconds() / 86400) for earlier, later in zip(starts, starts[1:])} == {1}
    catalog = sim.estate.catalog
    assert catalog.vm_points['d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'].restore_point.id == 'b36a86f1-0417-4378-83c0-639f1cb433ba'
    assert catalog.vm_points['d3c0e8f2-5a71-4c9b-b2e4-8f16a9d07c35'].backup_file.id == '7b2e4d91-3c58-4a06-9f1d-e5a8c2b70f46'
    assert sim.estate.task_sessions['f0a3c6e9-7b12-4d58-9e4a-2c81b5d7f306'].vm.name == 'app01'
    assert catalog.scopes['lab\\restore-op'] == [f'urn:vmware:folder:{VC01}.group-v2101']
