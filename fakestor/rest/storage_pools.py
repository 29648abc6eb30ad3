"""Storage pool definitions, storage pools (per node and the view) and physical storage."""
from flask import Blueprint

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from ..model.storage import check_pool_name, parse_provider_kind
from .common import (
    ASYNC,
    SYNC,
    UNCAUGHT,
    Any,
    ListOf,
    Long,
    MapOf,
    Obj,
    body,
    json_response,
    lookup,
    paginate,
    query_list,
    rc_response,
    read,
    write,
)
from .wire import nodes as wire

bp = Blueprint("storage_pools", __name__)

PROPS_MODIFY = Obj({"override_props": MapOf(str), "delete_props": ListOf(str), "delete_namespaces": ListOf(str)},
                   "StoragePoolDefinitionModify")
SPD_CREATE = Obj({"storage_pool_name": str, "props": MapOf(str)}, "StoragePoolDefinition")
SP_CREATE = Obj({"storage_pool_name": str, "node_name": str, "provider_kind": str, "props": MapOf(str),
                 "static_traits": MapOf(str), "free_capacity": Long, "total_capacity": Long,
                 "free_space_mgr_name": str, "uuid": str, "reports": ListOf(Any), "supports_snapshots": bool,
                 "shared_space": str, "external_locking": bool}, "StoragePool")
DEVICE_POOL = Obj({"provider_kind": str, "device_paths": ListOf(str), "raid_level": str, "pool_name": str,
                   "vdo_enable": bool, "vdo_slab_size_kib": Long, "vdo_logical_size_kib": Long,
                   "with_storage_pool": Obj({"name": str, "props": MapOf(str), "shared_space": str,
                                             "external_locking": bool}, "PhysicalStorageStoragePoolCreate"),
                   "sed": bool}, "PhysicalStorageCreate")
# older clients name the backing pool by kind; the controller folds these into StorDriver/StorPoolName
_POOL_NAME_KEY = C.NAMESPC_STORAGE_DRIVER + "/" + C.KEY_STOR_POOL_NAME
_RENAMED_KEYS = [C.NAMESPC_STORAGE_DRIVER + "/" + k for k in (
    C.KEY_STOR_POOL_VOLUME_GROUP, C.KEY_STOR_POOL_ZPOOL, C.KEY_STOR_POOL_ZPOOLTHIN, C.KEY_STOR_POOL_FILE_DIRECTORY)]
_THIN_KEY = C.NAMESPC_STORAGE_DRIVER + "/" + C.KEY_STOR_POOL_THIN_POOL


# storage pool names checked outside any handler come back without masks
_RAW_CTX = Context(0, 0)


def _convert_pool_props(props: dict) -> dict:
    """``StoragePools#convertStorPoolProp``."""
    props = dict(props or {})
    for key in _RENAMED_KEYS:
        if key in props:
            props[_POOL_NAME_KEY] = props.pop(key)
    if _THIN_KEY in props:
        props[_POOL_NAME_KEY] = "%s/%s" % (props.get(_POOL_NAME_KEY), props.pop(_THIN_KEY))
    return props


def _pools_json(c, pools):
    return [wire.storage_pool(p, c.get_node(p.node_name).connection_status == "ONLINE") for p in pools]



@bp.get("/v1/storage-pool-definitions")
def list_pool_definitions():
    # the controller takes no filters here, only limit/offset
    return json_response(paginate(read(lambda c: [wire.storage_pool_definition(d)
                                                  for d in c.list_pool_definitions()])))


@bp.get("/v1/storage-pool-definitions/<pool>")
def get_pool_definition(pool):
    paginate([])

    def query(c):
        found = c.list_pool_definitions([pool])
        if not found:
            raise bare_error(C.FAIL_NOT_FOUND_STOR_POOL_DFN, "StoragePoolDefinition '%s' not found." % pool)
        return wire.storage_pool_definition(found[0])

    return lookup(query)


