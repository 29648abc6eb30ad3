"""Kvs calls of ``Linstor``."""
from .base import ApiMixin


class KvsMixin(ApiMixin):
    pass
