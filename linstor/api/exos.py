"""Exos calls of ``Linstor``."""
from .base import ApiMixin


class ExosMixin(ApiMixin):
    pass
