"""``GET .../properties/info``: the property keys each kind of object accepts, with their rules.

Every object kind's listing lives here, so the routes name the whitelist kind they show in one
table. The kinds are those the model validates the object's properties against.
"""
from flask import Blueprint

from ..model import props as propslib
from .common import json_response, read

bp = Blueprint("properties_info", __name__)

RSC = "/v1/resource-definitions/<rsc>"

# route -> whitelist kind
ROUTES = {
    "/v1/controller/properties/info": "controller",
    "/v1/nodes/properties/info": "node",
    "/v1/nodes/<node>/storage-pools/properties/info": "storagepool",
    "/v1/storage-pool-definitions/properties/info": "storagepool-definition",
    "/v1/resource-definitions/properties/info": "resource-definition",
    RSC + "/resources/properties/info": "resource",
    RSC + "/resources/<node>/volumes/properties/info": "volume",
    RSC + "/volume-definitions/properties/info": "volume-definition",
    RSC + "/drbd-proxy/properties/info": "drbd-proxy",
    # literal segments win over {node_a}/{node_b}, as they do in the controller's JAX-RS routing
    RSC + "/resource-connections/properties/info": "resource-connection",
    # a resource group's properties are inherited by its definitions, and checked as theirs
    "/v1/resource-groups/properties/info": "resource-definition",
    "/v1/resource-groups/<rg>/volume-groups/properties/info": "volume-definition",
}

# whitelist kind -> the controller's LinStorObject name, the keys of properties/info/all
ALL_KEYS = {
    "controller": "CTRL",
    "node": "NODE",
    "storagepool": "STOR_POOL",
    "storagepool-definition": "STOR_POOL_DFN",
    "resource-definition": "RSC_DFN",
    "resource": "RSC",
    "volume-definition": "VLM_DFN",
    "volume": "VLM",
    "drbd-proxy": "DRBD_PROXY",
    "drbd-proxy-lzma": "DRBD_PROXY_LZMA",
    "drbd-proxy-zlib": "DRBD_PROXY_ZLIB",
    "drbd-proxy-zstd": "DRBD_PROXY_ZSTD",
    "resource-connection": "RSC_CONN",
}


def _route(path: str, kind: str) -> None:
    def view(**_):
        return json_response(read(lambda c: propslib.properties_info(kind, c.version)))

    view.__name__ = "info_" + kind.replace("-", "_") + "_%d" % len(bp.deferred_functions)
    bp.add_url_rule(path, view_func=view, methods=["GET"])


for _path, _kind in ROUTES.items():
    _route(_path, _kind)


@bp.get("/v1/controller/properties/info/all")
def all_properties_info():
    return json_response(read(lambda c: {name: propslib.properties_info(kind, c.version)
                                         for kind, name in ALL_KEYS.items()}))
