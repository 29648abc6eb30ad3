"""``Volume``: one volume of a high-level ``Resource``, and the dict that holds them."""
import math
from typing import Optional

from .errors import LinstorError, LinstorReadOnlyAfterSetError
from .linstorapi import Linstor
from .responses import ApiCallResponse
from .size_calc import SizeCalc

_READ_ONLY = "This is a read-only property"


def _first_error(replies) -> str:
    errors = [r for r in replies if isinstance(r, ApiCallResponse) and r.is_error()]
    return str(errors[0]) if errors else "; ".join(str(r) for r in replies)


def _no_error(replies) -> bool:
    return Linstor.all_api_responses_no_error(
        [r for r in replies if isinstance(r, ApiCallResponse)]) and bool(replies)


class Volume:
    """A volume of a ``Resource``; ``size`` in bytes (a string like "1 GiB" is parsed)."""

    def __init__(self, size):
        self._size = self._to_bytes(size)
        self._minor = None
        self._device_path = ""
        self._storage_pool_name = None
        # set once the volume definition exists on the controller
        self._volume_id = None
        self._rsc_name = None
        self._client_ref = None

    @staticmethod
    def _to_bytes(size) -> Optional[int]:
        if size is None:
            return None
        if isinstance(size, str):
            return SizeCalc.auto_convert(size, SizeCalc.UNIT_B)
        return int(size)

    @property
    def _deployed(self) -> bool:
        return self._size is not None and self._rsc_name is not None and self._volume_id is not None

    @property
    def size(self) -> Optional[int]:
        return self._size

    @size.setter
    def size(self, size):
        new_size = self._to_bytes(size)
        if self._deployed:
            if new_size < self._size:
                raise ValueError("shrinking Resource/Volume {}/{} from {} to {} is not allowed".format(
                    self._rsc_name, self._volume_id, self._size, new_size))
            with self._client_ref as lin:
                replies = lin.volume_dfn_modify(self._rsc_name, self._volume_id, size=math.ceil(new_size / 1024))
                if not _no_error(replies):
                    raise LinstorError("Could not resize Resource/Volume {}/{}: {}".format(
                        self._rsc_name, self._volume_id, _first_error(replies)))
        self._size = new_size

    @property
    def minor(self) -> Optional[int]:
        return self._minor

    @minor.setter
    def minor(self, minor):
        if self._rsc_name is not None:
            raise LinstorReadOnlyAfterSetError()
        self._minor = minor

    @property
    def device_path(self) -> str:
        return self._device_path

    @device_path.setter
    def device_path(self, value):
        raise LinstorReadOnlyAfterSetError(_READ_ONLY)

    @property
    def storage_pool_name(self) -> Optional[str]:
        return self._storage_pool_name

    def __repr__(self):
        size_kib = None if self._size is None else "{}kib".format(math.ceil(self._size / 1024))
        return "Volume({}, {}, {}, {})".format(self._rsc_name, self._volume_id, size_kib, self._minor)


class _VolumeDict(dict):
    """``Resource.volumes``: volume number -> Volume; deleting a deployed volume deletes its definition."""

    def __setitem__(self, key, value):
        if not isinstance(value, Volume):
            raise ValueError("A Resource's volumes must be of type Volume")
        value._volume_id = key
        super().__setitem__(key, value)

    def __delitem__(self, key):
        volume = self[key]
        if volume._deployed:
            with volume._client_ref as lin:
                replies = lin.volume_dfn_delete(volume._rsc_name, key)
                if not _no_error(replies):
                    raise LinstorError("Could not delete Resource/Volume {}/{}: {}".format(
                        volume._rsc_name, key, _first_error(replies)))
        super().__delitem__(key)
