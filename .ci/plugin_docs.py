# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the documentation of every plugin and role of the collection with ansible-doc.

Fails when a plugin file or a role has no documentation that ansible-doc can list, when ansible-doc cannot render
one, or when it warns while rendering. Run with ANSIBLE_COLLECTIONS_PATH pointing at a folder where the checkout
is ansible_collections/<namespace>/<name>.

    python .ci/plugin_docs.py COLLECTION_ROOT
"""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import yaml

# plugins/<folder> -> ansible-doc plugin type, for the plugin types that have one documented plugin per file.
ONE_PER_FILE = {'modules': 'module', 'inventory': 'inventory', 'lookup': 'lookup', 'callback': 'callback',
                'connection': 'connection', 'become': 'become', 'cache': 'cache', 'vars': 'vars'}
# Plugin types whose files may hold several documented plugins; only what ansible-doc lists is rendered.
MANY_PER_FILE = {'filter': 'filter', 'test': 'test'}
# Harmless warning of ansible-core 2.21 about a collection inside ansible-core itself.
KNOWN_NOISE = ("_protomatter' does not have a MANIFEST.json file",)


def ansible_doc(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run(['ansible-doc', *args], capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout, proc.stderr


def real_problems(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not any(noise in line for noise in KNOWN_NOISE)]


def listed(doc_type: str, prefix: str) -> tuple[set[str], list[str]]:
    rc, out, err = ansible_doc('-t', doc_type, '-l', prefix.rstrip('.'), '--json')
    if rc != 0:
        return set(), [f'ansible-doc -t {doc_type} -l failed (rc {rc}): {err.strip()}']
    return set(json.loads(out or '{}')), [f'ansible-doc -t {doc_type} -l: {line}' for line in real_problems(err)]


def expected_names(root: pathlib.Path, prefix: str) -> dict[str, set[str]]:
    expected: dict[str, set[str]] = {}
    for folder, doc_type in ONE_PER_FILE.items():
        files = sorted((root / 'plugins' / folder).glob('*.py'))
        expected[doc_type] = {prefix + path.stem for path in files if path.stem != '__init__'}
    for folder, doc_type in MANY_PER_FILE.items():
        expected[doc_type] = set()
    expected['role'] = {prefix + path.name for path in sorted((root / 'roles').glob('*')) if path.is_dir()}
    return expected


def check(root: pathlib.Path) -> tuple[int, list[str]]:
    galaxy = yaml.safe_load((root / 'galaxy.yml').read_text(encoding='utf-8'))
    prefix = f"{galaxy['namespace']}.{galaxy['name']}."
    rendered, problems = 0, []
    for doc_type, expected in expected_names(root, prefix).items():
        names, list_problems = listed(doc_type, prefix)
        problems += list_problems
        names = {name for name in names if name.startswith(prefix)}
        problems += [f'{name}: ansible-doc -t {doc_type} does not list it (missing or broken documentation)'
                     for name in sorted(expected - names)]
        for name in sorted(names):
            rc, out, err = ansible_doc('-t', doc_type, name)
            rendered += 1
            if rc != 0 or not out.strip():
                problems.append(f'ansible-doc -t {doc_type} {name} failed (rc {rc}): {err.strip()}')
            problems += [f'ansible-doc -t {doc_type} {name}: {line}' for line in real_problems(err)]
            print(f'rendered {doc_type} {name}')
    return rendered, problems


def main() -> int:
    rendered, problems = check(pathlib.Path(sys.argv[1]).resolve())
    for problem in problems:
        print(f'ERROR: {problem}')
    if rendered == 0 and not problems:
        print('[plugin_docs.py] SKIP: the collection has no plugins or roles to document yet')
        return 0
    print(f'{rendered} plugin and role docs rendered, {len(problems)} problem(s)')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
