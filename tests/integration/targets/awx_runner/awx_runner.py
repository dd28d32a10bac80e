# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX / Automation Controller test of the collection, through ansible-runner.

AWX runs every job and inventory update with ansible-runner in a private data folder, with the credentials of
the job injected by their credential types. This test does the same against the Enterprise Manager simulator:

1. checks docs/awx/credential_type.yml and renders its injectors as AWX does (awx_credential.py);
2. runs an inventory update of docs/awx/project/inventory/production.veeam_em.yml (ansible-inventory --list);
3. turns its output into the inventory script AWX gives to jobs, and runs the job template playbooks of
   docs/awx/project with a limit: backup_before_change.yml, then schedule_window.yml paused and resumed as two
   separate jobs;
4. checks the effects through the simulator's /_sim/ API, that every logon session was closed, that the
   password is in no file of the job folders (events, artifacts, stdout), and how a credential without a CA
   certificate behaves with and without TLS verification.

The credential reaches Ansible only through the ``envvars`` of ansible-runner (not written to ``env/envvars``, as
``suppress_env_files`` asks; ansible-runner still records the environment in its private ``artifacts/*/command``);
extra variables carry only the role variables a survey would set.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import ansible_runner
import yaml

from awx_credential import check_credential_type, render_injectors
from awx_simulator import Simulator

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..', '..'))
AWX_DOCS = os.path.join(REPO, 'docs', 'awx')
USERNAME = 'LAB\\svc-ansible'
PASSWORD = 'Ansible:Pa&ss=wörd'
INVENTORY_SOURCE = 'inventory/production.veeam_em.yml'


def log(message):
    print('[awx_runner] %s' % message, flush=True)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


class Job:
    """One AWX job or inventory update: a private data folder with the project and the injected credential."""

    def __init__(self, work, name, credential_type, inputs, collections):
        self.folder = os.path.join(work, 'jobs', name)
        shutil.copytree(os.path.join(AWX_DOCS, 'project'), os.path.join(self.folder, 'project'))
        credential_env, self.files = render_injectors(credential_type, inputs, self.folder)
        self.env = dict(credential_env, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
                        ANSIBLE_NOCOLOR='true', ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_FAILED='true')

    def inventory_update(self):
        """The command line AWX runs for an inventory source sourced from a project."""
        source = os.path.join(self.folder, 'project', INVENTORY_SOURCE)
        output = os.path.join(self.folder, 'artifacts', 'inventory_update', 'output.json')
        os.makedirs(os.path.dirname(output))
        stdout, stderr, rc = ansible_runner.run_command(
            executable_cmd='ansible-inventory',
            cmdline_args=['--list', '--export', '-i', source, '--output', output, '--playbook-dir', os.path.dirname(source)],
            private_data_dir=self.folder, envvars=self.env, suppress_env_files=True, quiet=True)
        inventory = None
        if rc == 0:
            with open(output, encoding='utf-8') as stream:
                inventory = json.load(stream)
        return rc, stdout + stderr, inventory

    def run_playbook(self, playbook, inventory_script, limit=None, extravars=None):
        runner = ansible_runner.run(private_data_dir=self.folder, playbook=playbook, inventory=inventory_script,
                                    limit=limit, extravars=extravars or {}, envvars=self.env, suppress_env_files=True,
                                    quiet=True)
        stdout = runner.stdout.read()
        check(runner.status == 'successful' and runner.rc == 0,
              '%s ended %s (rc %s):\n%s' % (playbook, runner.status, runner.rc, stdout[-4000:]))
        return runner, stdout


def write_inventory_script(folder, inventory):
    """AWX hands the hosts it keeps to a job as an executable inventory script that prints them as JSON."""
    path = os.path.join(folder, 'hosts')
    os.makedirs(folder, exist_ok=True)
    with open(path, 'w', encoding='utf-8') as stream:
        stream.write("#!/bin/sh\ncat <<'INVENTORY'\n%s\nINVENTORY\n" % json.dumps(inventory, indent=1))
    os.chmod(path, 0o700)
    return path


def install_collection(tarball, work):
    collections = os.path.join(work, 'collections')
    subprocess.run(['ansible-galaxy', 'collection', 'install', tarball, '-p', collections, '--force'],
                   env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections), check=True, stdout=subprocess.DEVNULL)
    return collections


def secrets_in_files(folder):
    """Files under ``folder`` that contain the password or the Basic credentials.

    ansible-runner itself records the environment of every run in ``artifacts/<ident>/command`` (mode 0600),
    whatever ``suppress_env_files`` says; AWX deletes the private data folder after the job. Those files are
    checked for their mode and otherwise left out: the password must be in no job event, output or other file.
    """
    needles = [PASSWORD.encode('utf-8'), base64.b64encode(('%s:%s' % (USERNAME, PASSWORD)).encode('utf-8'))]
    found = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            if name == 'command' and os.path.basename(os.path.dirname(os.path.dirname(path))) == 'artifacts':
                check(os.stat(path).st_mode & 0o077 == 0, 'ansible-runner left %s readable by others' % path)
                continue
            with open(path, 'rb') as stream:
                data = stream.read()
            if any(needle in data for needle in needles):
                found.append(os.path.relpath(path, folder))
    return found


def check_credential_files(job, ca_pem):
    ca_path = job.env['VEEAM_EM_CA_PATH']
    check(os.path.dirname(ca_path) == os.path.join(job.folder, 'env'), 'the CA file is not in the job folder: %s' % ca_path)
    check(oct(os.stat(ca_path).st_mode & 0o777) == '0o600', 'the CA file is not private: %s' % oct(os.stat(ca_path).st_mode))
    with open(ca_path, encoding='utf-8') as stream:
        check(stream.read() == ca_pem, 'the CA file does not hold the CA certificate')
    check(job.env['VEEAM_EM_VALIDATE_CERTS'] == 'true', 'TLS verification must be on by default')


def plain(value):
    """The value without the ``{"__ansible_unsafe": ...}`` wrappers of ansible-core 2.19+ inventory output."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def step_inventory_update(sim, credential_type, inputs, ca_pem, work, collections):
    job = Job(work, 'inventory_update', credential_type, inputs, collections)
    check_credential_files(job, ca_pem)
    rc, output, inventory = job.inventory_update()
    check(rc == 0, 'the inventory update failed (rc %s):\n%s' % (rc, output[-4000:]))
    hostvars = plain(inventory['_meta']['hostvars'])
    check({'payroll01', 'sql-hv01', 'dc01', 'db01'} <= set(hostvars), 'hosts missing: %s' % sorted(hostvars))
    payroll_jobs = [job['name'] for job in hostvars['payroll01'].get('veeam_jobs', [])]
    check(payroll_jobs == ['Finance "Q4" & Payroll, Backup; Zürich'], 'veeam_jobs of payroll01: %s' % payroll_jobs)
    check('veeam_job_type_replica' in inventory and 'vcenter_vc01_lab_local' in inventory, 'groups: %s' % sorted(inventory))
    log('inventory update: %d hosts, %d groups' % (len(hostvars), len(inventory) - 1))
    return inventory


def step_backup_job(sim, credential_type, inputs, work, collections, inventory):
    job = Job(work, 'backup_before_change', credential_type, inputs, collections)
    script = write_inventory_script(os.path.join(job.folder, 'inventory'), inventory)
    started = time.time()
    _runner, stdout = job.run_playbook('backup_before_change.yml', script, limit='payroll01,sql-hv01,dc01',
                                       extravars={'backup_before_change_poll_interval': 1, 'backup_before_change_method': 'job'})
    counts = {name: sim.job(name)['counts']['start'] for name in
              ('Finance "Q4" & Payroll, Backup; Zürich', 'DC Backup', 'Infrastructure Backup', 'Daily VM Backup')}
    check(counts == {'Finance "Q4" & Payroll, Backup; Zürich': 1, 'DC Backup': 1, 'Infrastructure Backup': 1, 'Daily VM Backup': 0},
          'starts per job: %s' % counts)
    for host in ('payroll01', 'sql-hv01', 'dc01'):
        check('Backup of %s succeeded.' % host in stdout, 'no successful backup reported for %s' % host)
    log('job "Back up before change": 3 hosts, 3 jobs started once each, %.1f s' % (time.time() - started))
    return job


def step_schedule_window(sim, credential_type, inputs, work, collections):
    state_file = os.path.join(work, 'persistent', 'window.json')
    os.makedirs(os.path.dirname(state_file))
    window = {'schedule_window_state_file': state_file, 'schedule_window_jobs': ['Daily VM Backup', 'Dev Backup']}
    jobs = []
    for state, daily_enabled in (('paused', False), ('resumed', True)):
        job = Job(work, 'schedule_window_%s' % state, credential_type, inputs, collections)
        # An inventory without hosts: the play runs on the implicit localhost, as on AWX's default "localhost" host.
        script = write_inventory_script(os.path.join(job.folder, 'inventory'), {'_meta': {'hostvars': {}}})
        job.run_playbook('schedule_window.yml', script, extravars=dict(window, schedule_window_state=state))
        daily, dev = sim.job('Daily VM Backup'), sim.job('Dev Backup')
        check(daily['schedule_enabled'] == daily_enabled and not dev['schedule_enabled'],
              'after %s: Daily VM Backup %s, Dev Backup %s' % (state, daily['schedule_enabled'], dev['schedule_enabled']))
        check(os.path.exists(state_file) == (state == 'paused'), 'state file after %s: %s' % (state, os.path.exists(state_file)))
        jobs.append(job)
    toggles = {name: sim.job(name)['counts']['toggle'] for name in ('Daily VM Backup', 'Dev Backup')}
    check(toggles == {'Daily VM Backup': 2, 'Dev Backup': 0}, 'schedule changes per job: %s' % toggles)
    log('jobs "Pause/Resume Veeam schedules": two separate jobs, Daily VM Backup paused and restored, Dev Backup left disabled')
    return jobs


def step_tls_variants(credential_type, inputs, work, collections):
    without_ca = dict(inputs, ca_cert='')
    job = Job(work, 'inventory_update_no_ca', credential_type, without_ca, collections)
    check(job.env['VEEAM_EM_CA_PATH'] == '' and job.env['VEEAM_EM_VALIDATE_CERTS'] == 'true', 'injected without CA: %s'
          % {key: job.env[key] for key in ('VEEAM_EM_CA_PATH', 'VEEAM_EM_VALIDATE_CERTS')})
    rc, output, _inventory = job.inventory_update()
    check(rc != 0 and 'CERTIFICATE_VERIFY_FAILED' in output and 'Likely fix: set ca_path' in output,
          'without a CA certificate the update must fail on TLS verification with a hint (rc %s):\n%s' % (rc, output[-2000:]))
    job = Job(work, 'inventory_update_skip_verify', credential_type, dict(without_ca, skip_tls_verify=True), collections)
    check(job.env['VEEAM_EM_VALIDATE_CERTS'] == 'false', 'skip_tls_verify must inject VEEAM_EM_VALIDATE_CERTS=false')
    rc, output, inventory = job.inventory_update()
    check(rc == 0 and 'payroll01' in inventory['_meta']['hostvars'], 'with verification skipped the update must work:\n%s' % output[-2000:])
    log('credential without CA certificate: TLS verification fails with the hint; with "skip verification" the update works')


def check_guide_copy(credential_type):
    """The credential type printed in the AWX guide is the one in docs/awx/credential_type.yml."""
    guide = os.path.join(REPO, 'docs', 'docsite', 'rst', 'guide_awx.rst')
    with open(guide, encoding='utf-8') as stream:
        text = stream.read()
    start = text.index('.. code-block:: yaml', text.index('.. Keep this block equal to docs/awx/credential_type.yml'))
    lines = []
    for line in text[start:].splitlines()[1:]:
        if line.strip() and not line.startswith('   '):
            break
        lines.append(line[3:])
    check(yaml.safe_load('\n'.join(lines)) == credential_type, '%s shows another credential type than docs/awx/credential_type.yml' % guide)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tarball', required=True, help='the collection tarball to install, as an execution environment would')
    args = parser.parse_args()
    started = time.time()
    with open(os.path.join(AWX_DOCS, 'credential_type.yml'), encoding='utf-8') as stream:
        credential_type = yaml.safe_load(stream)
    log('credential type "%s": inputs %s' % (credential_type['name'], ', '.join(check_credential_type(credential_type))))
    check_guide_copy(credential_type)
    work = tempfile.mkdtemp(prefix='awx_runner.')
    sim = Simulator(os.path.join(REPO, 'tests', 'simulator'), os.path.join(work, 'simulator'))
    try:
        state = sim.start()
        with open(state['ca_path'], encoding='utf-8') as stream:
            ca_pem = stream.read()
        inputs = {'url': state['url'], 'username': USERNAME, 'password': PASSWORD, 'ca_cert': ca_pem}
        collections = install_collection(args.tarball, work)
        inventory = step_inventory_update(sim, credential_type, inputs, ca_pem, work, collections)
        step_backup_job(sim, credential_type, inputs, work, collections, inventory)
        step_schedule_window(sim, credential_type, inputs, work, collections)
        step_tls_variants(credential_type, inputs, work, collections)
        check(sim.open_logon_sessions() == 0, 'logon sessions left open: %s' % sim.control('logon_sessions'))
        leaks = secrets_in_files(os.path.join(work, 'jobs'))
        check(not leaks, 'the password is in these files of the job folders: %s' % leaks)
        log('no logon session left open; the password is in no file of %d job folders' % len(os.listdir(os.path.join(work, 'jobs'))))
    finally:
        sim.stop()
        shutil.rmtree(work, ignore_errors=True)
    log('passed in %.1f s' % (time.time() - started))


if __name__ == '__main__':
    try:
        main()
    except AssertionError as exc:
        print('[awx_runner] FAILED: %s' % exc, file=sys.stderr)
        sys.exit(1)
