# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""veeam_em options: host names, constructed features, job selection, credentials, unsafe values, file names."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.parsing import vault
from ansible.parsing.vault import VaultLib, VaultSecret

from ansible_collections.veeamops.em.tests.unit.plugins.inventory import inventory_estate as estate
from ansible_collections.veeamops.em.tests.unit.plugins.inventory.inventory_runner import Warnings, dump, load_plugin, parse, write_config
from ansible_collections.veeamops.em.tests.unit.utils import em_http as scripted
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import VBR01

ONE_JOB = [estate.REPLICA]
BOTH_WEB01 = [estate.DAILY, estate.DAILY2]


@pytest.fixture(autouse=True)
def warnings(monkeypatch):
    recorder = Warnings()
    monkeypatch.setattr(load_plugin().display, 'warning', recorder)
    return recorder


def run(em_http, tmp_path, jobs=None, filter_text=None, **options):
    estate.script_fetch(em_http, jobs=jobs, filter_text=filter_text).expect_logoff()
    return dump(parse(write_config(tmp_path, **options))[0])


# --- host names -------------------------------------------------------------------------------

@pytest.mark.parametrize('hostnames, expected', [
    (['display_name'], ['Tenant VM 01', 'app01', 'db01', 'web01_vc01.lab.local_vm-1042', 'web01_vc02.lab.local_vm-1042']),
    (['object_ref'], ['020aa5ab-3523-4946-b658-b8ad5b372439', estate.VCD_VM, 'vm-1042_vc01.lab.local_vm-1042',
                      'vm-1042_vc02.lab.local_vm-1042', 'vm-2001']),
    (['{{ veeam_name | upper }}.lab.local'], ['APP01.lab.local', 'DB01.lab.local', 'TENANT-VM01.lab.local',
                                              'WEB01.lab.local_vc01.lab.local_vm-1042', 'WEB01.lab.local_vc02.lab.local_vm-1042']),
    (['{{ veeam_hierarchy_root_name }}/{{ veeam_name }}'],
     ['hv01.lab.local/app01', 'vc01.lab.local/db01', 'vc01.lab.local/web01', 'vc02.lab.local/web01', 'vcd01.lab.local/tenant-vm01']),
])
def test_hostname_preferences(em_http, tmp_path, hostnames, expected):
    assert sorted(run(em_http, tmp_path, hostnames=hostnames)['hosts']) == sorted(expected)


def test_failing_template_falls_through_to_the_next_preference(em_http, tmp_path):
    hosts = run(em_http, tmp_path, jobs=ONE_JOB, hostnames=['{{ no_such_variable }}', '{{ "" }}', 'name'])['hosts']
    assert list(hosts) == ['db01']


def test_without_any_usable_preference_the_reference_names_the_host(em_http, tmp_path):
    hosts = run(em_http, tmp_path, jobs=ONE_JOB, hostnames=['{{ no_such_variable }}'])['hosts']
    assert list(hosts) == [estate.DB01]


def test_failing_template_is_an_error_with_strict(em_http, tmp_path):
    estate.script_fetch(em_http, jobs=ONE_JOB).expect_logoff()
    with pytest.raises(AnsibleError, match=r"cannot render host name '\{\{ no_such_variable \}\}' for VM urn:VMware:Vm:"):
        parse(write_config(tmp_path, strict=True, hostnames=['{{ no_such_variable }}']))


def test_unknown_hostnames_entry_is_rejected_before_any_request(em_http, tmp_path):
    with pytest.raises(AnsibleError, match=r"Invalid entry in hostnames \('nmae'\).*name, display_name, object_ref, hierarchy_obj_ref"):
        parse(write_config(tmp_path, hostnames=['nmae']))
    assert em_http.calls == []


# --- constructed -------------------------------------------------------------------------------

def test_compose_groups_and_keyed_groups(em_http, tmp_path):
    result = run(em_http, tmp_path, jobs=BOTH_WEB01 + ONE_JOB,
                 compose={'ansible_host': "veeam_name ~ '.lab.local'", 'job_count': 'veeam_jobs | length'},
                 groups={'in_two_jobs': 'veeam_jobs | length > 1'},
                 keyed_groups=[{'key': 'veeam_hierarchy_root_name', 'prefix': 'vcenter'}, {'key': 'veeam_object_type', 'separator': ''}],
                 leading_separator=False)
    hosts, groups = result['hosts'], result['groups']
    assert hosts['db01']['ansible_host'] == 'db01.lab.local' and int(hosts['db01']['job_count']) == 2  # a string on ansible-core < 2.19
    assert groups['in_two_jobs']['hosts'] == ['db01']
    assert groups['vcenter_vc01_lab_local']['hosts'] == ['db01', 'web01_vc01.lab.local_vm-1042']
    assert groups['vcenter_vc02_lab_local']['hosts'] == ['web01_vc02.lab.local_vm-1042']
    assert groups['Vm']['hosts'] == sorted(hosts)


