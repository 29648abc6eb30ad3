"""Field accessors that hand out a fresh empty list or dict when the controller left a field out."""


def list_field(name):
    def getter(self):
        return self._rest_data.get(name, [])

    getter.__name__ = name
    return property(getter)


def dict_field(name):
    def getter(self):
        return self._rest_data.get(name, {})

    getter.__name__ = name
    return property(getter)


def layer_data(layers, layer_type):
    """The ``data`` of the first layer of a type in a ``layer_data`` list, or None."""
    for layer in layers or []:
        if layer.get("type") == layer_type and layer.get("data"):
            return layer["data"]
    return None


def from_epoch_ms(value):
    from datetime import datetime

    return None if value is None else datetime.fromtimestamp(value / 1000)
