"""Size units and conversions, compatible with python-linstor's SizeCalc."""
import locale
import re
from collections import OrderedDict

from .errors import LinstorError


class SizeCalc:
    """Converts sizes between binary (KiB, MiB, ...) and decimal (kB, MB, ...) units.

    A unit is encoded as ``(base << 8) | exponent``, so its factor is ``base ** exponent``.
    """

    _BASE_2 = 0x0200
    _BASE_10 = 0x0A00

    UNIT_B = 0 | _BASE_2
    UNIT_KiB = 10 | _BASE_2
    UNIT_MiB = 20 | _BASE_2
    UNIT_GiB = 30 | _BASE_2
    UNIT_TiB = 40 | _BASE_2
    UNIT_PiB = 50 | _BASE_2
    UNIT_EiB = 60 | _BASE_2
    UNIT_ZiB = 70 | _BASE_2
    UNIT_YiB = 80 | _BASE_2

    UNIT_kB = 3 | _BASE_10
    UNIT_MB = 6 | _BASE_10
    UNIT_GB = 9 | _BASE_10
    UNIT_TB = 12 | _BASE_10
    UNIT_PB = 15 | _BASE_10
    UNIT_EB = 18 | _BASE_10
    UNIT_ZB = 21 | _BASE_10
    UNIT_YB = 24 | _BASE_10

    UNITS_MAP = OrderedDict(
        (name.lower(), (name, unit))
        for name, unit in (
            ("B", UNIT_B),
            ("K", UNIT_KiB),
            ("kB", UNIT_kB),
            ("KiB", UNIT_KiB),
            ("M", UNIT_MiB),
            ("MB", UNIT_MB),
            ("MiB", UNIT_MiB),
            ("G", UNIT_GiB),
            ("GB", UNIT_GB),
            ("GiB", UNIT_GiB),
            ("T", UNIT_TiB),
            ("TB", UNIT_TB),
            ("TiB", UNIT_TiB),
            ("P", UNIT_PiB),
            ("PB", UNIT_PB),
            ("PiB", UNIT_PiB),
        )
    )
    UNITS_LIST_STR = ", ".join(display for display, _ in UNITS_MAP.values())

    _SIZE_RE = re.compile(r"(\d+)\s*(\D*)")

    @classmethod
    def _factor(cls, unit):
        return ((unit & 0xFFFFFF00) >> 8) ** (unit & 0xFF)

    @classmethod
    def unit_to_str(cls, unit):
        for key, (_, value) in cls.UNITS_MAP.items():
            if value == unit:
                return key
        return ""

    @classmethod
    def parse_unit(cls, value):
        match = cls._SIZE_RE.match(str(value))
        if match is None:
            raise LinstorError("Size is not a number.")
        number, unit_str = match.groups()
        if not unit_str:
            return int(number), cls.UNIT_B
        entry = cls.UNITS_MAP.get(unit_str.lower())
        if entry is None:
            raise LinstorError('"%s" is not a valid unit!\n' % unit_str)
        return int(number), entry[1]

    @classmethod
    def auto_convert(cls, value, unit_to):
        size, unit_from = cls.parse_unit(value)
        return cls.convert(size, unit_from, unit_to)

    @classmethod
    def convert(cls, size, unit_in, unit_out):
        return size * cls._factor(unit_in) // cls._factor(unit_out)

    @classmethod
    def convert_round_up(cls, size, unit_in, unit_out):
        divisor = cls._factor(unit_out)
        return -(-(size * cls._factor(unit_in)) // divisor)

    @classmethod
    def approximate_size_string(cls, size_kib):
        units = [("KiB", cls.UNIT_KiB), ("MiB", cls.UNIT_MiB), ("GiB", cls.UNIT_GiB),
                 ("TiB", cls.UNIT_TiB), ("PiB", cls.UNIT_PiB)]
        name, unit = units[0]
        for cand_name, cand_unit in units:
            if cls.convert(1, cand_unit, cls.UNIT_KiB) <= size_kib:
                name, unit = cand_name, cand_unit
        divisor = cls.convert(1, unit, cls.UNIT_KiB)
        if size_kib % divisor == 0:
            return "%d %s" % (size_kib // divisor, name)
        return "%s %s" % (locale.format_string("%3.2f", size_kib / divisor, grouping=True), name)
