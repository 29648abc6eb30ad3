"""/v1/remotes: S3, LINSTOR and EBS remotes (``rest/v1/Remotes.java``)."""
from flask import Blueprint, request

from .common import ASYNC, Obj, body, json_response, read, write
from .wire import remotes as wire

bp = Blueprint("remotes", __name__)

S3 = Obj({"remote_name": str, "endpoint": str, "bucket": str, "region": str, "access_key": str, "secret_key": str,
          "use_path_style": bool}, "S3Remote")
LINSTOR = Obj({"remote_name": str, "url": str, "passphrase": str, "cluster_id": str}, "LinstorRemote")
EBS = Obj({"remote_name": str, "endpoint": str, "region": str, "availability_zone": str, "access_key": str,
           "secret_key": str}, "EbsRemote")


@bp.get("/v1/remotes")
def list_remotes():
    return json_response(read(lambda c: wire.remote_list(c.list_remotes())))


def _list_kind(kind: str):
    return json_response(read(lambda c: [wire.RENDER[kind](r) for r in c.list_remotes(kind)]))


@bp.get("/v1/remotes/s3")
def list_s3():
    return _list_kind("s3")


@bp.get("/v1/remotes/linstor")
def list_linstor():
    return _list_kind("linstor")


@bp.get("/v1/remotes/ebs")
def list_ebs():
    return _list_kind("ebs")


@bp.post("/v1/remotes/s3")
def create_s3():
    d = body(S3, **ASYNC)
    return write(lambda c: c.create_s3_remote(d.get("remote_name"), d.get("endpoint"), d.get("bucket"),
                                              d.get("region"), d.get("access_key"), d.get("secret_key"),
                                              bool(d.get("use_path_style"))))


@bp.put("/v1/remotes/s3/<name>")
def modify_s3(name):
    d = body(S3, **ASYNC)
    return write(lambda c: c.modify_s3_remote(name, d.get("endpoint"), d.get("bucket"), d.get("region"),
                                              d.get("access_key"), d.get("secret_key")))


@bp.post("/v1/remotes/linstor")
def create_linstor():
    d = body(LINSTOR, **ASYNC)
    return write(lambda c: c.create_linstor_remote(d.get("remote_name"), d.get("url"), d.get("passphrase"),
                                                   d.get("cluster_id")))


@bp.put("/v1/remotes/linstor/<name>")
def modify_linstor(name):
    d = body(LINSTOR, **ASYNC)
    return write(lambda c: c.modify_linstor_remote(name, d.get("url"), d.get("passphrase"), d.get("cluster_id")))


@bp.post("/v1/remotes/ebs")
def create_ebs():
    d = body(EBS, **ASYNC)
    return write(lambda c: c.create_ebs_remote(d.get("remote_name"), d.get("availability_zone"), d.get("access_key"),
                                               d.get("secret_key"), d.get("endpoint"), d.get("region")))


@bp.put("/v1/remotes/ebs/<name>")
def modify_ebs(name):
    d = body(EBS, **ASYNC)
    return write(lambda c: c.modify_ebs_remote(name, d.get("endpoint"), d.get("region"), d.get("availability_zone"),
                                               d.get("access_key"), d.get("secret_key")))


@bp.delete("/v1/remotes")
def delete_remote():
    return write(lambda c: c.delete_remote(request.args.get("remote_name")))


# An EBS special satellite needs an EBS remote (``rest/v1/Nodes.java#createEbsNode``).
EBS_NODE = Obj({"name": str, "ebs_remote_name": str}, "NodeCreateEbs")


@bp.post("/v1/nodes/ebs")
def create_ebs_node():
    d = body(EBS_NODE, **ASYNC)
    return write(lambda c: c.create_ebs_node(d.get("name"), d.get("ebs_remote_name")), 201)
