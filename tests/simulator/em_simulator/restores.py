# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entire-VM restores in simulated time [restore.md].

``POST /vmRestorePoints/{id}?action=restore`` → task ``StartVMRestore``. When the task reaches
``OperationFinished`` the restore session appears (the task says only that the restore started
[D: scenario_vm_restore]); the finished task links it (``Related RestoreSession``). The session:
``Starting`` (10 % of the restore) → ``Working`` (``Progress`` rising, at most 99, ``Result=None``)
→ ``Stopped`` with ``Result``, ``EndTimeUTC``, ``Progress=100`` (a failure keeps the progress it
had) and, unless it failed, ``RestoredObjRef`` [D: get_restoresessions_id; I: timeline].

Outcome of a restore: the first queued ``POST /_sim/restores/outcome`` entry for that VM or for
any VM, else ``Success`` in ``restore_duration``. A failure message is kept for ``/_sim/restores``;
EM's REST session is observed to offer no usable reason [O: cs], so ``FailureMessage`` stays empty
unless the switch ``restore_failure_message`` is on [I].

Refused with a failed task at once [I]: a backup of the VM is running (or its start was accepted),
another restore of the VM has not ended, or (``restore_out_of_scope=task``) the VM is outside the
caller's restore scope.

What the restore does to the estate [I]:

