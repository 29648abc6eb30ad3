"""Key-value store replies."""
from .base import DataResponse

__all__ = ["KeyValueStore", "KeyValueStoresResponse"]


class KeyValueStore:
    """The properties of one key-value store instance."""

    def __init__(self, instance_name, props):
        self._instance_name = instance_name
        self._props = props

    @property
    def properties(self):
        return self._props

    def __str__(self):
        return str({"name": self._instance_name, "properties": self._props})


class KeyValueStoresResponse(DataResponse):
    def instances(self):
        return [x["name"] for x in self._rest_data]

    def instance(self, name):
        """The named instance; an instance the controller does not know reads as an empty one."""
        for entry in self._rest_data:
            if entry["name"] == name:
                return KeyValueStore(name, entry.get("props", {}))
        return KeyValueStore(name, {})
