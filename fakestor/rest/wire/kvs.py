"""Wire JSON of key-value stores."""
from ...model.kvs import KeyValueStore


def key_value_store(kvs: KeyValueStore) -> dict:
    # the controller drops empty maps (NON_EMPTY); an instance never stays empty anyway
    out = {"name": kvs.name}
    if kvs.props:
        out["props"] = dict(kvs.props)
    return out
