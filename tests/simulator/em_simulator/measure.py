# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m em_simulator measure --state-dir DIR``: throughput of a running simulator.

A plain keep-alive client (standard library only) measures small GETs per second and walks the
large query pages (jobs as entities, includes) twice — cold (nothing rendered yet) and warm
(rendered entities cached) — in JSON and XML. Prints a Markdown table.
"""

from __future__ import annotations

import base64
import http.client
import json
import ssl
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

ADMIN = ('LAB\\svc-ansible', 'Ansible:Pa&ss=wörd')


class KeepAliveClient:
    def __init__(self, state: dict):
        parts = urlsplit(state['url'])
        if state['tls']:
            context = ssl.create_default_context(cafile=state['ca_path'])
            self.connection = http.client.HTTPSConnection(parts.hostname, parts.port, context=context, timeout=120)
        else:
            self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        self.headers = {}

    def request(self, method: str, path: str, headers=None) -> tuple:
        self.connection.request(method, path, headers=dict(self.headers, **(headers or {})))
        response = self.connection.getresponse()
        return response.status, response.getheaders(), response.read()

    def logon(self, credentials=ADMIN) -> str:
        basic = base64.b64encode(':'.join(credentials).encode('utf-8')).decode('ascii')
        status, headers, body = self.request('POST', '/api/sessionMngr/?v=latest',
                                             {'Authorization': f'Basic {basic}', 'Accept': 'application/json'})
        if status != 201:
            raise RuntimeError(f'logon failed with HTTP {status}: {body[:200]!r}')
        self.headers['X-RestSvcSessionId'] = dict(headers)['X-RestSvcSessionId']
        return json.loads(body.decode('utf-8-sig'))['SessionId']

    def logoff(self, session_id: str) -> None:
        self.request('DELETE', f'/api/logonSessions/{session_id}')
        self.connection.close()


def _rate(client, path, seconds, media='json') -> float:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        client.request('GET', path, {'Accept': f'application/{media}'})
        count += 1
    return count / (time.perf_counter() - started)


def _parallel_rate(state, path, seconds, workers) -> float:
    counts = []

    def work():
        client = KeepAliveClient(state)
        session_id = client.logon()
        try:
            counts.append(_rate(client, path, seconds) * seconds)
        finally:
            client.logoff(session_id)
    threads = [threading.Thread(target=work) for _index in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def _walk(client, query: str, page_size: int, media: str) -> tuple:
    """(items, pages, bytes, seconds) of a walk through every page."""
    status, _headers, body = client.request('GET', f'/api/query?{query}&pageSize=1', {'Accept': 'application/json'})
    total = json.loads(body.decode('utf-8-sig'))['PagingInfo']['PagesCount']
    pages = max(1, -(-total // page_size))
    size, started = 0, time.perf_counter()
    for page in range(1, pages + 1):
        status, _headers, body = client.request('GET', f'/api/query?{query}&pageSize={page_size}&page={page}', {'Accept': f'application/{media}'})
        if status != 200:
            raise RuntimeError(f'query failed with HTTP {status}: {body[:200]!r}')
        size += len(body)
    return total, pages, size, time.perf_counter() - started


def measure(state_dir: str, seconds: float = 3.0) -> str:
    state = json.loads((Path(state_dir) / 'state.json').read_text(encoding='utf-8'))
    client = KeepAliveClient(state)
    session_id = client.logon()
    try:
        return '\n'.join(_measurements(client, state, seconds))
    finally:
        client.logoff(session_id)


def _measurements(client, state, seconds) -> list:
    _status, _headers, body = client.request('GET', '/api/query?type=Job&pageSize=1', {'Accept': 'application/json'})
    job_path = urlsplit(json.loads(body.decode('utf-8-sig'))['Refs']['Refs'][0]['Href']).path
    lines = ['| measurement | result |', '|---|---|']
    lines.append(f'| `GET /api/` keep-alive, 1 client | {_rate(client, "/api/", seconds):.0f} req/s |')
    lines.append(f'| `GET /api/jobs/{{id}}` (reference) keep-alive, 1 client | {_rate(client, job_path, seconds):.0f} req/s |')
    lines.append(f'| `GET /api/jobs/{{id}}?format=Entity` keep-alive, 1 client | {_rate(client, job_path + "?format=Entity", seconds):.0f} req/s |')
    lines.append(f'| `GET /api/jobs/{{id}}` keep-alive, 2 clients in parallel | {_parallel_rate(state, job_path, seconds, 2):.0f} req/s |')
    for query, page_size, media in (('type=Job&format=Entities', 1000, 'json'), ('type=Job&format=Entities', 2000, 'json'),
                                    ('type=Job&format=Entities', 2000, 'xml'), ('type=ObjectInJob', 2000, 'json'),
                                    ('type=ObjectInJob', 2000, 'xml')):
        for run in ('cold', 'warm'):
            total, pages, size, elapsed = _walk(client, query, page_size, media)
            lines.append(f'| `query?{query}&pageSize={page_size}` {media.upper()}, {run}: {total} items in {pages} pages, '
                         f'{size / 1e6:.0f} MB | {elapsed:.2f} s = {total / elapsed:.0f} items/s |')
    return lines + _restore_measurements(client, seconds)


def _restore_measurements(client, seconds) -> list:
    """VM restore point pages, and the latest point of one VM per request (the restore-points.md recipe)."""
    _status, _headers, body = client.request('GET', '/api/query?type=VmRestorePoint&format=Entities&pageSize=200',
                                             {'Accept': 'application/json'})
    points = json.loads(body.decode('utf-8-sig'))['Entities']['VmRestorePoints']['VmRestorePoints']
    if not points:
        return []
    lines = []
    for media in ('json', 'xml'):
        for run in ('cold', 'warm'):
            total, pages, size, elapsed = _walk(client, 'type=VmRestorePoint&format=Entities', 1000, media)
            lines.append(f'| `query?type=VmRestorePoint&format=Entities&pageSize=1000` {media.upper()}, {run}: {total} items in {pages} '
                         f'pages, {size / 1e6:.0f} MB | {elapsed:.2f} s = {total / elapsed:.0f} items/s |')
    refs = sorted({point['HierarchyObjRef'] for point in points})
    filters = [quote(f'HierarchyObjRef=="{ref}"', safe='') for ref in refs]
    paths = [f'/api/query?type=VmRestorePoint&format=Entities&filter={text}&sortDesc=CreationTime&pageSize=1' for text in filters]
    for label, chosen in (('a different VM each time (filter not cached)', paths), ('the same VM (filter cached)', paths[:1])):
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            client.request('GET', chosen[count % len(chosen)], {'Accept': 'application/json'})
            count += 1
        lines.append(f'| latest VM restore point of a VM (`HierarchyObjRef==…&sortDesc=CreationTime&pageSize=1`), {label} | '
                     f'{count / (time.perf_counter() - started):.0f} req/s |')
    return lines
