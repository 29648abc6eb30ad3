"""EXOS (Seagate enclosure) calls of ``Linstor``; the controller serves them from REST API 1.7.0 on."""
from .. import sharedconsts as apiconsts
from .base import ApiMixin, path_arg

_EXOS_BASE = "/v1/vendor/seagate/exos"
_EXOS_MSG = "EXOS API not supported by server"


def _enclosure_body(name, ctrl_a_ip, ctrl_b_ip, username, username_env, password, password_env) -> dict:
    # empty strings are left out like None: an empty value would clear the setting on the controller
    body = {"name": name}
    for key, value in (("ctrl_a_ip", ctrl_a_ip), ("ctrl_b_ip", ctrl_b_ip), ("username", username),
                       ("username_env", username_env), ("password", password), ("password_env", password_env)):
        if value:
            body[key] = value
    return body


class ExosMixin(ApiMixin):
    def exos_get_defaults(self):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        return self._rest_request(apiconsts.API_LST_EXOS_DFLTS, "GET", _EXOS_BASE + "/defaults")

    def exos_set_defaults(self, username=None, username_env=None, password=None, password_env=None, unset=None):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        # the controller iterates unset_keys unconditionally: null would fail there, so send a list
        body = {"username": username, "username_env": username_env, "password": password,
                "password_env": password_env, "unset_keys": list(unset or [])}
        return self._rest_request(apiconsts.API_MOD_EXOS_DFLTS, "PUT", _EXOS_BASE + "/defaults", body)

    def exos_enclosure_create(self, enclosure_name, ctrl_a_ip, ctrl_b_ip=None, username=None, username_env=None,
                              password=None, password_env=None):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        # ctrl_a_ip is always sent, even null: the controller answers that it is missing
        body = {"name": enclosure_name, "ctrl_a_ip": ctrl_a_ip}
        body.update(_enclosure_body(enclosure_name, ctrl_a_ip, ctrl_b_ip, username, username_env, password,
                                    password_env))
        return self._rest_request(apiconsts.API_CRT_EXOS_ENCLOSURE, "POST", _EXOS_BASE + "/enclosures", body)

    def exos_enclosure_modify(self, enclosure_name, ctrl_a_ip=None, ctrl_b_ip=None, username=None,
                              username_env=None, password=None, password_env=None):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        body = _enclosure_body(enclosure_name, ctrl_a_ip, ctrl_b_ip, username, username_env, password, password_env)
        return self._rest_request(apiconsts.API_MOD_EXOS_ENCLOSURE, "PUT",
                                  _EXOS_BASE + "/enclosures/" + path_arg(enclosure_name), body)

    def exos_enclosure_delete(self, enclosure_name):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        return self._rest_request(apiconsts.API_DEL_EXOS_ENCLOSURE, "DELETE",
                                  _EXOS_BASE + "/enclosures/" + path_arg(enclosure_name))

    def exos_list_enclosures(self, nocache=None):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        query = [("nocache", "true")] if nocache else []
        return self._rest_request(apiconsts.API_LST_EXOS_ENCLOSURES, "GET", _EXOS_BASE + "/enclosures", query=query)

    def exos_enclosure_events(self, enclosure_name, count=None):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        query = [("count", str(count))] if count else []  # 0 asks for the default
        return self._rest_request(apiconsts.API_EXOS_ENCLOSURE_EVENTS, "GET",
                                  "{}/enclosures/{}/events".format(_EXOS_BASE, path_arg(enclosure_name)),
                                  query=query)

    def exos_exec(self, enclosure_name, cmds):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        # each command word is one path segment
        return self._rest_request(apiconsts.API_EXOS_EXEC, "GET", "{}/enclosures/{}/exec/{}".format(
            _EXOS_BASE, path_arg(enclosure_name), "/".join(path_arg(c) for c in cmds)))

    def exos_map(self):
        self._require_version("1.7.0", msg=_EXOS_MSG)
        return self._rest_request(apiconsts.API_EXOS_MAP, "GET", _EXOS_BASE + "/map")
