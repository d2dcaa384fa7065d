"""``__version__``, read from the installed package's metadata when first asked for.

The version is written once, in pyproject.toml; installing records it in the package
metadata. It is looked up on first use: importlib.metadata costs start-up time every
command would pay. A leaf module, so that any layer can name the version without
importing the package (whose ``__init__`` imports the facade).
"""

from __future__ import annotations


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qualcode")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
