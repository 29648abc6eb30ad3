"""fakestor/data/properties.json is the generator's output for the shipped catalogue."""
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CATALOGUE = os.path.join(ROOT, "..", "shared", "reference", "linstor-common")


def test_generated_whitelist_is_up_to_date():
    if not os.path.isdir(CATALOGUE):
        pytest.fail("the reference catalogue is expected at %s" % CATALOGUE)
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    try:
        import gen_properties
    finally:
        sys.path.pop(0)
    fresh = gen_properties.generate(os.path.join(CATALOGUE, "properties.json"),
                                    os.path.join(CATALOGUE, "consts.json"))
    with open(os.path.join(ROOT, "fakestor", "data", "properties.json"), encoding="utf-8") as fh:
        shipped = json.load(fh)
    assert shipped == fresh, "run: make properties"
