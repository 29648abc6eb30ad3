"""Groups calls of ``Linstor``."""
from .base import ApiMixin


class GroupsMixin(ApiMixin):
    pass
