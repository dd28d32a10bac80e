# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every part of the scenario loader shares: its error type and the GUIDs derived from names."""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID('6f1c1f7e-0d1b-4a44-9d83-8e3c8d1c9a50')


class ScenarioError(ValueError):
    pass


def stable_guid(*parts) -> str:
    """A GUID derived from names, for items whose scenario entry has no ``id`` (the same parts, the same GUID)."""
    return str(uuid.uuid5(NAMESPACE, '/'.join(str(part) for part in parts)))
