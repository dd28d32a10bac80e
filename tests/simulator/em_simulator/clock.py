# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Simulated time: starts at the real UTC time and runs ``speed`` times faster.

Starting at the real time keeps the client recipe of sessions.md working (remember ``t0`` before
``POST …?action=start``, then query ``CreationTime>=t0``): with ``speed >= 1`` simulated time never
falls behind the client's clock [I]. Idle expiry of logon sessions uses real time instead (see
app.py), so a high speed does not log clients out.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone


class SimClock:
    def __init__(self, speed: float = 1.0, real_time=time.time, monotonic=time.monotonic):
        if speed <= 0:
            raise ValueError('the time speed must be positive')
        self._real_time = real_time
        self._monotonic = monotonic
        self._base_sim = real_time()
        self._base_mono = monotonic()
        self._offset = 0.0
        self.speed = float(speed)

    def timestamp(self) -> float:
        return self._base_sim + (self._monotonic() - self._base_mono) * self.speed + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)

    def set_speed(self, speed: float) -> None:
        """Change the speed from now on, without a jump in simulated time."""
        if speed <= 0:
            raise ValueError('the time speed must be positive')
        current = self.timestamp() - self._offset
        self._base_sim = current
        self._base_mono = self._monotonic()
        self.speed = float(speed)

    def advance(self, seconds: float) -> None:
        """Jump simulated time forward (a test hook; never backwards)."""
        if seconds < 0:
            raise ValueError('simulated time only moves forward')
        self._offset += seconds
