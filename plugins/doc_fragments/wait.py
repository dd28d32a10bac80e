# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options that bound how a module waits for Enterprise Manager.

Each module documents O(wait) itself, because what it waits for and its default differ per module.
"""

from __future__ import annotations


class ModuleDocFragment:

    DOCUMENTATION = r"""
options:
  wait_timeout:
    description:
      - Maximum number of seconds the module waits in total, counted from its first change request.
      - This covers Enterprise Manager's tasks (usually a few seconds, also waited for when O(wait=false))
        and, with O(wait=true), the job run.
      - When it runs out the module fails with what it knows so far (task or session state, elapsed time);
        the job itself is not stopped.
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds between the first status requests while waiting.
      - The interval grows by half after each request, up to O(poll_max_interval), so that a run of several
        hours costs a few hundred requests, not thousands. It never extends the wait past O(wait_timeout).
    type: float
    default: 2
  poll_max_interval:
    description:
      - Longest interval between two status requests, in seconds. Must not be smaller than O(poll_interval).
      - The end of a run is noticed at most this long after it happened.
    type: float
    default: 30
"""
