# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A tiny loopback HTTP(S) server for the few unit tests that exercise the real requests transport.

It answers logon, one GET and logoff like Enterprise Manager and records what it received, so tests
can check real TLS verification, real connection errors and real header handling. Everything else
is tested with the scripted transport.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .em_payloads import fixture_json

TOKEN = 'bG9jYWwtdGVzdC10b2tlbg=='
SESSION_ID = '5a1f0c3e-2b4d-4e6f-8a9b-0c1d2e3f4a5b'


def write_self_signed_certificate(directory):
    """Write cert.pem and key.pem for 127.0.0.1 into ``directory``; return their paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'em-unit-test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / 'cert.pem', directory / 'key.pem'
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(cert_path), str(key_path)


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _answer(self, status, body=None, headers=None):
        payload = b'' if body is None else json.dumps(body).encode('utf-8')
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _record(self):
        self.server.received.append((self.command, self.path, dict(self.headers.items())))

    def do_POST(self):  # pylint: disable=invalid-name
        self._record()
        logon = fixture_json('logon-session.json')
        logon['SessionId'] = SESSION_ID
        self._answer(201, logon, {'X-RestSvcSessionId': TOKEN, 'Set-Cookie': 'X-RestSvcSessionId=%s; Path=/api;' % TOKEN})

    def do_GET(self):  # pylint: disable=invalid-name
        self._record()
        time.sleep(self.server.delay)
        if self.server.drip:
            self._drip(json.dumps(fixture_json('jobs-refs.json')).encode('utf-8'))
        else:
            self._answer(200, fixture_json('jobs-refs.json'))

    def _drip(self, payload):
        """Headers at once, then the body one byte at a time: no single read waits long, the whole answer takes minutes."""
        self.send_response(200)
        self.send_header('Content-Type', 'application/json; charset=utf-8')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        try:
            for index in range(len(payload)):
                self.wfile.write(payload[index:index + 1])
                self.wfile.flush()
                time.sleep(self.server.drip)
        except OSError:  # the client gave up and closed the connection
            pass

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._record()
        self._answer(204)


class LocalEm:
    """``with LocalEm(tls_files=(cert, key)) as server:`` serves on ``server.url`` until the block ends."""

    def __init__(self, tls_files=None, delay=0.0, drip=0.0):
        self.server = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        self.server.received = []
        self.server.delay = delay
        self.server.drip = drip
        self.server.daemon_threads = True
        scheme = 'http'
        if tls_files:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls_files)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = 'https'
        self.url = '%s://127.0.0.1:%d' % (scheme, self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)

    @property
    def received(self):
        return self.server.received

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)
