"""qualcode: terminal-first qualitative longitudinal research coding."""

from .errors import QualcodeError
from .project import Project

__all__ = ["Project", "QualcodeError", "__version__"]


def __getattr__(name: str) -> str:
    # The version is written once, in pyproject.toml; installing records it in the package
    # metadata. Looked up on first use: importlib.metadata costs start-up time every command
    # would pay.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("qualcode")
        except PackageNotFoundError:  # imported from a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
