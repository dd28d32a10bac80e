# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The examples of the README and of the plugins' EXAMPLES, as runnable examples (pure functions, no I/O).

run_examples.py feeds them the installed collection's README.md and ansible-doc's answers and runs what comes out.
Every fenced block of the README is either run or named with the reason it is not: a YAML block is a playbook or
an inventory source, a shell block a list of commands. What fits no kind, and every entry of examples.yml that
matches nothing, is an error, so that a new example is never left out silently and the list never goes stale.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

import yaml

RUN_COMMANDS = ('ansible', 'ansible-playbook', 'ansible-inventory', 'ansible-doc')
SHELL_LANGUAGES = ('bash', 'sh', 'shell', 'console')
YAML_LANGUAGES = ('yaml', 'yml')


class ExampleError(Exception):
    """An example that cannot be run as any kind, or a configuration entry that does not fit."""


@dataclass
class Block:
    language: str
    text: str
    line: int


@dataclass
class Example:
    """One thing to run: ``kind`` is playbook, tasks (a task list run on localhost), inventory or command."""

    where: str
    kind: str
    text: str = ''
    file_name: str = ''
    argv: list = field(default_factory=list)
    runs: list = field(default_factory=lambda: [{}])
    inventory: dict | None = None
    reason: str = ''


@dataclass
class NotRun:
    where: str
    what: str
    reason: str


def fenced_blocks(markdown: str) -> list[Block]:
    """The fenced code blocks (``` or ~~~) of a Markdown text, with their language and first line number."""
    blocks, lines, index = [], markdown.split('\n'), 0
    while index < len(lines):
        match = re.match(r'^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)', lines[index])
        if not match:
            index += 1
            continue
        fence, start, body = match.group(1), index + 1, []
        index += 1
        while index < len(lines) and not re.match(r'^ {0,3}' + re.escape(fence[0]) + '{%d,}\\s*$' % len(fence), lines[index]):
            body.append(lines[index])
            index += 1
        if index == len(lines):
            raise ExampleError(f'line {start}: a code block that never ends')
        blocks.append(Block(match.group(2).lower(), '\n'.join(body) + '\n', start))
        index += 1
    return blocks


def shell_commands(block: Block) -> list[tuple[int, list[str]]]:
    """(line, argv) of every command of a shell block: console blocks only count lines after a '$ ' prompt."""
    commands, pending, first = [], '', 0
    for offset, raw in enumerate(block.text.split('\n')):
        line = raw.rstrip()
        if block.language == 'console' and not pending:
            if not line.startswith('$ '):
                continue  # output shown after a command
            line = line[2:]
        if not pending:
            first = block.line + 1 + offset
        if line.endswith('\\'):
            pending += line[:-1] + ' '
            continue
        argv = shlex.split(pending + line, comments=True)
        pending = ''
        if argv:
            commands.append((first, argv))
    return commands


def yaml_kind(data) -> str | None:
    """playbook (a list of plays), inventory (an inventory plugin's configuration) or None."""
    if isinstance(data, list) and data and all(isinstance(play, dict) and 'hosts' in play for play in data):
        return 'playbook'
    if isinstance(data, dict) and isinstance(data.get('plugin'), str):
        return 'inventory'
    return None


def named_file(text: str, default: str) -> str:
    """The file name a block's first comment gives it ('# run-backup.yml: ansible-playbook ...'), else ``default``."""
    for line in text.split('\n'):
        if line.strip() and not line.lstrip().startswith('#'):
            break
        match = re.search(r'([\w.-]+\.ya?ml)\b', line)
        if match:
            return match.group(1)
    return default


class Matcher:
    """Entries of examples.yml, each to be used at least once."""

    def __init__(self, entries, key: str, section: str):
        self.entries = list(entries or [])
        self.key, self.section = key, section
        self.used = set()
        for entry in self.entries:
            if not isinstance(entry, dict) or not entry.get(key) or not str(entry.get('reason', '')).strip():
                raise ExampleError(f'examples.yml {section}: every entry needs "{key}" and a "reason": {entry!r}')

    def find(self, test):
        for index, entry in enumerate(self.entries):
            if test(entry[self.key]):
                self.used.add(index)
                return entry
        return None

    def unused(self) -> list[str]:
        return [f'examples.yml {self.section}: "{entry[self.key]}" matches nothing any more'
                for index, entry in enumerate(self.entries) if index not in self.used]


