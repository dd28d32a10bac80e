# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the README's examples and the EXAMPLES of every module and inventory plugin of an installed collection.

    run_examples.py --collection DIR --config examples.yml --work DIR --python PY --simulator DIR --control PY

DIR is the installed collection (.../ansible_collections/veeamops/em); the connection comes from the VEEAM_EM_*
environment variables, as the documentation says. Before each README block and each plugin's examples the
simulator is reset (--reset is the command that does it). Every example, every adjustment of examples.yml and
every command left out is printed with its reason; the exit code is 1 if any example failed or anything could
not be planned.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys
import time

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract import ExampleError, NotRun, inventory_example, module_example, readme_examples  # noqa: E402  pylint: disable=wrong-import-position

NAMESPACE, NAME = 'veeamops', 'em'


def say(text: str):
    print(f'[docs_examples] {text}', flush=True)


def ansible_doc(kind: str, collection: pathlib.Path) -> dict:
    """{name: (file name, EXAMPLES)} of every plugin of one kind that the installed collection has."""
    listed = json.loads(subprocess.check_output(['ansible-doc', '-t', kind, '-l', f'{NAMESPACE}.{NAME}', '--json']))
    if not listed:
        return {}
    docs = json.loads(subprocess.check_output(['ansible-doc', '-t', kind, '--json'] + sorted(listed)))
    found = {}
    for fqcn, doc in docs.items():
        filename = doc['doc']['filename']
        if not os.path.realpath(filename).startswith(os.path.realpath(collection) + os.sep):
            raise ExampleError(f'{fqcn} comes from {filename}, not from the installed collection {collection}')
        found[fqcn.rsplit('.', 1)[1]] = doc.get('examples') or ''
    return found


def plan(collection: pathlib.Path, config: dict):
    examples, not_run, problems = readme_examples((collection / 'README.md').read_text(encoding='utf-8'), config)
    known = set()
    for module, text in sorted(ansible_doc('module', collection).items()):
        known.add(module)
        example, skipped, found = module_example(module, text, config)
        not_run += skipped
        problems += found
        if example:
            examples.append(example)
        elif not found:
            not_run.append(NotRun(f'{module} EXAMPLES', 'every task', 'examples.yml leaves them all out'))
    for plugin, text in sorted(ansible_doc('inventory', collection).items()):
        example, found = inventory_example(plugin, text)
        problems += found
        if example:
            examples.append(example)
    problems += [f'examples.yml modules.{module}: no such module' for module in config.get('modules') or {}
                 if module not in known]
    return examples, not_run, problems


def substitute(value, work: pathlib.Path):
    """'{work}' in the strings of examples.yml becomes the example's folder."""
    if isinstance(value, str):
        return value.replace('{work}', str(work))
    if isinstance(value, dict):
        return {key: substitute(item, work) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, work) for item in value]
    return value


def commands(example, work: pathlib.Path, extra_vars: dict) -> list[list[str]]:
    """The command lines that run one example (one per run of examples.yml)."""
    if example.kind == 'command':
        return [example.argv]
    path = work / example.file_name
    if example.kind == 'tasks':
        (work / 'tasks.yml').write_text(example.text, encoding='utf-8')
        path = work / 'play.yml'
        path.write_text(yaml.safe_dump([{'name': example.where, 'hosts': 'localhost', 'gather_facts': False,
                                         'tasks': [{'ansible.builtin.import_tasks': 'tasks.yml'}]}]), encoding='utf-8')
    else:
        path.write_text(example.text, encoding='utf-8')
    if example.kind == 'inventory':
        return [['ansible-inventory', '-i', str(path), '--list']]
    inventory = []
    if example.inventory:
        (work / 'inventory.yml').write_text(yaml.safe_dump(example.inventory), encoding='utf-8')
        inventory = ['-i', str(work / 'inventory.yml')]
    lines = []
    for run in example.runs:
        variables = dict(extra_vars, **substitute(run, work))
        (work / f'vars{len(lines)}.json').write_text(json.dumps(variables), encoding='utf-8')
        lines.append(['ansible-playbook'] + inventory + [str(path), '-e', f'@{work}/vars{len(lines)}.json'])
    return lines


