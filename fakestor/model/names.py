"""The controller's naming rules (``Checks.java`` / ``GenericName``).

Names compare case-insensitively: objects are stored under ``key(name)`` and keep the
spelling they were created with for display.
"""
import re
from typing import Optional

_ALPHA = re.compile(r"[A-Za-z]")
_INNER_OK = re.compile(r"[A-Za-z0-9]")

RESERVED_RSC_NAMES = {"ALL", "PROXY"}


class InvalidName(ValueError):
    """A name the controller refuses; the text is the controller's cause line."""


def key(name: str) -> str:
    return name.upper()


def _name_check(name: str, min_len: int, max_len: int, first_chars: str, inner_chars: str) -> None:
    length = len(name.encode("utf-8"))
    if length < min_len:
        raise InvalidName("Invalid name: Name length %d is less than minimum length %d" % (length, min_len))
    if length > max_len:
        raise InvalidName("Invalid name: Name length %d is greater than maximum length %d" % (length, max_len))
    if not _ALPHA.search(name):
        raise InvalidName("Invalid name: Name must contain at least one character that matches [a-zA-Z]")
    first = name[0]
    if not (_ALPHA.match(first) or first in first_chars):
        raise InvalidName("Invalid name: Cannot begin with character '%s'" % first)
    for ch in name[1:]:
        if not (_INNER_OK.match(ch) or ch in inner_chars):
            raise InvalidName("Invalid name: Cannot contain character '%s'" % ch)


def check_generic(name: str, min_len: int = 2, max_len: int = 48) -> str:
    _name_check(name, min_len, max_len, "_", "_-")
    return name


def check_resource_name(name: str) -> str:
    check_generic(name)
    if key(name) in RESERVED_RSC_NAMES:
        raise InvalidName("The specified name '%s' cannot be used because it matches a keyword reserved for DRBD."
                          % name)
    return name


def check_storage_pool_name(name: str) -> str:
    return check_generic(name, 3, 48)


def check_net_interface_name(name: str) -> str:
    return check_generic(name, 3, 32)


def _java_char(byte: int) -> str:
    """``(char) b`` of a Java byte: bytes >= 0x80 are negative and widen to U+FF80..U+FFFF."""
    return chr(byte if byte < 0x80 else 0xFF00 | byte)


def check_node_name(name: str) -> str:
    """RFC 1123 host names as ``Checks#hostNameCheck`` checks them, byte by byte of the UTF-8 form
    (empty labels and a trailing '.' pass; a non-ASCII character shows as its first byte)."""
    if name.startswith("."):
        raise InvalidName("Hostname cannot begin with '.'")
    if name.startswith("-"):
        raise InvalidName("Hostname cannot begin with '-'")
    if name.endswith("-"):
        raise InvalidName("Hostname cannot end with '-'")
    data = name.encode("utf-8")
    if len(data) < 2:
        raise InvalidName("Hostname length of %d violates RFC1123 minimum length of %d" % (len(data), 2))
    if len(data) > 255:
        raise InvalidName("Hostname length of %d violates RFC1123 maximum length of %d" % (len(data), 255))
    label = 0
    for byte in data:
        if byte == ord("."):
            label = 0
            continue
        label += 1
        if label > 63:
            raise InvalidName("Domain name component length of %d violates RFC1123 maximum length of %d"
                              % (label, 63))
        char = chr(byte)
        if not (byte < 0x80 and (char.isalnum() or char == "-")):
            raise InvalidName("Domain name cannot contain character '%s'" % _java_char(byte))
    return name


def parse_int(value, low: int, high: int) -> Optional[int]:
    """An integer within [low, high], or None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None