def test_compose_error_is_skipped_or_fatal_with_strict(em_http, tmp_path):
    hosts = run(em_http, tmp_path, jobs=ONE_JOB, compose={'broken': 'no_such_variable.attribute'})['hosts']
    assert 'broken' not in hosts['db01']
    estate.script_fetch(em_http, jobs=ONE_JOB).expect_logoff()
    with pytest.raises(AnsibleError, match='Could not set broken for host db01'):
        parse(write_config(tmp_path, strict=True, compose={'broken': 'no_such_variable.attribute'}))


def test_group_prefix(em_http, tmp_path):
    groups = run(em_http, tmp_path, jobs=ONE_JOB, group_prefix='em_')['groups']
    assert sorted(groups) == ['em_backup_server_vbr01_lab_local', 'em_job_sql_replica', 'em_job_type_replica', 'em_platform_vmware']
    assert sorted(run(em_http, tmp_path, jobs=ONE_JOB, group_prefix='')['groups'])[0] == 'backup_server_vbr01_lab_local'


@pytest.mark.parametrize('prefix', ['veeam-', '1veeam_', 'a b'])
def test_bad_group_prefix(em_http, tmp_path, prefix):
    with pytest.raises(AnsibleError, match='Invalid value for option group_prefix'):
        parse(write_config(tmp_path, group_prefix=prefix))


# --- unsafe values ---------------------------------------------------------------------------

def test_values_from_enterprise_manager_are_never_templated(em_http, tmp_path):
    evil = estate.vm_job('{{ 6 * 7 }} job', '77777777-7777-4777-8777-777777777777',
                         [estate.include(estate.DB01, "{{ lookup('env', 'HOME') }}", '{{ 6 * 7 }}')])
    result = run(em_http, tmp_path, jobs=[evil], compose={'shown_name': 'veeam_name', 'shown_display': 'veeam_display_name'},
                 hostnames=['{{ veeam_display_name }}-vm'])
    host = result['hosts']['{{ 6 * 7 }}-vm']
    assert host['shown_name'] == "{{ lookup('env', 'HOME') }}" and host['shown_display'] == '{{ 6 * 7 }}'
    assert host['veeam_jobs'][0]['name'] == '{{ 6 * 7 }} job'
    assert 'veeam_job_6_7_job' in result['groups']


# --- job selection ---------------------------------------------------------------------------

def test_job_filters_and_types_go_to_the_query_service(em_http, tmp_path):
    expected = 'BackupServerName=="vbr01.lab.local";(Platform==VMware,Platform==HyperV);ScheduleEnabled==true;(JobType==Backup,JobType==Replica)'
    result = run(em_http, tmp_path, jobs=[estate.DAILY, estate.REPLICA, estate.HYPERV], filter_text=expected,
                 job_filters={'backupservername': 'vbr01.lab.local', 'Platform': ['VMware', 'HyperV'], 'ScheduleEnabled': True},
                 job_types=['Backup', 'Replica'])
    assert sorted(result['hosts']) == ['app01', 'db01', 'web01']


def test_exclude_job_names_and_job_query_run_on_the_client(em_http, tmp_path):
    result = run(em_http, tmp_path, exclude_job_names=['Daily*', 'Tenant Backup'],
                 job_query="job_type != 'ImmediateBackupCopy' && length(includes[?object_type == 'Vm']) > `0`")
    assert sorted(result['groups'])[:3] == ['veeam_backup_server_vbr01_lab_local', 'veeam_job_hyper_v_apps_daily', 'veeam_job_sql_replica']
    assert [name for name in result['groups'] if name.startswith('veeam_job_') and 'type' not in name] == [
        'veeam_job_hyper_v_apps_daily', 'veeam_job_sql_replica']


def test_job_query_sees_the_schedule_and_backup_server(em_http, tmp_path):
    result = run(em_http, tmp_path, job_query="backup_server.name == 'vbr02.lab.local' && schedule.mode == 'standard'")
    assert list(result['hosts']) == ['web01']


