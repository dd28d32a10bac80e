# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection for ``/api`` requests, configured through ``/_sim/faults``.

Settings (all optional)::

    latency_ms      delay before the request is handled
    error_rate      share of requests answered with error_status (default 503) and an EM Error body
    reset_rate      share of connections reset (TCP RST) instead of answered
    expire_rate     share of requests whose logon session expires just before they are handled (401)
    malformed_rate  share of answers whose body is corrupted (status and length stay valid)
    truncate_rate   share of answers cut in the middle of the body (Content-Length promises more)
    slow_body_ms    pause in the middle of every answer body
    phase           "before" (default): errors and resets replace the request; "after": the request
                    is carried out first, then its answer is replaced — the client cannot know
                    whether the action happened
    methods         only these HTTP methods (default: all)
    path_regex      only paths this regular expression finds (default: all)
    count           the settings apply to this many matching requests, then clear themselves
    seed            seed of the random choices (repeatable runs)

Per matching request one outcome is drawn, in this order: error, reset, expire, malformed, truncate.
The hostile-server modes (link_rewrite, redirect, nested_json, mangle, drip, pad_body,
endless_pages) are described in hostile.py; each is drawn by its own ``rate`` after the outcome.
"""

from __future__ import annotations

import random
import re
import threading

from . import hostile

RATES = ('error_rate', 'reset_rate', 'expire_rate', 'malformed_rate', 'truncate_rate')
_NUMBERS = ('latency_ms', 'slow_body_ms') + RATES


class FaultPlan:
    """What happens to one request."""

    __slots__ = ('latency', 'outcome', 'status', 'slow', 'phase', 'hostile')

    def __init__(self, latency=0.0, outcome=None, status=503, slow=0.0, phase='before', hostile=None):
        self.latency = latency
        self.outcome = outcome
        self.status = status
        self.slow = slow
        self.phase = phase
        self.hostile = hostile or {}  # hostile mode -> its parameters, for this request


NO_FAULT = FaultPlan()


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._settings = None
        self._rng = random.Random()
        self._regex = None
        self.injected = 0

    def configure(self, settings: dict) -> dict:
        clean = validate(settings)
        with self._lock:
            self._settings = clean
            self._rng = random.Random(clean.get('seed'))
            self._regex = re.compile(clean['path_regex']) if clean.get('path_regex') else None
            self.injected = 0
        return self.describe()

    def clear(self) -> None:
        with self._lock:
            self._settings = None
            self._regex = None

    def describe(self) -> dict:
        with self._lock:
            return {'active': self._settings is not None, 'settings': dict(self._settings or {}), 'injected': self.injected}

    def plan(self, method: str, path: str) -> FaultPlan:
        with self._lock:
            settings = self._settings
            if settings is None:
                return NO_FAULT
            if settings.get('methods') and method.upper() not in settings['methods']:
                return NO_FAULT
            if self._regex is not None and not self._regex.search(path):
                return NO_FAULT
            outcome = None
            for rate in RATES:
                if settings.get(rate) and self._rng.random() < settings[rate]:
                    outcome = rate[:-len('_rate')]
                    break
            modes = {mode: settings[mode] for mode in hostile.MODES if mode in settings and self._drawn(settings[mode]['rate'])}
            if outcome is not None or modes:
                self.injected += 1
            if settings.get('count') is not None:
                settings['count'] -= 1
                if settings['count'] <= 0:
                    self._settings = None
            return FaultPlan(settings.get('latency_ms', 0) / 1000.0, outcome, settings.get('error_status', 503),
                             settings.get('slow_body_ms', 0) / 1000.0, settings.get('phase', 'before'), modes)

    def _drawn(self, rate) -> bool:
        """A rate of 1 draws nothing, so adding a hostile mode does not change the draws of the others."""
        return rate >= 1 or (rate > 0 and self._rng.random() < rate)


def validate(settings: dict) -> dict:
    if not isinstance(settings, dict):
        raise ValueError('fault settings are a JSON object')
    known = set(_NUMBERS) | {'error_status', 'methods', 'path_regex', 'count', 'seed', 'phase'} | set(hostile.MODES)
    unknown = sorted(set(settings) - known)
    if unknown:
        raise ValueError(f"unknown fault setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    clean = {}
    for key in _NUMBERS:
        if key in settings:
            value = settings[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (key in RATES and value > 1):
                raise ValueError(f'{key} must be a number' + (' between 0 and 1' if key in RATES else ' of 0 or more'))
            clean[key] = float(value)
    status = settings.get('error_status', 503)
    if not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError('error_status must be an HTTP error status (400-599)')
    clean['error_status'] = status
    if settings.get('methods') is not None:
        if not isinstance(settings['methods'], list) or not all(isinstance(item, str) for item in settings['methods']):
            raise ValueError('methods must be a list of HTTP methods')
        clean['methods'] = [item.upper() for item in settings['methods']]
    if settings.get('path_regex') is not None:
        try:
            re.compile(settings['path_regex'])
        except (re.error, TypeError) as error:
            raise ValueError(f'path_regex is not a valid regular expression: {error}') from None
        clean['path_regex'] = settings['path_regex']
    if settings.get('count') is not None:
        if not isinstance(settings['count'], int) or isinstance(settings['count'], bool) or settings['count'] < 1:
            raise ValueError('count must be a whole number of 1 or more')
        clean['count'] = settings['count']
    if settings.get('seed') is not None:
        clean['seed'] = settings['seed']
    phase = settings.get('phase', 'before')
    if phase not in ('before', 'after'):
        raise ValueError('phase must be "before" or "after"')
    clean['phase'] = phase
    clean.update(hostile.validate(settings))
    return clean
