# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection metadata that no other test looks at: the action group, plugin file headers, the execution
environment definition. Reads files only (no Ansible imports), so it runs under plain pytest and ansible-test."""
from __future__ import annotations

import ast
import pathlib
import re

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
GALAXY = yaml.safe_load((ROOT / 'galaxy.yml').read_text(encoding='utf-8'))
FQCN_PREFIX = f"{GALAXY['namespace']}.{GALAXY['name']}."
ACTION_GROUP = 'veeam'
GPL_HEADER = '# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)'
MODULE_FILES = sorted(path for path in (ROOT / 'plugins' / 'modules').glob('*.py') if path.stem != '__init__')
PLUGIN_PY_FILES = sorted(path for path in (ROOT / 'plugins').rglob('*.py') if path.stat().st_size)


def load_yaml(relative: str):
    return yaml.safe_load((ROOT / relative).read_text(encoding='utf-8'))


def string_constant(path: pathlib.Path, name: str, class_name: str | None = None) -> str | None:
    """The string assigned to NAME at module level (or in class CLASS_NAME) of a Python file, without importing it."""
    body = ast.parse(path.read_text(encoding='utf-8')).body
    if class_name:
        classes = [node for node in body if isinstance(node, ast.ClassDef) and node.name == class_name]
        body = classes[0].body if classes else []
    for node in body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    return None


def own_fragment(reference: str) -> dict:
    """The YAML of one of this collection's doc fragments ('ns.name.file' or 'ns.name.file.variant'), else {}."""
    if not reference.startswith(FQCN_PREFIX):
        return {}
    file_name, _sep, variant = reference[len(FQCN_PREFIX):].partition('.')
    path = ROOT / 'plugins' / 'doc_fragments' / f'{file_name}.py'
    assert path.is_file(), f'{reference}: no such doc fragment file {path.relative_to(ROOT)}'
    text = string_constant(path, (variant or 'documentation').upper(), 'ModuleDocFragment')
    assert text is not None, f'{reference}: {path.relative_to(ROOT)} has no {(variant or "documentation").upper()}'
    return yaml.safe_load(text) or {}


def module_attributes(path: pathlib.Path) -> dict:
    """The module's documented attributes, with those of this collection's doc fragments merged in."""
    text = string_constant(path, 'DOCUMENTATION')
    assert text, f'{path.relative_to(ROOT)} has no DOCUMENTATION string'
    doc = yaml.safe_load(text)
    attributes = dict(doc.get('attributes') or {})
    fragments = doc.get('extends_documentation_fragment') or []
    for reference in [fragments] if isinstance(fragments, str) else fragments:
        attributes.update(own_fragment(reference).get('attributes') or {})
    return attributes


def group_members() -> set[str]:
    groups = load_yaml('meta/runtime.yml').get('action_groups') or {}
    assert ACTION_GROUP in groups, f'meta/runtime.yml has no action group {ACTION_GROUP!r}'
    members = [entry for entry in groups[ACTION_GROUP] or [] if isinstance(entry, str)]
    return {entry[len(FQCN_PREFIX):] if entry.startswith(FQCN_PREFIX) else entry for entry in members}


def test_runtime_requires_oldest_supported_core():
    assert load_yaml('meta/runtime.yml')['requires_ansible'] == '>=2.16.0'


@pytest.mark.parametrize('module', MODULE_FILES, ids=lambda path: path.stem)
def test_module_is_in_action_group(module):
    assert module.stem in group_members(), (
        f'{module.stem} is missing from action_groups.{ACTION_GROUP} in meta/runtime.yml')


@pytest.mark.parametrize('module', MODULE_FILES, ids=lambda path: path.stem)
def test_module_documents_action_group(module):
    attribute = module_attributes(module).get('action_group')
    assert attribute, f'{module.stem}: DOCUMENTATION declares no action_group attribute'
    assert f'{FQCN_PREFIX}{ACTION_GROUP}' in (attribute.get('membership') or []), (
        f'{module.stem}: action_group.membership does not list {FQCN_PREFIX}{ACTION_GROUP}')
    assert attribute.get('support') == 'full', f'{module.stem}: action_group.support should be full'


def test_action_group_lists_only_existing_modules():
    existing = {path.stem for path in MODULE_FILES}
    unknown = sorted(group_members() - existing)
    assert not unknown, f'action_groups.{ACTION_GROUP} in meta/runtime.yml names modules that do not exist: {unknown}'


@pytest.mark.parametrize('path', PLUGIN_PY_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_plugin_file_header(path):
    text = path.read_text(encoding='utf-8')
    assert GPL_HEADER in text.splitlines()[:3], f'{path.relative_to(ROOT)}: the GPL-3.0-or-later header line is missing'
    future_imports = [node for node in ast.parse(text).body if isinstance(node, ast.ImportFrom) and node.module == '__future__']
    assert future_imports, f'{path.relative_to(ROOT)}: no "from __future__ import ..." statement'


def test_execution_environment_definition():
    definition = load_yaml('meta/execution-environment.yml')
    assert definition['version'] == 3
    dependencies = definition['dependencies']
    # ansible-builder reads these as paths relative to the collection root when it installs the collection into
    # an execution environment (released versions do not accept inline lists there).
    assert dependencies['python'] == 'requirements.txt'
    assert dependencies['system'] == 'bindep.txt'
    assert (ROOT / 'requirements.txt').is_file() and (ROOT / 'bindep.txt').is_file()
    collections = [entry['name'] for entry in dependencies['galaxy']['collections']]
    assert FQCN_PREFIX.rstrip('.') in collections


def test_galaxy_metadata():
    assert re.fullmatch(r'\d+\.\d+\.\d+', str(GALAXY['version']))
    assert GALAXY['license'] == ['GPL-3.0-or-later']
    for required in ('requirements.txt', 'bindep.txt', 'meta/execution-environment.yml', 'meta/runtime.yml'):
        assert not any(pattern.strip('/') == required for pattern in GALAXY.get('build_ignore', [])), required
