# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rollback_verdicts
short_description: Judge the restores of the rollback_change role, one verdict per host
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - The judging step of the role P(veeamops.em.rollback_change#role). It matches the results of
    M(veeamops.em.veeam_vm_restore) (run directly in check mode, or through C(async) and C(async_status)) with the
    plan of P(veeamops.em.rollback_plan#filter), and says for each host whether its VM was restored.
  - 'A host is restored when its restore session ended with C(Success) or C(Warning) (in check mode: when the module
    found the VM and the point). A host that shares the restore of another host (the same VM) gets that host''s
    verdict. A host without a plan error but without a result, with a failed or unfinished restore, or with a plan
    error, is not restored; the verdict says why.'
options:
  _input:
    description: The plan, as P(veeamops.em.rollback_plan#filter) returned it.
    type: list
    elements: dict
    required: true
  results:
    description:
      - The C(results) of the registered loops over the plan, in any order, later ones winning per host. Each is a
        result of M(veeamops.em.veeam_vm_restore) whose C(item) is the plan entry, the C(async) start of one (the same),
        or an C(async_status) result whose C(item) is such a start.
    type: list
    elements: dict
    required: true
  check_mode:
    description: Whether the restores ran in check mode (nothing restored, the verdict says what would be).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Judge the restores
  ansible.builtin.set_fact:
    verdicts: "{{ plan | veeamops.em.rollback_verdicts(started.results + finished.results) }}"
  vars:
    plan: "{{ ansible_play_hosts | veeamops.em.rollback_plan(hostvars) }}"
    started: {results: []}
    finished: {results: []}
"""

RETURN = r"""
_value:
  description: The verdict of each host of the plan, by host name.
  type: dict
  contains:
    host:
      description: The host.
      type: str
    ok:
      description: Whether the VM was restored (in check mode, whether it would be).
      type: bool
    changed:
      description: Whether a restore was started.
      type: bool
    msg:
      description: What happened, in one or more sentences.
      type: str
    basis:
      description: Which rule of the plan chose the point.
      type: str
    vm:
      description: The VM (C(name), C(ref)) as the module resolved it, else as planned.
      type: dict
    restore_point:
      description: The point restored (C(id), C(name), C(creation_time), C(job), C(backup_server)), or V(null).
      type: dict
    restore_session:
      description: The restore session (C(id), C(name), C(state), C(result), C(creation_time), C(end_time)), or V(null).
      type: dict
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

GOOD_RESULTS = ('Success', 'Warning')
POINT_KEYS = ('id', 'uid', 'name', 'creation_time', 'job', 'backup_server')
SESSION_KEYS = ('id', 'name', 'state', 'result', 'creation_time', 'end_time', 'restored_ref')


def _pick(value, keys):
    return {key: value.get(key) for key in keys} if isinstance(value, Mapping) else None


def plan_entry_of(result):
    """The plan entry a loop result belongs to: its ``item``, or the ``item`` of the async start it follows."""
    item = result.get('item') if isinstance(result, Mapping) else None
    if isinstance(item, Mapping) and 'host' in item and 'vm' in item:
        return item
    inner = item.get('item') if isinstance(item, Mapping) else None
    if isinstance(inner, Mapping) and 'host' in inner:
        return inner
    return None


def _is_async_status(result):
    return isinstance(result.get('item'), Mapping) and 'ansible_job_id' in result['item']


def _last_results(results):
    """``{host: the last result}``, skipped ones left out; an async start gives way to the async_status result that follows it."""
    found = {}
    for result in results or []:
        entry = plan_entry_of(result)
        if entry is None or result.get('skipped'):
            continue
        found[str(entry['host'])] = result
    return found


def judge(entry, result, check_mode):
    """The verdict of one host that has its own restore (or none)."""
    verdict = {'host': entry['host'], 'ok': False, 'changed': False, 'basis': entry.get('basis'),
               'vm': {'name': None, 'ref': None, 'given': entry.get('vm')}, 'restore_point': None, 'restore_session': None, 'msg': None}
    if entry.get('error'):
        verdict['msg'] = 'Not restored: %s.' % str(entry['error']).rstrip('.')
        return verdict
    if result is None:
        verdict['msg'] = 'Not restored: no restore was started for VM %s.' % entry.get('vm')
        return verdict
    vm = result.get('vm') if isinstance(result.get('vm'), Mapping) else {}
    verdict.update(changed=bool(result.get('changed')), restore_point=_pick(result.get('restore_point'), POINT_KEYS),
                   restore_session=_pick(result.get('restore_session'), SESSION_KEYS))
    verdict['vm'].update(name=vm.get('name'), ref=vm.get('ref'))
    text = str(result.get('msg') or '').strip()
    if 'ansible_job_id' in result and not _is_async_status(result):
        verdict['msg'] = 'Not restored: the restore of VM %s was started, but nobody followed it to its end.' % entry.get('vm')
        return verdict
    if _is_async_status(result) and not result.get('finished'):
        verdict['msg'] = ('Not restored: the restore of VM %s did not end within rollback_change_wait_timeout; it may still go on in '
                          'Enterprise Manager.' % entry.get('vm'))
        return verdict
    if result.get('failed'):
        verdict['msg'] = 'Not restored: %s' % (text or 'the restore of VM %s failed.' % entry.get('vm'))
        return verdict
    session = verdict['restore_session'] or {}
    if check_mode:
        verdict.update(ok=True, msg='%s Point chosen by: %s.' % (text, entry.get('reason')))
        return verdict
    if session.get('state') == 'Stopped' and session.get('result') in GOOD_RESULTS:
        verdict.update(ok=True, msg='%s Point chosen by: %s.' % (text, entry.get('reason')))
        return verdict
    verdict['msg'] = 'Not restored: the restore session of VM %s is %s with result %s. %s' % (
        entry.get('vm'), session.get('state'), session.get('result'), text)
    return verdict


def rollback_verdicts(plan, results, check_mode=False):
    """``{host: verdict}`` for every entry of the plan (see RETURN)."""
    if not isinstance(plan, (list, tuple)) or not all(isinstance(entry, Mapping) and 'host' in entry for entry in plan):
        raise AnsibleFilterError('veeamops.em.rollback_verdicts: expected the list that veeamops.em.rollback_plan returns')
    last = _last_results(results)
    verdicts = {}
    for entry in plan:
        if entry.get('same_as') and not entry.get('error'):
            continue
        verdicts[str(entry['host'])] = judge(entry, last.get(str(entry['host'])), bool(check_mode))
    for entry in plan:
        shared = entry.get('same_as')
        if shared and not entry.get('error'):
            verdict = dict(verdicts.get(str(shared)) or judge(entry, None, check_mode))
            verdict.update(host=entry['host'], changed=False,
                           msg='The same VM as host %s, restored with it: %s' % (shared, verdict['msg']))
            verdicts[str(entry['host'])] = verdict
    return verdicts


class FilterModule:

    def filters(self):
        return {'rollback_verdicts': rollback_verdicts}
