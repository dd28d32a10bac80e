# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scheduled runs: a job runs when simulated time passes its ``NextRun`` while its schedule is
configured and enabled.

The next ``NextRun`` is the previous one plus the schedule's period: ``FullPeriod`` hours or
minutes for ``OptionsPeriodically``, one day for ``OptionsDaily``, 30 days for ``OptionsMonthly``
(one day otherwise); runs missed while the schedule was disabled are skipped, and a run that comes
due while the job is already running is skipped [I: VBR's behaviour for overlapping runs].
Immediate backup copy jobs (continuous mode) never run on a schedule here [I].
"""

from __future__ import annotations

from datetime import timedelta


def schedule_period(job) -> timedelta:
    standart = job.schedule.get('Standart') or {}
    periodic = standart.get('OptionsPeriodically') or {}
    if periodic.get('Enabled'):
        unit = 'minutes' if str(periodic.get('Kind', 'Hours')).lower() == 'minutes' else 'hours'
        return timedelta(**{unit: max(int(periodic.get('FullPeriod') or 1), 1)})
    if (standart.get('OptionsMonthly') or {}).get('Enabled') and not (standart.get('OptionsDaily') or {}).get('Enabled'):
        return timedelta(days=30)
    return timedelta(days=1)


def is_scheduled(job) -> bool:
    return bool(job.schedule_configured and job.schedule_enabled and job.next_run is not None and 'Standart' in job.schedule)


class Scheduler:
    def __init__(self, estate, events, runs):
        self.estate = estate
        self.events = events
        self.runs = runs

    def arm(self, job) -> None:
        if is_scheduled(job):
            self.events.at(job.next_run, self._fire, job, job.next_run)

    def enabled(self, job, now) -> None:
        """The schedule was switched on: NextRun stays if still ahead, else one period from now."""
        if job.next_run is None or job.next_run <= now:
            job.next_run = now + schedule_period(job)
        self.arm(job)

    def _fire(self, when, job, planned):
        if self.estate.job(job.id) is not job or job.next_run != planned or not is_scheduled(job):
            return
        self.run_now(job, when)
        period = schedule_period(job)
        next_run = planned + period
        while next_run <= when:
            next_run += period
        job.next_run = next_run
        job.touch()
        self.estate.changed('jobs')
        self.arm(job)

    def run_now(self, job, when):
        """Start a run as the schedule would (no task); None when the job is already running."""
        if job.busy:
            return None
        return self.runs.start(job, when, trigger='schedule')
