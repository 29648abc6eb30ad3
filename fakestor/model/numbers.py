"""Number pools: DRBD TCP ports, minor numbers and node ids.

The controller allocates the lowest free number of a range (``BitmapPool.autoAllocate``).
In LINSTOR 1.31.3 TCP ports and minors are global pools whose ranges come from the
controller properties ``TcpPortAutoRange`` and ``MinorNrAutoRange``.
"""
import re
from typing import Container, Optional, Tuple

TCP_PORT_RANGE = (7000, 7999)
MINOR_RANGE = (1000, 49999)
TCP_PORT_LIMITS = (1, 65535)
MINOR_LIMITS = (0, (1 << 20) - 1)
NODE_ID_LIMITS = (0, 31)
VOLUME_NR_LIMITS = (0, 65534)
DEFAULT_PEER_SLOTS = 7
DEFAULT_AL_STRIPES = 1
DEFAULT_AL_STRIPE_SIZE_KIB = 32

_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


def parse_range(value: Optional[str], default: Tuple[int, int]) -> Tuple[int, int]:
    """``"7000-7999"`` as a pair; the default when unset or malformed."""
    match = _RANGE.match(value or "")
    if not match:
        return default
    low, high = int(match.group(1)), int(match.group(2))
    return (low, high) if low <= high else default


def lowest_free(bounds: Tuple[int, int], used: Container[int]) -> Optional[int]:
    """The lowest number within ``bounds`` not in ``used``; None when the range is exhausted.
    (Ports and minors, drawn from large ranges, use ``UsageOps.lowest_free_number``.)"""
    for number in range(bounds[0], bounds[1] + 1):
        if number not in used:
            return number
    return None


def in_limits(value, limits: Tuple[int, int]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and limits[0] <= value <= limits[1]
