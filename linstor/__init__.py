"""linstor: a client of the LINSTOR controller's REST API, compatible with python-linstor."""
from . import sharedconsts
from . import sharedconsts as consts
from .config import Config
from .consts_githash import GITHASH
from .errors import (LinstorApiCallError, LinstorArgumentError, LinstorError, LinstorNetworkError,
                     LinstorReadOnlyAfterSetError, LinstorTimeoutError)
from .linstorapi import Linstor, MultiLinstor, ResourceData
from .responses import ApiCallResponse, StoragePoolDriver
from .size_calc import SizeCalc
from .version import VERSION

__all__ = [
    "ApiCallResponse", "Config", "GITHASH", "KV", "Linstor", "LinstorApiCallError", "LinstorArgumentError",
    "LinstorError", "LinstorNetworkError", "LinstorReadOnlyAfterSetError", "LinstorTimeoutError", "MultiLinstor",
    "Resource", "ResourceData", "ResourceGroup", "SizeCalc", "StoragePoolDriver", "VERSION", "Volume", "consts",
    "sharedconsts",
]

try:
    from .responses import ErrorReport  # noqa: F401
except ImportError:  # pragma: no cover - filled in with the error report area
    pass
