# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one redaction point: every form of every secret, in every error that leaves the client."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmAmbiguousJobError, EmJobNotFoundError
from ansible_collections.veeamops.em.plugins.module_utils._redact import REDACTED, Secrets
from ansible_collections.veeamops.em.tests.unit.utils.em_http import PASSWORD, TOKEN, USERNAME

FORMS = [PASSWORD, quote(PASSWORD, safe=''), quote_plus(PASSWORD), json.dumps(PASSWORD)[1:-1],
         base64.b64encode(PASSWORD.encode('utf-8')).decode('ascii')]


@pytest.mark.parametrize('form', FORMS)
def test_every_form_of_a_secret_is_replaced(form):
    assert Secrets(PASSWORD).redact('before %s after' % form) == 'before %s after' % REDACTED


def test_short_or_missing_secrets_change_nothing():
    secrets = Secrets(None, '', 'ab')
    assert secrets.redact('ab cd') == 'ab cd' and secrets.redact(None) is None


def test_errors_raised_inside_the_client_are_scrubbed_when_they_leave_it(em_http, em_settings):
    basic = base64.b64encode(('%s:%s' % (USERNAME, PASSWORD)).encode('utf-8')).decode('ascii')
    em_http.expect_logon()
    em_http.expect_logoff()
    with pytest.raises(EmAmbiguousJobError) as caught:
        with EmClient(em_settings):
            # a name from a hostile server that echoes what it was sent
            raise EmAmbiguousJobError('2 jobs match "%s"' % TOKEN, candidates=[{'name': PASSWORD}], url='https://em01/api/x?t=%s' % TOKEN,
                                      reason=basic, em_message=quote_plus(TOKEN))
    error = caught.value
    text = str(error) + repr(error.details())
    for secret in (PASSWORD, TOKEN, basic, quote_plus(TOKEN)):
        assert secret not in text
    assert error.candidates == [{'name': REDACTED}] and text.count(REDACTED) >= 5


def test_the_client_redacts_after_it_closed(em_http, em_settings):
    em_http.expect_logon()
    em_http.expect_logoff()
    with EmClient(em_settings) as em:
        pass
    assert em.redact('job %s, token %s' % (PASSWORD, TOKEN)) == 'job %s, token %s' % (REDACTED, REDACTED)
    assert isinstance(EmJobNotFoundError('x').scrub(em.redact), EmJobNotFoundError)
