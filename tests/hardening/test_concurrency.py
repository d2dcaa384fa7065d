"""Two processes writing to one project at once: no lost update, no 'locked' error."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qualcode import Project

WRITER = textwrap.dedent("""
    import sys
    from qualcode import Project
    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with Project.open(path) as project:
        project.coder = who
        for i in range(n):
            project.coding.apply_spans([("P01_W1", "Alpha", i, i + 1)], summary=f"{who} {i}")
            if i % 10 == 0:
                project.study.set_participant("P01", {f"{who}_counter": str(i)})
    print("finished")
""")


def write_concurrently(tmp_path, n: int) -> Path:
    path = tmp_path / "shared.qualcode"
    with Project.create(path) as project:
        project.study.add_wave("W1")
        project.study.add_participant("P01")
        source = tmp_path / "P01_W1.txt"
        source.write_text("Interviewer: Go on.\n\nP01: " + "word " * (n + 10) + "\n", encoding="utf-8")
        project.transcripts.import_transcript(source, participant="P01", wave="W1")
        project.codebook.add_code("Alpha")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(n)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for who in ("tui", "cli")]
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "locked" not in err and out.strip() == "finished"
    return path


@pytest.mark.parametrize("n", [100, pytest.param(1000, marks=pytest.mark.slow)])
def test_two_writers_lose_nothing(tmp_path, n):
    path = write_concurrently(tmp_path, n)
    with Project.open(path) as project:
        codings = project.coding.codings()
        assert len(codings) == 2 * n
        assert sorted(c.coder for c in codings).count("tui") == n
        events = [e for e in project.log() if e.action == "coding.batch"]
        assert len(events) == 2 * n
        attrs = project.study.participant("P01").attributes
        last = str((n - 1) // 10 * 10)
        assert attrs == {"cli_counter": last, "tui_counter": last}