* ``KeepOriginalVM=true``: a new VM ``<name>_restored`` with a new reference next to the original;
* ``vCloudVmRestoreSpec`` with a ``VmNewName`` other than the VM's name: a new VM of that name in
  the ``vAppRef`` vApp (else the original's);
* otherwise the VM is replaced in place: it keeps its reference, or gets a new one with the switch
  ``restore_new_ref`` (the inventory then lists it under the new reference, job includes that named
  the VM follow it, and its restore points keep the old reference); a VM no longer in the inventory
  is put back.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from .catalog import RestoreRecord, RestoreSession, local_part, ref_key
from .model import InventoryObject
from .tasks import done, failed

STARTING_SHARE = 0.1


class RestoreEngine:
    def __init__(self, sim):
        self.sim = sim
        self.running = set()

    @property
    def estate(self):
        return self.sim.estate

    # ------------------------------------------------------------------ requests

    def request(self, logon, point, spec: dict, now, refusal: str = None):
        """Accept a restore of ``point``; ``refusal`` (out of scope) fails its task. Returns the task."""
        catalog = self.estate.catalog
        record = RestoreRecord(point, spec, logon.account.username, None, now)
        record.rejected = refusal or self._conflict(point)
        if not record.rejected:
            record.outcome = self._plan(point)

        def effect(when):
            if record.rejected:
                return failed(record.rejected)
            return done('Ok', ('RestoreSession', self._start(record, when)))
        task = self.sim.tasks.create(logon, 'StartVMRestore', now, effect)
        record.task_id = task.id
        catalog.restores.append(record)
        return task

    def _conflict(self, point):
        catalog = self.estate.catalog
        current = ref_key(catalog.current_ref(point.vm_ref))
        for job in self.estate.jobs.values():
            if job.busy:
                running = job.running_session()
                vms = [task.vm for task in running.task_sessions] if running else self.estate.processed_vms(job)
                vms += [vm for run in job.quick_runs for vm in run.vms]  # quick backups waiting for the job
                if any(ref_key(vm.ref) == current for vm in vms):
                    return f'VM "{point.vm_name}" is being backed up by job "{job.name}"; restore it when the job run has ended.'
        for record in catalog.restores:
            if ref_key(catalog.current_ref(record.vm_ref)) == current and record.rejected is None and (
                    record.session is None or record.session.state != 'Stopped'):
                return f'A restore of VM "{point.vm_name}" is already in progress.'
        return None

    def _plan(self, point) -> dict:
        """The queued outcome for this VM (or any VM) next in line, else the defaults."""
        queue = self.estate.catalog.restore_outcomes
        keys = {ref_key(point.vm_ref), ref_key(self.estate.catalog.current_ref(point.vm_ref)), local_part(point.vm_ref).lower(),
                point.vm_name.lower()}
        for index, entry in enumerate(queue):
            if entry['vm'] is None or entry['vm'] in keys:
                entry['runs'] -= 1
                if entry['runs'] <= 0:
                    del queue[index]
                return {'result': entry['result'] or 'Success', 'duration': entry['duration'] or self.sim.config.restore_duration,
                        'message': entry['message']}
        return {'result': 'Success', 'duration': self.sim.config.restore_duration, 'message': None}

    # ------------------------------------------------------------------ the restore session

    def _start(self, record, when):
        catalog = self.estate.catalog
        point = record.point
        session = RestoreSession(str(uuid.uuid4()), point, when)
        session.record, record.session = record, session
        duration = record.outcome['duration']
        session.window = (when + timedelta(seconds=duration * STARTING_SHARE), when + timedelta(seconds=duration))
        catalog.add_restore_session(session)
        self.running.add(session)
        self.sim.events.at(session.window[0], self._working, session)
        self.sim.events.at(session.window[1], self._finished, session)
        return session

    def _working(self, when, session):
        session.state = 'Working'
        self._changed(session)

    def _finished(self, when, session):
        outcome = session.record.outcome
        session.state, session.result, session.ended = 'Stopped', outcome['result'], when
        if outcome['result'] == 'Failed':
            message = outcome['message'] or f'Failed to restore VM "{session.vm_name}".'
            outcome['message'] = message
            if self.sim.config.restore_failure_message:
                session.failure_message = message
        else:
            session.progress = 100
            session.restored_ref = self._apply(session.record)
        self.running.discard(session)
        self._changed(session)

    def update_progress(self, now) -> None:
        for session in list(self.running):
            if session.state != 'Working':
                continue
            working_at, end = session.window
            share = (now - working_at).total_seconds() / max((end - working_at).total_seconds(), 1e-6)
            progress = min(99, max(0, int(share * 100)))
            if progress != session.progress:
                session.progress = progress
                self._changed(session)

    def _changed(self, session):
        session.touch()
        self.estate.changed('restore_sessions')

    # ------------------------------------------------------------------ the estate after a restore

    def _apply(self, record) -> str:
        """The reference of the restored VM, with the inventory changed to match (module docstring)."""
        estate, catalog = self.estate, self.estate.catalog
        spec, point = record.spec, record.point
        current = estate.inventory_object(catalog.current_ref(point.vm_ref))
        root = estate.roots.get(point.vm_ref.split(':', 3)[-1].partition('.')[0].lower())
        if root is None:
            return catalog.current_ref(point.vm_ref)
        parents = current.parents if current is not None else ()
        if spec.get('new_name') and spec['new_name'].lower() != point.vm_name.lower():
            vapp = spec.get('vapp_ref')
            return self._add_vm(root, spec['new_name'], (vapp,) if vapp else parents).ref
        if spec.get('keep_original'):
            return self._add_vm(root, f'{point.vm_name}_restored', parents).ref
        if current is None:
            return self._add_vm(root, point.vm_name, (), local_part(point.vm_ref)).ref
        if not self.sim.config.restore_new_ref:
            return current.ref
        replacement = InventoryObject(root, 'Vm', self._new_local_ref(root), current.name, current.parents)
        remove_object(estate, current)
        estate.add_object(replacement)
        catalog.renamed[ref_key(current.ref)] = replacement.ref
        for include in estate.includes.values():
            if include.ref and ref_key(include.ref) == ref_key(current.ref):
                include.ref = replacement.ref
                include.touch()
                include.job.touch()
        estate.changed('includes', 'jobs', 'inventory')
        return replacement.ref

    def _add_vm(self, root, name, parents, local_ref=None):
        vm = InventoryObject(root, 'Vm', local_ref or self._new_local_ref(root), name, parents)
        self.estate.add_object(vm)
        self.estate.changed('inventory')
        return vm

    def _new_local_ref(self, root) -> str:
        """A managed-object id of the platform's kind that nothing in the estate or its restore points uses."""
        if root.platform == 'HyperV':
            return str(uuid.uuid4())
        if root.platform == 'vCloud':
            return f'urn:vcloud:vm:{uuid.uuid4()}'
        used = {obj.local_ref.lower() for obj in root.objects}
        used |= {local_part(point.vm_ref).lower() for point in self.estate.catalog.vm_points.values()}
        number = max((int(ref[3:]) for ref in used if ref.startswith('vm-') and ref[3:].isdigit()), default=1000) + 1
        while f'vm-{number}' in used:
            number += 1
        return f'vm-{number}'


def remove_object(estate, obj) -> None:
    """Take an inventory object out of every index of the estate (its children stay where they are)."""
    estate.objects.pop(obj.ref.lower(), None)
    estate.by_local.pop((obj.root.id.lower(), obj.local_ref.lower()), None)
    if obj in obj.root.objects:
        obj.root.objects.remove(obj)
    named = estate.by_name[obj.root.id.lower()].get((obj.type.lower(), obj.name.lower()), [])
    if obj in named:
        named.remove(obj)
    for parent in obj.parents:
        siblings = estate.children.get(parent.lower(), [])
        if obj in siblings:
            siblings.remove(obj)
