# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Timed state changes in simulated time, applied lazily in time order before each request."""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime


class EventQueue:
    def __init__(self):
        self._heap = []
        self._order = itertools.count()

    def at(self, when: datetime, action, *args) -> None:
        """Call ``action(when, *args)`` once simulated time reaches ``when``."""
        heapq.heappush(self._heap, (when, next(self._order), action, args))

    def run_due(self, now: datetime) -> int:
        """Apply every event due at ``now`` (also those the applied ones schedule); returns how many ran."""
        count = 0
        heap = self._heap
        while heap and heap[0][0] <= now:
            when, _order, action, args = heapq.heappop(heap)
            action(when, *args)
            count += 1
        return count

    def clear(self) -> None:
        self._heap.clear()

    def __len__(self):
        return len(self._heap)
