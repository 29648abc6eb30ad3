"""Wire JSON of remotes (``Json.apiToS3Remote`` and friends): secrets are never sent."""
from typing import List

from ...model.remotes import KIND_EBS, KIND_LINSTOR, KIND_S3, Remote


def _non_empty(data: dict) -> dict:
    # JsonGenTypes use NON_EMPTY: null and "" are left out (a primitive false stays)
    return {k: v for k, v in data.items() if v is not None and v != ""}


def s3_remote(remote: Remote) -> dict:
    # the controller never fills use_path_style in its answers: it is always false there
    return _non_empty({"remote_name": remote.name, "endpoint": remote.url, "bucket": remote.bucket,
                       "region": remote.region, "use_path_style": False})


def linstor_remote(remote: Remote) -> dict:
    return _non_empty({"remote_name": remote.name, "url": remote.url})


def ebs_remote(remote: Remote) -> dict:
    return _non_empty({"remote_name": remote.name, "endpoint": remote.url, "region": remote.region,
                       "availability_zone": remote.availability_zone})


RENDER = {KIND_S3: s3_remote, KIND_LINSTOR: linstor_remote, KIND_EBS: ebs_remote}


def remote_list(remotes: List[Remote]) -> dict:
    out = {}
    for field, kind in (("s3_remotes", KIND_S3), ("linstor_remotes", KIND_LINSTOR), ("ebs_remotes", KIND_EBS)):
        items = [RENDER[kind](r) for r in remotes if r.kind == kind]
        if items:  # empty lists are left out (NON_EMPTY)
            out[field] = items
    return out
