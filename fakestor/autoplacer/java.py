"""Java behaviour the controller's texts and numbers depend on."""
from typing import Iterable, List


def java_double(text: str) -> float:
    """``Double.parseDouble``: blanks around, a d/f suffix, NaN and Infinity are accepted."""
    s = text.strip()
    if s.lstrip("+-") in ("NaN", "Infinity"):
        return float(s.replace("Infinity", "inf"))
    if s[-1:] in ("d", "D", "f", "F"):
        s = s[:-1]
    if not s or "_" in s or s.lstrip("+-")[:1].isalpha():
        raise ValueError(text)
    return float(s)


def _java_string_hash(s: str) -> int:
    data = s.encode("utf-16-be")
    h = 0
    for i in range(0, len(data), 2):
        h = (31 * h + int.from_bytes(data[i:i + 2], "big")) & 0xFFFFFFFF
    return h


def java_hash_order(keys: Iterable[str]) -> List[str]:
    """The iteration order of a ``java.util.HashSet``/``HashMap`` holding these strings."""
    keys = list(dict.fromkeys(keys))
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(k):
        h = _java_string_hash(k)
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(keys, key=bucket)  # stable: insertion order within a bucket


def java_list(items: Iterable[object]) -> str:
    return "[" + ", ".join(str(i) for i in items) + "]"
