# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Guarded imports of third-party libraries (internal; may change in any release).

This is the only file that imports ``requests`` and ``jmespath``. Callers check ``HAS_REQUESTS`` /
``HAS_JMESPATH`` and report ``REQUESTS_IMPORT_ERROR`` / ``JMESPATH_IMPORT_ERROR`` instead of failing at
import time, so ``ansible-doc`` and the sanity import test work without those packages.
"""

from __future__ import annotations

import traceback

try:
    import requests  # pylint: disable=unused-import
except ImportError:
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

try:
    import jmespath  # pylint: disable=unused-import
except ImportError:
    jmespath = None
    HAS_JMESPATH = False
    JMESPATH_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_JMESPATH = True
    JMESPATH_IMPORT_ERROR = None
