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


# ----------------------------------------------------------------------------------------------------------------
# version_added: every plugin and role carries the version of the release it first appears in; an option or return
# value carries one only when it came later than its plugin, and then the release it came with.

FIRST_RELEASE = '1.0.0'  # the collection's first release: 0.x versions were never released
UNDOCUMENTED_PLUGIN_DIRS = ('module_utils', 'plugin_utils', 'doc_fragments')


def version_key(version) -> tuple:
    return tuple(int(part) for part in re.findall(r'\d+', str(version)))


def first_releases(changelog: dict) -> dict:
    """(kind, name) -> the first release of changelogs/changelog.yaml that announces that module, plugin or role."""
    first = {}
    for version in sorted(changelog.get('releases') or {}, key=version_key):
        release = changelog['releases'][version] or {}
        announced = [('module', entry['name']) for entry in release.get('modules') or []]
        for kind, entries in {**(release.get('plugins') or {}), **(release.get('objects') or {})}.items():
            announced += [(kind, entry['name']) for entry in entries or []]
        for key in announced:
            first.setdefault(key, str(version))
    return first


def field_versions(fields: dict, path: str):
    """(path, version_added) of every option or return value, suboptions and contains included."""
    for name, field in (fields or {}).items():
        if not isinstance(field, dict):
            continue
        here = f'{path}.{name}'
        if 'version_added' in field:
            yield here, str(field['version_added'])
        for nested in ('suboptions', 'options', 'contains'):
            yield from field_versions(field.get(nested), f'{here}.{nested}')


def version_added_problems(item: str, version, expected: str, fields, releases: set) -> list:
    """What is wrong with the version_added of one plugin or role entry point (``version`` None when it has none)
    and of its options and return values (``fields``: (path, version) pairs)."""
    problems = []
    if version is None:
        problems.append(f'{item}: no version_added (expected {expected})')
    elif str(version) != expected:
        problems.append(f'{item}: version_added {version}, expected {expected}')
    for path, added in fields:
        if added == expected:
            problems.append(f'{item} {path}: version_added {added} is the version of its plugin; leave it out')
        elif added not in releases or version_key(added) < version_key(expected):
            problems.append(f'{item} {path}: version_added {added} is not a release after {expected} '
                            f'(releases: {", ".join(sorted(releases, key=version_key))})')
    return problems


def collection_version_added_problems(upcoming: str) -> list:
    """Every version_added of this collection's plugins, roles and doc fragments that does not match its release;
    what no release of changelogs/changelog.yaml announces is new in ``upcoming``."""
    changelog = load_yaml('changelogs/changelog.yaml') or {}
    first = first_releases(changelog)
    releases = {str(version) for version in changelog.get('releases') or {}} | {upcoming}
    problems = []
    for path in sorted((ROOT / 'plugins').glob('*/*.py')):
        kind = 'module' if path.parent.name == 'modules' else path.parent.name
        if kind in UNDOCUMENTED_PLUGIN_DIRS or path.stem == '__init__':
            continue
        doc = yaml.safe_load(string_constant(path, 'DOCUMENTATION') or '') or {}
        returned = yaml.safe_load(string_constant(path, 'RETURN') or '') or {}
        fields = list(field_versions(doc.get('options'), 'options')) + list(field_versions(returned, 'RETURN'))
        problems += version_added_problems(str(path.relative_to(ROOT)), doc.get('version_added'),
                                           first.get((kind, path.stem), upcoming), fields, releases)
    for path in sorted(ROOT.glob('roles/*/meta/argument_specs.yml')):
        role = path.parent.parent.name
        expected = first.get(('role', role), upcoming)
        for entry, spec in (yaml.safe_load(path.read_text(encoding='utf-8'))['argument_specs'] or {}).items():
            version = spec.get('version_added', expected if entry != 'main' else None)
            problems += version_added_problems(f'{path.relative_to(ROOT)} {entry}', version, expected,
                                               field_versions(spec.get('options'), 'options'), releases)
    for path in sorted((ROOT / 'plugins' / 'doc_fragments').glob('*.py')):
        for variant in ('DOCUMENTATION',) + tuple(sorted(re.findall(r'^    ([A-Z_]+) = r?"""', path.read_text(encoding='utf-8'), re.M))):
            doc = yaml.safe_load(string_constant(path, variant, 'ModuleDocFragment') or '') or {}
            for field, added in field_versions(doc.get('options'), 'options'):
                if added not in releases - {FIRST_RELEASE}:
                    problems.append(f'{path.relative_to(ROOT)} {variant} {field}: version_added {added} in a doc '
                                    f'fragment must be a release after {FIRST_RELEASE}, or left out')
    return problems


def test_version_added_matches_the_release():
    version = str(GALAXY['version'])
    if version_key(version) < version_key(FIRST_RELEASE):
        problems = collection_version_added_problems(FIRST_RELEASE)
        pytest.skip(f'galaxy.yml version {version} comes before the first release {FIRST_RELEASE}, for which '
                    f'{len(problems)} version_added are to be set: ' + '; '.join(problems))
    problems = collection_version_added_problems(version)
    assert not problems, '\n'.join(problems)


def test_version_added_rules():
    releases = {'1.0.0', '1.1.0', '1.2.0'}
    assert not version_added_problems('p', '1.0.0', '1.0.0', [('options.a', '1.1.0')], releases)
    assert version_added_problems('p', None, '1.0.0', [], releases) == ['p: no version_added (expected 1.0.0)']
    assert version_added_problems('p', '0.2.0', '1.0.0', [], releases) == ['p: version_added 0.2.0, expected 1.0.0']
    assert 'leave it out' in version_added_problems('p', '1.1.0', '1.1.0', [('options.a', '1.1.0')], releases)[0]
    assert 'not a release after' in version_added_problems('p', '1.1.0', '1.1.0', [('RETURN.a', '1.0.0')], releases)[0]
    assert 'not a release after' in version_added_problems('p', '1.0.0', '1.0.0', [('options.a', '0.2.0')], releases)[0]


def test_first_releases_and_nested_fields():
    changelog = {'releases': {
        '1.1.0': {'modules': [{'name': 'm2'}], 'plugins': {'filter': [{'name': 'f'}]}},
        '1.0.0': {'modules': [{'name': 'm1'}], 'objects': {'role': [{'name': 'r'}]}},
    }}
    assert first_releases(changelog) == {('module', 'm1'): '1.0.0', ('role', 'r'): '1.0.0',
                                         ('module', 'm2'): '1.1.0', ('filter', 'f'): '1.1.0'}
    fields = {'a': {'version_added': '1.1.0', 'suboptions': {'b': {'version_added': '1.2.0'}}}, 'c': {}}
    assert list(field_versions(fields, 'options')) == [('options.a', '1.1.0'), ('options.a.suboptions.b', '1.2.0')]
