# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The time window of the job_sessions event source: each ended run handed on once, late runs within the margin found."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.veeamops.em.plugins.plugin_utils._session_window import FUTURE_SLACK, SessionWindow

START = datetime(2026, 3, 1, 21, 0, 0, 500000, tzinfo=timezone.utc)
MARGIN = timedelta(minutes=10)


def run(uid, minutes):
    end = START + timedelta(minutes=minutes)
    return {'uid': uid, 'end_time': end.strftime('%Y-%m-%dT%H:%M:%S.%f')[:-3] + 'Z'}


def handed_on(window, reads, now=START + timedelta(days=1)):
    """Every read through fresh() and commit(), as the poller does; the UIDs handed on, in order."""
    found = []
    for runs in reads:
        found += [item['uid'] for item in window.fresh(runs)]
        window.commit(runs, now)
    return found


def test_the_first_read_starts_at_start_floored_to_the_second():
    assert SessionWindow(START, MARGIN).since() == START.replace(microsecond=0)


def test_overlapping_reads_hand_each_run_on_once():
    window = SessionWindow(START, MARGIN)
    first = [run('a', 1), run('b', 2)]
    second = [run('a', 1), run('b', 2), run('c', 3)]
    assert handed_on(window, [first, second, second]) == ['a', 'b', 'c']


def test_a_run_collected_late_within_the_margin_is_still_handed_on():
    window = SessionWindow(START, MARGIN)
    # 'late' ended at minute 5 but Enterprise Manager shows it only after 'b' (minute 12) was read.
    assert handed_on(window, [[run('a', 1), run('b', 12)], [run('late', 5), run('b', 12)]]) == ['a', 'b', 'late']
    assert window.since() == (START + timedelta(minutes=2)).replace(microsecond=0)


def test_a_run_collected_later_than_the_margin_is_outside_the_window():
    window = SessionWindow(START, MARGIN)
    handed_on(window, [[run('b', 30)]])
    assert window.fresh([run('too-late', 5)]) == []


def test_runs_before_start_are_never_handed_on():
    window = SessionWindow(START, MARGIN)
    assert handed_on(window, [[run('old', -1), run('new', 1)]]) == ['new']


def test_memory_holds_only_the_runs_within_the_window():
    window = SessionWindow(START, MARGIN)
    handed_on(window, [[run('a', 1), run('b', 2)], [run('c', 60)]])
    assert window.remembered() == 1
    # 'a' is forgotten, and a read from the new since cannot return it.
    assert window.since() > START + timedelta(minutes=1)


def test_a_run_without_uid_or_end_is_left_out():
    window = SessionWindow(START, MARGIN)
    assert handed_on(window, [[{'uid': '', 'end_time': run('x', 1)['end_time']}, {'uid': 'y', 'end_time': None}]]) == []
    assert window.newest is None


def test_an_end_far_in_the_future_does_not_move_the_window():
    window = SessionWindow(START, MARGIN)
    now = START + timedelta(minutes=5)
    future = run('wrong-clock', 5 + (FUTURE_SLACK + timedelta(days=1)).total_seconds() / 60)
    assert handed_on(window, [[run('a', 1), future]], now=now) == ['a', 'wrong-clock']
    assert window.newest == START + timedelta(minutes=1)
    assert handed_on(window, [[run('a', 1), future, run('b', 4)]], now=now) == ['b']


def test_uids_compare_without_regard_to_case():
    window = SessionWindow(START, MARGIN)
    assert handed_on(window, [[run('URN:veeam:BackupJobSession:A', 1)], [run('urn:veeam:backupjobsession:a', 1)]]) == [
        'URN:veeam:BackupJobSession:A']


def test_a_negative_margin_is_refused():
    with pytest.raises(ValueError):
        SessionWindow(START, timedelta(seconds=-1))
