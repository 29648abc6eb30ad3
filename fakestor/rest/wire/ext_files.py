"""Wire JSON of external files (``Json.apiToExternalFile``; empty fields are left out)."""
from ...model.ext_files import ExternalFile


def external_file(ext_file: ExternalFile, with_content: bool) -> dict:
    out = {"path": ext_file.path}
    if with_content and ext_file.content:
        out["content"] = ext_file.content
    return out


def check_result(allowed: bool) -> dict:
    return {"allowed": allowed}
