"""linstor: a client of the LINSTOR controller's REST API, compatible with python-linstor."""
from . import sharedconsts
from . import sharedconsts as consts
from .config import Config
from .consts_githash import GITHASH
from .errors import (
                     LinstorApiCallError,
                     LinstorArgumentError,
                     LinstorError,
                     LinstorNetworkError,
                     LinstorReadOnlyAfterSetError,
                     LinstorTimeoutError,
)
from .kv import KV
from .linstorapi import Linstor, MultiLinstor, ResourceData
from .resource import Resource, Volume
from .resourcegroup import ResourceGroup
from .responses import ApiCallResponse, ErrorReport, StoragePoolDriver
from .size_calc import SizeCalc

__all__ = [
    "ApiCallResponse", "Config", "ErrorReport", "GITHASH", "KV", "Linstor", "LinstorApiCallError",
    "LinstorArgumentError", "LinstorError", "LinstorNetworkError", "LinstorReadOnlyAfterSetError",
    "LinstorTimeoutError", "MultiLinstor", "Resource", "ResourceData", "ResourceGroup", "SizeCalc",
    "StoragePoolDriver", "Volume", "consts", "sharedconsts",
]
