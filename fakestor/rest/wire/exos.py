"""Wire JSON of the EXOS vendor API; every class drops null fields (NON_EMPTY)."""
from dataclasses import asdict
from typing import Dict, List, Optional

from ...model.exos import EnclosureHealth, ExosEvent


def _present(data: Dict[str, Optional[object]]) -> dict:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def defaults(values: Dict[str, Optional[str]]) -> dict:
    return _present({"username": values.get("Username"), "username_env": values.get("UsernameEnv"),
                     "password": values.get("Password"), "password_env": values.get("PasswordEnv")})


def enclosure(health: EnclosureHealth) -> dict:
    # an enclosure's credentials are never part of its listing
    return _present(asdict(health))


def event(evt: ExosEvent) -> dict:
    return _present(asdict(evt))


def connection_maps(maps: List[dict]) -> List[dict]:
    return [_present(m) for m in maps]
