"""Wire JSON of node connections, size queries, configurations and events."""
from typing import Dict, Tuple


def node_connection(conn: Tuple[str, str, Dict[str, str]]) -> dict:
    node_a, node_b, props = conn
    return {"node_a": node_a, "node_b": node_b, "props": dict(props)}
