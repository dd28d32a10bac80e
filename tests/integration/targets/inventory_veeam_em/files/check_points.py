#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check the group of hosts whose newest restore point is older than 24 hours (stale.veeam_em.yml).

Usage: check_points.py INVENTORY_JSON POINTS_JSON

INVENTORY_JSON is the output of ``ansible-inventory --list`` for stale.veeam_em.yml; POINTS_JSON is the simulator's
``GET /_sim/vm_restore_points`` answer. A host must be in the group backup_older_than_24h exactly when the
simulator holds no point of its VM from the last 24 hours, and its veeam_restore_point_count must be the number of
its VM's points from the last 7 days (restore_point_days). Prints the problems and exits 1 when there are any.
"""

from __future__ import annotations

import datetime
import json
import sys

GROUP = 'backup_older_than_24h'


def plain(value):
    """A host variable without the unsafe wrapper that ansible-inventory writes around text from Enterprise Manager."""
    return value['__ansible_unsafe'] if isinstance(value, dict) and set(value) == {'__ansible_unsafe'} else value


def parse(text):
    return datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))


def points_by_vm(points, now):
    """{VM reference: [ages in seconds]} of the points the simulator holds."""
    ages = {}
    for point in points:
        ages.setdefault(point['vm_ref'].lower(), []).append((now - parse(point['creation_time_utc'])).total_seconds())
    return ages


def problems(inventory, points, now):
    found = []
    hostvars = inventory['_meta']['hostvars']
    in_group = {plain(host) for host in inventory.get(GROUP, {}).get('hosts', [])}
    ages = points_by_vm(points, now)
    for host, variables in sorted(hostvars.items()):
        ref = plain(variables['veeam_hierarchy_obj_ref']).lower()
        mine = ages.get(ref, [])
        fresh = any(age <= 86400 for age in mine)
        if fresh == (host in in_group):
            found.append(f'{host}: in {GROUP} is {host in in_group}, but its newest point is fresh: {fresh}')
        count = sum(1 for age in mine if age <= 7 * 86400)
        if variables.get('veeam_restore_point_count') != count:
            found.append(f'{host}: veeam_restore_point_count {variables.get("veeam_restore_point_count")}, expected {count}')
    return found


def main(argv):
    with open(argv[0], encoding='utf-8') as stream:
        inventory = json.load(stream)
    with open(argv[1], encoding='utf-8') as stream:
        points = json.load(stream)['vm_restore_points']
    found = problems(inventory, points, datetime.datetime.now(datetime.timezone.utc))
    for problem in found:
        print(problem, file=sys.stderr)
    hosts = inventory['_meta']['hostvars']
    print(f'{len(hosts)} hosts, {len(inventory.get(GROUP, {}).get("hosts", []))} in {GROUP}')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
