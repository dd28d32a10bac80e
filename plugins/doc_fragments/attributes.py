# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Attributes shared by the modules of the collection."""

from __future__ import annotations


class ModuleDocFragment:

    # Base attributes of every module of the collection.
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
"""

    # Membership of the action group, for module_defaults.
    ACTION_GROUP = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/veeamops.em.veeam) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - veeamops.em.veeam
"""

    # Read-only modules: check mode runs the module normally, nothing can change, no diff.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
"""
