# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EmClient over the real requests transport against a loopback server: TLS, errors, headers."""

from __future__ import annotations

import base64
import socket
import time

import pytest

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmConnectionError, EmTimeoutError, EmTlsError
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._settings import EmSettings
from ansible_collections.veeamops.em.tests.unit.utils.local_em import SESSION_ID, TOKEN, LocalEm, write_self_signed_certificate

USERNAME = 'LAB\\svc-ansible'
PASSWORD = 'Ansible:Pa&ss=wörd'


@pytest.fixture(scope='module')
def tls_files(tmp_path_factory):
    return write_self_signed_certificate(tmp_path_factory.mktemp('tls'))


def session(url, **settings):
    return EmClient(EmSettings(url, USERNAME, PASSWORD, **settings), sleep=lambda seconds: None)


def test_https_with_ca_path_logs_on_reads_and_logs_off(tls_files):
    with LocalEm(tls_files) as server:
        with session(server.url, ca_path=tls_files[0]) as em:
            assert len(em.get('jobs')['refs']) == 3
    (logon, get, logoff) = server.received
    assert logon[0:2] == ('POST', '/api/sessionMngr/?v=latest')
    assert base64.b64decode(logon[2]['Authorization'].split()[1]).decode('utf-8') == USERNAME + ':' + PASSWORD
    assert get[0:2] == ('GET', '/api/jobs') and get[2]['X-RestSvcSessionId'] == TOKEN and get[2]['Accept'] == 'application/json'
    assert 'Cookie' not in get[2]  # the Set-Cookie of the logon was not kept
    assert logoff[0:2] == ('DELETE', '/api/logonSessions/%s' % SESSION_ID)


def test_https_without_ca_path_is_refused_with_a_hint(tls_files):
    with LocalEm(tls_files) as server:
        with pytest.raises(EmTlsError) as caught:
            with session(server.url):
                pass
        assert server.received == []
    text = str(caught.value)
    assert 'certificate verify failed' in text.lower() and 'ca_path' in text and 'validate_certs' in text


def test_https_with_validate_certs_false_works(tls_files):
    with LocalEm(tls_files) as server:
        with session(server.url, validate_certs=False) as em:
            em.get('jobs')
    assert len(server.received) == 3


def test_wrong_ca_path_is_named(tls_files, tmp_path):
    other_cert, _key = write_self_signed_certificate(tmp_path)
    with LocalEm(tls_files) as server:
        with pytest.raises(EmTlsError, match='does not hold the CA certificate'):
            with session(server.url, ca_path=other_cert):
                pass


def test_https_to_a_plain_http_port():
    with LocalEm() as server:
        with pytest.raises(EmTlsError, match='does not speak TLS'):
            with session(server.url.replace('http://', 'https://')):
                pass


def test_plain_http_to_an_https_port(tls_files):
    with LocalEm(tls_files) as server:
        with pytest.raises(EmConnectionError, match='use an https:// URL'):
            with session(server.url.replace('https://', 'http://')):
                pass


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    with pytest.raises(EmConnectionError) as caught:
        with session('https://127.0.0.1:%d' % port):
            pass
    assert 'Connection refused' in str(caught.value) and '9398' in str(caught.value)


def test_read_timeout():
    # The logon and the logoff must answer within the timeout too: a wide margin keeps a busy machine from timing out there.
    with LocalEm(delay=5.0) as server:
        with pytest.raises(EmTimeoutError, match='no complete answer within 0.5 seconds'):
            with session(server.url, timeout=0.5) as em:
                em.get('jobs')
        assert [item[0] for item in server.received] == ['POST', 'GET', 'DELETE']


def test_a_body_sent_drop_by_drop_is_cut_at_the_timeout():
    # Each byte comes within the read timeout, so only a bound on the whole request stops it (the body would take minutes).
    with LocalEm(drip=0.2) as server:
        started = time.monotonic()
        with pytest.raises(EmTimeoutError, match='no complete answer within 1 seconds'):
            with session(server.url, timeout=1) as em:
                em.get('jobs')
        elapsed = time.monotonic() - started
        assert [item[0] for item in server.received] == ['POST', 'GET', 'DELETE']
    assert elapsed < 10, 'the request was not bounded by the timeout (%.1f s)' % elapsed


def test_host_name_not_in_the_certificate(tls_files):
    with LocalEm(tls_files) as server:
        with pytest.raises(EmTlsError, match='host name that the server certificate names') as caught:
            with session(server.url.replace('127.0.0.1', 'localhost'), ca_path=tls_files[0]):
                pass
    # The reason names the host the certificate is not valid for (the quoted part of the TLS error is kept whole).
    assert "'localhost'" in str(caught.value) and 'mismatch' in str(caught.value) and '_ssl.c' not in str(caught.value)
