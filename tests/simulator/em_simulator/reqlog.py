# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log behind ``/_sim/requests``: counts per templated route and the recent requests.

Only ``/api`` requests are recorded (control calls are not). Routes are templated (``GET
/api/jobs/{id}``); paths that match no route count as ``<METHOD> (unmatched)``. The log keeps the
last ``capacity`` entries; the counters are never trimmed. Nothing secret is recorded: no headers,
no bodies, only the SessionId of the logon session that made the request.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque
from datetime import datetime, timezone


class RequestLog:
    def __init__(self, capacity: int = 10000):
        self._lock = threading.Lock()
        self._entries = deque(maxlen=capacity)
        self._by_route = Counter()
        self._total = 0

    def record(self, method: str, route: str, path: str, query: str, status: int, logon_id, sim_time) -> None:
        entry = {'method': method, 'path': path, 'query': query, 'route': f'{method} {route}', 'status': status,
                 'logon_session_id': logon_id,
                 'time': datetime.fromtimestamp(time.time(), tz=timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z'),
                 'sim_time': sim_time.isoformat(timespec='milliseconds').replace('+00:00', 'Z') if sim_time else None}
        with self._lock:
            self._entries.append(entry)
            self._by_route[entry['route']] += 1
            self._total += 1

    def snapshot(self, limit: int = None) -> dict:
        with self._lock:
            entries = list(self._entries)
            if limit is not None:
                entries = entries[-limit:] if limit else []
            return {'total': self._total, 'by_route': dict(self._by_route), 'log': entries}

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._by_route.clear()
            self._total = 0
