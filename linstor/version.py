"""Version of the python-linstor API this package is compatible with."""

VERSION = "1.7.1"
