"""/v1/encryption/passphrase: the master passphrase (create 201, modify and enter 200)."""
from flask import Blueprint
from werkzeug.exceptions import MethodNotAllowed

from .common import Obj, controller, json_response, read, write
from .error_reports import async_body

bp = Blueprint("encryption", __name__)

PASSPHRASE = Obj({"new_passphrase": str, "old_passphrase": str})
PATH = "/v1/encryption/passphrase"


@bp.get(PATH)
def passphrase_status():
    if not controller().version.has("passphrase_status"):
        raise MethodNotAllowed()
    # one object, although the spec documents a list
    return json_response({"status": read(lambda c: c.passphrase_status())})


@bp.post(PATH)
def create_passphrase():
    data = async_body(PASSPHRASE)
    return write(lambda c: c.set_passphrase(data.get("new_passphrase")), 201)


@bp.put(PATH)
def modify_passphrase():
    data = async_body(PASSPHRASE)
    return write(lambda c: c.set_passphrase(data.get("new_passphrase"), data.get("old_passphrase")))


@bp.patch(PATH)
def enter_passphrase():
    # the body is a bare JSON string
    passphrase = async_body(str)
    return write(lambda c: c.enter_passphrase(passphrase))
