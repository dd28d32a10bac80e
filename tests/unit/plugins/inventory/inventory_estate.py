# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small Enterprise Manager estate for the veeam_em inventory tests, built from the reference examples.

Two vCenters that both hold a ``web01`` with moref ``vm-1042`` (managed-object references are per vCenter),
a VM in a backup and a replication job, container includes, a Hyper-V and a Cloud Director VM, two jobs
called alike on two backup servers, and an immediate backup copy job linked to a backup job.
"""

from __future__ import annotations

import copy
import json

from ansible_collections.veeamops.em.tests.unit.utils.em_http import json_response
from ansible_collections.veeamops.em.tests.unit.utils.em_payloads import DAILY_ID, VBR01, VBR02, fixture_json, job_entity, query_page

VC01 = '1790e16e-e712-4c24-a47c-dc3b62a4c27f'
VC02 = '2c9b6a1e-4f3d-4e8b-9a27-5d1c0e7f8a63'
HV01 = '8e7fef9f-87a8-48b4-bed1-632c3035a1a1'
VCD01 = 'fa099d3b-7376-49b1-884c-bb6fa47c7b1e'
HV_VM = '020aa5ab-3523-4946-b658-b8ad5b372439'
VCD_VM = 'urn:vcloud:vm:6b2da27f-e653-495b-b515-2b18bbb4d3ec'

WEB01_VC01 = 'urn:VMware:Vm:%s.vm-1042' % VC01
WEB01_VC02 = 'urn:VMware:Vm:%s.vm-1042' % VC02
DB01 = 'urn:VMware:Vm:%s.vm-2001' % VC01
APP01 = 'urn:HyperV:Vm:%s.%s' % (HV01, HV_VM)
TENANT01 = 'urn:vCloud:Vm:%s.%s' % (VCD01, VCD_VM)
FOLDER = 'urn:VMware:Folder:%s.group-v2101' % VC01
TAG = 'urn:VMware:Tag:%s.urn:vmomi:InventoryServiceTag:5b1e0c6a-3f0e-4b7a-8c3e-1d2f3a4b5c6d:GLOBAL' % VC02

REPLICA_ID = 'bc39ed6c-d173-4df1-aeec-87ac42b80657'
COPY_ID = '45dc56b3-d9dd-4d71-babb-15e8894597e7'
DAILY2_ID = '9d0c1b2a-3e4f-4a5b-8c6d-7e8f9a0b1c2d'
HV_ID = '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d'
VCD_ID = '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e'


def include(ref, name, display_name=None, oid=None):
    """An ObjectInJob as embedded in ``JobInfo/.../Includes`` (PascalCase, no Links)."""
    item = copy.deepcopy(fixture_json('job-includes.json')['ObjectInJobs'][0])
    item.update({'HierarchyObjRef': ref, 'Name': name, 'DisplayName': display_name or name, 'Links': None,
                 'ObjectInJobId': oid or 'oij-%s' % ref.rsplit('.', 1)[-1][-12:]})
    return item


def vm_job(name, job_id, includes, job_type='Backup', server=VBR01, platform='VMware'):
    """A job entity whose includes are ``includes`` (a list of ``include`` dicts)."""
    job = job_entity(name, job_id, job_type, server=server, platform=platform)
    for info in job['JobInfo'].values():
        if isinstance(info, dict) and 'Includes' in info:
            info['Includes'] = {'ObjectInJobs': includes}
    return job


def root(root_id, name, host_type='VC', server=VBR01):
    """A HierarchyRoot entity (the reference example with another id, name, host type and backup server)."""
    text = json.dumps(fixture_json('hierarchyroot-entity.json'))
    for old, new in ((VC01, root_id), ('vc01.lab.local', name), (VBR01[1], server[1]), (VBR01[0], server[0])):
        text = text.replace(old, new)
    entity = json.loads(text)
    entity['HostType'] = host_type
    return entity


ROOTS = [root(VC01, 'vc01.lab.local'), root(VC02, 'vc02.lab.local', server=VBR02), root(HV01, 'hv01.lab.local', 'HvServer'),
         root(VCD01, 'vcd01.lab.local', 'VcdSystem')]

DAILY = vm_job('Daily VM Backup', DAILY_ID, [include(WEB01_VC01, 'web01'), include(FOLDER, 'Production'), include(DB01, 'db01')])
DAILY2 = vm_job('Daily VM Backup', DAILY2_ID, [include(WEB01_VC02, 'web01'), include(TAG, 'Gold')], server=VBR02)
REPLICA = vm_job('SQL Replica', REPLICA_ID, [include(DB01, 'db01')], job_type='Replica')
HYPERV = vm_job('Hyper-V: Apps (daily)', HV_ID, [include(APP01, 'app01')], platform='HyperV')
CLOUD = vm_job('Tenant Backup', VCD_ID, [include(TENANT01, 'tenant-vm01', 'Tenant VM 01')], platform='vCloud')
COPY = job_entity('Offsite Copy', COPY_ID, 'ImmediateBackupCopy', platform='CustomPlatform')
JOBS = [DAILY, DAILY2, REPLICA, HYPERV, CLOUD, COPY]


def roots_page(roots):
    page = query_page('BackupServer', [])
    page['Entities']['BackupServers'] = None
    page['Entities']['HierarchyRoots'] = {'HierarchyRoots': roots}
    return page


def script_fetch(http, jobs=None, roots=None, filter_text=None, page_size=1000, job_pages=None):
    """Logon, the hierarchy-root query, the job query (one page unless ``job_pages``); the caller adds the rest and the logoff."""
    http.expect_logon()
    http.expect_query('HierarchyRoot', json_response(roots_page(ROOTS if roots is None else roots)), sort_asc='Name', page_size=page_size)
    kwargs = {} if filter_text is None else {'filter_text': filter_text}
    pages = job_pages or [query_page('Job', JOBS if jobs is None else jobs, page_size=page_size)]
    http.expect_query('Job', json_response(pages[0]), sort_asc='Name', page_size=page_size, **kwargs)
    for page in pages[1:]:
        http.expect_get('/api/query', json_response(page))
    return http
