# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_module: EmModule turns every outcome into one clean exit_json or fail_json."""

from __future__ import annotations

import json

from ansible_collections.veeamops.em.plugins.module_utils import _module
from ansible_collections.veeamops.em.plugins.module_utils._errors import EmNotFoundError
from ansible_collections.veeamops.em.plugins.module_utils._module import EmModule
from ansible_collections.veeamops.em.plugins.module_utils._client import DEFAULT_RETRIES
from ansible_collections.veeamops.em.tests.unit.utils.em_http import EM, PASSWORD, TOKEN, USERNAME, connection_reset, error_response, json_response
from ansible_collections.veeamops.em.tests.unit.utils.module_runner import run_module, warning_texts

ARGS = {'url': EM, 'username': USERNAME, 'password': PASSWORD}


def module_main(logic):
    def main():
        module = EmModule(argument_spec={'thing': {'type': 'str'}}, supports_check_mode=True)
        module.run(lambda em: logic(module, em))
    return main


def test_success_exits_with_the_logic_result(em_http):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs', json_response({'Refs': []}))
    em_http.expect_logoff()

    def logic(module, em):
        return {'refs': em.get('jobs')['refs'], 'thing': module.params['thing'], 'check_mode': module.check_mode}

    result = run_module(module_main(logic), dict(ARGS, thing='x'), check_mode=True)
    assert result['refs'] == [] and result['thing'] == 'x' and result['check_mode'] is True and result['changed'] is False
    assert 'failed' not in result


def test_em_error_becomes_one_failure_with_details(em_http):
    em_http.expect_logon()
    em_http.expect_get('/api/jobs/nope', error_response(404))
    em_http.expect_logoff()
    result = run_module(module_main(lambda module, em: em.get('jobs/nope')), ARGS)
    assert result['failed'] is True and result['error_kind'] == 'not_found' and result['status'] == 404
    assert result['method'] == 'GET' and result['url'] == EM + '/api/jobs/nope'
    assert result['msg'].startswith('Not found in Enterprise Manager: GET %s/api/jobs/nope returned HTTP 404.' % EM)
    assert 'exception' not in result


def test_unexpected_exception_is_a_clean_failure_without_secrets(em_http):
    em_http.expect_logon()
    em_http.expect_logoff()

    def logic(module, em):
        raise ValueError('boom with %s and %s' % (TOKEN, PASSWORD))

    result = run_module(module_main(logic), ARGS)
    output = json.dumps(result)
    assert result['failed'] is True and result['error_kind'] == 'unexpected'
    assert result['msg'].startswith('Unexpected error: ValueError: boom with ')
    assert 'Traceback' in result.get('exception', 'Traceback')  # ansible-core 2.19+ adds it only when tracebacks are enabled
    assert TOKEN not in output and PASSWORD not in output


def test_failed_logoff_after_success_is_a_warning(em_http):
    em_http.expect_logon()
    for _attempt in range(DEFAULT_RETRIES + 1):
        em_http.expect_logoff(raises=connection_reset())
    result = run_module(module_main(lambda module, em: {'ok': True}), ARGS)
    assert result['ok'] is True and 'failed' not in result
    assert any('Logging off from Enterprise Manager failed' in warning for warning in warning_texts(result))


def test_invalid_connection_options_fail_before_any_request(em_http):
    result = run_module(module_main(lambda module, em: {}), dict(ARGS, url='em01.lab.local:9398'))
    assert result['failed'] is True and result['error_kind'] == 'input' and 'option url' in result['msg']
    assert em_http.calls == []


def test_plain_http_url_warns(em_http):
    em_http.origin = 'http://em01.lab.local:9399'
    em_http.expect_logon()
    em_http.expect_logoff()
    result = run_module(module_main(lambda module, em: {}), dict(ARGS, url='http://em01.lab.local:9399'))
    assert any('unencrypted' in warning for warning in warning_texts(result))


def test_missing_requests_library(monkeypatch):
    monkeypatch.setattr(_module, 'HAS_REQUESTS', False)
    result = run_module(module_main(lambda module, em: {}), ARGS)
    assert result['failed'] is True and 'requests' in result['msg']


def test_missing_jmespath_library(monkeypatch):
    monkeypatch.setattr(_module, 'HAS_JMESPATH', False)

    def main():
        EmModule(argument_spec={}).require_jmespath()

    result = run_module(main, ARGS)
    assert result['failed'] is True and 'jmespath' in result['msg']


def test_fail_from_exception_drops_empty_details(em_http):
    def main():
        module = EmModule(argument_spec={})
        module.fail_from_exception(EmNotFoundError('No such thing'))

    result = run_module(main, ARGS)
    assert result['msg'] == 'No such thing.' and result['error_kind'] == 'not_found' and 'status' not in result


def test_warnings_pass_the_redaction_point(em_http):
    basic = __import__('base64').b64encode(('%s:%s' % (USERNAME, PASSWORD)).encode('utf-8')).decode('ascii')
    em_http.expect_logon()
    em_http.expect_logoff()

    def logic(module, em):
        module.warn('a server echoed %s, %s and %s' % (PASSWORD, TOKEN, basic))
        return {}

    result = run_module(module_main(logic), ARGS)
    (text,) = [item for item in warning_texts(result) if 'a server echoed' in item]
    assert PASSWORD not in text and TOKEN not in text and basic not in text and text.count('********') == 3


def test_prepare_checks_options_before_any_request(em_http):
    def main():
        module = EmModule(argument_spec={'thing': {'type': 'str'}}, supports_check_mode=True)

        def prepare(params):
            raise _module.EmError('Invalid value for option thing', hint='give a better thing') if params['thing'] == 'bad' else None

        module.run(lambda em, prepared: {'prepared': prepared}, prepare=prepare)

    result = run_module(main, dict(ARGS, thing='bad'))
    assert result['failed'] is True and result['msg'] == 'Invalid value for option thing. Likely fix: give a better thing.'
    assert em_http.calls == []
