"""Snapshots calls of ``Linstor``."""
from .base import ApiMixin


class SnapshotsMixin(ApiMixin):
    pass
