# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The body of ``POST /vmRestorePoints/{id}?action=restore``: a ``RestoreSpec`` checked against the
point it restores [restore.md "Request"; examples/restore-spec*].

``check_spec(data, point, estate)`` turns the parsed body into a plain dict or raises a 400:

* no body at all: accepted, as two real clients send it [O: cs, tdw]; the defaults are not
  documented, the simulator takes ``PowerOnAfterRestore=false``, ``QuickRollback=false`` [I];
* a body is exactly one spec [I: "exactly one"]: ``VmRestoreSpec`` for VMware and Hyper-V points,
  ``vCloudVmRestoreSpec`` for Cloud Director points [D]; the schema's ``vCloudVAppRestoreSpec`` and
  ``SqlItemRestoreSpec`` do not restore a VM and are refused [I];
* ``KeepOriginalVM=true`` requires ``QuickRollback=false`` [D: post_vmrestorepoints_id_actionrestore];
* ``vCloudVmRestoreSpec``: ``HierarchyRootUid`` (URN or bare GUID, a client sends the GUID [O: mph])
  must be the Cloud Director of the point, ``VmRestoreParameters/VmRestorePointUid`` the point of
  the URL, an optional ``vAppRef`` a vApp of that Cloud Director [I]; ``DatastoreRef``,
  ``OrgVdcStorageProfileRef`` and ``LinkedCloneVmTemplateRef`` are taken as given [I].
Missing booleans are ``false`` (a .NET deserializer's default for value types) [I].
"""

from __future__ import annotations

from .http import ApiError
from .restore_shapes import OTHER_RESTORE_SPECS

SPECS = ('VmRestoreSpec', 'vCloudVmRestoreSpec')


def _bad(message):
    return ApiError(400, message)


def default_spec() -> dict:
    return {'kind': None, 'power_on': False, 'quick_rollback': False, 'keep_original': False}


def check_spec(data: dict, point, estate) -> dict:
    given = [name for name in SPECS + OTHER_RESTORE_SPECS if data.get(name) is not None]
    if not given:
        raise _bad('The RestoreSpec holds no restore specification: send VmRestoreSpec (VMware, Hyper-V) or vCloudVmRestoreSpec '
                   '(Cloud Director), or no body at all.')
    if len(given) > 1:
        raise _bad(f'The RestoreSpec holds {" and ".join(given)}; send exactly one.')
    kind = given[0]
    if kind in OTHER_RESTORE_SPECS:
        raise _bad(f'{kind} does not restore a VM; VM restore point {point.id} takes VmRestoreSpec or vCloudVmRestoreSpec.')
    wanted = 'vCloudVmRestoreSpec' if point.platform == 'vCloud' else 'VmRestoreSpec'
    if kind != wanted:
        raise _bad(f'VM restore point {point.id} is a {point.platform} point: it is restored with {wanted}, not {kind}.')
    body = data[kind]
    if kind == 'VmRestoreSpec':
        return _vm_spec(body)
    return _vcloud_spec(body, point, estate)


def _vm_spec(body) -> dict:
    spec = {'kind': 'VmRestoreSpec', 'power_on': bool(body.get('PowerOnAfterRestore')), 'quick_rollback': bool(body.get('QuickRollback')),
            'keep_original': bool(body.get('KeepOriginalVM'))}
    if spec['keep_original'] and spec['quick_rollback']:
        raise _bad('KeepOriginalVM=true requires QuickRollback=false: a quick rollback rewrites the original VM.')
    return spec


def _vcloud_spec(body, point, estate) -> dict:
    root = _root_of(point, estate)
    given_root = str(body.get('HierarchyRootUid') or '')
    if not given_root:
        raise _bad('vCloudVmRestoreSpec needs HierarchyRootUid, the Cloud Director hierarchy root of the point (urn:veeam:HierarchyRoot:<id>).')
    if root is None or given_root.lower() not in (root.uid.lower(), root.id.lower()):
        expected = root.uid if root is not None else 'its Cloud Director'
        raise _bad(f'HierarchyRootUid {given_root} is not the hierarchy root of VM restore point {point.id}; use {expected}.')
    parameters = body.get('VmRestoreParameters')
    if not parameters or not parameters.get('VmRestorePointUid'):
        raise _bad('vCloudVmRestoreSpec needs VmRestoreParameters/VmRestorePointUid, the UID of the point being restored.')
    if str(parameters['VmRestorePointUid']).lower() not in (point.uid.lower(), point.id.lower()):
        raise _bad(f'VmRestoreParameters/VmRestorePointUid {parameters["VmRestorePointUid"]} is not the point of the URL ({point.uid}).')
    vapp = None
    if body.get('vAppRef'):
        vapp = estate.inventory_object(str(body['vAppRef']))
        if vapp is None or vapp.type.lower() != 'vapp' or vapp.root is not root:
            raise _bad(f'vAppRef {body["vAppRef"]} is not a vApp of {root.name}.')
    return {'kind': 'vCloudVmRestoreSpec', 'power_on': bool(body.get('PowerOnAfterRestore')), 'quick_rollback': False,
            'keep_original': False, 'hierarchy_root': root.uid, 'vapp_ref': vapp.ref if vapp else None,
            'new_name': parameters.get('VmNewName') or None, 'datastore_ref': parameters.get('DatastoreRef') or None,
            'storage_profile_ref': parameters.get('OrgVdcStorageProfileRef') or None}


def _root_of(point, estate):
    """The hierarchy root of the point's VM, from its HierarchyObjRef (``urn:<platform>:Vm:<root>.<ref>``)."""
    tail = point.vm_ref.split(':', 3)[-1]
    return estate.roots.get(tail.partition('.')[0].lower())
