# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check a custom credential type and render its injectors the way AWX and Automation Controller do.

AWX renders the injectors of a custom credential type with a sandboxed Jinja environment whose namespace holds
the credential's inputs: an input that was never given is missing from the namespace (so it renders as an empty
string), except a boolean input, which is then ``False``. Each ``file`` injector is rendered into a new file of
the job's private data folder ``env/`` with mode 0600, and ``tower.filename`` (or ``tower.filename.<name>`` for
``template.<name>``) holds its path for the ``env`` and ``extra_vars`` injectors.
"""

from __future__ import annotations

import os
import stat
import tempfile
from types import SimpleNamespace

from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment

CONNECTION_VARIABLES = {'VEEAM_EM_URL', 'VEEAM_EM_USERNAME', 'VEEAM_EM_PASSWORD', 'VEEAM_EM_VALIDATE_CERTS',
                        'VEEAM_EM_CA_PATH', 'VEEAM_EM_TIMEOUT'}
FIELD_TYPES = {'string', 'boolean'}


class CredentialTypeError(AssertionError):
    """The credential type definition is not what AWX accepts or what the collection reads."""


def _require(condition, message):
    if not condition:
        raise CredentialTypeError(message)


def check_credential_type(definition):
    """Structural checks of a credential type definition; returns the field ids."""
    _require(definition.get('kind') == 'cloud', 'kind must be cloud (a job can then carry it beside a machine credential)')
    _require(definition.get('name'), 'the credential type needs a name')
    fields = definition.get('inputs', {}).get('fields', [])
    ids = [field.get('id') for field in fields]
    _require(len(ids) == len(set(ids)) and all(ids), 'input field ids must be present and unique: %s' % ids)
    for field in fields:
        _require(field.get('type') in FIELD_TYPES, 'field %s: type must be one of %s' % (field['id'], sorted(FIELD_TYPES)))
        _require(field.get('label'), 'field %s needs a label' % field['id'])
    required = definition['inputs'].get('required', [])
    _require(set(required) <= set(ids), 'required names unknown fields: %s' % sorted(set(required) - set(ids)))
    _require(any(field['id'] == 'password' and field.get('secret') for field in fields), 'the password field must be secret')
    injectors = definition.get('injectors', {})
    _require(not injectors.get('extra_vars'), 'no extra_vars injector: credentials must reach Ansible as environment variables only')
    _require(set(injectors.get('env', {})) <= CONNECTION_VARIABLES,
             'env injectors must be VEEAM_EM_* connection variables: %s' % sorted(set(injectors.get('env', {})) - CONNECTION_VARIABLES))
    _check_templates(injectors, set(ids))
    return ids


def _check_templates(injectors, ids):
    environment = ImmutableSandboxedEnvironment()
    for kind in ('env', 'file'):
        for name, template in injectors.get(kind, {}).items():
            used = meta.find_undeclared_variables(environment.parse(template))
            unknown = used - ids - {'tower'}
            _require(not unknown, '%s injector %s uses unknown inputs %s' % (kind, name, sorted(unknown)))


def render_injectors(definition, inputs, private_data_dir):
    """Environment variables and files of one credential, as AWX injects them into a job."""
    namespace = _namespace(definition, inputs)
    environment = ImmutableSandboxedEnvironment()
    env_folder = os.path.join(private_data_dir, 'env')
    os.makedirs(env_folder, exist_ok=True)
    single, named = None, {}
    for label, template in definition['injectors'].get('file', {}).items():
        path = _write_private(env_folder, environment.from_string(template).render(**namespace))
        if '.' in label:
            named[label.split('.', 1)[1]] = path
        else:
            single = path
    namespace['tower'] = SimpleNamespace(filename=single or SimpleNamespace(**named))
    env = {name: environment.from_string(template).render(**namespace)
           for name, template in definition['injectors'].get('env', {}).items()}
    return env, dict(named, **({'': single} if single else {}))


def _namespace(definition, inputs):
    namespace = {}
    for field in definition['inputs']['fields']:
        value = inputs.get(field['id'])
        if field['type'] == 'boolean':
            namespace[field['id']] = bool(value) if value is not None else False
        elif value not in (None, ''):
            namespace[field['id']] = value
    return namespace


def _write_private(folder, data):
    handle, path = tempfile.mkstemp(dir=folder)
    with os.fdopen(handle, 'w', encoding='utf-8') as stream:
        stream.write(data)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return path
