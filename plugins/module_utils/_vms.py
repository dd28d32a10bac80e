# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one VM identity rule of the collection: resolve names and references to the VMs that jobs protect
(internal; may change in any release). Shared by every VM-level module and by the inventory plugin.

* A HierarchyObjRef (``urn:<Platform>:Vm:<root>.<ref>``) is exact.
* A name is matched, without regard to case (as Enterprise Manager compares names), among the VMs that jobs
  protect: directly (an include of the VM), or through a container include (folder, tag, host, ...) where
  restore points show the VM.
* No match, or several, fail before any change, listing the candidates (reference, hierarchy root, jobs).

VM identity: platform, hierarchy root id and object type compare without regard to case, the platform's own object
reference exactly (``vm_key``), as the inventory names its hosts.

Requests: one paged query of hierarchy roots, the jobs API's job query (one page per 1000 jobs), and for names (and
references that no job includes directly) the restore point queries of ``RestorePointsApi``: one per 40 names.

A Portal User may not read jobs (``query?type=Job`` answers 403) but may read restore points and job sessions
[D: auth.md]. For such an account the VMs are those that restore points show, and their jobs are found through the
runs: the backup of a point is named after its job [D: restore-points.md], and the newest job session of a job of
that name on the point's backup server gives the job's UID, type and backup server (``RunsApi.latest_by_job_name``,
one query per 40 jobs). [I] A renamed job, or one whose runs Enterprise Manager no longer lists, is not found that way.

