# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module (DOCUMENTATION) and plugin (PLUGINS)."""

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
      - Reading and running jobs needs the Portal Administrator role in Enterprise Manager.
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
      - Seconds to wait for each HTTP request (not for the whole task).
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
  - Connection options can be set once for every module of the collection with
    C(module_defaults) and the action group C(group/veeamops.em.veeam).
  - The module logs on to Enterprise Manager at the start and logs its own logon session off at the end,
    also when it fails.
  - A connection option set by an empty C(VEEAM_EM_*) environment variable counts as unset (AWX and Automation
    Controller inject empty optional credential fields), so the option's default applies.
requirements:
  - requests >= 2.25.0 (Python package on the host that runs the module)
"""

    PLUGINS = r"""
options:
  url:
    description:
      - Base URL of the Enterprise Manager REST API, with scheme and port, for example V(https://em01.example.com:9398).
      - A trailing V(/api) is accepted and ignored.
    type: str
    required: true
    env:
      - name: VEEAM_EM_URL
  username:
    description:
      - Account that logs on to Enterprise Manager, as V(DOMAIN\\user) or V(user@domain).
      - Reading jobs and their objects needs the Portal Administrator role in Enterprise Manager.
    type: str
    required: true
    env:
      - name: VEEAM_EM_USERNAME
  password:
    description:
      - Password of O(username). Any characters are allowed; they are sent UTF-8 encoded.
    type: str
    required: true
    env:
      - name: VEEAM_EM_PASSWORD
  validate_certs:
    description:
      - Verify the TLS certificate of Enterprise Manager.
      - Enterprise Manager uses a self-signed certificate by default; rather than disabling
        verification, give its CA certificate in O(ca_path).
    type: bool
    default: true
    env:
      - name: VEEAM_EM_VALIDATE_CERTS
  ca_path:
    description:
      - Path of a PEM file with the CA certificate(s) that signed the Enterprise Manager certificate.
      - Without it the system trust store is used.
    type: path
    env:
      - name: VEEAM_EM_CA_PATH
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 60
    env:
      - name: VEEAM_EM_TIMEOUT
  api_version:
    description:
      - REST API version requested at logon (C(?v=) of C(POST /api/sessionMngr/)).
    type: str
    default: latest
requirements:
  - requests >= 2.25.0 (Python package on the controller)
"""
