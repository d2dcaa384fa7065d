"""The one error type the core raises for anything a user can fix.

Faces (CLI, TUI) catch :class:`QualcodeError` and show ``str(error)`` as a single
line; anything else escaping the core is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class QualcodeError(Exception):
    """A problem the user can act on, described in one line."""

    def __init__(self, message: str) -> None:
        # One line, always: multi-line messages break the CLI's error contract.
        super().__init__(" ".join(str(message).split()))

    @property
    def message(self) -> str:
        return self.args[0]


class InputError(QualcodeError):
    """A file we were asked to read is unusable; the message names the file."""

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{Path(path).name}: {problem}")


class NotFoundError(QualcodeError):
    """A name (participant, wave, code, transcript...) that does not exist."""


class ConflictError(QualcodeError):
    """The action would break a rule of the project (duplicate id, cycle, ...)."""


class ProjectBusyError(QualcodeError):
    """Another program held the project's write lock for longer than we wait."""


class ActionInterrupted(QualcodeError):
    """A long statement was stopped by Ctrl-C; its transaction was rolled back."""
