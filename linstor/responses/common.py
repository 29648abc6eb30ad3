"""Small helpers the response wrappers share."""


def props_v0(props):
    """A property map in the controller's old list-of-pairs layout."""
    return [{"key": k, "value": v} for k, v in (props or {}).items()]


def field(name, default=None):
    """A read-only property that returns one JSON field (or a default when it is absent)."""

    def getter(self):
        return self._rest_data.get(name, default)

    getter.__name__ = name
    return property(getter)


def required(name):
    """A read-only property for a field the controller always sends (KeyError when missing)."""

    def getter(self):
        return self._rest_data[name]

    getter.__name__ = name
    return property(getter)
