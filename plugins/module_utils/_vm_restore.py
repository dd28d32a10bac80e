# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entire VM restore of ``veeamops.em.veeam_vm_restore`` (internal; may change in any release).

The flow: resolve the VM (``VmResolver``; restoring needs restore points, not a job); read the VM's restore points
(one paged ``query?type=VmRestorePoint`` by ``HierarchyObjRef``); choose the point (``choose_point``); read the restore
point it belongs to, whose backup names the job. Check mode stops there. Otherwise ``POST
/vmRestorePoints/<id>?action=restore`` is sent once with the spec of the VM's platform (``restore_spec``), its task is
waited for until ``Finished`` (only then it links the restore session [D: restore.md]), and the restore session is
followed until it has stopped; its ``Result`` is the outcome of the restore.

A task that can no longer be read (the logon session expired during the wait) is recovered through
``query?type=RestoreSession``: the newest restore session of the VM's name created at or after the POST (less
``LOST_SESSION_MARGIN`` for clock skew) whose ``Related`` restore point, when it has one, is the point restored.
"""

from __future__ import annotations

from datetime import timedelta

from ._errors import OUTCOME_ACCEPTED, OUTCOME_UNKNOWN, EmError, EmInputError, EmNotFoundError, EmPermissionError, EmTaskError
from ._normalize import entity_id, find_link, normalize_backup_server
from ._query import all_of, eq, term
from ._restore_points import RestorePointsApi, normalize_vm_point, point_ref, point_vm_name, restore_point_id
from ._runs import STOPPED
from ._shapes import RESTORE_SESSION, VM_RESTORE_POINT
from ._tasks import EmWaitTimeoutError, Waiter, WithResult, normalize_task, related_id
from ._times import parse_since, parse_time, utc_now
from ._urls import api_path, check_id, is_valid_id, link_id
from ._vms import INCLUDE, VmResolver, is_vm_ref, vm_key
from ._wait import WaitingFlow, validate_wait_options

POINT_UID_PREFIX = 'urn:veeam:VmRestorePoint:'
ROOT_UID_PREFIX = 'urn:veeam:HierarchyRoot:'
# Platforms whose VMs EM restores with VmRestoreSpec (VMware vSphere, Hyper-V) or vCloudVmRestoreSpec (Cloud Director).
VM_SPEC_PLATFORMS = ('vmware', 'hyperv')
VCLOUD = 'vcloud'
# [I] The restore session of a lost task is searched from this many seconds before the POST (clock skew between the
# controller and Enterprise Manager); the Related restore point of each candidate is checked too.
LOST_SESSION_MARGIN = 120
LOST_SESSION_PAGE = 20
LOST_NOTE = ("The restore's task was lost (%s); its restore session was found among the restore sessions of VM \"%s\" "
             "instead.")
ROLE_HINT = ('the account needs the Portal Administrator role, or the VM Restore Operator role with a restore scope that '
             'holds this VM (Enterprise Manager: Configuration > Roles)')
SCOPE_HINT = ('this account may not read jobs or hierarchy roots (a restore operator), so it sees only the restore points of the VMs '
              'in its restore scope; check that scope in Enterprise Manager (Configuration > Roles)')
OUTCOME_RESTORE_UNKNOWN = ('The restore request may or may not have been accepted by Enterprise Manager; it was not repeated. '
                           'Look at the restore sessions of the VM before you run it again')
OUTCOME_RESTORE_ACCEPTED = ('Enterprise Manager accepted the restore request, but its answer could not be read; it was not '
                            'repeated. Look at the restore sessions of the VM before you run it again')


class EmConfirmError(EmInputError):
    """A restore was asked for without ``confirm: true``."""

    kind = 'confirm_required'
    summary = 'Restore not confirmed'


class EmRestorePointNotFoundError(EmNotFoundError):
    """The VM has no restore point that fits the request."""

    kind = 'restore_point_not_found'
    summary = 'Restore point not found'


class EmRestorePointMismatchError(EmInputError):
    """The restore point given belongs to another VM (or backup server)."""

    kind = 'restore_point_mismatch'
    summary = 'The restore point is not a point of this VM'


class EmRestoreFailedError(WithResult, EmTaskError):
    """The restore session ended with ``Failed``."""

    kind = 'restore_failed'
    summary = 'The restore failed'


# --- options ----------------------------------------------------------------------------------------

def parse_point_option(value):
    """The id of a VM restore point given as its id (GUID) or its UID (``urn:veeam:VmRestorePoint:<id>``)."""
    text = str(value).strip()
    if text.lower().startswith('urn:'):
        parts = text.split(':')
        if len(parts) != 4 or parts[1].lower() != 'veeam' or parts[2].lower() != 'vmrestorepoint':
            raise EmInputError('Invalid value for option restore_point: %r' % text,
                               hint='give the id of the VM restore point (a GUID) or its UID, urn:veeam:VmRestorePoint:<id>')
        text = parts[3]
    return check_id(text, 'restore_point')


def validate_options(params, check_mode):
    """Checks that need no request; returns ``{"point_id", "point_in_time"}``. A restore without ``confirm`` stops here."""
    vm = params.get('vm')
    if not isinstance(vm, str) or not vm.strip():
        raise EmInputError('Option vm needs a VM name or a HierarchyObjRef', reason='got %r' % (vm,))
    validate_wait_options(params)
    prepared = {
        'point_id': parse_point_option(params['restore_point']) if params.get('restore_point') else None,
        'point_in_time': parse_since(params['point_in_time'], 'point_in_time') if params.get('point_in_time') else None,
    }
    if not check_mode and not params.get('confirm'):
        raise EmConfirmError('Refusing to restore VM "%s" without confirm: true; nothing was sent' % vm.strip(),
                             reason='a restore replaces the VM with its state at the restore point, and what changed since is lost',
                             hint='add confirm: true to the task; run it in check mode first to see which restore point would be restored')
    return prepared


# --- decisions --------------------------------------------------------------------------------------

def same_vm(point, ref):
    key = vm_key(ref)
    return key is not None and vm_key(point_ref(point)) == key


def _created(point):
    return parse_time(point.get('creation_time_utc'))


def newest_first(points):
    """VM restore points, newest first by ``CreationTimeUTC``; points without a readable time last."""
    dated = [point for point in points if _created(point) is not None]
    undated = [point for point in points if _created(point) is None]
    return sorted(dated, key=lambda point: (_created(point), str(point.get('creation_time_utc'))), reverse=True) + undated


def describe_time(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def choose_point(points, vm_label, point_id=None, point_in_time=None):
    """The VM restore point to restore from, among ``points`` (the VM's own).

    ``point_id``: that point, or None when the VM has no such point (the caller then finds out why).
    ``point_in_time`` (aware datetime): the newest point created at or before it (times compared to the second).
    Neither: the newest point. EmRestorePointNotFoundError when nothing fits.
    """
    ordered = newest_first(points)
    if point_id is not None:
        return next((point for point in ordered if str(entity_id(point) or '').lower() == point_id.lower()), None)
    if not ordered:
        raise EmRestorePointNotFoundError('VM %s has no restore point' % vm_label,
                                          hint='back the VM up first (veeamops.em.veeam_vm_backup), or check backup_server')
    if point_in_time is None:
        return ordered[0]
    for point in ordered:
        created = _created(point)
        if created is not None and created <= point_in_time:
            return point
    oldest = [point for point in ordered if _created(point) is not None]
    return _none_before(vm_label, point_in_time, oldest[-1] if oldest else None, len(ordered))


def _none_before(vm_label, point_in_time, oldest, count):
    reason = 'its %d restore point(s) are all newer; the oldest was created at %s' % (count, oldest.get('creation_time_utc')) if oldest \
        else 'none of its %d restore point(s) has a readable creation time' % count
    raise EmRestorePointNotFoundError('VM %s has no restore point at or before %s' % (vm_label, describe_time(point_in_time)), reason=reason,
                                      hint='give a later point_in_time, or choose a point by restore_point')


def restore_spec(vm, point_id, power_on, quick_rollback):
    """The body of ``POST /vmRestorePoints/<id>?action=restore`` for the VM's platform [D: restore.md].

    VMware vSphere and Hyper-V: ``VmRestoreSpec``; Cloud Director: ``vCloudVmRestoreSpec`` with the hierarchy root's
    UID and the point's UID, and no ``QuickRollback`` (the spec has none).
    """
    platform = str(vm.get('platform') or '').lower()
    if platform in VM_SPEC_PLATFORMS:
        return {'VmRestoreSpec': {'PowerOnAfterRestore': bool(power_on), 'QuickRollback': bool(quick_rollback)}}
    if platform == VCLOUD:
        if quick_rollback:
            raise EmInputError('quick_rollback is not available for Cloud Director VMs',
                               reason='the Cloud Director restore spec (vCloudVmRestoreSpec) has no QuickRollback',
                               hint='set quick_rollback: false')
        root_id = vm.get('hierarchy_root_id')
        if not is_valid_id(root_id):
            raise EmInputError('Cannot build the Cloud Director restore spec', reason='hierarchy root id %r of %s' % (root_id, vm.get('ref')))
        return {'vCloudVmRestoreSpec': {'PowerOnAfterRestore': bool(power_on), 'HierarchyRootUid': ROOT_UID_PREFIX + root_id,
                                        'VmRestoreParameters': {'VmRestorePointUid': POINT_UID_PREFIX + point_id}}}
    raise EmInputError('Enterprise Manager cannot restore a VM of platform %s' % vm.get('platform'),
                       reason='an entire VM restore exists for VMware vSphere, Hyper-V and Cloud Director VMs only')


def session_point_id(session):
    """The id of the VM restore point a restore session restored from (its ``Related`` link), or None."""
    link = find_link(session, 'Related', 'VmRestorePointReference') or {}
    return link_id(link.get('href'), 'vmRestorePoints')


def pick_session(sessions, vm_name, point_id):
    """The restore session of a lost task among ``sessions`` (newest first): an entire VM restore of ``vm_name`` whose
    restore point, when the session names one, is ``point_id``; None when there is none yet."""
    for session in sessions:
        if session.get('job_type') not in (None, '', 'RestoreVm'):
            continue
        if str(session.get('vm_display_name') or '').lower() != str(vm_name or '').lower():
            continue
        restored = session_point_id(session)
        if restored is not None and restored.lower() != point_id.lower():
            continue
        return session
    return None


def normalize_restore_session(session):
    """A restore session as the module returns it; ``result`` is None while it runs (Enterprise Manager says ``None``)."""
    if not session:
        return None
    state, result = session.get('state'), session.get('result')
    return {
        'id': entity_id(session),
        'uid': session.get('uid'),
        'name': session.get('name'),
        'vm_name': session.get('vm_display_name'),
        'state': state,
        'result': None if result in (None, '', 'None') else result,
        'progress': session.get('progress'),
        'creation_time': session.get('creation_time_utc'),
        'end_time': session.get('end_time_utc'),
        'running': None if state is None else state != STOPPED,
        'restored_ref': session.get('restored_obj_ref'),
        'restore_point_id': session_point_id(session),
        'failure_message': session.get('failure_message'),
        'backup_server': normalize_backup_server(session)['name'],
        'href': session.get('href'),
    }


def vm_summary(vm, point=None):
    """The restored VM as the module returns it."""
    return {'name': vm.get('name') or (point_vm_name(point) if point else None), 'ref': vm.get('ref'), 'platform': vm.get('platform'),
            'hierarchy_root': vm.get('hierarchy_root'), 'hierarchy_root_id': vm.get('hierarchy_root_id'),
            'backup_server': vm.get('backup_server') or (normalize_backup_server(point)['name'] if point else None)}


def job_of(backup_name, backup_server, jobs):
    """``{"name", "id"}`` of the job that made a backup: among the VM's jobs by name and backup server, else the name alone."""
    for job in jobs or []:
        if str(job.get('name') or '').lower() == str(backup_name or '').lower() and \
                str(job.get('backup_server') or '').lower() == str(backup_server or '').lower():
            return {'name': job['name'], 'id': job.get('id')}
    return {'name': backup_name, 'id': None}


# --- the flow ---------------------------------------------------------------------------------------

class VmRestoreFlow(WaitingFlow):
    """One execution of the module over an open EmClient; ``execute()`` returns the result dict or raises an EmError."""

    def __init__(self, em, params, prepared, check_mode=False, warn=None, waiter_factory=Waiter):
        super().__init__(em, params, check_mode, warn, waiter_factory)
        self.prepared = prepared
        self.points = RestorePointsApi(em)
        self.resolver = self.vm = self.point = self.point_summary = self.task = self.session = None
        self.lost = None
        self.posted_at = None
        self.messages = []

    @property
    def label(self):
        return '"%s" (%s)' % (self.vm['name'], self.vm['ref']) if self.vm.get('name') else self.vm['ref']

    @property
    def short_label(self):
        """The VM in error messages, which must stay short: its name, else its reference."""
        return '"%s"' % self.vm['name'] if self.vm.get('name') else self.vm['ref']

    def execute(self):
        try:
            return self._execute()
        except EmError as exc:
            if isinstance(exc, EmWaitTimeoutError):
                exc.message = 'Restore of VM %s: %s' % (self.short_label, exc.message)
                exc.hint = ('raise wait_timeout; the restore goes on in Enterprise Manager, and its restore session (restore_session in '
                            'the result) tells how it ends')
            if isinstance(exc, EmNotFoundError) and self.resolver is not None and self.resolver.warnings:
                exc.hint = '%s; %s' % (SCOPE_HINT, exc.hint) if exc.hint else SCOPE_HINT
            if exc.outcome == OUTCOME_UNKNOWN:
                exc.outcome = OUTCOME_RESTORE_UNKNOWN
            elif exc.outcome == OUTCOME_ACCEPTED:
                exc.outcome = OUTCOME_RESTORE_ACCEPTED
            if isinstance(exc, WithResult):
                exc.result = self.partial_result()
            raise

    def _execute(self):
        params = self.params
        resolver = self.resolver = VmResolver(self.em, params.get('backup_server'))
        item = params['vm'].strip()
        try:
            (self.vm,) = resolver.resolve([item], option='vm', require_job=False)
        finally:
            for warning in resolver.warnings:
                self.warn(warning)
        self.point = self._choose(self._vm_points(resolver, item))
        self.point_summary = self._describe_point(resolver.restore_points)
        body = restore_spec(self.vm, entity_id(self.point), params['power_on'], params['quick_rollback'])
        if params['quick_rollback'] and str(self.vm.get('platform')).lower() == 'hyperv':
            self.warn('quick_rollback on a Hyper-V VM: Enterprise Manager documents quick rollback (changed block tracking) for VMware only')
        if self.check_mode:
            self.changed = True
            self.messages.append('VM %s would be restored to its original location from %s%s.' % (self.label, self._point_text(), self._choice()))
            if not params.get('confirm'):
                self.messages.append('Add confirm: true to restore it.')
            return self.result()
        self._restore(body)
        return self.result()

    # --- the point ------------------------------------------------------------------------------------

    def _vm_points(self, resolver, item):
        """The VM's restore points: those the resolver read by this reference (a VM that no job includes directly), else one
        query by reference (a name's points may miss those taken under an earlier name)."""
        ref = self.vm['ref']
        if is_vm_ref(item) and self.vm.get('protected_by') != INCLUDE:
            points = resolver.vm_points
        else:
            points = self.points.vm_points(refs=[ref], backup_server=self.params.get('backup_server'))
        return [point for point in points if same_vm(point, ref)]

    def _choose(self, points):
        server = self.params.get('backup_server')
        where = ' on backup server "%s"' % server if server else ''
        point = choose_point(points, self.label + where, self.prepared['point_id'], self.prepared['point_in_time'])
        if point is None:
            point = self._given_point(self.prepared['point_id'], server)
        return point

    def _given_point(self, point_id, server):
        """The restore point given by id that is not among the VM's points: read it, to say whose point it is."""
        try:
            point = self.em.get(api_path('vmRestorePoints', point_id), params={'format': 'Entity'}, shape=VM_RESTORE_POINT)
        except EmNotFoundError:
            raise EmRestorePointNotFoundError('No restore point with id %s' % point_id,
                                              hint='list the points of VM %s with veeamops.em.veeam_restore_point_info' % self.label) from None
        if str(entity_id(point) or '').lower() != point_id.lower():
            raise EmRestorePointNotFoundError('No restore point with id %s' % point_id,
                                              reason='Enterprise Manager answered with %s' % (point.get('uid') or point.get('href')))
        if not same_vm(point, self.vm['ref']):
            raise EmRestorePointMismatchError('Restore point %s is not a point of VM %s' % (point_id, self.label),
                                              reason='it is a point of VM "%s" (%s)' % (point_vm_name(point), point_ref(point)),
                                              hint='give a restore point of this VM, or the VM this point belongs to')
        point_server = normalize_backup_server(point)['name']
        if server and str(point_server or '').lower() != server.lower():
            raise EmRestorePointMismatchError('Restore point %s is not on backup server "%s"' % (point_id, server),
                                              reason='it is on backup server "%s"' % point_server, hint='drop backup_server or correct it')
        return point

    def _describe_point(self, known):
        """The chosen point with its job, from its restore point (one query unless the resolver read it already)."""
        key = str(restore_point_id(self.point)).lower()
        parent = known.get(key) or self.points.restore_points([self.point]).get(key)
        summary = normalize_vm_point(self.point, parent)
        summary['job'] = job_of(summary['backup']['name'], summary['backup_server'], self.vm.get('jobs'))
        return summary

    def _choice(self):
        if self.prepared['point_id']:
            return ''
        if self.prepared['point_in_time'] is not None:
            return ', the newest at or before %s' % describe_time(self.prepared['point_in_time'])
        return ', its newest'

    def _point_text(self):
        point = self.point_summary
        return 'restore point "%s" (created %s, job "%s", backup server %s)' % (
            point['name'], point['creation_time'], point['job']['name'] or 'unknown', point['backup_server'])

    # --- the restore --------------------------------------------------------------------------------

    def _restore(self, body):
        point_id = entity_id(self.point)
        what = 'restore VM %s from restore point "%s"' % (self.short_label, self.point_summary['name'])
        self.posted_at = utc_now()
        try:
            outcome = self.send_task(what, api_path('vmRestorePoints', point_id), {'action': 'restore'}, body,
                                     accept_operation_finished=False)
        except EmPermissionError as exc:
            exc.hint = ROLE_HINT
            raise
        self.lost = outcome.lost
        session_id = None if self.lost else related_id(self.task, 'restoreSessions')
        if session_id is None:
            self.session = self._find_session(point_id)
        else:
            self.session = self.em.get(api_path('restoreSessions', session_id), params={'format': 'Entity'}, shape=RESTORE_SESSION)
        if self.params['wait']:
            self._follow()
        self.messages.append(self._restore_message())
        if self.lost:
            self.messages.append(LOST_NOTE % (self.lost, self._vm_name()))
        self._judge()

    def _vm_name(self):
        return point_vm_name(self.point) or self.vm.get('name')

    def _find_session(self, point_id):
        """The restore session that the POST started, when its task cannot tell (lost, or without a ``Related`` link)."""
        name = self._vm_name()
        since = self.posted_at - timedelta(seconds=LOST_SESSION_MARGIN)
        expr = all_of(eq('VmDisplayName', name), term('CreationTime', '>=', since))

        def fetch(_previous):
            sessions, _more = self.em.query_first_page('RestoreSession', expr, sort_desc='CreationTime', page_size=LOST_SESSION_PAGE)
            return pick_session(sessions, name, point_id)

        return self.waiter.poll(fetch, lambda session: session is not None,
                                lambda session: 'no restore session of VM "%s" has appeared yet' % name)

    def _follow(self):
        try:
            self.session = self.waiter.follow_run(self.session, shape=RESTORE_SESSION)
        except EmWaitTimeoutError as exc:
            self.session = exc.last or self.session
            raise

    def _restore_message(self):
        session = self.session
        if session.get('state') != STOPPED:
            return 'Restore of VM %s from %s started: restore session "%s" is %s.' % (
                self.label, self._point_text(), session.get('name'), session.get('state'))
        verb = 'was restored' if session.get('result') in ('Success', 'Warning') else 'was not restored'
        text = 'VM %s %s from %s: restore session "%s" ended with %s after %d s.' % (
            self.label, verb, self._point_text(), session.get('name'), session.get('result'), round(self.waiter.elapsed))
        restored = session.get('restored_obj_ref')
        if restored and vm_key(restored) != vm_key(self.vm['ref']):
            text += ' The restored VM has a new reference, %s: use it (or the VM name) from now on.' % restored
        return text

    def _judge(self):
        session = self.session
        if session.get('state') != STOPPED or session.get('result') != 'Failed':
            return
        raise EmRestoreFailedError('Restore of VM %s from restore point "%s" ended with result Failed' % (self.short_label, self.point_summary['name']),
                                   em_message=session.get('failure_message'),
                                   reason='restore session "%s" ended at %s' % (session.get('name'), session.get('end_time_utc')),
                                   hint='see the restore session in the Veeam Backup & Replication console for the reason (the REST API '
                                        'reports none); the VM may need another restore')

    # --- results ------------------------------------------------------------------------------------

    def partial_result(self):
        """What is known when something fails: fail_json gets these keys beside ``msg``."""
        return {
            'changed': self.changed,
            'vm': vm_summary(self.vm, self.point) if self.vm else None,
            'restore_point': self.point_summary,
            'task': normalize_task(self.task),
            'restore_session': normalize_restore_session(self.session),
        }

    def result(self):
        result = self.partial_result()
        result['msg'] = ' '.join(self.messages)
        return result
