# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Handlers of the ``/api`` resources, one module per resource family; the route table is in routes.py."""
