"""qualcode: terminal-first qualitative longitudinal research coding."""

from .errors import QualcodeError
from .project import Project

__all__ = ["Project", "QualcodeError", "__version__"]


def __getattr__(name: str) -> str:
    # Looked up on first use (see qualcode.version).
    if name == "__version__":
        from .version import package_version

        return package_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
