"""The controller's naming rules (``Checks#hostNameCheck``, ``Checks#nameCheck``)."""
import pytest

from fakestor.model import names


@pytest.mark.parametrize("name", ["ab", "a1", "12", "node-1.example.com", "a..b", "alpha.", "x" * 63,
                                  ".".join(["x" * 63] * 4)])
def test_valid_host_names(name):
    assert names.check_node_name(name) == name


@pytest.mark.parametrize("name, cause", [
    ("a", "Hostname length of 1 violates RFC1123 minimum length of 2"),
    (".a", "Hostname cannot begin with '.'"),
    ("-a", "Hostname cannot begin with '-'"),
    ("a-", "Hostname cannot end with '-'"),
    ("a_b", "Domain name cannot contain character '_'"),
    ("x" * 64, "Domain name component length of 64 violates RFC1123 maximum length of 63"),
    ("x." * 128, "Hostname length of 256 violates RFC1123 maximum length of 255"),
    # one byte of the UTF-8 form, widened like a negative Java byte
    ("nö", "Domain name cannot contain character '\uffc3'"),
])
def test_invalid_host_names(name, cause):
    with pytest.raises(names.InvalidName) as info:
        names.check_node_name(name)
    assert str(info.value) == cause


@pytest.mark.parametrize("check, name, cause", [
    (names.check_storage_pool_name, "ab", "Invalid name: Name length 2 is less than minimum length 3"),
    (names.check_storage_pool_name, "1pool", "Invalid name: Cannot begin with character '1'"),
    (names.check_storage_pool_name, "po.ol", "Invalid name: Cannot contain character '.'"),
    (names.check_storage_pool_name, "___", "Invalid name: Name must contain at least one character that matches "
                                           "[a-zA-Z]"),
    (names.check_net_interface_name, "n" * 33, "Invalid name: Name length 33 is greater than maximum length 32"),
])
def test_generic_name_rules(check, name, cause):
    with pytest.raises(names.InvalidName) as info:
        check(name)
    assert str(info.value) == cause
