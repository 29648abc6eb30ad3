"""Reading ApiCallRc replies in end-to-end tests."""
from typing import List

from linstor import consts

_U64 = (1 << 64) - 1


def code(reply) -> int:
    """The reply's ret_code as the unsigned value ``linstor.consts`` spells (JSON carries a signed long)."""
    return reply.ret_code & _U64


def codes(replies) -> List[int]:
    return [code(r) for r in replies]


def only_code(reply) -> int:
    """The ret_code without its operation and object masks (type bits and number stay)."""
    return code(reply) & ~(consts.MASK_BITS_OP | consts.MASK_BITS_OBJ) & _U64
