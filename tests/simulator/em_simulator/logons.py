# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logon sessions: tokens, sliding idle expiry, forced expiry [auth.md].

The token is base64 of 16 random bytes and is not derivable from the SessionId [D: logging_on].
Expiry is measured in real seconds (not simulated time) so that a high time speed does not log
clients out. Expired sessions are dropped with their tasks [I: tasks.md].
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
import uuid

from .model import LogonSession


class LogonRegistry:
    def __init__(self, idle_timeout, monotonic=time.monotonic, wall=time.time):
        self._idle_timeout = idle_timeout
        self._monotonic = monotonic
        self._wall = wall
        self._by_token = {}
        self._issued = []  # every token ever issued, for GET /_sim/issued_tokens (leak checks of client logs)
        self._lock = threading.Lock()

    def create(self, account, api_version: str) -> LogonSession:
        token = base64.b64encode(secrets.token_bytes(16)).decode('ascii')
        logon = LogonSession(str(uuid.uuid4()), token, account, api_version, self._monotonic())
        logon.created_wall = self._wall()
        with self._lock:
            self._by_token[token] = logon
            self._issued.append(token)
        return logon

    def issued_tokens(self) -> list:
        """Every token issued since the simulator started, oldest first (also those of closed or expired sessions)."""
        with self._lock:
            return list(self._issued)

    def _expired(self, logon, now) -> bool:
        return now - logon.last_used > self._idle_timeout()

    def resolve(self, token: str):
        """The live logon session of ``token`` (its idle timer restarts), or None."""
        now = self._monotonic()
        with self._lock:
            logon = self._by_token.get(token)
            if logon is None:
                return None
            if self._expired(logon, now):
                del self._by_token[token]
                return None
            logon.last_used = now
            return logon

    def by_id(self, session_id: str):
        wanted = session_id.lower()
        with self._lock:
            self._sweep()
            return next((logon for logon in self._by_token.values() if logon.id.lower() == wanted), None)

    def remove(self, logon) -> None:
        with self._lock:
            self._by_token.pop(logon.token, None)

    def expire(self, session_id: str = None) -> int:
        """Force idle expiry of one session or of all; returns how many ended."""
        with self._lock:
            doomed = [token for token, logon in self._by_token.items() if session_id is None or logon.id.lower() == session_id.lower()]
            for token in doomed:
                del self._by_token[token]
            return len(doomed)

    def open_sessions(self) -> list:
        with self._lock:
            self._sweep()
            return list(self._by_token.values())

    def _sweep(self):
        now = self._monotonic()
        for token in [token for token, logon in self._by_token.items() if self._expired(logon, now)]:
            del self._by_token[token]

    def vanish_tasks(self, session_id: str = None, task_id: str = None) -> int:
        """Drop task records (of one logon session and/or with one task ID, else all); returns how many."""
        count = 0
        with self._lock:
            for logon in self._by_token.values():
                if session_id is not None and logon.id.lower() != session_id.lower():
                    continue
                doomed = [key for key in logon.tasks if task_id is None or key == task_id]
                for key in doomed:
                    del logon.tasks[key]
                count += len(doomed)
        return count

    def clear_tasks(self) -> None:
        with self._lock:
            for logon in self._by_token.values():
                logon.tasks.clear()

    def wall_time(self, logon, monotonic_value: float) -> float:
        """Wall-clock time of a monotonic reading taken for ``logon``."""
        return logon.created_wall + (monotonic_value - logon.created)
