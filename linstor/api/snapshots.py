"""Snapshot and snapshot shipping calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..responses import ResourceDefinitionResponse, SnapshotResponse
from .base import ApiMixin, path_arg


def _rd_path(rsc_name, *parts) -> str:
    return "/".join(["/v1/resource-definitions", path_arg(rsc_name)] + [path_arg(p) for p in parts])


class SnapshotsMixin(ApiMixin):
    def snapshot_create(self, node_names, rsc_name, snapshot_name, async_msg=False):
        body = {"name": snapshot_name}
        if node_names:
            body["nodes"] = list(node_names)
        return self._rest_request(apiconsts.API_CRT_SNAPSHOT, "POST", _rd_path(rsc_name, "snapshots"), body)

    def snapshot_volume_definition_restore(self, from_resource, from_snapshot, to_resource):
        return self._rest_request(apiconsts.API_RESTORE_VLM_DFN, "POST",
                                  _rd_path(from_resource, "snapshot-restore-volume-definition", from_snapshot),
                                  {"to_resource": to_resource})

    def snapshot_resource_restore(self, node_names, from_resource, from_snapshot, to_resource):
        body = {"to_resource": to_resource}
        if node_names:
            body["nodes"] = list(node_names)
        return self._rest_request(apiconsts.API_RESTORE_SNAPSHOT, "POST",
                                  _rd_path(from_resource, "snapshot-restore-resource", from_snapshot), body)

    def snapshot_delete(self, rsc_name, snapshot_name):
        return self._rest_request(apiconsts.API_DEL_SNAPSHOT, "DELETE", _rd_path(rsc_name, "snapshots", snapshot_name))

    def snapshot_rollback(self, rsc_name, snapshot_name):
        return self._rest_request(apiconsts.API_ROLLBACK_SNAPSHOT, "POST",
                                  _rd_path(rsc_name, "snapshot-rollback", snapshot_name))

    def snapshot_ship(self, from_node, to_node, rsc_name):
        self._require_version("1.2.0", msg="Snapshot shipping not supported by server")
        return self._rest_request(apiconsts.API_SHIP_SNAPSHOT, "POST", _rd_path(rsc_name, "snapshot-shipping"),
                                  {"from_node": from_node, "to_node": to_node})

    def snapshot_shipping_list(self, filter_by_nodes=None, filter_by_resources=None, filter_by_snapshots=None,
                               filter_by_status=None):
        self._require_version("1.3.0", msg="Snapshot shipping list not supported by server")
        query = []
        for key, values in (("nodes", filter_by_nodes), ("resources", filter_by_resources),
                            ("snapshots", filter_by_snapshots), ("status", filter_by_status)):
            if values:
                query.append((key, list(values)))
        return self._rest_request(apiconsts.API_LST_SNAPSHOT_SHIPPINGS, "GET", "/v1/view/snapshot-shippings",
                                  query=query)

    def snapshot_dfn_list(self, filter_by_nodes=None, filter_by_resources=None):
        if self.api_version_smaller("1.1.0"):
            return self._snapshot_dfn_list_legacy()
        query = []
        if filter_by_nodes:
            query.append(("nodes", list(filter_by_nodes)))
        if filter_by_resources:
            query.append(("resources", list(filter_by_resources)))
        return self._rest_request(apiconsts.API_LST_SNAPSHOT_DFN, "GET", "/v1/view/snapshots", query=query)

    def _snapshot_dfn_list_legacy(self):
        """Controllers before REST 1.1.0 list snapshots per resource definition only."""
        rd_replies = self._rest_request(apiconsts.API_LST_RSC_DFN, "GET", "/v1/resource-definitions")
        if not rd_replies or not isinstance(rd_replies[0], ResourceDefinitionResponse):
            return rd_replies
        snapshots = []
        for rsc_dfn in rd_replies[0].resource_definitions:
            replies = self._rest_request(apiconsts.API_LST_SNAPSHOT_DFN, "GET", _rd_path(rsc_dfn.name, "snapshots"))
            if replies and isinstance(replies[0], SnapshotResponse):
                snapshots += replies[0].data_v1
        return [SnapshotResponse(snapshots)]

    def snapshot_dfn_list_raise(self, filter_by_nodes=None, filter_by_resources=None):
        return self._list_or_raise(self.snapshot_dfn_list(filter_by_nodes, filter_by_resources), SnapshotResponse)
