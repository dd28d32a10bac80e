# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options: described once (DOCUMENTATION), with what modules (MODULES) and plugins (PLUGINS) add to them.

The table ``CONNECTION_OPTIONS`` in plugins/module_utils/_settings.py drives the argument spec and the environment
variables; tests/unit/test_connection_options.py holds this fragment equal to it.
"""

from __future__ import annotations


class ModuleDocFragment:

    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the Enterprise Manager REST API, with scheme and port, for example V(https://em01.example.com:9398).
      - A trailing V(/api) is accepted and ignored.
      - If not set, the value of the E(VEEAM_EM_URL) environment variable is used.
    type: str
    required: true
  username:
    description:
      - Account that logs on to Enterprise Manager, as V(DOMAIN\\user) or V(user@domain).
      - Reading and running jobs needs the Portal Administrator role in Enterprise Manager; each module and plugin
        says which role it needs.
      - If not set, the value of the E(VEEAM_EM_USERNAME) environment variable is used.
    type: str
    required: true
  password:
    description:
      - Password of O(username). Any characters are allowed; they are sent UTF-8 encoded.
      - If not set, the value of the E(VEEAM_EM_PASSWORD) environment variable is used.
    type: str
    required: true
  validate_certs:
    description:
      - Verify the TLS certificate of Enterprise Manager.
      - Enterprise Manager uses a self-signed certificate by default; rather than disabling
        verification, give its CA certificate in O(ca_path).
      - If not set, the value of the E(VEEAM_EM_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - Path of a PEM file with the CA certificate(s) that signed the Enterprise Manager certificate.
      - If not set, the value of the E(VEEAM_EM_CA_PATH) environment variable is used; without either,
        the system trust store is used.
    type: path
  timeout:
    description:
      - Seconds each HTTP request may take as a whole, from connecting until the last byte of the answer
        (not the time for the whole task, and not per network read).
      - If not set, the value of the E(VEEAM_EM_TIMEOUT) environment variable is used.
    type: float
    default: 60
  api_version:
    description:
      - REST API version requested at logon (C(?v=) of C(POST /api/sessionMngr/)).
      - V(latest) lets Enterprise Manager pick its newest version; V(v1_7) is the version of Enterprise Manager 12 and 13.
    type: str
    default: latest
notes:
  - A connection option set by an empty C(VEEAM_EM_*) environment variable counts as unset (AWX and Automation
    Controller inject empty optional credential fields), so the option's default applies.
  - Every request goes to O(url) only; links in Enterprise Manager's answers are never followed as given, and
    redirects are not followed, so the session token never goes elsewhere.
  - An answer larger than 64 MiB, or a query of more than 1000 pages, is refused with an error that says so.
requirements:
  - requests >= 2.25.0 (Python package where the module or plugin runs)
"""

    MODULES = r"""
options: {}
notes:
  - Connection options can be set once for every module of the collection with
    C(module_defaults) and the action group C(group/veeamops.em.veeam).
  - The module logs on to Enterprise Manager at the start and logs its own logon session off at the end,
    also when it fails.
"""

    PLUGINS = r"""
options:
  url:
    env:
      - name: VEEAM_EM_URL
  username:
    env:
      - name: VEEAM_EM_USERNAME
  password:
    env:
      - name: VEEAM_EM_PASSWORD
  validate_certs:
    env:
      - name: VEEAM_EM_VALIDATE_CERTS
  ca_path:
    env:
      - name: VEEAM_EM_CA_PATH
  timeout:
    env:
      - name: VEEAM_EM_TIMEOUT
"""
