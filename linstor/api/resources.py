"""Resources calls of ``Linstor``."""
from .base import ApiMixin


class ResourcesMixin(ApiMixin):
    pass
