# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow of ``veeamops.em.veeam_job_object`` (internal; may change in any release).

Find the job (``JobsApi.find``, VM jobs only); read its objects from ``GET jobs/<id>/includes``, the collection's own
answer; resolve the wanted objects (``_job_objects.ObjectResolver``); plan (``_job_objects.plan_changes``); then add,
then remove (a job's last object cannot be removed [D: delete_jobs_id_includes_id], so replacing the only object needs
the add first [O: mph]); each request is sent once and its task waited for until ``Finished``; finally the job's objects
are read again until the changes show (Enterprise Manager may list a new object only some time after its task [O: mph;
I]). Check mode stops before the first change. A failure after a change was sent carries what was done
(``WithResult``) and says it in the message.
"""

from __future__ import annotations

from ._errors import EmError, EmInputError
from ._jobs import JobsApi, is_copy_job
from ._job_objects import ABSENT, EmEmptyJobError, ObjectResolver, after_plan, describe, describe_all, include_entry, plan_changes, public
from ._normalize import normalize_job
from ._tasks import EmTaskFailedError, EmWaitTimeoutError, Waiter, WithResult, run_task
from ._wait import WaitingFlow

LOST_NOTE = 'The task of %s could no longer be read (%s); the change was confirmed through the job\'s objects.'
ADD_FAILED = ('check that the object belongs to the backup server and platform of the job; an object added a moment ago may not be '
              'listed by Enterprise Manager yet: run again in a while')
REMOVE_FAILED = 'a job keeps at least one object; if another change made the job smaller meanwhile, run again'


class EmJobObjectsError(WithResult, EmError):
    """A request of the change failed: the original error, named after what was being done, with the partial result."""

    @classmethod
    def from_error(cls, exc, message):
        error = cls(message, method=exc.method, url=exc.url, status=exc.status, em_message=exc.em_message,
                    reason=exc.reason or (exc.message if exc.message != message else None), hint=exc.hint, outcome=exc.outcome)
        error.kind = exc.kind
        return error


class JobObjectsFlow(WaitingFlow):
    """One execution of the module over an open EmClient; ``execute()`` returns the result dict or raises an EmError."""

    def __init__(self, em, params, specs, check_mode=False, diff_mode=False, waiter_factory=Waiter):
        super().__init__(em, params, check_mode, waiter_factory=waiter_factory)
        self.specs = specs
        self.diff_mode = diff_mode
        self.jobs = JobsApi(em)
        self.job = None
        self.before = self.after = None
        self.added, self.removed = [], []
        self.pending = None
        self.notes = []

    @property
    def name(self):
        return self.job.get('name')

    def execute(self):
        try:
            return self._execute()
        except EmError as exc:
            if self._waiter is None:  # nothing was sent
                raise
            error = exc if isinstance(exc, WithResult) else EmJobObjectsError.from_error(exc, exc.message)
            error.outcome = _sentences(exc.outcome, self._done_text())
            if isinstance(error, EmWaitTimeoutError):
                error.message = 'Job "%s": %s' % (self.name, error.message)
            error.result = self.partial_result()
            if error is exc:
                raise
            raise error from exc

    def _execute(self):
        params = self.params
        self.job = self.jobs.find(params.get('name'), params.get('id'), params.get('uid'), params.get('backup_server'))
        if is_copy_job(self.job):
            raise EmInputError('Job "%s" is a %s job; its sources are jobs, not objects' % (self.name, self.job.get('job_type')),
                               hint='manage the objects of its source jobs instead')
        self.before = self._read()
        wanted = ObjectResolver(self.em, self.job).resolve(self.specs, self.before, params['state'])
        adds, removes, refusal = plan_changes(self.before, wanted, params['state'], params['exclusive'])
        if refusal:
            raise EmEmptyJobError('Refusing to leave job "%s" without objects' % self.name, reason=refusal,
                                  hint='Enterprise Manager does not allow a job without objects: keep at least one, or give the new '
                                       'objects with state=present and exclusive=true (they are added before the others are removed)')
        if not adds and not removes:
            self.after = self.before
            return self.result(self._unchanged_text(wanted))
        if self.check_mode:
            self.changed = True
            self.added = [dict(item, id=None) for item in adds]
            self.removed = list(removes)
            self.after = after_plan(self.before, adds, removes)
            return self.result(self._change_text('would add', 'would remove'))
        self._apply(adds, removes)
        return self.result(self._change_text('added', 'removed'))

    # --- applying -------------------------------------------------------------------------------------

    def _apply(self, adds, removes):
        lost_adds = []
        for item in adds:
            what = 'add %s to job "%s"' % (describe(item), self.name)
            if self._send(self.jobs.add_include_request(self.job, item['ref'], item['name']), what, ADD_FAILED):
                lost_adds.append(item)
            self.added.append(dict(item, id=None))
        if lost_adds and removes:  # the last-object rule: the adds must have landed before anything is removed
            self._read_back(lost_adds, [])
        for item in removes:
            what = 'remove %s from job "%s"' % (describe(item), self.name)
            self._send(self.jobs.remove_include_request(self.job, item['id']), what, REMOVE_FAILED)
            self.removed.append(item)
        self.after = self._read_back(self.added, self.removed)
        for item in self.added:
            item['id'] = next((found['id'] for found in self.after if found['key'] == item['key']), None)

    def _send(self, request, what, failure_hint):
        """Send one change once and wait for its task; True when the task could no longer be read."""
        self.pending = what
        try:
            outcome = run_task(self.em, self.waiter, what, *request, accept_operation_finished=False)
        except EmTaskFailedError as exc:
            self.pending = None
            exc.hint = exc.hint or failure_hint
            raise
        except EmWaitTimeoutError:
            self.changed = True
            raise
        except EmError as exc:
            self.pending = None
            raise EmJobObjectsError.from_error(exc, 'Enterprise Manager could not %s' % what) from exc
        self.pending = None
        self.changed = True
        if outcome.lost is not None:
            self.notes.append(LOST_NOTE % (what, outcome.lost))
            return True
        return False

    def _read(self):
        return [include_entry(obj) for obj in self.jobs.listed_includes(self.job)]

    def _read_back(self, added, removed):
        """Read the job's objects until the added ones show and the removed ones are gone (Enterprise Manager may take a while)."""
        def missing(current):
            shown = {item['key'] for item in current}
            listed = {str(item['id']).lower() for item in current}
            return [item for item in added if item['key'] not in shown], [item for item in removed if str(item['id']).lower() in listed]

        def describe_wait(current):
            absent, present = missing(current)
            parts = []
            if absent:
                parts.append('Enterprise Manager does not list %s in the job yet' % describe_all(absent))
            if present:
                parts.append('Enterprise Manager still lists %s, removed from the job' % describe_all(present))
            return '; '.join(parts)

        try:
            return self.waiter.poll(lambda previous: self._read(), lambda current: not any(missing(current)), describe_wait)
        except EmWaitTimeoutError as exc:
            exc.hint = ('Enterprise Manager shows changed objects some time after their task has finished; raise wait_timeout, or look '
                        'at the job later with veeamops.em.veeam_job_info (details=includes)')
            raise

    # --- results --------------------------------------------------------------------------------------

    def _unchanged_text(self, wanted):
        if self.params['state'] == ABSENT:
            return 'Job "%s" has none of the objects given; nothing to remove.' % self.name
        if self.params['exclusive']:
            return 'Job "%s" has exactly the objects given; nothing to change.' % self.name
        if not wanted:
            return 'No objects given for job "%s"; nothing to add.' % self.name
        return 'Job "%s" already has every object given; nothing to add.' % self.name

    def _change_text(self, add_word, remove_word):
        parts = []
        if self.added:
            parts.append('%s %s' % (add_word, describe_all(self.added)))
        if self.removed:
            parts.append('%s %s' % (remove_word, describe_all(self.removed)))
        return ' '.join(['Job "%s": %s.' % (self.name, '; '.join(parts))] + self.notes)

    def _done_text(self):
        done = []
        if self.added:
            done.append('added %s' % ', '.join('%s (%s)' % (describe(item), item['ref']) for item in self.added))
        if self.removed:
            done.append('removed %s' % ', '.join('%s (%s)' % (describe(item), item['ref']) for item in self.removed))
        text = 'Changes made before the failure: %s.' % '; '.join(done) if done else 'No object had been added or removed before the failure.'
        if self.pending:
            text += ' The request to %s was sent; whether it took effect is not known yet.' % self.pending
        return text

    def partial_result(self):
        """What is known when something fails after a change was sent: fail_json gets these keys beside ``msg``."""
        return {
            'changed': self.changed,
            'job': normalize_job(self.job) if self.job else None,
            'added': public(self.added),
            'removed': public(self.removed),
        }

    def result(self, msg):
        result = self.partial_result()
        result['objects'] = public(self.after or [])
        result['msg'] = msg
        if self.diff_mode:
            result['diff'] = {'before': {'objects': _diff_view(self.before)}, 'after': {'objects': _diff_view(self.after)}}
        return result


def _diff_view(entries):
    return [{'name': item['name'], 'type': item['type'], 'ref': item['ref']} for item in entries or []]


def _sentences(*texts):
    """Texts joined as sentences (each ends with a full stop)."""
    return ' '.join(text if text.rstrip().endswith(('.', '!', '?')) else text.rstrip() + '.' for text in texts if text)
