"""Where the client finds its controllers: LS_CONTROLLERS or linstor-client.conf."""
import configparser
import os


class Config:
    @staticmethod
    def read_config(config_file):
        parser = configparser.ConfigParser()
        parser.read(config_file)
        return {section: list(parser.items(section)) for section in parser.sections()}

    @classmethod
    def get_section(cls, section, config_file_name=None):
        """The entries of ``section`` in the first config file that exists: the one given,
        else the user's, else the system's."""
        for path in cls._config_files(config_file_name):
            if os.path.exists(path):
                return dict(cls.read_config(path).get(section, []))
        return {}

    @staticmethod
    def _config_files(config_file_name):
        candidates = [os.path.expanduser("~/.config/linstor/linstor-client.conf"), "/etc/linstor/linstor-client.conf"]
        return ([config_file_name] if config_file_name else []) + candidates

    @classmethod
    def get_controllers(cls, section="global", config_file_name=None, fallback="linstor://localhost"):
        from .linstorapi import MultiLinstor

        controllers = os.environ.get("LS_CONTROLLERS") or cls.get_section(section, config_file_name).get(
            "controllers", fallback)
        return MultiLinstor.controller_uri_list(controllers)
