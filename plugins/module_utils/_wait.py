# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait options of the modules that change things (internal; may change in any release).

``wait_timeout``, ``poll_interval`` and ``poll_max_interval`` are documented once in the ``veeamops.em.wait`` doc
fragment; ``wait_argument_spec()`` is their argument spec, ``validate_wait_options()`` their checks and ``WaitingFlow``
the base of the flows that wait with them. ``wait`` itself is each module's own option (what it waits for and its
default differ per module).
"""

from __future__ import annotations

import math

from ._errors import EmInputError
from ._tasks import DEFAULT_POLL_INTERVAL, DEFAULT_POLL_MAX_INTERVAL, DEFAULT_WAIT_TIMEOUT, EmTaskFailedError, EmWaitTimeoutError, Waiter, run_task


def wait_argument_spec():
    """Return a fresh argument spec dict for the options of the ``veeamops.em.wait`` doc fragment."""
    return {
        'wait_timeout': {'type': 'int', 'default': DEFAULT_WAIT_TIMEOUT},
        'poll_interval': {'type': 'float', 'default': DEFAULT_POLL_INTERVAL},
        'poll_max_interval': {'type': 'float', 'default': DEFAULT_POLL_MAX_INTERVAL},
    }


def validate_wait_options(params):
    """Checks of ``wait_timeout``, ``poll_interval`` and ``poll_max_interval``; raises EmInputError."""
    if params['wait_timeout'] <= 0:
        raise EmInputError('wait_timeout must be greater than 0', reason='got %s' % params['wait_timeout'])
    for name in ('poll_interval', 'poll_max_interval'):
        if not math.isfinite(params[name]):
            raise EmInputError('%s must be a finite number of seconds' % name, reason='got %s' % params[name])
    if params['poll_interval'] <= 0:
        raise EmInputError('poll_interval must be greater than 0', reason='got %s' % params['poll_interval'])
    if params['poll_max_interval'] < params['poll_interval']:
        raise EmInputError('poll_max_interval must not be smaller than poll_interval',
                           reason='got poll_interval=%s and poll_max_interval=%s' % (params['poll_interval'], params['poll_max_interval']))


class WaitingFlow:
    """Base of the flows that send changes and wait for them: one execution of a module over an open EmClient.

    The ``waiter`` is made at the first request that changes something (``start_waiting()``), so that ``wait_timeout``
    counts from there; until then ``_waiter`` is None, which tells that nothing was sent. ``task`` is the task of the
    last request sent with ``send_task()``.
    """

    def __init__(self, em, params, check_mode=False, warn=None, waiter_factory=Waiter):
        self.em = em
        self.params = params
        self.check_mode = check_mode
        self.warn = warn or (lambda message: None)
        self.waiter_factory = waiter_factory
        self.changed = False
        self.task = None
        self._waiter = None

    @property
    def waiter(self):
        return self.start_waiting()

    def start_waiting(self):
        """The waiter, made with the wait options at the first call."""
        if self._waiter is None:
            params = self.params
            self._waiter = self.waiter_factory(self.em, params['wait_timeout'], params['poll_interval'], params['poll_max_interval'])
        return self._waiter

    def send_task(self, what, *request, accept_operation_finished=True):
        """Send one request and wait for its task (``_tasks.run_task``), keeping ``task`` and ``changed``; returns the TaskOutcome."""
        try:
            outcome = run_task(self.em, self.waiter, what, *request, accept_operation_finished=accept_operation_finished)
        except EmTaskFailedError as exc:
            self.task = exc.task
            raise
        except EmWaitTimeoutError as exc:
            self.changed = True
            self.task = exc.last
            raise
        self.changed = True
        self.task = outcome.task
        return outcome