def readme_examples(markdown: str, config: dict) -> tuple[list[Example], list[NotRun], list[str]]:
    """What to run of the README, what not and why, and the problems (unknown kinds, stale entries)."""
    readme = config.get('readme') or {}
    blocks_config = Matcher(readme.get('blocks'), 'contains', 'readme.blocks')
    commands_config = Matcher(readme.get('commands_not_run'), 'command', 'readme.commands_not_run')
    examples, not_run, problems = [], [], []
    for block in fenced_blocks(markdown):
        where = f'README.md:{block.line}'
        if block.language in YAML_LANGUAGES:
            example = yaml_example(block, where, blocks_config.find(lambda text, b=block: text in b.text))
            if example is None:
                problems.append(f'{where}: a YAML block that is neither a playbook nor an inventory source')
            else:
                examples.append(example)
        elif block.language in SHELL_LANGUAGES:
            for line, argv in shell_commands(block):
                where = f'README.md:{line}'
                if argv[0] in RUN_COMMANDS:
                    examples.append(Example(where, 'command', argv=argv))
                    continue
                entry = commands_config.find(lambda prefix, a=argv: ' '.join(a).startswith(prefix))
                if entry is None:
                    problems.append(f'{where}: "{" ".join(argv)}" is not run; add it to readme.commands_not_run of '
                                    f'examples.yml with the reason')
                else:
                    not_run.append(NotRun(where, ' '.join(argv), entry['reason']))
        elif block.language not in ('', 'text'):
            problems.append(f'README.md:{block.line}: a {block.language} block, which this test cannot run')
    return examples, not_run, problems + blocks_config.unused() + commands_config.unused()


def yaml_example(block: Block, where: str, entry: dict | None) -> Example | None:
    kind = yaml_kind(yaml.safe_load(block.text))
    if kind is None:
        return None
    default = f'readme_{block.line}.' + ('veeam_em.yml' if kind == 'inventory' else 'yml')
    example = Example(where, kind, text=block.text, file_name=named_file(block.text, default))
    if entry:
        example.runs = entry.get('runs') or [{}]
        example.inventory = entry.get('inventory')
        example.reason = entry['reason']
    return example


def module_example(module: str, examples: str, config: dict) -> tuple[Example | None, list[NotRun], list[str]]:
    """The EXAMPLES of one module as a task list, less the tasks that examples.yml skips (with their reasons)."""
    skips = Matcher(((config.get('modules') or {}).get(module) or {}).get('skip'), 'task', f'modules.{module}.skip')
    tasks = yaml.safe_load(examples) or []
    if not isinstance(tasks, list) or not all(isinstance(task, dict) for task in tasks):
        return None, [], [f'{module}: its EXAMPLES are not a list of tasks']
    kept, not_run = [], []
    for task in tasks:
        entry = skips.find(lambda name, t=task: name == t.get('name'))
        if entry is None:
            kept.append(task)
        else:
            not_run.append(NotRun(f'{module} EXAMPLES', task.get('name', ''), entry['reason']))
    # The text as written, unless a task is left out.
    text = examples if len(kept) == len(tasks) else yaml.safe_dump(kept, sort_keys=False, allow_unicode=True)
    example = Example(f'{module} EXAMPLES', 'tasks', text=text, file_name=f'{module}_examples.yml') if kept else None
    return example, not_run, skips.unused()


def inventory_example(plugin: str, examples: str) -> tuple[Example | None, list[str]]:
    """The configuration file an inventory plugin's EXAMPLES show (the lines that are not comments)."""
    documents = [document for document in yaml.safe_load_all(examples) if document is not None]
    if len(documents) != 1 or yaml_kind(documents[0]) != 'inventory':
        return None, [f'{plugin}: its EXAMPLES are not one inventory configuration (found {len(documents)} documents)']
    name = named_file(examples, f'{plugin}.yml')
    return Example(f'{plugin} inventory EXAMPLES', 'inventory', text=examples, file_name=name), []
