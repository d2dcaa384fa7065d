"""Print the packages of the running environment whose version is not the locked one.

Run by `make test-latest` with the interpreter of .venv-latest: what `make lock-upgrade`
would change, and so what a failure there may come from.
Usage: python .ci/versions_differing.py requirements.lock
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

from packaging.utils import canonicalize_name

# "name==version ; marker \" opens each entry of a lock written with hashes.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.M)


def main(lock_path: str) -> int:
    with open(lock_path, encoding="utf-8") as handle:
        locked = {canonicalize_name(name): version for name, version in PIN.findall(handle.read())}
    installed = {canonicalize_name(dist.metadata["Name"]): dist.version for dist in metadata.distributions()}
    installed.pop("qualcode", None)
    differing = sorted((name, locked.get(name, "(not locked)"), version)
                       for name, version in installed.items() if locked.get(name) != version)
    print(f"Versions that differ from {lock_path}:" if differing else f"Every version is the one in {lock_path}.")
    for name, was, now in differing:
        print(f"  {name}: {was} -> {now}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
