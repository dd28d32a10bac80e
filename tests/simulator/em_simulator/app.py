# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The application: one request in, one response out (the HTTP transport is in server.py).

Order of checks for ``/api`` [auth.md; errors.md]: the two public routes (``GET /api/`` and the
logon) need no token; every other path — known or not — first needs a live logon session (401),
then a route (404, or 501 for EM resources the simulator does not hold), then a method the route
has (405 with ``Allow``), then the handler's own checks (403, 404, 400, ...). All state changes
happen under one lock, after simulated time has been applied up to now.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import threading
import time
import traceback

from . import control, hostile
from .context import TOKEN_HEADER, Ctx, content_type, cookie_token, negotiate
from .faults import Faults
from .http import ApiError, Response
from .logons import LogonRegistry
from .render import CACHE
from .reqlog import RequestLog
from .routes import match, unimplemented
from .sim import Simulation


class App:
    def __init__(self, load_scenario, config, port: int = 0):
        """``load_scenario()`` returns the scenario data; it is called again by ``POST /_sim/reset``."""
        self.load_scenario = load_scenario
        self.initial_config = dataclasses.replace(config)
        self.lock = threading.RLock()
        self.sim = Simulation(dataclasses.replace(config))
        self.logons = LogonRegistry(lambda: self.sim.config.idle_timeout)
        self.faults = Faults()
        self.requests = RequestLog()
        self.port = port
        self.started = time.monotonic()
        self.sim.load(load_scenario())

    # ------------------------------------------------------------------ entry point

    def handle(self, request) -> Response:
        if request.path == '/_sim' or request.path.startswith('/_sim/'):
            return control.handle(self, request)
        plan = self.faults.plan(request.method, request.path)
        if plan.latency:
            time.sleep(plan.latency)
        now = None
        replaced = plan.outcome in ('error', 'reset') or 'redirect' in plan.hostile
        if plan.phase == 'before' and replaced:
            response = self._fault_response(request, plan)
        else:
            with self.lock:
                now = self.sim.advance()
                if plan.outcome == 'expire':
                    self._expire_caller(request)
                response = self._dispatch(request, now, plan.hostile)
            if replaced:
                logon_id = response.logon_id
                response = self._fault_response(request, plan)
                response.logon_id = logon_id
            elif plan.hostile:
                hostile.transform(response, plan.hostile)
        if plan.outcome in ('malformed', 'truncate'):
            response.fault = (plan.outcome, None)
        elif 'drip' in plan.hostile and response.fault is None:
            response.fault = ('drip', (plan.hostile['drip']['chunk_bytes'], plan.hostile['drip']['interval_ms'] / 1000.0))
        elif plan.slow and response.fault is None:
            response.fault = ('slow', plan.slow)
        self.requests.record(request.method, response.route or '(unmatched)', request.path, request.raw_query, response.status,
                             response.logon_id, now)
        return response

    def _fault_response(self, request, plan) -> Response:
        route, _ids = match(request.path)
        if plan.outcome == 'reset':
            response = Response(0)
            response.fault = ('reset', None)
        elif plan.outcome != 'error':
            response = hostile.redirect_response(request, plan.hostile['redirect'], TOKEN_HEADER, cookie_token)
        else:
            with self.lock:
                ctx = Ctx(self, request, self.sim.clock.now())
                response = ctx.error(plan.status, 'The service is temporarily unavailable. Try again later.')
        response.route = route.template if route else None
        return response

    def _expire_caller(self, request):
        token = cookie_token(request.header('Cookie')) or request.header(TOKEN_HEADER)
        logon = self.logons.resolve(token) if token else None
        if logon is not None:
            self.logons.expire(logon.id)

    def _dispatch(self, request, now, modes=None) -> Response:
        ctx = Ctx(self, request, now)
        ctx.hostile = modes or {}
        route, ids = match(request.path)
        try:
            if route is None or not route.public:
                ctx.authenticate()
            response = self._call(ctx, route, ids)
        except ApiError as error:
            response = ctx.error(error.status, error.message, error.headers)
        except Exception:  # a simulator bug must still answer like a server, and say so on stderr
            traceback.print_exc(file=sys.stderr)
            response = ctx.error(500, 'Internal error of the Enterprise Manager simulator; see its log.')
        response.route = route.template if route else None
        response.logon_id = ctx.logon.id if ctx.logon else None
        return response

    @staticmethod
    def _call(ctx, route, ids):
        request = ctx.request
        if route is None:
            handler = unimplemented(request.path)
            if handler is None:
                raise ApiError(404, f'No Enterprise Manager resource matches [{request.path}].')
            return handler(ctx)
        handler = route.handlers.get(request.method)
        if handler is None:
            allowed = ', '.join(sorted(route.handlers))
            raise ApiError(405, f'Method {request.method} is not allowed on {route.template}; allowed: {allowed}.', [('Allow', allowed)])
        return handler(ctx, *ids)

    # ------------------------------------------------------------------ control helpers

    def reset(self) -> None:
        """Reload the scenario, restore the start-up settings, clear logs, faults and tasks."""
        data = self.load_scenario()
        with self.lock:
            self.sim.set_config(dataclasses.replace(self.initial_config))
            self.sim.load(data)
            self.requests.clear()
            self.faults.clear()
            self.logons.clear_tasks()
            CACHE.clear()

    def uptime(self) -> float:
        return time.monotonic() - self.started


def plain_error(status: int, message: str, accept: str) -> Response:
    """An EM error body for transport-level failures (bad request line, oversized body)."""
    media = negotiate(accept)
    if media == 'json':
        body = json.dumps({'FirstChanceExceptionMessage': None, 'Message': message, 'StackTrace': None, 'Status': None, 'StatusCode': status})
    else:
        body = ('<?xml version="1.0" encoding="utf-8"?>\n<Error Message="' + message.replace('&', '&amp;').replace('"', '&quot;')
                + f'" StatusCode="{status}" xmlns="http://www.veeam.com/ent/v1.0" />\n')
    return Response(status, body.encode('utf-8'), [('Content-Type', content_type(media))])
