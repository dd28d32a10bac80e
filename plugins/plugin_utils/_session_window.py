# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The time window of the ``job_sessions`` event source: which ended runs a poll reads, and which of them are new
(internal; may change in any release).

Enterprise Manager shows the end of a run only after it has collected it from the backup server, and it collects
backup servers one after the other, so a run may show up after runs that ended later than it [I: sessions.md "allow
a few seconds for EM to collect the new session"]. Each poll therefore reads the runs that ended from ``margin``
before the newest end it has read (never before ``start``), and the window remembers the runs it has handed on, so
that a run read by several overlapping polls is handed on once, and a run collected late is still found while it
ended within the margin. The window moves only by the end times it read, never by the clock, and it forgets a run
once its end lies before the window (the next read cannot return it), so memory stays bounded by the runs of one
margin.

Times are aware UTC datetimes. Enterprise Manager's filters compare to the second (``EndTime>="...Z"``), so the
window's start (``since``) is floored to the second and every comparison with it uses end times floored too.
"""

from __future__ import annotations

from datetime import timedelta

from ansible_collections.veeamops.em.plugins.module_utils._times import parse_instant

# An end time further ahead of this host's clock than this does not move the window: a wrong clock on a backup
# server must not hide every run that ends after it. Such a run is still handed on, once.
FUTURE_SLACK = timedelta(days=1)


def _key(run):
    return str(run.get('uid') or '').strip().lower()


def _second(moment):
    return moment.replace(microsecond=0)


class SessionWindow:
    """Which ended runs to read next (``since``), which runs of a read are new (``fresh``), and what a read taught
    (``commit``). Runs are dicts with ``uid`` and ``end_time`` (Enterprise Manager's ``EndTimeUTC`` text)."""

    def __init__(self, start, margin):
        if margin < timedelta(0):
            raise ValueError('the margin cannot be negative')
        self.start = start
        self.margin = margin
        self.newest = None
        self._handled = {}

    def since(self):
        """The time from which the next read asks for ended runs: ``margin`` before the newest end read, never
        before ``start``; floored to the second, as Enterprise Manager compares."""
        moment = self.start if self.newest is None else max(self.start, self.newest - self.margin)
        return _second(moment)

    def remembered(self):
        """How many runs the window holds (those that ended within it)."""
        return len(self._handled)

    def _in_window(self, end, since):
        return end is not None and end >= self.start and _second(end) >= since

    def fresh(self, runs):
        """The runs of a read that were not handed on before, in their order: each once, and only those that ended
        within the window (from ``start`` on, and not before ``since``). Changes nothing: see ``commit``."""
        since, found, seen = self.since(), [], set()
        for run in runs:
            key = _key(run)
            if not key or key in seen or key in self._handled:
                continue
            if self._in_window(parse_instant(run.get('end_time')), since):
                seen.add(key)
                found.append(run)
        return found

    def commit(self, runs, now):
        """Remember the runs of a read once they have been handed on (or left out on purpose), move the window to the
        newest end read (unless it is more than ``FUTURE_SLACK`` ahead of ``now``), and forget the runs that ended
        before the window's new start."""
        since = self.since()
        for run in runs:
            key, end = _key(run), parse_instant(run.get('end_time'))
            if not key or not self._in_window(end, since):
                continue
            self._handled[key] = end
            if end <= now + FUTURE_SLACK and (self.newest is None or end > self.newest):
                self.newest = end
        since = self.since()
        self._handled = {key: end for key, end in self._handled.items() if _second(end) >= since}
