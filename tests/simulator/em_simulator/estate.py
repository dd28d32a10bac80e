# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The estate: backup servers, hierarchy roots and their inventory, jobs, includes, sessions.

Keys of the indexes are lower-cased (GUIDs and HierarchyObjRefs compare case-insensitively [I]).
``generation`` counts changes per collection; query results are cached per generation.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

from .catalog import Catalog
from .model import VM

_SERIALS = itertools.count(1)


class Estate:
    def __init__(self):
        self.servers = {}
        self.roots = {}
        self.root_keys = {}
        self.objects = {}
        self.by_local = {}
        self.children = defaultdict(list)
        self.by_name = defaultdict(lambda: defaultdict(list))
        self.accounts = {}
        self.jobs = {}
        self.includes = {}
        self.sessions = {}
        self.task_sessions = {}
        self.generation = Counter()
        self.serial = next(_SERIALS)
        self.catalog = Catalog(self)

    def changed(self, *collections: str) -> None:
        for collection in collections:
            self.generation[collection] += 1

    # ------------------------------------------------------------------ static parts

    def add_server(self, server) -> None:
        self.servers[server.id.lower()] = server

    def server_named(self, name: str):
        wanted = name.lower()
        for server in self.servers.values():
            if server.name.lower() == wanted or server.id.lower() == wanted:
                return server
        return None

    def add_root(self, root) -> None:
        self.roots[root.id.lower()] = root
        for key in (root.name, root.id, root.uid):
            self.root_keys.setdefault(key.lower(), root)

    def root_named(self, name: str):
        """The root with this name, GUID or UID."""
        return self.root_keys.get(name.lower())

    def add_object(self, obj) -> None:
        key = obj.ref.lower()
        if key in self.objects:
            raise ValueError(f'duplicate inventory object {obj.ref}')
        self.objects[key] = obj
        self.by_local[(obj.root.id.lower(), obj.local_ref.lower())] = obj
        obj.root.objects.append(obj)
        self.by_name[obj.root.id.lower()][(obj.type.lower(), obj.name.lower())].append(obj)
        for parent in obj.parents:
            self.children[parent.lower()].append(obj)

    def local_object(self, root, local_ref: str):
        """The object of ``root`` whose own ID (vSphere MoRef, Hyper-V GUID, …) is ``local_ref``."""
        return self.by_local.get((root.id.lower(), local_ref.lower()))

    def inventory_object(self, ref: str):
        return self.objects.get(ref.lower()) if ref else None

    def lookup(self, root, type_: str, name: str) -> list:
        """Objects of ``type_`` named ``name`` (case-insensitive; ``*`` = all) under ``root`` [D: get_lookup]."""
        type_key = type_.lower()
        if name == '*':
            return [obj for obj in root.objects if obj.type.lower() == type_key]
        return list(self.by_name[root.id.lower()].get((type_key, name.lower()), ()))

    def ancestors(self, obj) -> set:
        """Refs (lower-case) of every container above ``obj``."""
        seen = set()
        pending = list(obj.parents)
        while pending:
            ref = pending.pop().lower()
            if ref in seen:
                continue
            seen.add(ref)
            parent = self.objects.get(ref)
            if parent is not None:
                pending.extend(parent.parents)
        return seen

    def vms_under(self, ref: str) -> list:
        """The VM itself, or every VM below a container, in inventory order."""
        obj = self.inventory_object(ref)
        if obj is None:
            return []
        if obj.is_vm:
            return [obj]
        found, seen, pending = [], set(), [obj.ref.lower()]
        while pending:
            key = pending.pop(0)
            for child in self.children.get(key, ()):
                child_key = child.ref.lower()
                if child_key in seen:
                    continue
                seen.add(child_key)
                if child.is_vm:
                    found.append(child)
                else:
                    pending.append(child_key)
        return found

    def add_account(self, account) -> None:
        self.accounts[account.username.lower()] = account

    # ------------------------------------------------------------------ jobs and includes

    def add_job(self, job) -> None:
        key = job.id.lower()
        if key in self.jobs:
            raise ValueError(f'duplicate job id {job.id}')
        self.jobs[key] = job
        for include in job.includes:
            self.includes[include.id.lower()] = include
        self.changed('jobs', 'includes')

    def remove_job(self, job) -> None:
        self.jobs.pop(job.id.lower(), None)
        for include in job.includes:
            self.includes.pop(include.id.lower(), None)
        self.changed('jobs', 'includes')

    def job(self, id_: str, kind: str = None):
        job = self.jobs.get(id_.lower())
        if job is None or (kind is not None and job.kind != kind):
            return None
        return job

    def jobs_of(self, kind: str) -> list:
        return [job for job in self.jobs.values() if job.kind == kind]

    def add_include(self, job, include, index: int = None) -> None:
        if index is None:
            job.includes.append(include)
        else:
            job.includes.insert(index, include)
        self.includes[include.id.lower()] = include
        job.touch()
        self.changed('includes')

    def remove_include(self, include) -> None:
        include.job.includes.remove(include)
        self.includes.pop(include.id.lower(), None)
        include.job.touch()
        self.changed('includes')

    def processed_vms(self, job) -> list:
        """VMs a run of ``job`` processes: included VMs and the VMs of included containers, once each."""
        if job.kind != VM or job.job_type not in ('Backup', 'Replica'):
            return []
        seen, vms = set(), []
        for include in job.includes + job.pending_includes:
            for vm in self.vms_under(include.ref):
                if vm.ref not in seen:
                    seen.add(vm.ref)
                    vms.append(vm)
        return vms

    # ------------------------------------------------------------------ sessions

    def add_session(self, session) -> None:
        self.sessions[session.id.lower()] = session
        session.job.sessions.append(session)
        self.changed('sessions')

    def session(self, id_: str, family: str = None):
        session = self.sessions.get(id_.lower())
        if session is None or (family is not None and session.family != family):
            return None
        return session

    def task_session(self, id_: str, family: str = None):
        task_session = self.task_sessions.get(id_.lower())
        if task_session is None or (family is not None and task_session.session.family != family):
            return None
        return task_session

    def task_sessions_of(self, family: str) -> list:
        """The task sessions of the backup (``backup``) or replica (``replica``) runs, in creation order."""
        return [item for item in self.task_sessions.values() if item.session.family == family]

    def add_task_session(self, task_session) -> None:
        self.task_sessions[task_session.id.lower()] = task_session
        task_session.session.task_sessions.append(task_session)
        self.changed('task_sessions')
