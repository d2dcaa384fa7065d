"""The package as a user gets it: the sdist and the wheel built from it, installed with the
locked dependencies into a fresh environment, run from a folder outside the checkout.

The README's tour (the command list of tests/test_readme.py) runs there against the
example study the wheel carries, including `export refi` and exports without -o; nothing
may be written inside the environment, and exports land beside the project file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO
from .test_readme import tour_commands

pytestmark = pytest.mark.slow

# Read at run time, so the wheel must carry them.
PACKAGE_DATA = [
    "qualcode/py.typed",
    "qualcode/tui/qualcode.tcss",
    "qualcode/exchange/schemas/Project.xsd",
    "qualcode/exchange/schemas/Codebook.xsd",
    "qualcode/example_study/codebooks/health_trainers.yaml",
    "qualcode/example_study/transcripts/manifest.csv",
]


def run(args: list, *, cwd: Path, env: dict | None = None) -> str:
    """Run a command; on failure the assertion shows what it printed."""
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def copy_source_tree(dest: Path) -> Path:
    """The files of the checkout git knows of or would add (ignored ones left out), as a
    fresh clone would have them: built in place, the sdist would also take in whatever an
    earlier build left listed in qualcode.egg-info."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO)
    for name in filter(None, listed.split("\0")):
        source, target = REPO / name, dest / name
        if not source.is_symlink() and not source.exists():
            continue  # deleted, not yet committed
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    return dest


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder`` with its size and modification time."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            info = path.lstat()
            found[str(path.relative_to(folder))] = (info.st_size, info.st_mtime_ns)
    return found


def test_installed_wheel_runs_the_readme_tour(tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("builds from the files of a git checkout")
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    # No build isolation: the build backend is the locked setuptools of this environment.
    # The wheel is built from the sdist, which proves the sdist complete.
    dist = tmp_path / "dist"
    source = copy_source_tree(tmp_path / "source")
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, source], cwd=source)
    wheel = dist / f"qualcode-{version}-py3-none-any.whl"
    assert (dist / f"qualcode-{version}.tar.gz").is_file() and wheel.is_file()
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [name for name in PACKAGE_DATA if name not in names] == []
    assert sum(n.startswith("qualcode/example_study/transcripts/") for n in names) >= 31

    # A fresh environment outside the checkout: the locked dependencies (hashes checked),
    # then the wheel, the way a user would install it.
    env_dir = tmp_path / "env"
    run([sys.executable, "-m", "venv", env_dir], cwd=tmp_path)
    python, qualcode = env_dir / "bin" / "python", env_dir / "bin" / "qualcode"
    quiet = ["--quiet", "--disable-pip-version-check", "--no-input"]
    run([python, "-m", "pip", "install", *quiet, "--require-hashes", "-r", REPO / "requirements.lock"],
        cwd=tmp_path)
    run([python, "-m", "pip", "install", *quiet, "--no-deps", wheel], cwd=tmp_path)

    study = tmp_path / "study"
    study.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "QUALCODE_PROJECT", "PYTHONDONTWRITEBYTECODE")}
    env.update(QUALCODE_CODER="anna", MPLCONFIGDIR=str(tmp_path / "mpl"), HOME=str(tmp_path / "home"))
    # Imported from the environment, not from the checkout.
    where = run([python, "-c", "import qualcode; print(qualcode.__file__)"], cwd=study, env=env)
    assert Path(where.strip()).is_relative_to(env_dir)
    assert run([qualcode, "--version"], cwd=study, env=env).strip() == f"qualcode, version {version}"
    before = snapshot(env_dir)

    assert "built example.qualcode" in run([qualcode, "example"], cwd=study, env=env)
    env["QUALCODE_PROJECT"] = "example.qualcode"
    commands = tour_commands()
    assert any(c[:2] == ["export", "refi"] for c in commands)
    for args in [*commands, ["export", "refi"]]:
        run([qualcode, *args], cwd=study, env=env)
    run([python, "-c", "from qualcode.tui.app import QualcodeApp; assert QualcodeApp.CSS_PATH.is_file()"],
        cwd=study, env=env)

    assert snapshot(env_dir) == before, "something was written inside the installed environment"
    exports = study / "exports"
    assert (exports / "example-themes.docx").is_file()  # the tour's export without -o
    assert (exports / "example.qdpx").is_file() and (exports / "study.qdpx").is_file()
