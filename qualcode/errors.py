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


class QueryError(QualcodeError):
    """A query or filter that does not parse, or names something that does not exist.

    ``position`` is the offset in ``text`` where the problem is, so that a face can
    draw a caret under it (:meth:`pointed`).
    """

    def __init__(self, message: str, *, text: str = "", position: int = 0) -> None:
        self.text = text
        self.position = max(0, min(position, len(text)))
        where = f" (at {self.position + 1}: {_excerpt(text, self.position)})" if text else ""
        super().__init__(f"{message}{where}")

    def pointed(self) -> str:
        """The query and a caret under the problem, two lines for a terminal."""
        line = " ".join(self.text.splitlines())
        return f"{line}\n{' ' * self.position}^"


def _excerpt(text: str, position: int) -> str:
    rest = text[position:position + 20]
    return repr(rest + ("..." if len(text) > position + 20 else "")) if rest else "end of text"


class ProjectBusyError(QualcodeError):
    """Another program held the project's write lock for longer than we wait."""


class ActionInterrupted(QualcodeError):
    """A long statement was stopped by Ctrl-C; its transaction was rolled back."""


def is_busy_error(exc: BaseException) -> bool:
    """Whether a database error means another program held the project too long (SQLite
    says "database is locked" or "... busy"): worth trying again, unlike the others."""
    text = str(exc)
    return "locked" in text or "busy" in text
