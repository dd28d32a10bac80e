# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated world: estate, simulated clock, pending timed events and the engines that act on them."""

from __future__ import annotations

from .actions import Actions
from .clock import SimClock
from .estate import Estate
from .events import EventQueue
from .membership import Membership
from .quick_backup import QuickBackups
from .restores import RestoreEngine
from .runs import RunEngine
from .scenario import Loader
from .scheduler import Scheduler
from .tasks import TaskEngine


class Simulation:
    def __init__(self, config, clock: SimClock = None):
        self.config = config
        self.clock = clock or SimClock(config.time_speed)
        self.events = EventQueue()
        self.estate = Estate()
        self.runs = RunEngine(self.estate, self.events, self.settings)
        self.tasks = TaskEngine(self.events, self.settings)
        self.scheduler = Scheduler(self.estate, self.events, self.runs)
        self.actions = Actions(self)
        self.quick_backups = QuickBackups(self)
        self.membership = Membership(self)
        self.restores = RestoreEngine(self)

    def settings(self):
        return self.config

    def load(self, data: dict) -> None:
        """Replace the estate with the one ``data`` describes (pending events are dropped)."""
        self.events.clear()
        self.estate = Estate()
        self.runs.estate = self.estate
        self.runs.running.clear()
        self.restores.running.clear()
        self.scheduler.estate = self.estate
        Loader(self, data, self.clock.now()).load()

    def advance(self):
        """Apply everything due by now; returns the current simulated time."""
        now = self.clock.now()
        self.events.run_due(now)
        self.runs.update_progress(now)
        self.restores.update_progress(now)
        return now

    def set_config(self, config) -> None:
        if config.time_speed != self.config.time_speed:
            self.clock.set_speed(config.time_speed)
        self.config = config
