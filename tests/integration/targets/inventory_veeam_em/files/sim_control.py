#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call the EM simulator's /_sim/ control API (trusting the simulator's CA) and print the answer.

Usage: sim_control.py STATE_JSON get|delete|post PATH [JSON_BODY]
       sim_control.py STATE_JSON requests-total      (number of /api requests since the log was cleared)
       sim_control.py STATE_JSON requests-by-route   (one "<count> <route>" line per route)
       sim_control.py STATE_JSON open-sessions       (number of open logon sessions)
"""

from __future__ import annotations

import json
import ssl
import sys
import urllib.request


def call(state, method, path, body=None):
    url = '%s/%s' % (state['control_url'], path.lstrip('/'))
    data = None if body is None else body.encode('utf-8')
    request = urllib.request.Request(url, data=data, method=method.upper(), headers={'Content-Type': 'application/json'})
    context = ssl.create_default_context(cafile=state['ca_path']) if state.get('ca_path') else None
    with urllib.request.urlopen(request, context=context, timeout=30) as response:  # nosec: loopback simulator only
        return json.loads(response.read().decode('utf-8'))


def main(argv):
    with open(argv[0], encoding='utf-8') as stream:
        state = json.load(stream)
    command = argv[1]
    if command in ('get', 'delete', 'post'):
        print(json.dumps(call(state, command, argv[2], argv[3] if len(argv) > 3 else None), indent=2, ensure_ascii=False))
    elif command == 'requests-total':
        print(call(state, 'get', 'requests')['total'])
    elif command == 'requests-by-route':
        for route, count in sorted(call(state, 'get', 'requests')['by_route'].items()):
            print(count, route)
    elif command == 'open-sessions':
        print(call(state, 'get', 'logon_sessions')['open'])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
