# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one redaction point for secrets in messages (internal; may change in any release).

``Secrets`` knows the password, the Basic credentials and every session token of one client, in each
form a server or a library may echo them (plain, percent-encoded, JSON-escaped, base64). Every text that
can carry server data (error messages, warnings, URLs taken from answers) passes ``Secrets.redact``
before anyone sees it: ``EmClient`` scrubs every ``EmError`` that leaves it, ``EmModule`` its warnings,
the inventory plugin its warnings.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

REDACTED = '********'
# Shorter texts are not secrets worth hiding, and replacing them would garble ordinary words.
MIN_SECRET_LENGTH = 4


def _forms(secret):
    """The ways ``secret`` can appear in a text: as is, URL-encoded, JSON-escaped, base64 of its UTF-8 bytes."""
    forms = {secret, quote(secret, safe=''), quote_plus(secret), json.dumps(secret, ensure_ascii=True)[1:-1],
             json.dumps(secret, ensure_ascii=False)[1:-1], base64.b64encode(secret.encode('utf-8')).decode('ascii')}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class Secrets:
    """The secrets of one client; ``redact(text)`` replaces each of their forms with ``********``."""

    def __init__(self, *secrets):
        self._forms = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret):
        """Remember one more secret (a token issued at logon, for example); None and short texts are ignored."""
        if secret and len(str(secret)) >= MIN_SECRET_LENGTH:
            self._forms |= _forms(str(secret))

    def redact(self, text):
        """``text`` with every form of every secret replaced; None stays None, other values become text."""
        if text is None:
            return None
        text = str(text)
        for form in sorted(self._forms, key=len, reverse=True):  # longest first: a form may contain a shorter one
            if form in text:
                text = text.replace(form, REDACTED)
        return text
