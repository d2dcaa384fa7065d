"""The shape of the code that review alone would not keep: SQL only in the store,
sqlite3's errors turned into ours there, and files short enough to read."""

from __future__ import annotations

import re

from .conftest import REPO

PACKAGE = REPO / "qualcode"
STORE = PACKAGE / "store"


def _sources():
    return sorted(PACKAGE.rglob("*.py"))


def test_sql_runs_only_in_the_store():
    outside = [f"{path.relative_to(REPO)}:{n}" for path in _sources() if STORE not in path.parents
               for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
               if re.search(r"\bexecute(many|script)?\(", line)]
    assert outside == []


def test_sqlite_errors_are_caught_only_in_the_store():
    outside = [f"{path.relative_to(REPO)}:{n}" for path in _sources() if STORE not in path.parents
               for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
               if re.search(r"except\b.*\b(sqlite3\.)?(OperationalError|DatabaseError|IntegrityError)", line)]
    assert outside == []


def test_no_file_is_longer_than_600_lines():
    long = {str(path.relative_to(REPO)): n for path in _sources()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}


def _function_lengths(folder):
    """(file:function, lines) for every function and method in ``folder``, nested ones
    counted on their own as well as inside their parent."""
    import ast

    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{path.relative_to(REPO)}:{node.name}", node.end_lineno - node.lineno + 1


def test_no_export_function_is_longer_than_80_lines():
    long = {name: n for name, n in _function_lengths(PACKAGE / "export") if n > 80}
    assert long == {}