Restore operators may not read hierarchy roots or jobs (403) [D: auth.md]. When no job is needed (``require_job=False``)
the resolver then identifies VMs by their restore points alone, and says so in ``warnings``.
"""

from __future__ import annotations

from ._errors import EmAmbiguousVmError, EmHierarchyRefError, EmInputError, EmPermissionError, EmVmNotFoundError, EmVmNotProtectedError
from ._hierarchy import parse_hierarchy_obj_ref
from ._jobs import JobCriteria, JobsApi, is_copy_job
from ._normalize import entity_id, find_link, normalize_backup_server, normalize_include, normalize_job
from ._query import DEFAULT_PAGE_SIZE
from ._restore_points import RestorePointsApi, backup_of, point_ref, point_vm_name, restore_point_id
from ._runs import RunsApi

VM_TYPE = 'vm'
INCLUDE = 'include'
CONTAINER = 'container'
RUNS = 'runs'  # known through restore points and job sessions only (accounts that may not read jobs)


def vm_key(ref):
    """The identity of a VM reference, or None when ``ref`` is not a VM HierarchyObjRef."""
    try:
        parts = parse_hierarchy_obj_ref(ref)
    except EmHierarchyRefError:
        return None
    if parts['object_type'].lower() != VM_TYPE:
        return None
    return (parts['platform'].lower(), VM_TYPE, parts['hierarchy_root_id'].lower(), parts['object_ref'])


def is_vm_ref(text):
    return vm_key(text) is not None


def hierarchy_roots(em, page_size=DEFAULT_PAGE_SIZE):
    """``{root id (lower case): {"id", "name", "host_type", "backup_server"}}`` from the query service."""
    roots = {}
    for entity in em.query('HierarchyRoot', sort_asc='Name', page_size=page_size):
        root_id = str(entity.get('hierarchy_root_id') or entity_id(entity) or '')
        if root_id:
            roots[root_id.lower()] = {'id': root_id, 'name': entity.get('name'), 'host_type': entity.get('host_type'),
                                      'backup_server': normalize_backup_server(entity)['name']}
    return roots


def _job_summary(job, protected_by):
    summary = normalize_job(job)
    return {'name': summary['name'], 'id': summary['id'], 'uid': summary['uid'], 'job_type': summary['job_type'],
            'backup_server': summary['backup_server']['name'], 'backup_server_id': summary['backup_server']['id'],
            'protected_by': protected_by}


def job_of_run(run):
    """What a job session tells of its job (``name``, ``uid``, ``job_type``, the backup server link), as a job entity would."""
    server = find_link(run, 'Up', 'BackupServerReference')
    return {'name': run.get('job_name'), 'uid': run.get('job_uid'), 'job_type': run.get('job_type'), 'links': [server] if server else []}


class _Vm:
    """What is known of one VM while resolving: its reference, names, root, and the jobs that protect it."""

    def __init__(self, ref):
        self.ref = ref
        parts = parse_hierarchy_obj_ref(ref)
        self.platform = parts['platform']
        self.root_id = parts['hierarchy_root_id']
        self.names = []
        self.jobs = {}
        self.point_server = None
        self.backups = set()  # (backup name, backup server name) of its restore points, while jobs cannot be read

    def add_name(self, name):
        if name and name not in self.names:
            self.names.append(name)

    def add_job(self, job, protected_by):
        key = str(job.get('uid')).lower()
        if key not in self.jobs or protected_by == INCLUDE:
            self.jobs[key] = _job_summary(job, protected_by)

    def matches_name(self, name):
        return str(name).lower() in {item.lower() for item in self.names}

    def target(self, roots):
        """The resolved VM as the modules return it (``name``, ``ref``, ``hierarchy_root``, ``backup_server``, ``jobs``)."""
        root = roots.get(self.root_id.lower()) or {}
        jobs = sorted(self.jobs.values(), key=lambda job: (job['protected_by'] != INCLUDE, str(job['name']), str(job['backup_server'])))
        servers = [job['backup_server'] for job in jobs if job['backup_server']]
        return {
            'name': self.names[0] if self.names else None,
            'ref': self.ref,
            'platform': self.platform,
            'hierarchy_root': root.get('name'),
            'hierarchy_root_id': self.root_id,
            'backup_server': root.get('backup_server') or (servers[0] if servers else self.point_server),
            'protected_by': jobs[0]['protected_by'] if jobs else None,
            'jobs': jobs,
        }


def check_items(items, option='vms'):
    """The VM names and references of option ``option``, stripped; EmInputError before any request when one cannot be either."""
    if not isinstance(items, (list, tuple)) or not items:
        raise EmInputError('Option %s needs at least one VM name or reference' % option)
    checked = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise EmInputError('Invalid entry in option %s: %r' % (option, item), hint='give a VM name or a HierarchyObjRef such as '
                               'urn:VMware:Vm:1790e16e-e712-4c24-a47c-dc3b62a4c27f.vm-1042')
        text = item.strip()
        if text.lower().startswith('urn:') and not is_vm_ref(text):
            raise EmInputError('Invalid VM reference in option %s: %r' % (option, text),
                               hint='a VM reference has the form urn:<Platform>:Vm:<HierarchyRootId>.<ObjectRef>, as the inventory '
                                    'variable veeam_hierarchy_obj_ref holds it')
        checked.append(text)
    return checked


class VmResolver:
    """Resolves VM names and references over an open EmClient (``resolve`` returns one target per item, in order)."""

    def __init__(self, em, backup_server=None, page_size=DEFAULT_PAGE_SIZE):
        self.em = em
        self.backup_server = backup_server
        self.jobs = JobsApi(em, page_size=page_size)
        self.points = RestorePointsApi(em, page_size=page_size)
        self.vms = {}
        self.roots = {}
        self.listed_jobs = []
        self.warnings = self.jobs.warnings
        self.vm_points = []
        self.restore_points = {}
        self.jobs_readable = True
        self._by_backup = {}

    def resolve(self, items, option='vms', require_job=True):
        """One resolved VM per item (see ``_Vm.target``); EmInputError, EmVmNotFoundError, EmAmbiguousVmError or
        EmVmNotProtectedError (``require_job``) before anything else is sent."""
        items = check_items(items, option)
        self.roots = self._optional(lambda: hierarchy_roots(self.em), {}, 'hierarchy roots', require_job)
        self.jobs_readable = self._read_jobs()
        names = [item for item in items if not is_vm_ref(item)]
        refs = [item for item in items if is_vm_ref(item) and vm_key(item) not in self.vms]
        if names or refs:
            self._read_points(names, refs)
        if not self.jobs_readable:
            self._optional(self._jobs_from_runs, None, 'job sessions', require_job)
        return [self._one(item, require_job) for item in items]

    # --- gathering ----------------------------------------------------------------------------------

    def _optional(self, read, default, what, require_job):
        """``read()``; without ``require_job`` an account that may not read ``what`` (403) gets ``default`` and a warning."""
        try:
            return read()
        except EmPermissionError:
            if require_job:
                raise
            self.warnings.append('This account may not read %s (HTTP 403, as for restore operators); VMs are identified by their '
                                 'restore points only' % what)
            return default

    def _vm(self, ref):
        key = vm_key(ref)
        if key not in self.vms:
            self.vms[key] = _Vm(ref)
        return self.vms[key]

    def _read_jobs(self):
        """Read the jobs and their includes; False when the account may not read jobs (HTTP 403, as for a Portal User)."""
        try:
            jobs = self.jobs.list(JobCriteria(backup_servers=self.backup_server))
        except EmPermissionError:
            self.warnings.append('This account may not read jobs (HTTP 403, as for a Portal User): VMs were found through their restore '
                                 'points, and their jobs through the job sessions of the jobs that made those points')
            return False
        self.listed_jobs = jobs
        includes = self.jobs.includes_of(jobs)
        for job in jobs:
            server = str(normalize_backup_server(job)['name'] or '').lower()
            self._by_backup.setdefault((str(job.get('name') or '').lower(), server), []).append(job)
            for obj in includes.get(job.get('uid')) or []:
                include = normalize_include(obj)
                if vm_key(include['hierarchy_obj_ref']) is None:
                    continue
                vm = self._vm(include['hierarchy_obj_ref'])
                vm.add_name(include['name'])
                vm.add_name(include['display_name'])
                vm.add_job(job, INCLUDE)
        return True

    def _read_points(self, names, refs):
        """VMs that restore points show: container-protected VMs, and the jobs (by backup name) that made their points."""
        points = self.points.vm_points(names=names, refs=refs, backup_server=self.backup_server)
        restore_points = self.points.restore_points(points)
        self.vm_points = points
        self.restore_points = restore_points
        for point in points:
            if vm_key(point_ref(point)) is None:
                continue
            vm = self._vm(point_ref(point))
            vm.add_name(point_vm_name(point))
            vm.point_server = vm.point_server or normalize_backup_server(point)['name']
            restore_point = restore_points.get(str(restore_point_id(point)).lower())
            if restore_point is None:
                continue
            backup = backup_of(restore_point)
            if not self.jobs_readable:
                if backup['name']:
                    vm.backups.add((backup['name'], normalize_backup_server(point)['name'] or ''))
                continue
            server = str(normalize_backup_server(point)['name'] or '').lower()
            for job in self._by_backup.get((str(backup['name'] or '').lower(), server), []):
                if not is_copy_job(job):
                    vm.add_job(job, CONTAINER)

    def _jobs_from_runs(self):
        """The jobs of the VMs' restore points, through the newest run of each (for accounts that may not read jobs)."""
        wanted = sorted({backup for vm in self.vms.values() for backup in vm.backups})
        if not wanted:
            return
        runs = RunsApi(self.em).latest_by_job_name(wanted)
        for vm in self.vms.values():
            for name, server in sorted(vm.backups):
                run = runs.get((name.lower(), server.lower()))
                if run is not None and not is_copy_job(run):
                    vm.add_job(job_of_run(run), RUNS)

    # --- choosing -----------------------------------------------------------------------------------

    def _one(self, item, require_job):
        if is_vm_ref(item):
            vm = self.vms.get(vm_key(item))
            if vm is None:
                if require_job:
                    raise EmVmNotProtectedError('No job protects VM %s' % item,
                                                reason='no job includes it, and Enterprise Manager has no restore point of it',
                                                hint='add the VM to a job (veeamops.em.veeam_job_object) or check the reference')
                return _Vm(item).target(self.roots)
            return self._checked(vm.target(self.roots), item, require_job)
        matches = [vm for vm in self.vms.values() if vm.matches_name(item)]
        if not matches:
            raise EmVmNotFoundError('No VM named "%s" is protected by a job%s' % (item, self._on_server()),
                                    reason='no job includes a VM of that name, and no restore point shows one' if self.jobs_readable else
                                    'no restore point shows a VM of that name (this account may not read jobs, so only VMs with '
                                    'restore points are found)',
                                    hint='check the name (the VM name in vCenter, Hyper-V or Cloud Director), or give its HierarchyObjRef')
        if len(matches) > 1:
            candidates = [_candidate(vm.target(self.roots)) for vm in sorted(matches, key=lambda vm: vm.ref)]
            listing = '; '.join('%s (hierarchy root %s, jobs: %s)' % (
                candidate['ref'], candidate['hierarchy_root'] or candidate['hierarchy_root_id'], ', '.join(candidate['jobs']) or 'none')
                for candidate in candidates)
            raise EmAmbiguousVmError('%d VMs are named "%s": %s' % (len(matches), item, listing), candidates=candidates,
                                     hint='give the HierarchyObjRef of the VM you mean (inventory variable veeam_hierarchy_obj_ref), '
                                          'or narrow with backup_server')
        return self._checked(matches[0].target(self.roots), item, require_job)

    @staticmethod
    def _checked(target, item, require_job):
        if require_job and not target['jobs']:
            raise EmVmNotProtectedError('No job protects VM "%s"' % item, reason='it has restore points, but no job that made them is listed',
                                        hint='the job may have been deleted; add the VM to a job (veeamops.em.veeam_job_object)')
        return target

    def _on_server(self):
        return ' on backup server "%s"' % self.backup_server if self.backup_server else ''


def _candidate(target):
    return {'ref': target['ref'], 'name': target['name'], 'hierarchy_root': target['hierarchy_root'],
            'hierarchy_root_id': target['hierarchy_root_id'], 'backup_server': target['backup_server'],
            'jobs': ['%s (%s)' % (job['name'], job['backup_server']) for job in target['jobs']]}
