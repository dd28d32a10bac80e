# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call the EM simulator's /_sim/ control API (trusting the simulator's CA) and print the JSON answer.

Usage: sim_control.py STATE_JSON get|delete|post PATH [JSON_BODY]
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
    context = None
    if state.get('ca_path'):
        context = ssl.create_default_context(cafile=state['ca_path'])
        context.check_hostname = False  # a simulator may serve a certificate for another name (--tls-names); the CA is still checked
    with urllib.request.urlopen(request, context=context, timeout=30) as response:  # nosec: loopback simulator only
        text = response.read().decode('utf-8')
    return json.loads(text) if text.strip() else None


def main(argv):
    if len(argv) < 3 or argv[1] not in ('get', 'delete', 'post'):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding='utf-8') as stream:
        state = json.load(stream)
    print(json.dumps(call(state, argv[1], argv[2], argv[3] if len(argv) > 3 else None), ensure_ascii=False))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
