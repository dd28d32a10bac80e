# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EmModule: the AnsibleModule front door of the client (internal; may change in any release).

It merges the connection options into the module's argument spec, checks that ``requests`` is
installed, builds ``EmClient`` objects from the parameters, and is the one place where an
``EmError`` (or any unexpected exception) becomes ``fail_json``. Its warnings pass the client's
redaction point (``EmClient.redact``), as every error leaving the client does.
"""

from __future__ import annotations

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._errors import EmError
from ._imports import HAS_JMESPATH, HAS_REQUESTS, JMESPATH_IMPORT_ERROR, REQUESTS_IMPORT_ERROR
from ._client import EmClient
from ._settings import EmSettings, connection_argument_spec


class EmModule:
    """Composition wrapper around AnsibleModule for Enterprise Manager modules."""

    def __init__(self, argument_spec=None, **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec or {})
        self.ansible = AnsibleModule(argument_spec=spec, **kwargs)
        self._redact = str
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)

    @property
    def params(self):
        return self.ansible.params

    @property
    def check_mode(self):
        return self.ansible.check_mode

    @property
    def diff_mode(self):
        return self.ansible._diff  # pylint: disable=protected-access

    def require_jmespath(self):
        """Fail cleanly when the jmespath package is missing."""
        if not HAS_JMESPATH:
            self.ansible.fail_json(msg=missing_required_lib('jmespath'), exception=JMESPATH_IMPORT_ERROR)

    def settings(self):
        """EmSettings from the module parameters (an invalid option value ends the module with a clean failure)."""
        try:
            return EmSettings.from_params(self.params)
        except EmError as exc:
            return self.fail_from_exception(exc)

    def client(self, **kwargs):
        """A new EmClient (use it in a ``with`` block); the session token is registered as a no_log value."""
        settings = self.settings()
        if not settings.uses_tls:
            self.warn('url uses http://: the password and the session token travel unencrypted')
        kwargs.setdefault('register_secret', self.ansible.no_log_values.add)
        client = EmClient(settings, **kwargs)
        self._redact = client.redact
        return client

    def run(self, logic, prepare=None, **client_kwargs):
        """Check the input, open a client, call ``logic(em)`` for a result dict, and exit (or fail) the module with it.

        ``prepare(params)``, when given, checks and prepares the options before any request; its result is passed
        to ``logic`` as a second argument (``logic(em, prepared)``). Its EmInputError fails the module cleanly.
        """
        try:
            prepared = prepare(self.params) if prepare is not None else None
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.fail_from_exception(exc)
        client = self.client(**client_kwargs)
        try:
            with client:
                result = logic(client) if prepare is None else logic(client, prepared)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            self.fail_from_exception(exc)
        else:
            if client.logoff_error is not None:
                self.warn('Logging off from Enterprise Manager failed (the logon session expires by itself): %s' % client.logoff_error)
            self.exit_json(**result)

    def warn(self, message):
        self.ansible.warn(self._redact(message))

    def exit_json(self, **result):
        result.setdefault('changed', False)
        self.ansible.exit_json(**result)

    def fail_from_exception(self, exc):
        """The one place where an exception becomes a module failure: one line in ``msg``, details beside it."""
        if isinstance(exc, EmError):
            details = {key: value for key, value in exc.details().items() if value is not None}
            self.ansible.fail_json(msg=self._redact(str(exc)), **details)
        self.ansible.fail_json(msg=self._redact('Unexpected error: %s: %s' % (type(exc).__name__, exc)), error_kind='unexpected',
                               exception=self._redact(traceback.format_exc()))
