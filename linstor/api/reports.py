"""Reports calls of ``Linstor``."""
from .base import ApiMixin


class ReportsMixin(ApiMixin):
    pass
