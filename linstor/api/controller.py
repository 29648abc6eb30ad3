"""Controller calls of ``Linstor``: version, properties, encryption passphrase."""
from .. import sharedconsts as apiconsts
from .base import ApiMixin


class ControllerMixin(ApiMixin):
    def controller_version(self):
        replies = self._rest_request(apiconsts.API_VERSION, "GET", "/v1/controller/version")
        return replies[0] if replies else None

    def controller_info(self):
        version = self.controller_version()
        if version is None or not hasattr(version, "build_time"):
            return None
        return "LINSTOR,Controller,{},{},{}".format(version.version, version.git_hash, version.build_time)

    def controller_props(self):
        return self._rest_request(apiconsts.API_LST_CTRL_PROPS, "GET", "/v1/controller/properties")

    def controller_set_prop(self, key, value):
        return self._rest_request(apiconsts.API_SET_CTRL_PROP, "POST", "/v1/controller/properties",
                                  {"override_props": {key: value}})

    def controller_del_prop(self, key):
        return self._rest_request(apiconsts.API_SET_CTRL_PROP, "POST", "/v1/controller/properties",
                                  {"delete_props": [key]})

    def crypt_create_passphrase(self, passphrase):
        return self._rest_request(apiconsts.API_CRT_CRYPT_PASS, "POST", "/v1/encryption/passphrase",
                                  {"new_passphrase": passphrase})

    def crypt_enter_passphrase(self, passphrase):
        return self._rest_request(apiconsts.API_ENTER_CRYPT_PASS, "PATCH", "/v1/encryption/passphrase", passphrase)

    def crypt_modify_passphrase(self, old_passphrase, new_passphrase):
        return self._rest_request(apiconsts.API_MOD_CRYPT_PASS, "PUT", "/v1/encryption/passphrase",
                                  {"new_passphrase": new_passphrase, "old_passphrase": old_passphrase})
