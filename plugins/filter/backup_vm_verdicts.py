# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: backup_vm_verdicts
short_description: Judge each host's quick backup and record the restore point to return to
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - The last decision of the role P(veeamops.em.backup_before_change#role) with
    C(backup_before_change_method=quick_backup). It maps the per-VM results of the one
    M(veeamops.em.veeam_vm_backup) call of the play back to the hosts, judges each host, and builds the fact
    C(veeam_backup_before_change) of each host, which P(veeamops.em.rollback_plan#filter) reads.
  - The result of a VM is the entry of RV(veeamops.em.veeam_vm_backup#module:vms) at the place of the host's VM in
    O(vms) (the module returns one entry per item, in the same order).
  - 'A host succeeded when its VM''s quick backup ended with one of O(accepted), or was not needed because the VM
    has a restore point younger than C(max_age_minutes) (RV(veeamops.em.veeam_vm_backup#module:vms[].action) V(skipped)).
    In check mode a quick backup that would start counts as succeeded.'
  - 'A host failed when its VM''s backup ended otherwise (also V(Warning) unless accepted), was refused, did not end
    within the wait, or when the module reported no result for its VM (it failed before, for example because
    Enterprise Manager could not be reached or one of the VMs could not be resolved; nothing was then backed up).'
  - Hosts that P(veeamops.em.backup_vm_target#filter) did not send keep its verdict.
  - 'The record of each host (the fact C(veeam_backup_before_change)): C(ref), C(name), C(result) (the VM''s result,
    V(null) when no backup ran: skipped, check mode, not sent), C(method) (V(quick_backup)), C(backup_server), C(job)
    (C(name), C(id)), C(session) (C(id), C(name), C(result), C(creation_time), C(end_time) of the run), C(restore_point)
    (C(id), C(uid), C(creation_time) of the VM restore point: the new one, or for a skipped VM its newest one; else
    V(null)), C(recorded_at) and C(note) (why there is no new backup, or V(null)).'
positional: _input, backup
options:
  _input:
    description: The decision for every host of the play, as P(veeamops.em.backup_vm_target#filter) returns it.
    type: list
    elements: dict
    required: true
  backup:
    description:
      - The registered result of the M(veeamops.em.veeam_vm_backup) call with O(vms) (also when it failed or was
        skipped because no host was sent).
    type: dict
    required: true
  vms:
    description: The items of the module's O(veeamops.em.veeam_vm_backup#module:vms) option, in the order they were given.
    type: list
    elements: str
    default: []
  accepted:
    description: The results that count as a backup.
    type: list
    elements: str
    default: [Success]
  check_mode:
    description: Whether the module ran in check mode.
    type: bool
    default: false
  max_age_minutes:
    description: The maximum age of a restore point that made a quick backup unnecessary, for the message.
    type: int
    default: 0
  now:
    description:
      - The current time in UTC, as Ansible's C(now(utc=true)) gives it, or as an ISO 8601 string; the records'
        C(recorded_at). Defaults to the clock of the controller.
    type: raw
"""

EXAMPLES = r"""
- name: Judge every host of the play
  ansible.builtin.set_fact:
    verdicts: >-
      {{ ansible_play_hosts | map('extract', hostvars, 'target') | list
         | veeamops.em.backup_vm_verdicts(backup, vms=vms, accepted=['Success', 'Warning'], now=now(utc=true)) }}
  run_once: true

- name: Keep the host's record for a later rollback
  ansible.builtin.set_fact:
    veeam_backup_before_change: "{{ verdicts[inventory_hostname].record }}"
"""

RETURN = r"""
_value:
  description: For every host of O(_input), by host name, its verdict and its record.
  type: dict
  contains:
    result:
      description: The verdict, the fact C(backup_before_change_result) of the role.
      type: dict
      contains:
        ok:
          description: Whether the host's backup succeeded (or, for an unprotected host, whether it is skipped).
          type: bool
        skipped:
          description: Whether the host is unprotected and skipped.
          type: bool
        method:
          description: V(quick_backup).
          type: str
        msg:
          description: What happened, in sentences.
          type: str
          sample: >-
            Backup of web01 succeeded. Quick backup of VM web01 (job "Daily VM Backup" on vbr01.example.com): run
            "Daily VM Backup@2026-03-02 10:15:02" ended with Success, restore point of 2026-03-02T10:15:27.310Z.
        vm:
          description: The host's entry of RV(veeamops.em.veeam_vm_backup#module:vms), or V(null).
          type: dict
        jobs:
          description:
            - The job that ran (or would run) the quick backup, as one entry in the form of the method V(job)
              (C(id), C(name), C(backup_server), C(action) (V(started), V(recent) for a VM skipped by the maximum age,
              V(would_start)), C(session), C(end_time), C(result), C(vm_result), C(ok), C(msg)); empty when the host's
              VM was not backed up.
          type: list
          elements: dict
    record:
      description: The fact C(veeam_backup_before_change) (see the description).
      type: dict
      sample:
        ref: urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042
        name: web01
        result: Success
        method: quick_backup
        backup_server: vbr01.example.com
        job: {name: Daily VM Backup, id: 47752464-8e77-407a-a936-132173ac15f5}
        session:
          id: 9a3cd5e2-6f14-4a8b-b2c0-7d1e3f5a9b64
          name: Daily VM Backup@2026-03-02 10:15:02
          result: Success
          creation_time: '2026-03-02T10:15:02.310Z'
          end_time: '2026-03-02T10:19:14.872Z'
        restore_point:
          id: 3f1c9e27-8a4b-4d6e-b2f0-5c7a9d1e3b46
          uid: urn:veeam:VmRestorePoint:3f1c9e27-8a4b-4d6e-b2f0-5c7a9d1e3b46
          creation_time: '2026-03-02T10:15:27.310Z'
        recorded_at: '2026-03-02T10:19:20Z'
        note: null
"""

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.veeamops.em.plugins.plugin_utils._backup_jobs import (
    accepted_results, backup_state, dig, filter_errors, flag, iso_time, mapping, mappings, number, text_list, utc_now,
)
from ansible_collections.veeamops.em.plugins.plugin_utils._backup_vms import point_of, record, session_of

METHOD = 'quick_backup'
ACTIONS = {'started': 'started', 'skipped': 'recent', 'would_start': 'would_start'}
SHARED_JOB = (' Job "%s" also ran the quick backup of %s of this play, and a backup server may refuse a second quick backup'
              ' of a job while it runs; back up hosts that share a job with backup_before_change_method=job')
NO_RESULT = 'the quick backup of the play\'s VMs reported no result for this VM: %s'
WARNING = 'a warning counts as a backup only with backup_before_change_accept_warning=true'


class Play:
    """What the module returned for the play's VMs, and the rules the hosts are judged by."""

    def __init__(self, backup, vms, accepted, check_mode, max_age_minutes):
        self.entries = mappings(backup.get('vms'), 'the vms of the backup result')
        self.vms = text_list(vms, 'vms')
        self.failure = str(backup.get('msg') or 'no result').strip() if boolean(backup.get('failed'), strict=False) else None
        if len(self.entries) != len(self.vms):
            self.entries = []
        self.accepted = accepted
        self.check_mode = check_mode
        self.max_age_minutes = max_age_minutes

    def entry(self, vm):
        """The module's result for the VM ``vm`` (None when it returned none)."""
        if vm in self.vms and self.entries:
            return self.entries[self.vms.index(vm)]
        return None

    def sharing(self, entry, hosts):
        """The other hosts whose VM's quick backup ran in a run of the same job as the (refused) ``entry``."""
        job_id = str(dig(entry, 'job', 'id') or '').lower()
        return [host for host, other in hosts
                if other is not entry and other.get('session') and str(dig(other, 'job', 'id') or '').lower() == job_id]


def _vm_label(entry, target):
    return 'VM %s' % (entry.get('name') or target.get('name') or entry.get('ref'))


def _where(entry):
    return 'job "%s" on %s' % (dig(entry, 'job', 'name'), entry.get('backup_server'))


def judge(entry, play):
    """(ok, sentence) for one VM's entry."""
    action, result, reason = entry.get('action'), entry.get('result'), entry.get('reason')
    run = dig(entry, 'session', 'name')
    if action == 'skipped':
        return True, 'no new quick backup, %s (backup_before_change_max_age_minutes)' % (
            reason or 'its newest restore point is younger than %s minutes' % play.max_age_minutes)
    if action == 'would_start':
        return True, 'a quick backup would start'
    if play.check_mode:
        return False, 'no quick backup would start: %s' % (reason or 'the module reported action %s' % action)
    if action != 'started':
        return False, 'not backed up: %s' % (reason or play.failure or 'the quick backup was not requested')
    if result is None:
        return False, 'its run%s had not ended: %s' % (' "%s"' % run if run else '', play.failure or 'no result')
    point = dig(entry, 'restore_point', 'creation_time')
    said = 'run "%s" ended with %s' % (run, result) if run else 'ended with %s' % result
    if result in play.accepted:
        return True, said + (', restore point of %s' % point if point else '')
    detail = ': %s' % str(reason).rstrip('.') if reason else ''
    return False, said + detail + ('; %s' % WARNING if result == 'Warning' else '')


def job_entry(entry, ok, sentence):
    """The job of the quick backup, in the form of the entries of backup_before_change_result.jobs."""
    session = mapping(entry.get('session'), 'the session of VM %s' % entry.get('name'))
    return {'id': dig(entry, 'job', 'id'), 'name': dig(entry, 'job', 'name'), 'backup_server': entry.get('backup_server'),
            'action': ACTIONS.get(entry.get('action')), 'session': session.get('name') or '', 'end_time': session.get('end_time') or '',
            'result': session.get('result') or '', 'vm_result': entry.get('result') or '', 'ok': ok,
            'msg': 'Job "%s" (%s): quick backup of VM %s: %s.' % (
                dig(entry, 'job', 'name'), entry.get('backup_server'), entry.get('name'), sentence)}


def _sent(target, entry, play, hosts, recorded_at):
    host = target['host']
    if entry is None:
        why = NO_RESULT % (play.failure or 'no result')
        ok, message, jobs = False, 'Quick backup of VM %s: %s.' % (target.get('vm'), why.rstrip('.')), []
        note = why
    else:
        ok, sentence = judge(entry, play)
        if not ok and entry.get('action') == 'started' and entry.get('session') is None and entry.get('result') == 'Failed':
            shared = play.sharing(entry, hosts)
            if shared:
                sentence = sentence.rstrip('.') + '.' + SHARED_JOB % (dig(entry, 'job', 'name'), ', '.join(shared))
        message = 'Quick backup of %s (%s): %s.' % (_vm_label(entry, target), _where(entry), sentence.rstrip('.'))
        jobs = [job_entry(entry, ok, sentence.rstrip('.'))]
        note = None if entry.get('action') == 'started' and entry.get('result') in play.accepted else sentence
    if play.check_mode:
        note = 'check mode: nothing was backed up; ' + (note or 'a quick backup would start')
    msg = 'Backup of %s %s. %s' % (host, backup_state(ok, play.check_mode), message)
    result = {'ok': ok, 'skipped': False, 'method': METHOD, 'msg': msg, 'vm': entry, 'jobs': jobs}
    return result, _record(target, entry, play, recorded_at, note)


def _record(target, entry, play, recorded_at, note):
    entry = entry or {}
    return record(ref=entry.get('ref') or target.get('ref'), name=entry.get('name') or target.get('name'),
                  result=None if play.check_mode else entry.get('result'), method=METHOD,
                  backup_server=entry.get('backup_server'), job=entry.get('job'), session=session_of(entry.get('session')),
                  restore_point=point_of(entry.get('restore_point')), recorded_at=recorded_at, note=note)


def _not_sent(target, play, recorded_at):
    note = target.get('msg') or 'not backed up'
    if play.check_mode:
        note = 'check mode: nothing was backed up; ' + note
    result = {'ok': bool(target.get('ok')), 'skipped': bool(target.get('skipped')), 'method': METHOD, 'msg': target.get('msg') or '',
              'vm': None, 'jobs': []}
    return result, record(ref=target.get('ref'), name=target.get('name'), result=None, method=METHOD, recorded_at=recorded_at, note=note)


@filter_errors('backup_vm_verdicts')
def backup_vm_verdicts(targets, backup, vms=None, accepted=None, check_mode=False, max_age_minutes=0, now=None):
    """{host: {'result': verdict, 'record': the fact veeam_backup_before_change}} for every target."""
    targets = mappings(targets, 'the targets')
    play = Play(mapping(backup, 'backup'), vms, accepted_results(accepted), flag(check_mode, 'check_mode'),
                number(max_age_minutes, 'max_age_minutes'))
    recorded_at = iso_time(utc_now(now))
    hosts = [(target.get('host'), play.entry(target.get('vm'))) for target in targets if target.get('send')]
    verdicts = {}
    for target in targets:
        if target.get('send'):
            verdict, fact = _sent(target, play.entry(target.get('vm')), play, hosts, recorded_at)
        else:
            verdict, fact = _not_sent(target, play, recorded_at)
        verdicts[target.get('host')] = {'result': verdict, 'record': fact}
    return verdicts


class FilterModule:

    def filters(self):
        return {'backup_vm_verdicts': backup_vm_verdicts}
