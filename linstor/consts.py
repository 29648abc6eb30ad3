"""The protocol constants; the same module as linstor.sharedconsts."""
import sys

from . import sharedconsts

sys.modules[__name__] = sharedconsts
