"""qualcode: terminal-first qualitative longitudinal research coding."""

from .errors import QualcodeError
from .project import Project

__all__ = ["Project", "QualcodeError", "__version__"]
__version__ = "0.1.0"
