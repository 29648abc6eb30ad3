"""Key-value store calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..responses import KeyValueStoresResponse
from .base import ApiMixin, path_arg
from .select_filter import props_body


class KvsMixin(ApiMixin):
    def keyvaluestore_modify(self, instance_name, property_dict=None, delete_props=None):
        return self._rest_request(apiconsts.API_MOD_KVS, "PUT", "/v1/key-value-store/" + path_arg(instance_name),
                                  props_body(property_dict, delete_props))

    def keyvaluestores(self):
        replies = self._rest_request(apiconsts.API_LST_KVS, "GET", "/v1/key-value-store")
        return self._list_or_raise(replies, KeyValueStoresResponse)

    def keyvaluestore_list(self, instance_name):
        # an instance that does not exist reads as an empty one
        return self.keyvaluestores().instance(instance_name)
