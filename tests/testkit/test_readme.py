"""The README's "Testing your plugin" examples run exactly as written."""
import gc
import os
import re

import pytest

README = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "README.md")


def section_blocks():
    with open(README, encoding="utf-8") as fh:
        text = fh.read()
    section = text.split("## Testing your plugin", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_section_has_examples():
    assert len(section_blocks()) >= 2


@pytest.mark.parametrize("index", range(len(section_blocks())))
def test_example_runs_as_written(pytester, index):
    block = section_blocks()[index]
    pytester.makepyfile(**{"test_readme_%d" % index: block})
    gc.freeze()
    result = pytester.runpytest("-p", "no:cacheprovider")
    tests = len(re.findall(r"^def test_|^Test\w+ = ", block, re.M))
    result.assert_outcomes(passed=tests)
