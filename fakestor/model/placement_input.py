"""The cluster as the autoplacer sees it: a snapshot of plain data for ``fakestor.placement``."""
from typing import List

from ..placement import NodeSnap, PoolSnap
from . import names


def node_snapshots(cluster) -> List[NodeSnap]:
    """Every node (offline ones too: they hold resources and props the placement looks at).
    Volume usage comes from the cluster's ``_pool_reserved_kib``/``_pool_resource_count`` and
    ``_node_resource_names`` hooks, which the resource operations provide."""
    out = []
    for _, node in sorted(cluster.nodes.items()):
        pools = []
        for _, pool in sorted(node.storage_pools.items()):
            spd = cluster.storage_pool_definitions.get(names.key(pool.name))
            pools.append(PoolSnap(
                pool.name, pool.provider_kind, pool.free_capacity, pool.total_capacity,
                cluster._pool_reserved_kib(node, pool), cluster._pool_resource_count(node, pool),
                dict(pool.props), dict(spd.props) if spd is not None else {}, pool.free_space_mgr_name))
        out.append(NodeSnap(node.name, node.type, node.connection_status == "ONLINE", dict(node.props),
                            frozenset(node.flags), tuple(pools), frozenset(cluster._node_resource_names(node))))
    return out
