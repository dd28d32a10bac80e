# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects in VM jobs: ``POST /jobs/{id}/includes`` and ``DELETE /jobs/{id}/includes/{oid}`` [jobs.md "Includes"].

Both answer ``202`` with an ``UpdateJob`` task [D: post_jobs_id_includes, delete_jobs_id_includes_id];
the change is made when the task reaches ``OperationFinished`` and its finished message is ``Ok`` [D].
Failures are task failures [I: errors.md] with the simulator's wording, except where a switch asks
for another variant the reference allows:

* the reference must be an object of a hierarchy root of the job's backup server, of the job's
  platform [I: hierarchy.md "Simulator notes"]; the name sent is stored as is [D: not validated];
* an object the job already has (same ``HierarchyObjRef``, also one not shown yet): the task fails
  [I: jobs.md "Duplicates … server behaviour unknown"], or with ``duplicate_include: ignore`` it
  succeeds and nothing is added;
* a job's last object cannot be removed [D: delete_jobs_id_includes_id]: the task fails with the
  message of examples/task-include-remove-last-failed.xml [I: invented text], or with
  ``last_include_removal: http`` the ``DELETE`` itself is refused with ``500`` and that message [I];
* ``include_visibility_delay`` D > 0: a new include exists on the backup server (runs process it)
  but EM shows it (``/jobs/{id}/includes``, job entities, the query service) only D simulated
  seconds after its task is ``Finished`` [O: mph re-reads the job up to 10 times; I: EM collects the
  change asynchronously]; with 0 it shows as soon as the task reaches ``OperationFinished``.
"""

from __future__ import annotations

from datetime import timedelta

from .edit import DEFAULT_INCLUDE_OPTIONS, deep_merge, include_problem
from .http import ApiError
from .model import Include
from .tasks import done, failed
from .values import new_guid


def last_object_message(job) -> str:
    """[I] the invented text of examples/task-include-remove-last-failed.xml."""
    return f'Cannot remove the last object from job "{job.name}".'


def all_includes(job) -> list:
    """The job's objects on the backup server: those EM shows and those it has not collected yet."""
    return job.includes + job.pending_includes


class Membership:
    def __init__(self, sim):
        self.sim = sim

    @property
    def estate(self):
        return self.sim.estate

    def add(self, logon, job, spec: dict, now):
        job.counts['include_add'] += 1
        return self.sim.tasks.create(logon, 'UpdateJob', now, lambda when: self._add(job, spec, when))

    def _add(self, job, spec, when):
        ref = spec['HierarchyObjRef']
        problem = include_problem(job, ref, self.estate)
        if problem:
            return failed(problem)
        obj = self.estate.inventory_object(ref)
        if any(include.ref.lower() == obj.ref.lower() for include in all_includes(job)):
            if self.sim.config.duplicate_include == 'ignore':
                return done()
            return failed(f'Object "{obj.name}" is already included in job "{job.name}".')
        guest = spec.get('GuestProcessingOptions')
        gpo = deep_merge(DEFAULT_INCLUDE_OPTIONS, guest) if guest else DEFAULT_INCLUDE_OPTIONS
        name = spec.get('HierarchyObjName') or obj.name
        include = Include(new_guid(), job, obj.ref, name, name, gpo)
        delay = self.sim.config.include_visibility_delay
        if delay <= 0:
            self.estate.add_include(job, include)
        else:
            job.pending_includes.append(include)
            self.sim.events.at(self.sim.tasks.finished_at(when) + timedelta(seconds=delay), self._show, job, include)
        return done()

    def _show(self, when, job, include):
        if include not in job.pending_includes:
            return  # the job's list was replaced meanwhile
        job.pending_includes.remove(include)
        if self.estate.job(job.id) is job:
            self.estate.add_include(job, include)

    def remove(self, logon, include, now):
        job = include.job
        if self.sim.config.last_include_removal == 'http' and len(all_includes(job)) <= 1:
            raise ApiError(500, last_object_message(job))
        job.counts['include_remove'] += 1
        return self.sim.tasks.create(logon, 'UpdateJob', now, lambda when: self._remove(job, include))

    def _remove(self, job, include):
        if include not in job.includes:
            return failed(f'Object "{include.name}" is no longer included in job "{job.name}".')
        if len(all_includes(job)) <= 1:
            return failed(last_object_message(job))
        self.estate.remove_include(include)
        return done()
