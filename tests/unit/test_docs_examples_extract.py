# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the docs_examples integration target finds the examples of the README and of the plugins' EXAMPLES
(tests/integration/targets/docs_examples/files/extract.py, loaded from its file)."""
from __future__ import annotations

import importlib.util
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location(
    'docs_examples_extract', ROOT / 'tests' / 'integration' / 'targets' / 'docs_examples' / 'files' / 'extract.py')
extract = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = extract  # dataclasses look their module up while the class is made
_SPEC.loader.exec_module(extract)

README = '''# Title

```bash
ansible-galaxy collection install veeamops.em
export VEEAM_EM_URL=https://em01.example.com:9398   # the address
ansible localhost -m veeamops.em.veeam_job_info \\
  -a 'name="Daily VM Backup"'
```

```console
$ ansible-inventory -i x.veeam_em.yml --graph
@all:
  |--@veeam_job_daily:
```

```yaml
# run-backup.yml: ansible-playbook run-backup.yml
- hosts: localhost
  tasks: []
```

```yaml
plugin: veeamops.em.veeam_em
```

```yaml
- hosts: linux_vms
  roles: [veeamops.em.backup_before_change]
```
'''
CONFIG = {
    'readme': {
        'commands_not_run': [
            {'command': 'ansible-galaxy collection install', 'reason': 'network'},
            {'command': 'export', 'reason': 'the simulator instead'},
        ],
        'blocks': [{'contains': 'hosts: linux_vms', 'reason': 'hosts of the lab', 'inventory': {'linux_vms': {}},
                    'runs': [{'window': 'paused'}, {'window': 'resumed'}]}],
    },
}


def test_fenced_blocks_keep_language_text_and_line():
    blocks = extract.fenced_blocks(README)
    assert [(block.language, block.line) for block in blocks] == [
        ('bash', 3), ('console', 10), ('yaml', 16), ('yaml', 22), ('yaml', 26)]
    assert blocks[3].text == 'plugin: veeamops.em.veeam_em\n'


def test_an_unterminated_block_is_an_error():
    with pytest.raises(extract.ExampleError, match='line 2: a code block that never ends'):
        extract.fenced_blocks('text\n```yaml\n- a: 1\n')


def test_shell_commands_join_continuations_drop_comments_and_console_output():
    blocks = extract.fenced_blocks(README)
    assert extract.shell_commands(blocks[0]) == [
        (4, ['ansible-galaxy', 'collection', 'install', 'veeamops.em']),
        (5, ['export', 'VEEAM_EM_URL=https://em01.example.com:9398']),
        (6, ['ansible', 'localhost', '-m', 'veeamops.em.veeam_job_info', '-a', 'name="Daily VM Backup"']),
    ]
    assert extract.shell_commands(blocks[1]) == [(11, ['ansible-inventory', '-i', 'x.veeam_em.yml', '--graph'])]


def test_readme_examples_run_left_out_and_adjusted():
    examples, not_run, problems = extract.readme_examples(README, CONFIG)
    assert problems == []
    assert [(example.where, example.kind, example.file_name) for example in examples] == [
        ('README.md:6', 'command', ''),
        ('README.md:11', 'command', ''),
        ('README.md:16', 'playbook', 'run-backup.yml'),
        ('README.md:22', 'inventory', 'readme_22.veeam_em.yml'),
        ('README.md:26', 'playbook', 'readme_26.yml'),
    ]
    assert [(item.where, item.reason) for item in not_run] == [('README.md:4', 'network'),
                                                               ('README.md:5', 'the simulator instead')]
    adjusted = examples[-1]
    assert adjusted.reason == 'hosts of the lab' and adjusted.inventory == {'linux_vms': {}}
    assert adjusted.runs == [{'window': 'paused'}, {'window': 'resumed'}]
    assert examples[2].runs == [{}] and examples[2].reason == ''


def test_unknown_commands_blocks_and_stale_entries_are_problems():
    readme = README + '\n```bash\nrm -rf /tmp/x\n```\n\n```yaml\njust: data\n```\n\n```python\nprint(1)\n```\n'
    config = {'readme': dict(CONFIG['readme'], commands_not_run=CONFIG['readme']['commands_not_run']
                             + [{'command': 'make', 'reason': 'developers'}])}
    _examples, _not_run, problems = extract.readme_examples(readme, config)
    assert problems == [
        'README.md:32: "rm -rf /tmp/x" is not run; add it to readme.commands_not_run of examples.yml with the reason',
        'README.md:35: a YAML block that is neither a playbook nor an inventory source',
        'README.md:39: a python block, which this test cannot run',
        'examples.yml readme.commands_not_run: "make" matches nothing any more',
    ]


def test_an_entry_without_a_reason_is_refused():
    with pytest.raises(extract.ExampleError, match='needs "command" and a "reason"'):
        extract.readme_examples(README, {'readme': {'commands_not_run': [{'command': 'export'}]}})


EXAMPLES = '''
# The connection comes from the environment.
- name: Start a job
  veeamops.em.veeam_job:
    name: Daily VM Backup
    action: start

- name: Restore over the original VM
  veeamops.em.veeam_vm_restore:
    vm: web01
'''


def test_module_examples_as_written_or_less_the_skipped_tasks():
    example, not_run, problems = extract.module_example('veeam_job', EXAMPLES, {})
    assert (example.kind, example.text, example.file_name, not_run, problems) == (
        'tasks', EXAMPLES, 'veeam_job_examples.yml', [], [])
    config = {'modules': {'veeam_job': {'skip': [{'task': 'Restore over the original VM', 'reason': 'destructive'},
                                                 {'task': 'Gone', 'reason': 'was renamed'}]}}}
    example, not_run, problems = extract.module_example('veeam_job', EXAMPLES, config)
    assert [task['name'] for task in extract.yaml.safe_load(example.text)] == ['Start a job']
    assert [(item.what, item.reason) for item in not_run] == [('Restore over the original VM', 'destructive')]
    assert problems == ['examples.yml modules.veeam_job.skip: "Gone" matches nothing any more']


def test_module_examples_that_are_not_tasks_are_a_problem():
    assert extract.module_example('m', 'plugin: x\n', {})[2] == ['m: its EXAMPLES are not a list of tasks']


def test_inventory_examples_take_the_file_name_of_their_comment():
    text = '# Minimal file, for example inventory/prod.veeam_em.yml.\nplugin: veeamops.em.veeam_em\n# url: https://x\n'
    example, problems = extract.inventory_example('veeam_em', text)
    assert (example.kind, example.file_name, problems) == ('inventory', 'prod.veeam_em.yml', [])
    assert extract.inventory_example('veeam_em', 'plugin: a\n---\nplugin: b\n')[0] is None
