# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP/1.1 transport: threaded, keep-alive, optional TLS, bound to 127.0.0.1 only.

Answers carry ``Server: Microsoft-HTTPAPI/2.0`` like a Windows EM [O: by1]. Transport faults
(reset, slow, dripped, malformed, truncated bodies) asked for by the application are carried out here.
An idle keep-alive connection is closed after ``IDLE_CONNECTION_SECONDS`` [I: HTTP.sys default 120 s].
"""

from __future__ import annotations

import socket
import ssl
import struct
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .app import plain_error
from .http import Request

IDLE_CONNECTION_SECONDS = 120
MAX_BODY_BYTES = 16 * 1024 * 1024
HANDSHAKE_SECONDS = 10
_CORRUPTION = b'\x00\xff<<< this body was corrupted on purpose >>>\xfe'


class BodyError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    timeout = IDLE_CONNECTION_SECONDS

    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def version_string(self):
        return 'Microsoft-HTTPAPI/2.0'

    def log_message(self, format, *args):  # the signature of BaseHTTPRequestHandler
        if self.server.verbose:
            sys.stderr.write(f'{self.address_string()} {format % args}\n')

    def _serve(self):
        try:
            body = self._read_body()
        except BodyError as error:
            self.close_connection = True
            self._send(plain_error(error.status, str(error), self.headers.get('Accept', '')))
            return
        scheme = 'https' if self.server.ssl_context else 'http'
        request = Request(self.command, self.path, self.headers, body, scheme)
        self._send(self.server.app.handle(request))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def _read_body(self) -> bytes:
        if 'chunked' in self.headers.get('Transfer-Encoding', '').lower():
            return self._read_chunked()
        length = self.headers.get('Content-Length')
        if not length:
            return b''
        if not length.isdigit():
            raise BodyError(400, f"Invalid Content-Length '{length}'.")
        if int(length) > MAX_BODY_BYTES:
            raise BodyError(413, f'The request body is larger than {MAX_BODY_BYTES} bytes.')
        return self.rfile.read(int(length))

    def _read_chunked(self) -> bytes:
        parts, total = [], 0
        while True:
            line = self.rfile.readline(1024).split(b';')[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise BodyError(400, 'Invalid chunked request body.') from None
            if size == 0:
                while self.rfile.readline(1024).strip():
                    pass
                return b''.join(parts)
            total += size
            if total > MAX_BODY_BYTES:
                raise BodyError(413, f'The request body is larger than {MAX_BODY_BYTES} bytes.')
            parts.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _send(self, response):
        fault, parameter = response.fault or (None, None)
        if fault == 'reset':
            self._reset()
            return
        body = b'' if self.command == 'HEAD' else response.body
        announced = len(response.body)
        if fault == 'malformed' and body:
            body = body[:len(body) // 2] + _CORRUPTION
            announced = len(body)
        reason = self.responses.get(response.status, ('',))[0]
        lines = [f'HTTP/1.1 {response.status} {reason}', f'Date: {formatdate(usegmt=True)}', 'Server: Microsoft-HTTPAPI/2.0']
        lines += [f'{name}: {value}' for name, value in response.headers]
        if response.status != 204:
            lines.append(f'Content-Length: {announced}')
        if fault == 'truncate' or self.close_connection:
            lines.append('Connection: close')
            self.close_connection = True
        head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
        if fault == 'truncate':
            self.wfile.write(head + body[:len(body) // 2])
        elif fault == 'drip':
            self._drip(head, body, *parameter)
        elif fault == 'slow':
            self.wfile.write(head + body[:len(body) // 2])
            self.wfile.flush()
            time.sleep(parameter)
            self.wfile.write(body[len(body) // 2:])
        else:
            self.wfile.write(head + body)
        self.wfile.flush()

    def _drip(self, head, body, chunk, interval):
        """The body ``chunk`` bytes at a time with ``interval`` seconds between the chunks."""
        self.wfile.write(head + body[:chunk])
        self.wfile.flush()
        for start in range(chunk, len(body), chunk):
            time.sleep(interval)
            self.wfile.write(body[start:start + chunk])
            self.wfile.flush()

    def _reset(self):
        """Abort the connection with a TCP RST (SO_LINGER 0)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
            self.connection.close()
        except OSError:
            pass


class SimServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, app, port: int = 0, ssl_context: ssl.SSLContext = None, verbose: bool = False):
        self.app = app
        self.ssl_context = ssl_context
        self.verbose = verbose
        super().__init__(('127.0.0.1', port), Handler)
        app.port = self.server_address[1]

    def finish_request(self, request, client_address):
        """Runs in the connection's own thread: the TLS handshake happens here, not in the accept loop."""
        if self.ssl_context is None:
            super().finish_request(request, client_address)
            return
        try:
            request.settimeout(HANDSHAKE_SECONDS)
            secure = self.ssl_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        try:
            super().finish_request(secure, client_address)
        finally:
            try:
                secure.close()
            except OSError:
                pass

    def handle_error(self, request, client_address):
        exception = sys.exc_info()[1]
        if isinstance(exception, (ConnectionError, TimeoutError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)


def serve_in_thread(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name='em-simulator', daemon=True)
    thread.start()
    return thread
