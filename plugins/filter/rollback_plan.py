# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rollback_plan
short_description: Decide which VM and which restore point the rollback_change role restores for each host
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - The decision step of the role P(veeamops.em.rollback_change#role). For each host it chooses the VM to restore and
    the restore point, from the host's variables and from the fact C(veeam_backup_before_change) that the role
    P(veeamops.em.backup_before_change#role) records. It reads nothing from Enterprise Manager; the module
    M(veeamops.em.veeam_vm_restore) then resolves the VM and the point.
  - 'The VM of a host, the first that is set: the host variable C(rollback_change_vm); the reference the fact
    recorded (C(ref)); the inventory variable C(veeam_hierarchy_obj_ref); the VM name the fact recorded (C(name)); the
    inventory variable C(veeam_name); the inventory host name.'
  - 'The restore point of a host, by the first rule that applies: with O(point_in_time), the newest point at or before
    that time, for every host; without a fact, or with a fact whose C(result) is C(Failed), no restore (the host
    fails: there is no backup from before the change); the point the fact recorded by C(restore_point.id) or
    C(restore_point.uid); when the fact has no point id and its C(result) is C(Success) or C(Warning), the newest point
    at or before C(restore_point.creation_time), else at or before C(session.end_time) (the points of a run are
    written before it ends); otherwise no restore.'
  - Hosts whose VM is given the same way (the same reference, or the same name) are restored once, for the first of
    them, when they need the same point; with different points the later hosts fail.
options:
  _input:
    description: The hosts to plan for, by inventory name, in order.
    type: list
    elements: str
    required: true
  hostvars:
    description: The variables of the hosts, as the magic variable C(hostvars) holds them.
    type: dict
    required: true
  point_in_time:
    description:
      - Restore the newest point at or before this time instead of the recorded points. An ISO 8601 time, or an age
        before now (V(30m), V(24h), V(7d)); an empty value uses the recorded points.
    type: str
    default: ''
"""

EXAMPLES = r"""
- name: Plan the rollback of the play's hosts
  ansible.builtin.debug:
    msg: "{{ ansible_play_hosts | veeamops.em.rollback_plan(hostvars) }}"

- name: Plan a rollback to last night for two hosts
  ansible.builtin.debug:
    msg: "{{ ['web01', 'db01'] | veeamops.em.rollback_plan(hostvars, point_in_time='2026-03-01T23:00:00Z') }}"
"""

RETURN = r"""
_value:
  description: One entry per host, in the order of the input.
  type: list
  elements: dict
  contains:
    host:
      description: The host.
      type: str
    vm:
      description: The VM to restore, a HierarchyObjRef or a name (the O(veeamops.em.veeam_vm_restore#module:vm) option).
      type: str
      sample: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
    vm_from:
      description: Where the VM came from, V(rollback_change_vm), V(recorded_ref), V(veeam_hierarchy_obj_ref), V(recorded_name),
        V(veeam_name) or V(inventory_hostname).
      type: str
    restore_point:
      description: The id or UID of the point to restore, or V(null).
      type: str
    point_in_time:
      description: Restore the newest point at or before this time (UTC, ISO 8601), or V(null).
      type: str
      sample: '2026-03-01T21:02:05Z'
    backup_server:
      description: The backup server of the recorded backup (narrows the lookup), or V(null).
      type: str
    basis:
      description: Which rule chose the point, V(point_in_time), V(recorded_point), V(recorded_point_time), V(recorded_session_end),
        or V(null) when there is nothing to restore.
      type: str
    reason:
      description: The rule in words.
      type: str
    same_as:
      description: Another host whose restore restores this host's VM too, or V(null).
      type: str
    error:
      description: Why the host cannot be restored, or V(null).
      type: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._times import parse_since, parse_time
from ansible_collections.veeamops.em.plugins.module_utils._vms import vm_key

RECORD = 'veeam_backup_before_change'
GOOD_RESULTS = ('Success', 'Warning')
NO_RECORD = ('no fact %s: veeamops.em.backup_before_change did not back this host up in this run, so there is no recorded point; '
             'set rollback_change_point_in_time to choose a point by time' % RECORD)


def _text(value):
    """A non-empty string, or None (Jinja may render an unset value as '' or 'None')."""
    if value is None or not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text if text and text != 'None' else None


def _mapping(value):
    return value if isinstance(value, Mapping) else {}


def host_value(hostvars, host, name):
    """The variable ``name`` of ``host``, or None when it is not set."""
    try:
        values = hostvars[host]
    except (KeyError, TypeError):
        return None
    try:
        value = values[name]
    except (KeyError, TypeError):
        return None
    return None if type(value).__name__ in ('AnsibleUndefined', 'StrictUndefined', 'Undefined') else value


def choose_vm(host, values, record):
    """``(vm, vm_from)``: the VM of a host, by the documented order."""
    candidates = (
        ('rollback_change_vm', values.get('rollback_change_vm')),
        ('recorded_ref', record.get('ref')),
        ('veeam_hierarchy_obj_ref', values.get('veeam_hierarchy_obj_ref')),
        ('recorded_name', record.get('name')),
        ('veeam_name', values.get('veeam_name')),
    )
    for source, value in candidates:
        if _text(value):
            return _text(value), source
    return host, 'inventory_hostname'


def _iso(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def choose_point(record, point_in_time):
    """``(fields, error)``: the point of one host by the documented rules; ``fields`` holds ``restore_point``,
    ``point_in_time``, ``backup_server``, ``basis`` and ``reason``."""
    fields = {'restore_point': None, 'point_in_time': None, 'backup_server': None, 'basis': None, 'reason': None}
    if point_in_time:
        fields.update(point_in_time=point_in_time, basis='point_in_time', reason='the newest point at or before %s' % point_in_time)
        return fields, None
    if record is None:
        return fields, NO_RECORD
    if not isinstance(record, Mapping):
        return fields, 'the fact %s is not a mapping; it is written by veeamops.em.backup_before_change' % RECORD
    result = _text(record.get('result'))
    if result == 'Failed':
        return fields, ('the backup before the change failed (%s.result is Failed), so there is no point from before the change; set '
                        'rollback_change_point_in_time to restore an older point' % RECORD)
    point = _mapping(record.get('restore_point'))
    session = _mapping(record.get('session'))
    fields['backup_server'] = _text(record.get('backup_server'))
    recorded = _text(record.get('recorded_at'))
    when = ' (recorded at %s)' % recorded if recorded else ''
    given = _text(point.get('uid')) or _text(point.get('id'))
    if given:
        fields.update(restore_point=given, basis='recorded_point', reason='the restore point that backup_before_change recorded%s' % when)
        return fields, None
    if result not in GOOD_RESULTS:
        return fields, ('the fact %s names no restore point, and its result is %s, so no point can be trusted to be from before the change; '
                        'set rollback_change_point_in_time' % (RECORD, result or 'unknown'))
    for basis, value, what in (('recorded_point_time', point.get('creation_time'), 'the recorded restore point time'),
                               ('recorded_session_end', session.get('end_time'), 'the end of the recorded backup run')):
        moment = parse_time(_text(value))
        if moment is not None:
            fields.update(point_in_time=_iso(moment), basis=basis,
                          reason='the newest point at or before %s, %s%s' % (_iso(moment), what, when))
            return fields, None
    return fields, ('the fact %s names no restore point, no point time and no end of the backup run; set rollback_change_point_in_time'
                    % RECORD)


def _identity(vm):
    key = vm_key(vm)
    return key if key is not None else ('name', vm.lower())


def rollback_plan(hosts, hostvars, point_in_time=''):
    """One plan entry per host (see RETURN)."""
    if not isinstance(hosts, (list, tuple)):
        raise AnsibleFilterError('veeamops.em.rollback_plan: expected a list of host names, got %s' % type(hosts).__name__)
    moment = None
    if _text(point_in_time):
        try:
            moment = _iso(parse_since(_text(point_in_time), 'rollback_change_point_in_time'))
        except EmInputError as exc:
            raise AnsibleFilterError('veeamops.em.rollback_plan: %s' % exc) from None
    plan, first = [], {}
    for host in hosts:
        host = str(host)
        values = {name: host_value(hostvars, host, name) for name in ('rollback_change_vm', 'veeam_hierarchy_obj_ref', 'veeam_name')}
        record = host_value(hostvars, host, RECORD)
        vm, vm_from = choose_vm(host, values, _mapping(record))
        fields, error = choose_point(record, moment)
        entry = dict(host=host, vm=vm, vm_from=vm_from, same_as=None, error=error, **fields)
        if error is None:
            _dedupe(entry, first)
        plan.append(entry)
    return plan


def _dedupe(entry, first):
    """Restore a VM once: a later host with the same VM and point shares the first host's restore; another point is an error."""
    identity = _identity(entry['vm'])
    earlier = first.get(identity)
    if earlier is None:
        first[identity] = entry
        return
    if (earlier['restore_point'], earlier['point_in_time']) == (entry['restore_point'], entry['point_in_time']):
        entry['same_as'] = earlier['host']
    else:
        entry['error'] = ('host %s restores the same VM (%s) from another point; restore it once, with rollback_change_point_in_time or '
                          'one host' % (earlier['host'], entry['vm']))


class FilterModule:

    def filters(self):
        return {'rollback_plan': rollback_plan}
