"""The fake controller's state and rules: pure Python, no Flask, no JSON."""
from ..apicallrc import ApiError, Context, RcEntry
from .cluster import Cluster

__all__ = ["ApiError", "Cluster", "Context", "RcEntry"]