@pytest.mark.parametrize('options, message', [
    ({'job_filters': {'Colour': 'blue'}}, r'Unknown field in job_filters \(Colour\).*use one of UID, Name'),
    ({'job_filters': {'Name': []}}, r'Invalid value in job_filters \(Name has an empty list\)'),
    ({'job_filters': {'Name': {'a': 1}}}, r'Invalid value in job_filters'),
    ({'job_query': 'name ==='}, r'Invalid JMESPath expression in option job_query'),
    ({'job_types': ['Backups']}, r'job_types'),
])
def test_bad_selection_options_fail_before_any_request(em_http, tmp_path, options, message):
    with pytest.raises(AnsibleError, match=message):
        parse(write_config(tmp_path, **options))
    assert em_http.calls == []


# --- credentials and file names ----------------------------------------------------------------

def test_connection_from_environment_variables(em_http, tmp_path, monkeypatch):
    monkeypatch.setenv('VEEAM_EM_URL', scripted.EM)
    monkeypatch.setenv('VEEAM_EM_USERNAME', scripted.USERNAME)
    monkeypatch.setenv('VEEAM_EM_PASSWORD', scripted.PASSWORD)
    monkeypatch.setenv('VEEAM_EM_TIMEOUT', '7.5')
    estate.script_fetch(em_http, jobs=ONE_JOB).expect_logoff()
    inventory, _plugin = parse(write_config(tmp_path, connection=False))
    assert list(inventory.hosts) == ['db01'] and em_http.calls[0].timeout == 7.5 and em_http.calls[0].verify is True


def test_templated_password(em_http, tmp_path):
    text = ('plugin: veeamops.em.veeam_em\nurl: %s\nusername: "{{ \'LAB\' }}\\\\svc-ansible"\n'
            'password: "{{ \'Ansible:Pa&ss=\' ~ \'wörd\' }}"\n' % scripted.EM)
    estate.script_fetch(em_http, jobs=ONE_JOB).expect_logoff()
    assert list(parse(write_config(tmp_path, text=text))[0].hosts) == ['db01']


def test_vault_encrypted_password(em_http, tmp_path, monkeypatch):
    secret = [('default', VaultSecret(b'unit-test-vault-secret'))]
    if hasattr(vault, 'VaultSecretsContext'):  # ansible-core 2.19+: the CLI installs the secrets once per process
        monkeypatch.setattr(vault.VaultSecretsContext, '_current', vault.VaultSecretsContext(secret))
    encrypted = VaultLib(secret).encrypt(scripted.PASSWORD).decode('ascii')
    indented = '\n'.join('  ' + line for line in encrypted.splitlines())
    text = 'plugin: veeamops.em.veeam_em\nurl: %s\nusername: "LAB\\\\svc-ansible"\npassword: !vault |\n%s\n' % (scripted.EM, indented)
    loader = DataLoader()
    loader.set_vault_secrets(secret)
    estate.script_fetch(em_http, jobs=ONE_JOB).expect_logoff()
    assert list(parse(write_config(tmp_path, text=text), loader=loader)[0].hosts) == ['db01']


@pytest.mark.parametrize('name, accepted', [
    ('prod.veeam_em.yml', True), ('veeam_em.yaml', True), ('prod.veeam_em.json', False), ('veeam.yml', False), ('hosts', False),
])
def test_verify_file(tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text('plugin: veeamops.em.veeam_em\n')
    assert load_plugin().verify_file(str(path)) is accepted
    assert load_plugin().verify_file(str(tmp_path / 'missing.veeam_em.yml')) is False


def test_the_job_group_of_an_unselected_source_is_not_a_child(em_http, tmp_path):
    groups = run(em_http, tmp_path, jobs=[estate.COPY, estate.REPLICA])['groups']
    assert groups['veeam_job_offsite_copy'] == {'hosts': [], 'children': [], 'vars': {}}
    assert VBR01[0] == 'vbr01.lab.local'


def test_empty_environment_variables_count_as_unset(em_http, tmp_path, monkeypatch):
    monkeypatch.setenv('VEEAM_EM_CA_PATH', '')
    monkeypatch.setenv('VEEAM_EM_URL', scripted.EM)
    monkeypatch.setenv('VEEAM_EM_USERNAME', scripted.USERNAME)
    monkeypatch.setenv('VEEAM_EM_PASSWORD', scripted.PASSWORD)
    estate.script_fetch(em_http, jobs=ONE_JOB).expect_logoff()
    parse(write_config(tmp_path, connection=False))
    assert em_http.calls[0].verify is True
    monkeypatch.setenv('VEEAM_EM_PASSWORD', ' ')
    with pytest.raises(AnsibleError, match='Missing value for option password'):
        parse(write_config(tmp_path, connection=False))
