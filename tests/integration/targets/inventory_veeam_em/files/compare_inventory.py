#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare the output of ``ansible-inventory --list --export`` with a golden file.

Usage: compare_inventory.py GOLDEN ACTUAL [--write]

Before comparing, every ``{"__ansible_unsafe": value}`` wrapper becomes ``value`` and ``_meta.profile`` (the
serialisation profile that ansible-core 2.19+ names) is dropped: how unsafe values are written differs between
ansible-core versions, so the golden files hold plain values. Instead, the check
below requires that every string host variable and group variable is marked unsafe in the actual output,
since they all come from Enterprise Manager or from templates over its values. Nothing else is normalised:
the estate has fixed ids and fixed session times, and no URL (with its random port) reaches the inventory.

With ``--write`` (or the environment variable INVENTORY_GOLDEN_WRITE=1) the normalised output is written to
GOLDEN instead, to create or update a golden file after a deliberate change.
"""

from __future__ import annotations

import difflib
import json
import os
import sys

UNSAFE = '__ansible_unsafe'
# Variables that do not come from Enterprise Manager data (set by the configuration files with constants).
PLAIN_VARIABLES = ('job_count',)


def plain(value):
    """The value with every unsafe wrapper removed."""
    if isinstance(value, dict):
        if set(value) == {UNSAFE}:
            return value[UNSAFE]
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def unmarked_strings(value, path):
    """Paths of strings that are not wrapped as unsafe."""
    if isinstance(value, dict):
        if set(value) == {UNSAFE}:
            return []
        return [found for key, item in value.items() for found in unmarked_strings(item, '%s.%s' % (path, key))]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in unmarked_strings(item, '%s[%d]' % (path, index))]
    return [path] if isinstance(value, str) else []


def check_unsafe(inventory):
    problems = []
    for host, variables in inventory.get('_meta', {}).get('hostvars', {}).items():
        for name, value in variables.items():
            if name not in PLAIN_VARIABLES:
                problems += unmarked_strings(value, 'hostvars[%s].%s' % (host, name))
    for group, content in inventory.items():
        if group != '_meta':
            for name, value in (content.get('vars') or {}).items():
                problems += unmarked_strings(value, '%s.vars.%s' % (group, name))
    return problems


def dumps(data):
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + '\n'


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    golden, actual = argv[0], argv[1]
    with open(actual, encoding='utf-8') as stream:
        raw = json.load(stream)
    problems = check_unsafe(raw)
    if problems:
        print('%s: %d values are not marked unsafe, for example %s' % (actual, len(problems), ', '.join(problems[:5])), file=sys.stderr)
        return 1
    normalised = plain(raw)
    normalised.get('_meta', {}).pop('profile', None)
    text = dumps(normalised)
    if '--write' in argv[2:] or os.environ.get('INVENTORY_GOLDEN_WRITE') == '1':
        with open(golden, 'w', encoding='utf-8') as stream:
            stream.write(text)
        print('wrote %s' % golden)
        return 0
    with open(golden, encoding='utf-8') as stream:
        expected = stream.read()
    if text == expected:
        print('%s matches %s' % (actual, os.path.basename(golden)))
        return 0
    diff = difflib.unified_diff(expected.splitlines(True), text.splitlines(True), os.path.basename(golden), actual)
    sys.stderr.writelines(diff)
    print('%s differs from %s (diff above)' % (actual, golden), file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
