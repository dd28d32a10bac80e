# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every part of the scenario loader shares: its error type and the GUIDs derived from names."""

from __future__ import annotations

import hashlib
import uuid

NAMESPACE = uuid.UUID('6f1c1f7e-0d1b-4a44-9d83-8e3c8d1c9a50')
_PREFIX = NAMESPACE.bytes


class ScenarioError(ValueError):
    pass


def stable_guid(*parts) -> str:
    """A GUID derived from names, for items whose scenario entry has no ``id`` (the same parts, the same GUID).

    It is ``uuid.uuid5(NAMESPACE, "/".join(parts))``, computed without building UUID objects: large
    generated estates derive a few hundred thousand of them while loading.
    """
    digest = bytearray(hashlib.sha1(_PREFIX + '/'.join(map(str, parts)).encode('utf-8')).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50
    digest[8] = (digest[8] & 0x3F) | 0x80
    text = digest.hex()
    return f'{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}'
