"""``@pytest.mark.linstor_version(spec)``: an exact version (``"1.26.1"``) or comparisons joined by
commas (``">=1.26, <1.32"``)."""
import re
from typing import Optional

from fakestor import versions as fv

_CLAUSE = re.compile(r"\s*(==|!=|>=|<=|>|<)?\s*([0-9][0-9A-Za-z.\-]*)\s*")
_OPS = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
}


def _clauses(spec: str):
    out = []
    for part in spec.split(","):
        match = _CLAUSE.fullmatch(part)
        if not match:
            raise ValueError("invalid LINSTOR version spec %r" % spec)
        out.append((match.group(1) or "==", fv.parse(match.group(2))))
    return out


def matches(version: str, spec: str) -> bool:
    """Whether LINSTOR ``version`` satisfies ``spec``."""
    actual = fv.parse(version)
    return all(_OPS[op](actual, wanted) for op, wanted in _clauses(spec))


def emulated(spec: str) -> Optional[str]:
    """The version the fake emulates for ``spec``: the version itself when exact, else the default
    when it matches, else the newest known release that does; None when none does."""
    clauses = _clauses(spec)
    if len(clauses) == 1 and clauses[0][0] == "==":
        return spec.strip().lstrip("=").strip()
    candidates = [fv.DEFAULT_LINSTOR_VERSION] + sorted({r for r, _ in fv._REST_API_VERSIONS}, key=fv.parse,
                                                       reverse=True)
    for candidate in candidates:
        if matches(candidate, spec):
            return candidate
    return None