class Simulator:
    """One EM simulator (lab estate) for one example, so that examples run side by side and each starts afresh."""

    def __init__(self, args, state_dir: pathlib.Path):
        self.args, self.state_dir = args, state_dir
        self.command = [args.python, '-m', 'em_simulator']
        self.env = dict(os.environ, PYTHONPATH=str(args.simulator))
        self.connection = {}

    def __enter__(self):
        subprocess.run(self.command + ['--daemon', '--state-dir', str(self.state_dir), '--lifetime', '600',
                                       '--time-speed', '8'], env=self.env, check=True, stdout=subprocess.DEVNULL)
        state = json.loads((self.state_dir / 'state.json').read_text(encoding='utf-8'))
        self.connection = {'VEEAM_EM_URL': state['url'], 'VEEAM_EM_CA_PATH': state['ca_path']}
        return self

    def open_sessions(self) -> int:
        answer = subprocess.check_output([self.args.python, str(self.args.control), str(self.state_dir / 'state.json'),
                                          'get', 'logon_sessions'])
        return json.loads(answer)['open']

    def __exit__(self, *exc_info):
        subprocess.run(self.command + ['stop', '--state-dir', str(self.state_dir)], env=self.env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_example(example, work: pathlib.Path, config: dict, args) -> tuple[bool, str]:
    """Run one example against a simulator of its own; (passed, what to print)."""
    work.mkdir(parents=True)
    started = time.monotonic()
    with Simulator(args, work / 'simulator') as simulator:
        env = dict(os.environ, **simulator.connection)
        given = (config.get('vars') or {}).get('values') or {}
        extra_vars = {name: env[variable] for name, variable in given.items()}
        for argv in commands(example, work, extra_vars):
            result = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, check=False)
            problem = f'exit code {result.returncode}' if result.returncode else inventory_problem(example, result.stdout)
            if problem:
                return False, (f'{result.stdout}{result.stderr}\n'
                               f'FAILED {example.where} ({example.kind}): {" ".join(argv)}: {problem}')
        left_open = simulator.open_sessions()
        if left_open:
            return False, f'FAILED {example.where}: {left_open} logon session(s) of Enterprise Manager left open'
    return True, (f'ok {example.where} ({example.kind}{" " + example.file_name if example.file_name else ""}, '
                  f'{len(example.runs)} run(s), {time.monotonic() - started:.1f} s)')


def inventory_problem(example, output: str) -> str:
    if example.kind != 'inventory':
        return ''
    try:
        hosts = json.loads(output).get('_meta', {}).get('hostvars', {})
    except ValueError:
        return 'ansible-inventory --list printed no JSON'
    return '' if hosts else 'the inventory has no host'


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument('--collection', required=True, type=pathlib.Path)
    parser.add_argument('--config', required=True, type=pathlib.Path)
    parser.add_argument('--work', required=True, type=pathlib.Path)
    parser.add_argument('--python', required=True, help='the Python that runs the simulator')
    parser.add_argument('--simulator', required=True, type=pathlib.Path, help='the folder of the em_simulator package')
    parser.add_argument('--control', required=True, type=pathlib.Path, help='sim_control.py of setup_em_shell')
    parser.add_argument('--jobs', type=int, default=3, help='examples run at the same time')
    args = parser.parse_args(argv)
    config = yaml.safe_load(args.config.read_text(encoding='utf-8')) or {}
    try:
        examples, not_run, problems = plan(args.collection, config)
    except ExampleError as exc:
        problems, examples, not_run = [str(exc)], [], []
    given = config.get('vars') or {}
    say('every example gets the variables %s: %s' % (', '.join(sorted(given.get('values') or {})), given.get('reason')))
    for example in examples:
        if example.reason:
            say(f'adjusted {example.where}: {example.reason}')
    for item in not_run:
        say(f'not run {item.where}: {item.what}: {item.reason}')
    for problem in problems:
        say(f'ERROR {problem}')
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_example, example, args.work / f'{index:02d}', config, args)
                   for index, example in enumerate(examples)]
        failed = []
        for example, future in zip(examples, futures):
            passed, text = future.result()
            for line in text.split('\n'):
                if line.startswith(('ok ', 'FAILED ')):
                    say(line)
                else:
                    print(line)
            if not passed:
                failed.append(example.where)
    say(f'{len(examples)} examples run, {len(failed)} failed, {len(not_run)} left out with a reason, '
        f'{len(problems)} problems' + (': ' + '; '.join(failed) if failed else ''))
    return 1 if failed or problems else 0


if __name__ == '__main__':
    sys.exit(main())
