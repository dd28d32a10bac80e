# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Generated estates: deterministic, mixed, loadable (no server needed)."""

from __future__ import annotations

from collections import Counter

import pytest

from em_simulator.config import Config
from em_simulator.generator import GeneratorSpecError, generate, parse_spec
from em_simulator.scenario import ScenarioError
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
])
def test_parse_spec(text, expected):
    assert parse_spec(text) == expected


@pytest.mark.parametrize('text', ['servers=two', 'colour=1', 'jobs=0', 'servers'])
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
