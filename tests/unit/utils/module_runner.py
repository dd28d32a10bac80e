# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's ``main()`` in-process with given arguments and return its JSON result."""

from __future__ import annotations

import contextlib
import io
import json

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    from unittest import mock

    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        serialized = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        with mock.patch.object(basic, '_ANSIBLE_ARGS', serialized):
            yield

from ansible.module_utils.common import warnings as module_warnings

try:
    from ansible.module_utils import _internal as module_internal
except ImportError:  # ansible-core < 2.19
    module_internal = None


def forget_warnings():
    """A module process starts without warnings; in-process runs would otherwise inherit those of earlier modules
    (ansible-core keeps them in module-level collections: lists before 2.19, dicts from 2.19 on)."""
    for name in ('_global_warnings', '_global_deprecations'):
        collection = getattr(module_warnings, name, None)
        if collection is not None:
            collection.clear()


@contextlib.contextmanager
def module_process():
    """Run as in a module's own process: ansible-core 2.19+ switches module_utils to controller mode (warnings go to the
    display instead of the result) once any controller code is imported, as plugin tests in the same pytest run do."""
    previous = getattr(module_internal, 'is_controller', False)
    if previous:
        module_internal.is_controller = False
    try:
        yield
    finally:
        if previous:
            module_internal.is_controller = previous


def run_module(main, args, check_mode=False):
    """Call ``main()`` with ``args``; return the result dict (``failed`` is set on failure)."""
    args = dict(args)
    if check_mode:
        args['_ansible_check_mode'] = True
    output = io.StringIO()
    forget_warnings()
    with patch_module_args(args), module_process(), contextlib.redirect_stdout(output):
        try:
            main()
        except SystemExit:
            pass
        else:
            raise AssertionError('the module returned without exit_json or fail_json')
    return json.loads(output.getvalue())


def warning_texts(result):
    """The warning messages of a result, whatever the ansible-core version's warning format."""
    texts = []
    for warning in result.get('warnings') or []:
        if isinstance(warning, dict):
            warning = (warning.get('event') or warning).get('msg')
        texts.append(str(warning))
    return texts
