"""Where a command writes when it is not told where.

The rule, for every face (CLI, terminal UI, scripts): an ``exports/`` folder beside the
project file, the study's own folder, where its researcher looks for its output; without a
project file, the current folder. Never the package's folder: for an installed qualcode
that is inside site-packages, and in a source checkout it is the program, not the study.

Choosing the place and making the folder are separate steps, so that naming a default is
free of side effects and the folder is made only when a file is about to be written there.
"""

from __future__ import annotations

from pathlib import Path

from .errors import QualcodeError

EXPORTS = "exports"


def default_output_folder(project_path: str | Path | None) -> Path:
    """``exports/`` beside ``project_path``, else the current folder (``.``). Nothing is
    created here: see :func:`make_output_folder`."""
    if project_path is None:
        return Path(".")
    return Path(project_path).parent / EXPORTS


def make_output_folder(folder: Path) -> Path:
    """Create ``folder`` if it is missing (readable by its owner only: exports hold study
    data); a clear error if it cannot be made or is not a folder."""
    folder = Path(folder)
    if folder.is_dir():
        return folder
    if folder.exists() or folder.is_symlink():
        raise QualcodeError(f"{folder} is not a folder: remove it or give -o FILE")
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:  # made meanwhile by another command
        if not folder.is_dir():
            raise QualcodeError(f"{folder} is not a folder: remove it or give -o FILE") from None
    except OSError as exc:
        raise QualcodeError(f"cannot create the output folder {folder}: {exc.strerror or exc}; "
                            "give -o FILE") from None
    return folder
