# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Search files for a password, its Basic credentials and session tokens, in the forms output may carry them.

Usage: find_secrets.py TOKENS_JSON USERNAME PASSWORD FILE_OR_FOLDER...
Prints every finding (file, which secret, which form) and exits 1 when there is one.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from urllib.parse import quote


def forms(secret):
    """The secret as text, JSON-escaped (ASCII and not), URL-encoded, and with escaped slashes."""
    variants = {'plain': secret, 'json': json.dumps(secret, ensure_ascii=False)[1:-1], 'json-ascii': json.dumps(secret, ensure_ascii=True)[1:-1],
                'url': quote(secret, safe=''), 'slash-escaped': secret.replace('/', '\\/')}
    return {name: value.encode('utf-8') for name, value in variants.items()}


def files_under(paths):
    for path in paths:
        if os.path.isdir(path):
            for folder, _dirs, names in os.walk(path):
                for name in names:
                    yield os.path.join(folder, name)
        elif os.path.exists(path):
            yield path


def main(argv):
    with open(argv[0], encoding='utf-8') as stream:
        tokens = json.load(stream)['tokens']
    username, password = argv[1], argv[2]
    secrets = {'password': password, 'basic credentials': base64.b64encode(('%s:%s' % (username, password)).encode('utf-8')).decode('ascii')}
    secrets.update(('token %d' % number, token) for number, token in enumerate(tokens, 1))
    findings, searched = [], 0
    for path in files_under(argv[3:]):
        searched += 1
        with open(path, 'rb') as stream:
            content = stream.read()
        for label, secret in secrets.items():
            for form, value in forms(secret).items():
                if value in content:
                    findings.append('%s: %s (%s form)' % (path, label, form))
    for finding in findings:
        print('LEAK ' + finding)
    print('searched %d files for the password, the Basic credentials and %d session tokens: %d findings' % (searched, len(tokens), len(findings)))
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
