# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stateful simulator of the Veeam Backup Enterprise Manager REST API (``/api``), for tests.

Run it with ``PYTHONPATH=tests/simulator python -m em_simulator --help``; see ``tests/simulator/README.md``.
"""

from __future__ import annotations

__version__ = '1.0.0'