@bp.post("/v1/storage-pool-definitions")
def create_pool_definition():
    data = body(SPD_CREATE, **SYNC)
    return write(lambda c: c.create_pool_definition(data.get("storage_pool_name"), data.get("props")), 201)


@bp.put("/v1/storage-pool-definitions/<pool>")
def modify_pool_definition(pool):
    data = body(PROPS_MODIFY, **UNCAUGHT)
    return write(lambda c: c.modify_pool_definition(pool, data.get("override_props"), data.get("delete_props"),
                                                    data.get("delete_namespaces")))


@bp.delete("/v1/storage-pool-definitions/<pool>")
def delete_pool_definition(pool):
    return write(lambda c: c.delete_pool_definition(pool))


@bp.get("/v1/view/storage-pools")
def view_storage_pools():
    nodes, pools, props = query_list("nodes"), query_list("storage_pools"), query_list("props")
    return json_response(paginate(read(lambda c: _pools_json(c, c.list_storage_pools(nodes, pools, props)))))


@bp.get("/v1/nodes/<node>/storage-pools")
def list_node_storage_pools(node):
    # no filters on this path (only on /v1/view/storage-pools)
    def query(c):
        c.check_node_names([node])
        c.get_node(node)
        return paginate(_pools_json(c, c.list_storage_pools([node])))

    return lookup(query)


@bp.get("/v1/nodes/<node>/storage-pools/<pool>")
def get_storage_pool(node, pool):
    paginate([])

    def query(c):
        c.check_node_names([node])
        return _pools_json(c, [c.get_storage_pool(node, pool)])[0]

    return lookup(query)


@bp.post("/v1/nodes/<node>/storage-pools")
def create_storage_pool(node):
    data = body(SP_CREATE, **ASYNC)
    try:
        # parsed in the REST method itself: a bad kind reaches the exception mapper (400)
        kind = read(lambda c: parse_provider_kind(data.get("provider_kind"), c.version))
    except ApiError as err:
        return rc_response(err.entries, error_status=400)
    props = _convert_pool_props(data.get("props"))
    return write(lambda c: c.create_storage_pool(
        node, data.get("storage_pool_name"), kind, props, data.get("free_space_mgr_name"),
        bool(data.get("external_locking"))), 201)


@bp.put("/v1/nodes/<node>/storage-pools/<pool>")
def modify_storage_pool(node, pool):
    data = body(PROPS_MODIFY, **UNCAUGHT)
    return write(lambda c: c.modify_storage_pool(node, pool, data.get("override_props"), data.get("delete_props"),
                                                 data.get("delete_namespaces")))


@bp.delete("/v1/nodes/<node>/storage-pools/<pool>")
def delete_storage_pool(node, pool):
    return write(lambda c: c.delete_storage_pool(node, pool))


@bp.get("/v1/physical-storage")
def physical_storage():
    return json_response(read(lambda c: [wire.physical_storage(g) for g in c.list_physical_storage()]))


@bp.post("/v1/physical-storage/<node>")
def create_device_pool(node):
    data = body(DEVICE_POOL, **ASYNC)
    sp = data.get("with_storage_pool")
    try:
        # checked in the REST method itself: refusals reach the exception mapper (400)
        if sp is not None:
            check_pool_name(sp.get("name"), _RAW_CTX)
        elif data.get("sed"):
            raise ApiError(RcEntry(C.MASK_PHYSICAL_DEVICE | C.MASK_CRT | C.MASK_ERROR,
                                   "SED option needs to be used in combination with a Linstor storage-pool."))
        kind = read(lambda c: parse_provider_kind(data.get("provider_kind"), c.version))
    except ApiError as err:
        return rc_response(err.entries, error_status=400)
    return write(lambda c: c.create_device_pool(node, kind, data.get("device_paths") or [], data.get("pool_name"),
                                                sp), 201)
