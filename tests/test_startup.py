"""Start-up: a command that only reads the project imports none of the heavy libraries.

Each check runs the CLI in a fresh interpreter (this process has imported everything
already) and lists the top-level packages it imported.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from qualcode.store.connection import Database

# Libraries a command that opens a project and reads it must not pay for: numpy (pulled
# in by sqlite-utils), pandas, spaCy, python-docx, Textual, and the rest of the stack.
HEAVY = {"numpy", "pandas", "spacy", "docx", "textual", "sqlite_utils", "networkx", "matplotlib",
         "lxml", "openpyxl", "scipy", "rapidfuzz", "yaml", "charset_normalizer", "markdown_it"}

LIST_IMPORTS = """
import contextlib, io, json, sys
from qualcode.cli import cli
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        cli.main(args=sys.argv[1:], prog_name="qualcode")
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "out": out.getvalue(),
                  "packages": sorted({name.split(".")[0] for name in sys.modules})}))
"""


def imported_by(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", LIST_IMPORTS, *args], capture_output=True,
                          text=True, check=True, timeout=120)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_status_imports_no_heavy_library(project_path):
    result = imported_by("-p", str(project_path), "status")
    assert result["code"] == 0
    assert "schema version" in result["out"]  # it did open the project and read it
    assert HEAVY.isdisjoint(result["packages"]), sorted(HEAVY & set(result["packages"]))
    # Only the status command's module of the CLI, not every command's.
    assert "qualcode" in result["packages"]


def test_plain_commands_import_no_heavy_library(project_path):
    for args in (["--help"], ["-p", str(project_path), "log"], ["-p", str(project_path), "status", "--json"]):
        result = imported_by(*args)
        assert result["code"] == 0, args
        assert HEAVY.isdisjoint(result["packages"]), (args, sorted(HEAVY & set(result["packages"])))


def test_cooccurrence_edge_list_imports_only_numpy(project_path, tmp_path):
    # The CSV edge list is counted in numpy and written as text: no graph library, no
    # document or codebook-file code, none of the services the other exports read.
    target = tmp_path / "edges.csv"
    result = imported_by("-p", str(project_path), "cooccur", "--scope", "turn", "-o", str(target))
    assert result["code"] == 0 and target.read_text(encoding="utf-8-sig").startswith("source,")
    assert HEAVY & set(result["packages"]) == {"numpy"}, sorted(HEAVY & set(result["packages"]))


def test_a_command_that_needs_a_library_still_gets_it(project_path):
    # The laziness must not break a command that does need the heavy code.
    result = imported_by("-p", str(project_path), "codebook", "--help")
    assert result["code"] == 0 and "merge" in result["out"]


# --- the connection's write rules (as under sqlite-utils) ------------------------------

@pytest.fixture
def two_connections(tmp_path):
    path = tmp_path / "t.db"
    db = Database(sqlite3.connect(path))
    other = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x INTEGER UNIQUE)")
    yield db, other
    db.close()
    other.close()


def test_a_write_outside_a_transaction_is_committed_at_once(two_connections):
    db, other = two_connections
    db.execute("INSERT INTO t VALUES (1)")
    assert not db.conn.in_transaction
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 1


def test_a_failed_write_leaves_no_transaction_open(two_connections):
    db, other = two_connections
    db.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO t VALUES (1)")
    assert not db.conn.in_transaction
    db.execute("INSERT INTO t VALUES (2)")
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 2


def test_begin_is_not_committed_behind_the_caller(two_connections):
    db, other = two_connections
    db.execute("BEGIN")
    db.execute("INSERT INTO t VALUES (1)")
    assert db.conn.in_transaction
    assert other.execute("SELECT count(*) FROM t").fetchone()[0] == 0
    db.execute("ROLLBACK")


def test_nested_atomic_rolls_back_only_the_inner_block(two_connections):
    db, other = two_connections
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(sqlite3.IntegrityError), db.atomic():
            db.execute("INSERT INTO t VALUES (2)")
            db.execute("INSERT INTO t VALUES (1)")
    assert [r[0] for r in other.execute("SELECT x FROM t")] == [1]


def test_table_helpers_come_from_sqlite_utils_on_demand(two_connections):
    db, _other = two_connections
    db["t"].insert({"x": 5})
    assert db.table("t").count == 1
