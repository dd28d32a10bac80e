# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start, drive and stop the Enterprise Manager simulator (tests/simulator) for the AWX runner test."""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import urllib.request


class Simulator:
    """A simulator daemon with the lab estate; ``control(path, body)`` calls its /_sim/ API."""

    def __init__(self, simulator_dir, state_dir):
        self.simulator_dir = simulator_dir
        self.state_dir = state_dir
        self.state = None
        self._tls = None

    def _run(self, *args):
        env = dict(os.environ, PYTHONPATH=self.simulator_dir)
        return subprocess.run([sys.executable, '-m', 'em_simulator'] + list(args), env=env, check=True,
                              stdout=subprocess.PIPE, universal_newlines=True).stdout

    def start(self):
        output = self._run('--daemon', '--state-dir', self.state_dir, '--lifetime', '900', '--port', '0', '--tls')
        self.state = json.loads(output)
        self._tls = ssl.create_default_context(cafile=self.state['ca_path'])
        self.control('config', {'time_speed': 4})
        return self.state

    def stop(self):
        self._run('stop', '--state-dir', self.state_dir)

    def control(self, path, body=None, method=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request('%s/%s' % (self.state['control_url'], path), data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, context=self._tls, timeout=30) as answer:
            text = answer.read().decode('utf-8')
        return json.loads(text) if text else None

    def job(self, name, backup_server='vbr01.lab.local'):
        return self.control('jobs/%s?backup_server=%s' % (urllib.request.quote(name, safe=''), backup_server))

    def open_logon_sessions(self):
        return self.control('logon_sessions')['open']
