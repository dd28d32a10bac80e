# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_settings: the connection argument spec, environment fallbacks, EmSettings validation."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._settings import EmSettings, Origin, connection_argument_spec

ENV = {
    'VEEAM_EM_URL': 'https://em01.lab.local:9398/api',
    'VEEAM_EM_USERNAME': 'LAB\\svc-ansible',
    'VEEAM_EM_PASSWORD': 'Ansible:Pa&ss=wörd',
    'VEEAM_EM_VALIDATE_CERTS': 'false',
    'VEEAM_EM_CA_PATH': '/etc/ssl/em-ca.pem',
    'VEEAM_EM_TIMEOUT': '12.5',
}


def test_spec_is_fresh_each_call():
    first = connection_argument_spec()
    first['url']['required'] = False
    first.pop('password')
    second = connection_argument_spec()
    assert second['url']['required'] is True and second['password']['no_log'] is True
    assert set(second) == {'url', 'username', 'password', 'validate_certs', 'ca_path', 'timeout', 'api_version'}
    assert second['validate_certs']['default'] is True and second['api_version']['default'] == 'latest'


def test_environment_fallbacks(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(connection_argument_spec()).validate({})
    assert result.error_messages == []
    params = result.validated_parameters
    assert params['url'] == ENV['VEEAM_EM_URL'] and params['username'] == 'LAB\\svc-ansible'
    assert params['validate_certs'] is False and params['timeout'] == 12.5 and params['ca_path'] == '/etc/ssl/em-ca.pem'
    assert ENV['VEEAM_EM_PASSWORD'] in result._no_log_values  # pylint: disable=protected-access


def test_empty_environment_variables_count_as_unset(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    for name in ('VEEAM_EM_VALIDATE_CERTS', 'VEEAM_EM_CA_PATH', 'VEEAM_EM_TIMEOUT', 'VEEAM_EM_PASSWORD'):
        monkeypatch.setenv(name, '')
    result = ArgumentSpecValidator(connection_argument_spec()).validate({})
    assert 'missing required arguments: password' in ' '.join(result.error_messages)
    params = result.validated_parameters
    assert params['validate_certs'] is True and params['timeout'] == 60 and params['ca_path'] is None


def test_explicit_values_win_over_the_environment(monkeypatch):
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(connection_argument_spec()).validate({'url': 'https://other:9398', 'validate_certs': True})
    assert result.validated_parameters['url'] == 'https://other:9398' and result.validated_parameters['validate_certs'] is True


def test_missing_required_options_are_reported(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    result = ArgumentSpecValidator(connection_argument_spec()).validate({})
    assert 'missing required arguments: password, url, username' in ' '.join(result.error_messages)


@pytest.mark.parametrize('url, base', [
    ('https://em01.lab.local:9398', 'https://em01.lab.local:9398'),
    ('https://em01.lab.local:9398/', 'https://em01.lab.local:9398'),
    ('https://em01.lab.local:9398/api', 'https://em01.lab.local:9398'),
    (' HTTPS://EM01.lab.local:9398/api/ ', 'https://EM01.lab.local:9398'),
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080'),
    ('https://[::1]:9398', 'https://[::1]:9398'),
])
def test_accepted_urls(url, base):
    settings = EmSettings(url, 'u', 'p')
    assert settings.base_url == base and settings.api_url == base + '/api'


@pytest.mark.parametrize('url, reason', [
    ('em01.lab.local:9398', 'not an http(s) URL'),
    ('ftp://em01.lab.local', 'not an http(s) URL'),
    ('https://', 'not an http(s) URL'),
    ('', 'not an http(s) URL'),
    ('https://em01.lab.local:93x8', 'port is not a number'),
    ('https://em01.lab.local:9398/api/jobs', 'unexpected path'),
    ('https://em01.lab.local:9398/?v=latest', 'query or fragment'),
    ('https://admin:S3cret!@em01.lab.local:9398', 'contains credentials'),
    ('ftp://admin:S3cret!@em01.lab.local', 'contains credentials'),
    ('https://[em01', 'not a valid URL'),
    ('https://em01\uff03x:9398', 'not a valid URL'),
])
def test_rejected_urls(url, reason):
    with pytest.raises(EmInputError) as caught:
        EmSettings(url, 'u', 'p')
    assert reason in str(caught.value) and 'option url' in str(caught.value)
    assert 'S3cret' not in str(caught.value)


def test_verify_follows_validate_certs_and_ca_path(tmp_path):
    ca_file = tmp_path / 'ca.pem'
    ca_file.write_text('pem')
    assert EmSettings('https://em01:9398', 'u', 'p').verify is True
    assert EmSettings('https://em01:9398', 'u', 'p', validate_certs=False, ca_path=str(ca_file)).verify is False
    assert EmSettings('https://em01:9398', 'u', 'p', ca_path=str(ca_file)).verify == str(ca_file)


@pytest.mark.parametrize('option, value, reason', [
    ('ca_path', '/nonexistent/ca.pem', 'no such file'),
    ('timeout', 0, 'greater than zero'),
    ('timeout', 'soon', 'not a number'),
    ('timeout', 'nan', 'greater than zero'),
    ('api_version', 'v1.7', 'not "latest" or a version name'),
    ('username', '', 'Missing value for option username'),
    ('password', None, 'VEEAM_EM_PASSWORD'),
])
def test_rejected_values(option, value, reason):
    kwargs = {'url': 'https://em01:9398', 'username': 'u', 'password': 'p'}
    kwargs[option] = value
    with pytest.raises(EmInputError, match=reason):
        EmSettings(**kwargs)


def test_from_params_ignores_unset_values_and_repr_hides_the_password():
    settings = EmSettings.from_params({'url': 'https://em01:9398', 'username': 'u', 'password': 'Pa&ss', 'timeout': None,
                                       'api_version': 'v1_7', 'ca_path': None, 'validate_certs': None, 'name': 'x'})
    assert (settings.timeout, settings.api_version, settings.validate_certs) == (60.0, 'v1_7', True)
    assert 'Pa&ss' not in repr(settings) and '<hidden>' in repr(settings)


def test_origin_fills_default_ports():
    assert Origin('https://EM01:443/api') == Origin('https://em01/x') == ('https', 'em01', 443)
    assert Origin('http://em01/api') == ('http', 'em01', 80)
    assert Origin('https://em01:9398') != Origin('https://em01:9399')


def test_origin_of_an_unparsable_url_matches_no_other():
    assert Origin('https://[em01/api/jobs') == ('', '', None) != Origin('https://em01:9398')
