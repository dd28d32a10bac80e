# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: veeam_em
short_description: The VMs that Veeam Backup Enterprise Manager jobs protect, as Ansible hosts
version_added: 1.0.0
author:
  - veeamops.em maintainers (@veeamops)
description:
  - Reads the backup, replication and backup copy jobs of every backup server known to Veeam Backup Enterprise
    Manager and makes one host of every VM that a job includes, with the jobs that protect it, and groups
    per job, job type, backup server and platform.
  - VMware vSphere, Microsoft Hyper-V and VMware Cloud Director VMs are recognised by their C(HierarchyObjRef)
    (C(urn:<Platform>:Vm:<hierarchy root id>.<object ref>)). A VM in several jobs is one host that belongs
    to every job's group.
  - Includes that are not VMs (folders, tags, clusters, hosts, datastores, resource pools, vApps, ...) are not
    hosts; the job's group lists them in the variable C(veeam_container_includes). The VMs inside such a
    container are not known to Enterprise Manager's job configuration and do not become hosts, unless
    O(with_restore_points) finds them through their restore points.
  - The configuration file name must end in C(veeam_em.yml) or C(veeam_em.yaml).
extends_documentation_fragment:
  - veeamops.em.connection
  - veeamops.em.connection.plugins
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; marks the file as a C(veeamops.em.veeam_em) configuration.
    type: str
    required: true
    choices: [veeamops.em.veeam_em]
  hostnames:
    description:
      - How hosts are named, as a list of preferences; the first one that gives a non-empty name is used.
      - V(name) is the VM name as the job lists it, V(display_name) its display name, V(object_ref) the
        platform's own id (for example V(vm-1042)), V(hierarchy_obj_ref) the full Enterprise Manager reference.
      - Any other entry must be a Jinja template such as V({{ veeam_name | lower }}.example.com); it sees the
        C(veeam_*) host variables. A template that fails is skipped, or is an error with O(strict=true).
      - When no preference gives a name, the host is named after its C(HierarchyObjRef).
      - "Two different VMs never share a host: when several VMs would get the same name, each of them is
        named C(<name>_<hierarchy root>_<object ref>) instead (the hierarchy root is the vCenter, Hyper-V or
        Cloud Director server name as added to Veeam, or its id when Enterprise Manager does not list it;
        characters other than letters, digits, C(.), C(_) and C(-) become C(_)), for example
        V(web01_vc01.example.com_vm-1042), and a warning lists them. The rule does not depend on the order
        of jobs or includes."
      - "A host is never named like a group or like the controller: a VM whose name would be that of a group of
        this plugin, of a group already in the inventory when this source is read (from an inventory source given
        before it), V(all) or V(ungrouped), or one of the names ansible-core takes for the implicit localhost
        (V(localhost), V(127.0.0.1), V(::1)), is named C(<name>_<hierarchy root>_<object ref>) as well, and a
        warning names it. Otherwise a play aimed at a group would run on that VM instead, or C(localhost) and
        C(delegate_to: localhost) would mean the VM. Names compare exactly, as in Ansible: V(WebServers) is not
        the group V(webservers)."
      - When the longer name is taken as well, the host is named after its C(HierarchyObjRef); should even that
        be taken (by a group of another source), C(_2), C(_3), ... is appended.
      - Groups that O(keyed_groups), O(groups) or inventory sources read after this one add are not known when
        hosts are named. A host of the same name from another inventory source is the same host; its variables
        and groups are merged.
    type: list
    elements: str
    default: [name]
  group_prefix:
    description:
      - Prefix of the groups this plugin creates (not of the O(keyed_groups) and O(groups)).
      - "Groups: C(<prefix>job_<job name>) per job, C(<prefix>job_type_<job type>), C(<prefix>backup_server_<server name>)
        and C(<prefix>platform_<platform>)."
      - Names are lower case; every run of characters other than letters, digits and C(_) becomes one C(_).
        When two of these groups would get the same name (for example jobs called alike on two backup servers),
        each job group becomes C(<prefix>job_<job name>_<backup server>) and, if that still clashes,
        C(<prefix>job_<job name>_<job id>); backup server groups get the server id. A warning names them.
        The rule does not depend on the order in which Enterprise Manager lists the jobs.
      - These names are never V(all) or V(ungrouped). A group of the same name from another inventory source is
        the same group, which then also holds this plugin's hosts.
      - A backup copy job's group has the groups of its source jobs as children. A link that would make a group
        contain itself (jobs that are each other's source) is left out with a warning, the same one whatever the
        order of the jobs.
    type: str
    default: veeam_
  job_filters:
    description:
      - Server-side job selection, evaluated by Enterprise Manager's query service. A mapping of job query fields
        to a value or a list of values. Entries combine with AND; a list matches any of its values.
      - "Fields: C(Name), C(UID), C(Description), C(NextRun), C(JobType), C(Platform), C(ScheduleConfigured),
        C(ScheduleEnabled), C(BackupServerUid), C(BackupServerName) (case-insensitive)."
      - Enterprise Manager compares strings and enumerations without regard to case.
    type: dict
    default: {}
  job_types:
    description:
      - Only jobs of these types (server-side, combined with O(job_filters)).
    type: list
    elements: str
    choices: [Backup, Replica, BackupCopy, ImmediateBackupCopy]
  exclude_job_names:
    description:
      - Client-side, leave out jobs whose name matches one of these shell-style patterns (V(*), V(?), V([seq])),
        case-sensitive.
    type: list
    elements: str
    default: []
  job_query:
    description:
      - Client-side, a JMESPath expression evaluated on each job; the job is kept when the result is true in JMESPath
        terms (not V(null), V(false), or an empty string, list or object).
      - The expression sees the job as module M(veeamops.em.veeam_job_info) returns it (C(name), C(id), C(uid), C(job_type),
        C(platform), C(description), C(backup_server.name), C(schedule_enabled), C(next_run), ...) with C(schedule)
        and C(includes).
      - Needs the Python package C(jmespath) on the controller.
    type: str
  with_last_session:
    description:
      - Add the host variable C(veeam_last_sessions), the latest session of every job that includes the VM
        (the job's run, not the VM's own task result).
      - Costs one query per 40 backup or backup copy jobs and one per 40 replication jobs (plus one more per
        40 jobs when some of them ran much less recently than the others).
    type: bool
    default: false
  with_restore_points:
    description:
      - Read the VM restore points made within the last O(restore_point_days) days, and add the host variables
        C(veeam_last_restore_point) (UTC time of the VM's newest point, to the second, for example
        V(2026-03-01T21:02:05Z); V(null) when it has none), C(veeam_restore_point_count) (how many points) and
        C(veeam_protected_by).
      - A VM that has such a restore point from a job whose includes are containers (folders, tags, hosts, resource
        pools, ...) belongs to that job's group, with C(object_in_job_id=null) and C(protected_by=container) in its
        C(veeam_jobs) entry (the job entries of direct includes say C(protected_by=include)). A VM that no job
        includes directly becomes a host of its own, named by the same rules as every host. C(veeam_protected_by) is
        V(include) when a job includes the VM directly, else V(container).
      - Only points of the selected jobs count, found by the name of their backup and its backup server (a backup is
        named after its job). Points of a job without container includes never add a VM to the job, so a VM removed
        from a job's direct includes is no longer in its group. A VM deleted since its last backup stays a host
        only until its newest point is older than O(restore_point_days).
      - "Points of backup copy jobs (V(BackupCopy), V(ImmediateBackupCopy)) do not count: they are copies of points
        of their source jobs, whose groups the copy job's group already holds."
      - "Costs one query page per O(page_size) VM restore points made within O(restore_point_days) (of every VM),
        and the queries that name the jobs of those points (the restore points they belong to, one query per 40 up to
        120 and a few pages beyond): a few requests per page of points, whatever the number of jobs and VMs."
    type: bool
    default: false
  restore_point_days:
    description:
      - With O(with_restore_points), how many days back restore points count (from 1 to 36500).
    type: int
    default: 14
  page_size:
    description:
      - Items per query-service page. Larger pages mean fewer requests and more memory per answer.
    type: int
    default: 1000
notes:
  - "Requests to Enterprise Manager per inventory run: one logon, one query page of hierarchy roots, one query page
    per O(page_size) jobs (job entities embed their includes), one logoff: four requests for up to 1000 jobs,
    whatever the number of VMs. O(with_last_session) and O(with_restore_points) add the queries described there
    (with O(with_restore_points) and fewer than 1000 points of fewer than 40 runs: 4 + 2 = 6 requests). Retries after
    connection errors or HTTP 502, 503 and 504 add requests. With a warm cache there is no request at all."
  - The account needs the Portal Administrator role in Enterprise Manager; other roles cannot query jobs (HTTP 403).
  - A connection option set by an empty C(VEEAM_EM_*) environment variable counts as unset, so a credential that
    injects an empty optional field (such as E(VEEAM_EM_CA_PATH)) behaves as if it were absent.
  - "Host variables (all values are marked unsafe, so Jinja in names from Enterprise Manager is never evaluated):
    C(veeam_name), C(veeam_display_name), C(veeam_hierarchy_obj_ref), C(veeam_platform), C(veeam_object_type),
    C(veeam_hierarchy_root_id), C(veeam_hierarchy_root_name), C(veeam_hierarchy_root_type), C(veeam_object_ref),
    C(veeam_jobs) (name, id, uid, job_type, platform, schedule_enabled, backup_server, object_in_job_id of every job that
    includes the VM), C(veeam_backup_servers) (names), with O(with_last_session) C(veeam_last_sessions)
    (job_name, job_uid, state, result, running, creation_time, end_time per job, in the order of C(veeam_jobs)) and with
    O(with_restore_points) C(veeam_last_restore_point), C(veeam_restore_point_count), C(veeam_protected_by) and
    C(protected_by) in every C(veeam_jobs) entry."
  - "A host that only restore points show has the same variables: C(veeam_name) and C(veeam_display_name) are the VM
    name of its newest point, C(veeam_platform), C(veeam_object_type), C(veeam_hierarchy_root_id) and
    C(veeam_object_ref) come from its C(HierarchyObjRef), C(veeam_hierarchy_root_name) and C(veeam_hierarchy_root_type)
    from the hierarchy roots, and C(veeam_jobs) lists the container jobs that made its points, each with
    C(object_in_job_id=null)."
  - When a VM is listed under different names in different jobs, C(veeam_name) is the most frequent one (ties go
    to the first in sort order).
  - C(veeam_container_includes) is a group variable of the job groups; like every group variable it is also seen by
    the group's hosts, and a VM in several jobs sees the value of one of them.
  - O(strict=true) makes failing O(compose), O(groups), O(keyed_groups) and O(hostnames) templates an error;
    connection, credential and permission failures are always errors.
  - The cache holds the jobs, includes, hierarchy root names and sessions read from Enterprise Manager and, with
    O(with_restore_points), per VM the time of its newest point, their number and the jobs that made them; never
    credentials or tokens. Its key is built from the configuration file path, O(url), O(username), the job
    selection options, O(with_last_session), O(with_restore_points) and O(restore_point_days), not from the password;
    changing O(hostnames), O(compose) or groups reuses the cache. A cached C(veeam_last_restore_point) is as old as
    the cache, but ages computed from it in O(compose) or O(groups) use the time of each run.
requirements:
  - jmespath (Python package on the controller), only for O(job_query)
seealso:
  - module: veeamops.em.veeam_job_info
  - name: Enterprise Manager REST API reference
    description: Job entities, the query service and HierarchyObjRef.
    link: https://helpcenter.veeam.com/docs/vbr/em_rest/em_web_api_reference.html
"""

EXAMPLES = r"""
# Minimal file, for example inventory/prod.veeam_em.yml. The connection comes from VEEAM_EM_URL,
# VEEAM_EM_USERNAME, VEEAM_EM_PASSWORD and VEEAM_EM_CA_PATH.
# ansible-inventory -i inventory/prod.veeam_em.yml --graph
#
# In AWX or Automation Controller, use this file as the inventory source and attach a custom credential type:
#   inputs:
#     fields:
#       - {id: url, type: string, label: Enterprise Manager URL}
#       - {id: username, type: string, label: Username}
#       - {id: password, type: string, label: Password, secret: true}
#   injectors:
#     env:
#       VEEAM_EM_URL: "{{ url }}"
#       VEEAM_EM_USERNAME: "{{ username }}"
#       VEEAM_EM_PASSWORD: "{{ password }}"
plugin: veeamops.em.veeam_em


# The examples below are other files of the same kind. They are shown commented out because each is a whole
# configuration file of its own; remove the leading '# ' of their lines to use one.
#
# Credentials in the file, the password encrypted with ansible-vault encrypt_string.
# plugin: veeamops.em.veeam_em
# url: https://em01.example.com:9398
# username: EXAMPLE\svc-ansible
# password: !vault |
#   $ANSIBLE_VAULT;1.1;AES256
#   62313365396662343061393464336163383764373764613633653634306231386433626436623361
#   6134333665353966363534333632666535333761666131620a663537646436643839616531643561
#   63396265333966386166373632626539326166353965363262633030333630313338646335303630
#   3438626666666137650a353638643435666633633964366338633066623234616432373231333331
#   6564
# ca_path: /etc/pki/veeam/em-ca.pem
#
# Host names: the display name, else the VM name; or a template on the host variables.
# plugin: veeamops.em.veeam_em
# hostnames:
#   - "{{ veeam_display_name | lower }}.example.com"
#   - name
#
# Connect by DNS name and group by vCenter and by the result of the latest run.
# plugin: veeamops.em.veeam_em
# with_last_session: true
# compose:
#   ansible_host: veeam_name ~ '.example.com'
# keyed_groups:
#   - key: veeam_hierarchy_root_name
#     prefix: vcenter
#   - key: veeam_last_sessions | map(attribute='result') | map('default', 'never_ran', true) | list
#     prefix: last_result
# groups:
#   unprotected_on_schedule: veeam_jobs | selectattr('schedule_enabled') | list | length == 0
#
# Job selection: server-side filters, then client-side exclusions and a JMESPath query.
# plugin: veeamops.em.veeam_em
# job_types: [Backup, Replica]
# job_filters:
#   BackupServerName: [vbr01.example.com, vbr02.example.com]
#   ScheduleEnabled: true
# exclude_job_names:
#   - "*-test"
#   - Scratch*
# job_query: "contains(description || '', 'production')"
#
# VMs that tag, folder and other container includes protect, with their newest restore point; a group of the hosts
# whose newest restore point is older than 24 hours (or that have none within restore_point_days).
# plugin: veeamops.em.veeam_em
# with_restore_points: true
# restore_point_days: 7
# groups:
#   backup_older_than_24h: >-
#     veeam_last_restore_point is none or
#     (now(utc=true) - veeam_last_restore_point | to_datetime('%Y-%m-%dT%H:%M:%SZ')).total_seconds() > 86400
# keyed_groups:
#   - key: veeam_protected_by
#     prefix: protected_by
#
# Cache the data for an hour in JSON files; `ansible-inventory --flush-cache` or `meta: refresh_inventory`
# reads Enterprise Manager again.
# plugin: veeamops.em.veeam_em
# cache: true
# cache_plugin: ansible.builtin.jsonfile
# cache_connection: ~/.cache/ansible/veeam_em
# cache_timeout: 3600
"""

import hashlib
import json
import os

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.vars import combine_vars

from ansible_collections.veeamops.em.plugins.module_utils._errors import EmError, EmInputError
from ansible_collections.veeamops.em.plugins.module_utils._imports import HAS_REQUESTS
from ansible_collections.veeamops.em.plugins.module_utils._client import EmClient
from ansible_collections.veeamops.em.plugins.module_utils._jobs import JobCriteria
from ansible_collections.veeamops.em.plugins.module_utils._settings import CONNECTION_OPTIONS, env_value
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_fetch import DATA_FORMAT, fetch_inventory_data
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_groups import plan_groups
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_hosts import collect_vms, host_vars, unparsed_include_warnings
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_names import check_hostnames, preferred_host_name
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_points import add_point_vms
from ansible_collections.veeamops.em.plugins.plugin_utils._inventory_query import JobSelection
from ansible_collections.veeamops.em.plugins.plugin_utils._plugin_settings import settings_from_plugin

try:
    from ansible.utils.unsafe_proxy import AnsibleUnsafe, wrap_var
except ImportError:  # ansible-core without the module never trusts plugin data as a template
    AnsibleUnsafe = wrap_var = None


def _keep(value):
    return value


# Before ansible-core 2.19 every string is a template unless wrapped as unsafe. From 2.19 on, only strings tagged
# as trusted are templates and wrap_var just removes that tag, which data decoded from Enterprise Manager's JSON never
# has; wrapping there would only cost time (about a second per 5,000 hosts), so it is skipped.
make_unsafe = wrap_var if wrap_var is not None and isinstance(wrap_var(''), AnsibleUnsafe) else _keep

FILE_SUFFIXES = ('veeam_em.yml', 'veeam_em.yaml')
TEMPLATED_OPTIONS = tuple(option.name for option in CONNECTION_OPTIONS if option.type in ('str', 'path'))
ENV_OPTIONS = {option.name: option.env for option in CONNECTION_OPTIONS if option.env}
SELECTION_OPTIONS = ('job_filters', 'job_types', 'exclude_job_names', 'job_query', 'with_last_session', 'with_restore_points',
                     'restore_point_days')
MAX_RESTORE_POINT_DAYS = 36500


class _TemplatedOptions:
    """``get_option`` of the plugin, with Jinja templates in the connection options rendered (lookups allowed).

    An option set by an empty environment variable counts as unset (an AWX credential injects every field, empty
    or not; for a ``path`` option ansible-core would otherwise turn "" into the current directory).
    """

    def __init__(self, plugin, config):
        self.plugin = plugin
        self.config = config

    def get_option(self, name):
        env = ENV_OPTIONS.get(name)
        if name not in self.config and env and env in os.environ and env_value(env) is None:
            return None
        value = self.plugin.get_option(name)
        if name in TEMPLATED_OPTIONS and isinstance(value, str) and self.plugin.templar.is_template(value):
            value = self.plugin.templar.template(value)
        return value


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'veeamops.em.veeam_em'

    def __init__(self):
        super().__init__()
        self._redact = str

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        if str(path).endswith(FILE_SUFFIXES):
            return True
        self.display.vvv('veeam_em: skipping %s, the file name does not end in %s' % (path, ' or '.join(FILE_SUFFIXES)))
        return False

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        config = self._read_config_data(path)
        try:
            hostnames = check_hostnames(self.get_option('hostnames'))
            prefix = _group_prefix(self.get_option('group_prefix'))
            days = _restore_point_days(self.get_option('restore_point_days'))
            settings = settings_from_plugin(_TemplatedOptions(self, config))
            self._redact = settings.secrets().redact
            criteria = JobCriteria.from_filters(self.get_option('job_filters'), self.get_option('job_types'))
            selection = JobSelection(self.get_option('exclude_job_names'), self.get_option('job_query'))
            data = self._cached_or_fetched(path, cache, settings, criteria, selection, days if self._with_points else None)
        except EmError as exc:
            raise AnsibleError('veeam_em inventory %s: %s' % (path, self._redact(str(exc)))) from None
        self._populate(data, hostnames, prefix)

    # --- data: cache or Enterprise Manager ------------------------------------------------------

    def _cache_key(self, path, settings, criteria):
        selection = {name: self.get_option(name) for name in SELECTION_OPTIONS}
        selection.update(url=settings.base_url, username=settings.username, filter=str(criteria.filter_expr() or ''), format=DATA_FORMAT)
        digest = hashlib.sha256(json.dumps(selection, sort_keys=True, default=str).encode('utf-8')).hexdigest()[:12]
        return '%s_%s' % (self.get_cache_key(path), digest)

    @property
    def _with_points(self):
        return bool(self.get_option('with_restore_points'))

    def _cached_or_fetched(self, path, cache, settings, criteria, selection, days):
        use_cache = bool(self.get_option('cache'))
        key = self._cache_key(path, settings, criteria) if use_cache else None
        needs_update = use_cache and not cache
        if use_cache and cache:
            data = self._cache.get(key)
            if _usable(data, days is not None):
                return data
            needs_update = True
        data = self._fetch(settings, criteria, selection, days)
        if needs_update:
            self._cache[key] = data
        return data

    def _fetch(self, settings, criteria, selection, days):
        if not HAS_REQUESTS:
            raise EmInputError('The veeam_em inventory needs the Python package requests', hint='install requests on the controller')
        client = EmClient(settings)
        with client:
            data = fetch_inventory_data(client, criteria, selection, bool(self.get_option('with_last_session')), self.get_option('page_size'),
                                        restore_point_days=days)
        if client.logoff_error is not None:
            self._warn(str(client.logoff_error))
        return data

    def _warn(self, message):
        """Every warning of the plugin, through the one redaction point of the connection's secrets."""
        self.display.warning('veeam_em: %s' % self._redact(message))

    # --- inventory ----------------------------------------------------------------------------

    def _populate(self, data, hostnames, prefix):
        strict = self.get_option('strict')
        vms, containers = collect_vms(data['jobs'], data['hierarchy_roots'])
        if self._with_points:
            vms = add_point_vms(vms, containers, data['jobs'], data['restore_points'], data['hierarchy_roots'])
        variables = {key: make_unsafe(host_vars(vm, bool(self.get_option('with_last_session')), self._with_points)) for key, vm in vms.items()}
        preferred = {key: preferred_host_name(vm, variables[key], hostnames, self._render_hostname) for key, vm in vms.items()}
        plan, warnings = plan_groups(data['jobs'], vms, preferred, containers, prefix, existing_groups=list(self.inventory.groups),
                                     localhost_names=C.LOCALHOST)
        for warning in list(data.get('warnings') or []) + unparsed_include_warnings(data['jobs']) + warnings:
            self._warn(warning)
        names = self._apply(plan, variables)
        for key in sorted(vms, key=names.get):
            self._construct(names[key], variables[key], strict)

    def _apply(self, plan, variables):
        """Add the planned groups and hosts; returns VM key -> host name as the inventory has it.

        Every call says whether it means a host or a group (``InventoryData.add_child`` and ``set_variable`` decide
        that by name, preferring a group): variables go to the Host and Group objects, hosts join groups through
        ``add_host(host, group=...)`` and child groups through ``Group.add_child_group``.
        """
        groups = {}
        for name in sorted(plan['groups']):
            groups[name] = self.inventory.groups[self.inventory.add_group(name)]
            for var, value in sorted(plan['groups'][name]['vars'].items()):
                groups[name].set_variable(var, make_unsafe(value))
        names = {key: self._add_host(plan['hosts'][key], variables[key]) for key in sorted(plan['hosts'], key=plan['hosts'].get)}
        added = {plan['hosts'][key]: name for key, name in names.items()}
        for name, group in groups.items():
            for child in sorted(plan['groups'][name]['children']):
                group.add_child_group(groups[child])
            for host in sorted(plan['groups'][name]['hosts']):
                self.inventory.add_host(added[host], group=group.name)
        return names

    def _add_host(self, name, variables):
        name = self.inventory.add_host(make_unsafe(name))
        for var, value in sorted(variables.items()):
            self.inventory.hosts[name].set_variable(var, value)
        return name

    def _construct(self, host, variables, strict):
        self._set_composite_vars(self.get_option('compose'), variables, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option('groups'), variables, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option('keyed_groups'), variables, host, strict=strict)

    def _render_hostname(self, template, variables):
        """Render one ``hostnames`` template; None (skip it) when it fails, unless ``strict``."""
        if self.get_option('use_extra_vars'):
            variables = combine_vars(variables, self._vars)
        self.templar.available_variables = variables
        try:
            return self.templar.template(template)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            if self.get_option('strict'):
                raise AnsibleError('veeam_em: cannot render host name %r for VM %s: %s' % (
                    template, variables.get('veeam_hierarchy_obj_ref'), exc)) from None
            return None


def _usable(data, with_points=False):
    return isinstance(data, dict) and data.get('format') == DATA_FORMAT and isinstance(data.get('jobs'), list) \
        and isinstance(data.get('hierarchy_roots'), dict) and (not with_points or isinstance(data.get('restore_points'), list))


def _restore_point_days(value):
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RESTORE_POINT_DAYS:
        raise EmInputError('Invalid value for option restore_point_days', reason=repr(value),
                           hint='give a whole number of days from 1 to %d (for example 14)' % MAX_RESTORE_POINT_DAYS)
    return value


def _group_prefix(value):
    text = '' if value is None else str(value)
    if (text and not (text[0].isalpha() or text[0] == '_')) or not all(char.isalnum() or char == '_' for char in text):
        raise EmInputError('Invalid value for option group_prefix', reason=repr(text),
                           hint='use letters, digits and underscores, starting with a letter or underscore (for example veeam_)')
    return text
