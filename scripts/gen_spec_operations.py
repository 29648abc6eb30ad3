#!/usr/bin/env python3
"""Generate fakestor/data/rest_operations.json: every operation (verb, path) of a LINSTOR OpenAPI spec.

Usage: python3 scripts/gen_spec_operations.py SPEC.yaml > fakestor/data/rest_operations.json

The fake uses the list to answer operations it does not implement with 501 instead of 404,
and scripts/gen_coverage.py to build COVERAGE.md.
"""
import json
import sys

import yaml

VERBS = ("get", "put", "post", "delete", "patch", "options", "head")


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    ops = []
    for path, item in spec["paths"].items():
        for verb in VERBS:
            if verb in item:
                ops.append({"method": verb.upper(), "path": path,
                            "summary": (item[verb].get("summary") or "").strip()})
    out = {"spec_version": spec["info"]["version"], "operations": ops}
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
