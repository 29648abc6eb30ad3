"""Reproducible identifiers: uuids and error-report ids from one seed."""
import random
import uuid as uuidlib


class IdGenerator:
    def __init__(self, seed: int = 0, start_seconds: int = 0):
        self.seed = seed
        self._rng = random.Random(seed)
        self._report_prefix = "%08X" % (start_seconds & 0xFFFFFFFF)
        self._report_counter = 0

    def uuid(self) -> str:
        return str(uuidlib.UUID(int=self._rng.getrandbits(128), version=4))

    def error_report_id(self) -> str:
        """``<controller start, hex>-<node number>-<counter>`` as the controller writes them."""
        self._report_counter += 1
        return "%s-00000-%06d" % (self._report_prefix, self._report_counter)

    def random(self) -> random.Random:
        return self._rng

    def state(self):
        return (self._rng.getstate(), self._report_counter)

    def set_state(self, state) -> None:
        rng_state, self._report_counter = state
        self._rng.setstate(rng_state)
