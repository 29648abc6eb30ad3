"""SizeCalc: every unit, parsing, conversion, rounding and display."""
import pytest

from linstor import LinstorError, SizeCalc

BINARY = [("B", 0), ("KiB", 10), ("MiB", 20), ("GiB", 30), ("TiB", 40), ("PiB", 50), ("EiB", 60), ("ZiB", 70),
          ("YiB", 80)]
DECIMAL = [("kB", 3), ("MB", 6), ("GB", 9), ("TB", 12), ("PB", 15), ("EB", 18), ("ZB", 21), ("YB", 24)]


@pytest.mark.parametrize("name, exponent", BINARY)
def test_binary_units(name, exponent):
    unit = getattr(SizeCalc, "UNIT_" + name)
    assert unit == 0x200 | exponent
    assert SizeCalc.convert(1, unit, SizeCalc.UNIT_B) == 2 ** exponent


@pytest.mark.parametrize("name, exponent", DECIMAL)
def test_decimal_units(name, exponent):
    unit = getattr(SizeCalc, "UNIT_" + name)
    assert unit == 0xA00 | exponent
    assert SizeCalc.convert(1, unit, SizeCalc.UNIT_B) == 10 ** exponent


def test_units_map_and_list():
    assert list(SizeCalc.UNITS_MAP) == ["b", "k", "kb", "kib", "m", "mb", "mib", "g", "gb", "gib", "t", "tb", "tib",
                                        "p", "pb", "pib"]
    assert SizeCalc.UNITS_MAP["k"] == ("K", SizeCalc.UNIT_KiB)
    assert SizeCalc.UNITS_MAP["gb"] == ("GB", SizeCalc.UNIT_GB)
    assert SizeCalc.UNITS_LIST_STR == "B, K, kB, KiB, M, MB, MiB, G, GB, GiB, T, TB, TiB, P, PB, PiB"


def test_unit_to_str_gives_the_first_key():
    assert SizeCalc.unit_to_str(SizeCalc.UNIT_KiB) == "k"
    assert SizeCalc.unit_to_str(SizeCalc.UNIT_MB) == "mb"
    assert SizeCalc.unit_to_str(SizeCalc.UNIT_EiB) == ""


@pytest.mark.parametrize("text, expected", [
    ("10", (10, SizeCalc.UNIT_B)), ("10K", (10, SizeCalc.UNIT_KiB)), ("10 kb", (10, SizeCalc.UNIT_kB)),
    ("7GiB", (7, SizeCalc.UNIT_GiB)), ("3 t", (3, SizeCalc.UNIT_TiB)), ("1PB", (1, SizeCalc.UNIT_PB)),
])
def test_parse_unit(text, expected):
    assert SizeCalc.parse_unit(text) == expected


def test_parse_unit_errors():
    with pytest.raises(LinstorError) as err:
        SizeCalc.parse_unit("lots")
    assert err.value.message == "Size is not a number."
    with pytest.raises(LinstorError) as err:
        SizeCalc.parse_unit("10 parsecs")
    assert err.value.message == '"parsecs" is not a valid unit!\n'
    with pytest.raises(LinstorError):
        SizeCalc.parse_unit("10G ")  # trailing blanks belong to the unit


def test_convert_truncates_and_round_up_does_not():
    assert SizeCalc.convert(1500, SizeCalc.UNIT_B, SizeCalc.UNIT_KiB) == 1
    assert SizeCalc.convert_round_up(1500, SizeCalc.UNIT_B, SizeCalc.UNIT_KiB) == 2
    assert SizeCalc.convert_round_up(2048, SizeCalc.UNIT_B, SizeCalc.UNIT_KiB) == 2
    # 100 MB = 10**8 bytes need 97657 KiB (97656.25 rounded up)
    assert SizeCalc.convert_round_up(100, SizeCalc.UNIT_MB, SizeCalc.UNIT_KiB) == 97657
    assert SizeCalc.convert(1, SizeCalc.UNIT_TiB, SizeCalc.UNIT_GB) == 1099
    assert SizeCalc.convert_round_up(0, SizeCalc.UNIT_GiB, SizeCalc.UNIT_KiB) == 0


def test_auto_convert():
    assert SizeCalc.auto_convert("1GiB", SizeCalc.UNIT_MiB) == 1024
    assert SizeCalc.auto_convert("2048", SizeCalc.UNIT_KiB) == 2
    assert SizeCalc.auto_convert("1 GB", SizeCalc.UNIT_MB) == 1000


@pytest.mark.parametrize("kib, text", [
    (0, "0 KiB"), (1, "1 KiB"), (1023, "1023 KiB"), (1024, "1 MiB"), (1536, "1.50 MiB"),
    (1024 ** 2, "1 GiB"), (5 * 1024 ** 3, "5 TiB"), (1024 ** 4, "1 PiB"), (2048 * 1024 ** 4, "2048 PiB"),
])
def test_approximate_size_string(kib, text):
    assert SizeCalc.approximate_size_string(kib) == text
